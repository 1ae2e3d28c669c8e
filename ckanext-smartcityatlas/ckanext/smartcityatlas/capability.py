# SPDX-License-Identifier: AGPL-3.0-or-later
"""Capabilities and the one way they register what they contribute.

The extension is split into capabilities (a package each: platform,
entities, corrections, atlas, matching, dcat, harvest, quality, legal,
datarequests, monitoring, sensors, environment, demo; see docs/architecture.md). Each
package's ``__init__.py`` exposes a ``CAPABILITY`` naming the modules that
contribute and the hooks it adds to CKAN's package pipeline; the plugins in
``plugin.py`` wire the capabilities they are made of into CKAN.

**One registration idiom**, as ckanext-scheming's ``@helper`` and
``@register_validator``: a contributing module has a per-module registry
and marks every action, auth function, validator, template helper,
blueprint, CLI command and periodic task where it is defined::

    register = Registry()

    @register.action
    @tk.side_effect_free
    def sca_search(context, data_dict): ...

    blueprint = register.blueprint(Blueprint("sca_atlas", __name__))

A name registered twice is a programming error and fails at start-up,
unless both are chained actions or chained auth functions
(``tk.chained_action``, ``tk.chained_auth_function``): those are composed,
as CKAN composes the chains of several plugins, the module listed first
(of the capability listed first) nearest to CKAN's own. So each concern
chains ``package_create`` & Co. in its own module.
"""
from __future__ import annotations

import dataclasses
import functools
import importlib
from types import ModuleType
from typing import Any, Callable, Iterable

import ckan.plugins as p

_CHAIN_MARKS = ("chained_action", "chained_auth_function")
NAMED_KINDS = ("actions", "auth_functions", "validators", "helpers")
LIST_KINDS = ("blueprints", "cli_commands", "periodic_tasks")
SAVES = ("package_create", "package_update")


def _decorator(kind: str):
    def register(self, target=None, *, name: str | None = None, when_plugin: str | None = None):
        """Register ``target`` under its own name, or under ``name`` (also
        ``@register.x("name")``); ``when_plugin``: only while that CKAN
        plugin is loaded (a chain of an action another plugin brings)."""
        if isinstance(target, str):
            name, target = target, None

        def decorate(obj):
            self.items.append((kind, name or obj.__name__, obj, when_plugin))
            return obj

        return decorate if target is None else decorate(target)

    register.__name__ = kind
    return register


class Registry:
    """What one module contributes, filled by decorators where each thing is defined."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str, Any, str | None]] = []

    action = _decorator("actions")
    auth = _decorator("auth_functions")
    validator = _decorator("validators")
    helper = _decorator("helpers")
    # a callable the scheduler runs on every tick, under its name
    periodic_task = _decorator("periodic_tasks")

    def chained_saves(self, around):
        """Chain ``package_create`` and ``package_update`` with one function,
        ``around(up, context, data_dict, action)``: one concern for both
        ways a record is saved."""
        import ckan.plugins.toolkit as tk

        for action in SAVES:
            def chained(up, context, data_dict=None, _action=action):
                return around(up, context, data_dict, _action)

            chained.__name__ = action
            self.action(action)(tk.chained_action(chained))
        return around

    def blueprint(self, bp):
        self.items.append(("blueprints", bp.name, bp, None))
        return bp

    def command(self, cmd):
        """A click command, mounted under ``ckan sca``."""
        self.items.append(("cli_commands", cmd.name, cmd, None))
        return cmd


@dataclasses.dataclass(frozen=True)
class Capability:
    name: str
    # the package whose ``modules`` contribute (each has a ``register`` Registry)
    package: str = ""
    modules: tuple[str | ModuleType, ...] = ()
    # IMiddleware.make_middleware(app) hooks: each may return a wrapped app
    app_hooks: tuple[Callable[[Any], Any], ...] = ()
    # IConfigurer.update_config(config) hooks
    config_hooks: tuple[Callable[[Any], None], ...] = ()
    # IConfigurable.configure(config) hooks: every start, the database engine set up
    start_hooks: tuple[Callable[[Any], None], ...] = ()
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

    def registries(self) -> list[Registry]:
        """The registries of the contributing modules, importing them (lazily:
        only when CKAN asks the plugin, after its configuration is loaded)."""
        found = []
        for module in self.modules:
            if isinstance(module, str):
                module = importlib.import_module(f"{self.package}.{module}")
            found.append(module.register)
        return found

    def contributions(self, kind: str) -> list[tuple[str, Any]]:
        return [(name, obj) for registry in self.registries() for item_kind, name, obj, when in registry.items
                if item_kind == kind and (when is None or p.plugin_loaded(when))]


class ICapabilities(p.Interface):
    """Implemented by every Smart City Atlas plugin: which capabilities it brings."""

    def capability_names(self) -> tuple[str, ...]:
        return ()


def enabled(name: str) -> bool:
    """Whether a loaded plugin brings the capability ``name`` (what pages
    show of other capabilities depends on it: the atlas without sensors)."""
    return any(name in plugin.capability_names() for plugin in p.PluginImplementations(ICapabilities))


def merge(capabilities: Iterable[Capability], kind: str) -> dict[str, Any]:
    """Merge one named kind of contribution (e.g. ``"actions"``) of all capabilities."""
    merged: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for cap in capabilities:
        for key, value in cap.contributions(kind):
            if key not in merged:
                merged[key], owner[key] = value, cap.name
            elif merged[key] is value:
                continue  # one object marked twice under one name
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
    """Concatenate list-valued contributions (blueprints, CLI commands, periodic tasks)."""
    if kind == "periodic_tasks":
        return [item for cap in capabilities for item in cap.contributions(kind)]
    return [obj for cap in capabilities for _name, obj in cap.contributions(kind)]
