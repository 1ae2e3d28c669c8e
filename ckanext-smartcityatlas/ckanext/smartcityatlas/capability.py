# SPDX-License-Identifier: AGPL-3.0-or-later
"""One plugin, many capabilities.

CKAN lets a plugin implement each interface once, so the capabilities
(entities, atlas, matching, dcat, harvest, quality, platform) do not each
implement IActions & Co. Instead every capability package exposes a
``CAPABILITY`` object listing what it contributes, and ``plugin.py`` merges
them. A name registered twice is a programming error and fails at start-up
instead of one capability silently shadowing another.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Callable, Iterable


@dataclasses.dataclass(frozen=True)
class Capability:
    name: str
    actions: Callable[[], dict[str, Any]] = dict
    auth_functions: Callable[[], dict[str, Any]] = dict
    validators: Callable[[], dict[str, Any]] = dict
    helpers: Callable[[], dict[str, Any]] = dict
    blueprints: Callable[[], list[Any]] = list
    # click commands, mounted under ``ckan sca``
    cli_commands: Callable[[], list[Any]] = list
    # (name, callable) run by the scheduler on every tick
    periodic_tasks: tuple[tuple[str, Callable[[], Any]], ...] = ()
    # IConfigurer.update_config(config) hooks
    config_hooks: tuple[Callable[[Any], None], ...] = ()
    # IPackageController.before_dataset_search(search_params) hooks, in order
    search_hooks: tuple[Callable[[dict], dict], ...] = ()
    # IPackageController.before_dataset_index(pkg_dict) hooks, in order
    index_hooks: tuple[Callable[[dict], dict], ...] = ()
    # called with (model.Package, "new" | "changed" | "deleted") before commit
    change_hooks: tuple[Callable[[Any, str], None], ...] = ()
    # IPackageController.after_dataset_search(results, params) hooks
    search_result_hooks: tuple[Callable[[dict, dict], None], ...] = ()
    # IPackageController.after_dataset_show(context, pkg_dict) hooks
    show_hooks: tuple[Callable[[dict, dict], None], ...] = ()
    # IPackageController.after_dataset_create/update(context, data) hooks,
    # inside the saving transaction
    saved_hooks: tuple[Callable[[dict, dict], None], ...] = ()


def merge(capabilities: Iterable[Capability], kind: str) -> dict[str, Any]:
    """Merge one kind of contribution (e.g. ``"actions"``) of all capabilities."""
    merged: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for cap in capabilities:
        for key, value in getattr(cap, kind)().items():
            if key in merged:
                raise RuntimeError(
                    f"{kind} {key!r} is registered by both "
                    f"{owner[key]!r} and {cap.name!r}"
                )
            merged[key] = value
            owner[key] = cap.name
    return merged


def collect(capabilities: Iterable[Capability], kind: str) -> list[Any]:
    """Concatenate list-valued contributions (blueprints, CLI commands)."""
    items: list[Any] = []
    for cap in capabilities:
        items.extend(getattr(cap, kind)())
    return items
