# SPDX-License-Identifier: AGPL-3.0-or-later
"""Settings of the environment dashboard (config_declaration.yaml) and what
it reads of a sensor dataset's harvest source."""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk


def cache_seconds() -> int:
    return max(0, tk.asint(tk.config.get("ckanext.smartcityatlas.environment.cache_seconds")))


def is_demo(pkg: dict) -> bool:
    """Whether a sensor dataset holds demo data (its harvest source says
    ``"demo": true``, as ``ckan sca sensors-demo`` configures it)."""
    from ckan import model
    from ckanext.harvest.model import HarvestSource

    source_id = pkg.get("sca_harvest_source") or pkg.get("harvest_source_id")
    source = model.Session.get(HarvestSource, source_id) if source_id else None
    try:
        return bool(json.loads(source.config or "{}").get("demo")) if source is not None else False
    except (TypeError, ValueError, AttributeError):
        return False
