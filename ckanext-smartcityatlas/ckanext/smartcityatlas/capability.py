# SPDX-License-Identifier: AGPL-3.0-or-later
"""One plugin, many capabilities.

CKAN lets a plugin implement each interface once, so the capabilities
(entities, atlas, matching, dcat, harvest, quality, platform) do not each
implement IActions & Co. Instead every capability package exposes a
``CAPABILITY`` object listing what it contributes, and ``plugin.py`` merges
them. A name registered twice is a programming error and fails at start-up
instead of one capability silently shadowing another, unless both are
chained actions or chained auth functions (``tk.chained_action``,
``tk.chained_auth_function``): those are composed, as CKAN composes the
chains of several plugins, the capability listed first nearest to CKAN's own.
"""
from __future__ import annotations

import dataclasses
import functools
from typing import Any, Callable, Iterable

_CHAIN_MARKS = ("chained_action", "chained_auth_function")


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
            if key not in merged:
                merged[key], owner[key] = value, cap.name
            elif _chain_mark(merged[key]) and _chain_mark(merged[key]) == _chain_mark(value):
                merged[key] = _compose(merged[key], value)
                owner[key] += f"+{cap.name}"
            else:
                raise RuntimeError(
                    f"{kind} {key!r} is registered by both "
                    f"{owner[key]!r} and {cap.name!r}"
                )
    return merged


def _chain_mark(func) -> str | None:
    return next((mark for mark in _CHAIN_MARKS if getattr(func, mark, False)), None)


def _compose(inner, outer):
    """One chained function that runs ``outer`` around ``inner`` around CKAN's."""
    def composed(up, context, data_dict=None):
        return outer(functools.partial(inner, up), context, data_dict)

    # CKAN copies the chaining function's attributes (side_effect_free,
    # auth_allow_anonymous_access, the chain mark) onto the action it builds
    composed.__dict__.update(inner.__dict__)
    composed.__dict__.update(outer.__dict__)
    composed.__name__ = getattr(outer, "__name__", "composed")
    return composed


def collect(capabilities: Iterable[Capability], kind: str) -> list[Any]:
    """Concatenate list-valued contributions (blueprints, CLI commands)."""
    items: list[Any] = []
    for cap in capabilities:
        items.extend(getattr(cap, kind)())
    return items
