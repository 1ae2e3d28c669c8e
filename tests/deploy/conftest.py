# SPDX-License-Identifier: AGPL-3.0-or-later
"""Fixtures of the deployment tests: the extension's wheel, built once per run."""
import sys

import pytest

from tests.helpers import stock_ckan, wheel


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory):
    """The wheel as docs/install.md builds it (with this suite's pip), from a
    clean copy of the checkout; the copy holds it in dist/."""
    src = wheel.clean_copy(tmp_path_factory.mktemp("wheel-src"))
    return wheel.build(src, stock_ckan.clean_env(CKAN_VENV=sys.prefix))
