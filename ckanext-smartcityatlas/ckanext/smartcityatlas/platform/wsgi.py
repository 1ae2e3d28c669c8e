# SPDX-License-Identifier: AGPL-3.0-or-later
"""WSGI entry point for production servers (gunicorn, uWSGI).

    CKAN_INI=/etc/ckan/ckan.ini gunicorn ckanext.smartcityatlas.platform.wsgi:application

CKAN 2.12 ships no WSGI module of its own; this one loads the ini named by
``CKAN_INI`` with its logging sections and builds the app once per worker.
"""
import os
from logging.config import fileConfig

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app

_ini = os.environ.get("CKAN_INI", "/etc/ckan/ckan.ini")
fileConfig(_ini, disable_existing_loggers=False)
application = make_app(CKANConfigLoader(_ini).get_config())
