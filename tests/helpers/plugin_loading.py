# SPDX-License-Identifier: AGPL-3.0-or-later
"""Faster plugin loading for the suite, and for the suite only.

CKAN's ``with_plugins`` and ``app`` fixtures load every plugin again for
each test (about 1,600 times a run), and three library lookups made up most
of that time although their answers never change within a run:
- ``importlib.metadata.entry_points`` scans every installed distribution on
  each call (32 calls per load): cached per group and name;
- ``inspect.stack()``, which CKAN's toolkit calls only to learn the calling
  file (``add_template_directory`` and friends), reads the source lines of
  every frame of pytest's deep stack: a stack without source lines here;
- scheming's schemas and presets parsed by PyYAML in pure Python: the same
  parser's C build (libyaml) when PyYAML has it, for scheming only (our own
  YAML, e.g. a city folder's, keeps the parser and messages of production).
"""
from __future__ import annotations

import functools
import inspect
import json
import sys

import yaml

import ckan.plugins.core as plugins_core
from ckanext.scheming import loader as scheming_loader


def _stack_without_source(context: int = 1) -> list[inspect.FrameInfo]:
    frame, frames = sys._getframe(1), []
    while frame is not None:
        frames.append(inspect.FrameInfo(frame, frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name,
                                        None, None))
        frame = frame.f_back
    return frames


def _scheming_load(file):
    if scheming_loader.is_yaml(file.name):
        return yaml.load(file, Loader=yaml.CSafeLoader)
    return json.load(file)


def install() -> None:
    plugins_core.entry_points = functools.lru_cache(maxsize=None)(plugins_core.entry_points)
    inspect.stack = _stack_without_source
    if yaml.__with_libyaml__:
        scheming_loader.load = _scheming_load
