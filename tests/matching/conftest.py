# SPDX-License-Identifier: AGPL-3.0-or-later
from tests.entities.conftest import world  # noqa: F401 - shared fixture
