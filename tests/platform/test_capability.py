# SPDX-License-Identifier: AGPL-3.0-or-later
"""Registering contributions: a name twice is an error, except chained
actions and auth functions, which are composed in capability order."""
import pytest

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.capability import Capability, merge


def _chained(tag):
    @tk.side_effect_free
    @tk.chained_action
    def action(up, context, data_dict):
        return [tag] + up(context, data_dict)
    return action


def test_chained_actions_of_two_capabilities_are_composed_first_nearest_to_ckan():
    merged = merge([Capability("one", actions=lambda: {"x": _chained("one")}),
                    Capability("two", actions=lambda: {"x": _chained("two")})], "actions")
    action = merged["x"]
    assert action.chained_action and action.side_effect_free
    assert action(lambda context, data_dict: ["ckan"], {}, {}) == ["two", "one", "ckan"]


def test_a_plain_name_twice_fails_at_start_up():
    with pytest.raises(RuntimeError, match="registered by both 'one' and 'two'"):
        merge([Capability("one", actions=lambda: {"x": lambda c, d: 1}),
               Capability("two", actions=lambda: {"x": _chained("two")})], "actions")
