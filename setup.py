# SPDX-License-Identifier: AGPL-3.0-or-later
"""setuptools shim: the packaging (metadata, the package-dir mapping of
ckanext-smartcityatlas/, harvesters/ and schemas/ into the
``ckanext.smartcityatlas`` namespace, package data, entry points) lives in
pyproject.toml. Kept for tools that still call setup.py."""
from setuptools import setup

setup()
