# SPDX-License-Identifier: AGPL-3.0-or-later
"""Registering contributions: one idiom (a per-module Registry filled by
decorators); a name twice is an error, except chained actions and auth
functions, which are composed in capability order."""
from types import SimpleNamespace

import pytest

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.capability import Capability, Registry, collect, merge


def _module_with_chained(tag):
    register = Registry()

    @register.action("x")
    @tk.side_effect_free
    @tk.chained_action
    def action(up, context, data_dict):
        return [tag] + up(context, data_dict)

    return SimpleNamespace(register=register)


def test_chained_actions_of_two_capabilities_are_composed_first_nearest_to_ckan():
    merged = merge([Capability("one", modules=(_module_with_chained("one"),)),
                    Capability("two", modules=(_module_with_chained("two"),))], "actions")
    action = merged["x"]
    assert action.chained_action and action.side_effect_free
    assert action(lambda context, data_dict: ["ckan"], {}, {}) == ["two", "one", "ckan"]


def test_chained_actions_of_two_modules_of_one_capability_are_composed_in_module_order():
    merged = merge([Capability("one", modules=(_module_with_chained("a"), _module_with_chained("b")))], "actions")
    assert merged["x"](lambda context, data_dict: ["ckan"], {}, {}) == ["b", "a", "ckan"]


def test_a_plain_name_twice_fails_at_start_up():
    plain = Registry()
    plain.action("x")(lambda c, d: 1)
    with pytest.raises(RuntimeError, match="registered by both 'one' and 'two'"):
        merge([Capability("one", modules=(SimpleNamespace(register=plain),)),
               Capability("two", modules=(_module_with_chained("two"),))], "actions")


def test_one_function_under_two_names_and_a_chain_only_with_its_plugin():
    register = Registry()

    @register.auth("alias")
    @register.auth
    def guard(context, data_dict):
        return {"success": True}

    register.action("only_with_a_plugin_nobody_loads", when_plugin="no_such_plugin")(lambda c, d: 1)
    task = register.periodic_task("tick")(lambda: None)
    cap = Capability("one", modules=(SimpleNamespace(register=register),))
    assert merge([cap], "auth_functions") == {"guard": guard, "alias": guard}
    assert merge([cap], "actions") == {}
    assert collect([cap], "periodic_tasks") == [("tick", task)]


def test_every_capability_module_named_has_a_registry():
    """A module listed in a CAPABILITY registers through its ``register``
    (a typo in a module name fails here, not in production)."""
    from ckanext.smartcityatlas import plugin

    for cap in plugin.CAPABILITIES:
        assert all(isinstance(registry, Registry) for registry in cap.registries()), cap.name


def test_one_function_chains_both_saves_knowing_which():
    register = Registry()
    seen = []

    @register.chained_saves
    def around(up, context, data_dict, action):
        seen.append(action)
        return up(context, data_dict)

    merged = merge([Capability("one", modules=(SimpleNamespace(register=register),))], "actions")
    assert set(merged) == {"package_create", "package_update"}
    assert all(action.chained_action for action in merged.values())
    for name, action in merged.items():
        assert action(lambda context, data_dict: "saved", {}, {}) == "saved"
    assert seen == ["package_create", "package_update"]


def test_a_chain_of_another_plugins_action_waits_for_that_plugin():
    """Chaining an action CKAN does not have without its plugin (ckanext-harvest's
    harvest_source_reindex, -dcat's catalog, activity) stops every portal
    without that plugin at start-up: such chains name it (``when_plugin``)."""
    import importlib

    from ckanext.smartcityatlas import plugin

    core_actions = {name for module in ("get", "create", "update", "delete", "patch")
                    for name in dir(importlib.import_module(f"ckan.logic.action.{module}"))}
    unguarded = [f"{cap.name}: {name}" for cap in plugin.CAPABILITIES for registry in cap.registries()
                 for kind, name, obj, when in registry.items
                 if kind == "actions" and getattr(obj, "chained_action", False) and when is None
                 and name not in core_actions]
    assert "package_show" in core_actions and unguarded == []
