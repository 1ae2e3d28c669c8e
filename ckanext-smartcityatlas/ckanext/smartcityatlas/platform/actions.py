# SPDX-License-Identifier: AGPL-3.0-or-later
"""Actions of the platform capability."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.lib.helpers import ckan_version

from ckanext.smartcityatlas.common.input_schema import validated
from ckanext.smartcityatlas.platform import schema, status
from ckanext.smartcityatlas.capability import Registry

register = Registry()


@register.action
@tk.side_effect_free
@validated(schema.sca_status_show)
def sca_status_show(context, data_dict):
    """Whether each service of the portal is up.

    Anyone may ask: the result says ``up`` or ``down`` per service (Solr,
    PostgreSQL, Redis, the jobs worker, the scheduler, the harvest
    consumers) and ``status`` is ``ok`` only when all are up. Sysadmins also
    get versions, the time each check took and why a service is down.
    """
    tk.check_access("sca_status_show", context, data_dict)
    is_sysadmin = _is_sysadmin(context)
    services = {}
    for name, (check, seconds) in status.run_all().items():
        entry = {"status": "up" if check.up else "down"}
        if is_sysadmin:
            entry.update(version=check.version, error=check.error, seconds=round(seconds, 3))
        services[name] = entry
    result = {
        "status": "ok" if all(s["status"] == "up" for s in services.values()) else "degraded",
        "services": services,
    }
    if is_sysadmin:
        from importlib.metadata import PackageNotFoundError, version

        try:
            own = version("ckanext-smartcityatlas")
        except PackageNotFoundError:
            own = None
        result["versions"] = {"ckan": ckan_version(), "ckanext-smartcityatlas": own}
    return result


def _is_sysadmin(context) -> bool:
    from ckan import authz

    return authz.is_sysadmin(context.get("user"))
