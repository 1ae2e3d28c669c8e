# SPDX-License-Identifier: AGPL-3.0-or-later
"""Builders, fake servers and data the tests share (not tests, not fixtures)."""
