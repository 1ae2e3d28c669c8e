# SPDX-License-Identifier: AGPL-3.0-or-later
"""The harvesters' refusal of one record."""


class RecordError(Exception):
    """A record that cannot be imported; the message goes into the job report."""
