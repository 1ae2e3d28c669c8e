# SPDX-License-Identifier: AGPL-3.0-or-later
"""The demo atlas of the configured city (``ckan sca demo-load``)."""
from ckanext.smartcityatlas.capability import Capability


def _cli():
    from ckanext.smartcityatlas.demo import cli

    return [cli.demo_load]


CAPABILITY = Capability(name="demo", cli_commands=_cli)
