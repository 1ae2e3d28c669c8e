# SPDX-License-Identifier: AGPL-3.0-or-later
"""Our ckanext-dcat profile names and the old ones, accepted for one release.

Until 0.1 the profiles were registered as ``dcatap_de`` and ``dcatap_de_3``.
GovData's ckanext-dcatde, which many German portals run, registers
``dcatap_de`` too, and ckanext-dcat loads whichever entry point it finds
first. They are now ``sca_dcatap_de`` and ``sca_dcatap_de_3``; the old names
are no entry points any more. Where the atlas reads profile names (the
``ckanext.dcat.rdf.profiles`` and ``record_cache_profiles`` settings,
``?profiles=`` of the catalog and dataset endpoints) an old name is taken as
the new one with a deprecation warning, unless another installed package
registers that name: then it is that package's profile and stays as it is.
"""
from __future__ import annotations

import functools
import logging
from importlib.metadata import entry_points

log = logging.getLogger(__name__)

RENAMED = {"dcatap_de": "sca_dcatap_de", "dcatap_de_3": "sca_dcatap_de_3"}
# settings whose value is a space-separated list of profile names
SETTINGS = ("ckanext.dcat.rdf.profiles", "ckanext.smartcityatlas.dcat.record_cache_profiles")


@functools.cache
def _registered_by_another_package(name: str) -> bool:
    return bool(entry_points(group="ckan.rdf.profiles", name=name))


@functools.cache
def _warn_once(old: str, where: str) -> None:
    log.warning("DCAT profile %r (in %s) is deprecated and will not be accepted in the next release: "
                "use %r", old, where, RENAMED[old])


def current(name: str, where: str) -> str:
    """``name``, or its new name when it is one of our old ones (warned once per place)."""
    new = RENAMED.get(name)
    if new is None or _registered_by_another_package(name):
        return name
    _warn_once(name, where)
    return new


def current_list(names: list[str] | None, where: str) -> list[str] | None:
    return None if names is None else [current(name, where) for name in names]


def update_settings(config) -> None:
    """The settings that name profiles, with the new names (a config hook)."""
    for key in SETTINGS:
        value = config.get(key)
        if isinstance(value, str) and value.strip():
            config[key] = " ".join(current(name, key) for name in value.split())
