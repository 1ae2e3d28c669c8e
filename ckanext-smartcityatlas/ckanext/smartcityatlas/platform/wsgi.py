# SPDX-License-Identifier: AGPL-3.0-or-later
"""WSGI entry point for production servers (gunicorn, uWSGI).

    CKAN_INI=/etc/ckan/ckan.ini gunicorn -c deploy/gunicorn.conf.py

CKAN 2.12 ships no WSGI module of its own; this one loads the ini named by
``CKAN_INI`` with its logging sections and builds the app once per worker.
"""
import os
from logging.config import fileConfig

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app


def build_registries() -> None:
    """Build CKAN's action, auth and validator registries before the first
    request. CKAN fills each lazily on first use and treats a non-empty one
    as complete, so with threaded workers a request arriving while another
    thread is still filling it finds e.g. no ``sca_match`` auth function and
    fails with a 500."""
    from ckan import authz, logic

    logic.get_action("status_show")
    authz.auth_functions_list()
    logic.get_validator("not_empty")


_ini = os.environ.get("CKAN_INI", "/etc/ckan/ckan.ini")
fileConfig(_ini, disable_existing_loggers=False)
application = make_app(CKANConfigLoader(_ini).get_config())
build_registries()
