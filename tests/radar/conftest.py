# SPDX-License-Identifier: AGPL-3.0-or-later
"""Fixtures of the radar tests (their builders: tests/helpers/radar.py)."""
import pytest

from ckan.tests import factories


@pytest.fixture
def radar_org():
    return factories.Organization()
