# SPDX-License-Identifier: AGPL-3.0-or-later
"""Platform: operations commands (sysadmin bootstrap, scheduler, a city folder's check and
boundary), status, rate limits, request size, NUL characters, JSON bodies, CKAN's own paging
parameters, what a failed request leaves behind, the dataset types that can be saved and redirects
under the address a request came in on."""
from ckanext.smartcityatlas.capability import Capability


def _install_csrf_guard(app):
    from ckanext.smartcityatlas.platform import csrf_guard

    csrf_guard.install(app)


def _install_site_alias(app):
    from ckanext.smartcityatlas.platform import site_alias

    return site_alias.install(app)


def _install_search_unavailable(app):
    from ckanext.smartcityatlas.platform import search_unavailable

    search_unavailable.install(app)


CAPABILITY = Capability(
    name="platform",
    package=__name__,
    modules=("actions", "auth", "dataset_types", "fields", "helpers", "cli", "city_cli", "home", "views"),
    app_hooks=(_install_csrf_guard, _install_search_unavailable, _install_site_alias),
)
