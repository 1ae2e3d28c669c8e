# SPDX-License-Identifier: AGPL-3.0-or-later
"""What one dataset's RDF is made from, as one fingerprint.

A stored text is used only while its fingerprint still matches, so it is
replaced exactly when one of its inputs changes:

- the dataset as the catalog's search returns it to this caller (any edit,
  its resources, its organisation as indexed with it; hashed whole, so it
  covers ``id`` and ``metadata_modified`` and whatever else goes in);
- the office's functional contact the profiles add to a dataset without
  one (read from the organisation itself, not the index: an organisation
  edit shows at once);
- the profiles (names);
- the site: the configuration the profiles read (site URL, ``ckanext.dcat.*``
  and this extension's options), the city configuration and the code that
  writes the RDF (this package, ``common``, the dataset schema,
  ckanext-dcat, rdflib's version).
"""
from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import json
from pathlib import Path

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common import city_config

# configuration the profiles and URI hooks read for a dataset (the site's title and
# description, editable at runtime, go into the catalog node only; the page size is no input)
CONFIG_PREFIXES = ("ckanext.dcat.", "ckanext.smartcityatlas.")
CONFIG_KEYS = frozenset({"ckan.site_url", "ckan.locale_default", "app_instance_uuid"})
CONFIG_IGNORED = frozenset({"ckanext.dcat.datasets_per_page"})
# the code that decides what a record's RDF says
CODE_PACKAGES = ("ckanext.smartcityatlas.dcat", "ckanext.smartcityatlas.common", "ckanext.smartcityatlas.schemas",
                 "ckanext.dcat")
CODE_FILES = ("ckanext.smartcityatlas.plugin",)  # the URI hooks (IDCATURIGenerator)
CODE_SUFFIXES = (".py", ".json", ".yaml")
VERSIONS = ("rdflib", "ckan", "ckanext-dcat")


def _digest(*parts) -> str:
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """The profile code's version: a hash of its files (per process)."""
    digest = hashlib.sha256()
    files: list[Path] = []
    for package in CODE_PACKAGES:
        spec = importlib.util.find_spec(package)
        for folder in spec.submodule_search_locations or ():
            files += [f for f in Path(folder).rglob("*")
                      if f.suffix in CODE_SUFFIXES and "shapes" not in f.parts and "tests" not in f.parts]
    files += [Path(importlib.util.find_spec(module).origin) for module in CODE_FILES]
    for path in sorted(set(files)):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for dist in VERSIONS:
        try:
            digest.update(importlib.metadata.version(dist).encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(b"-")
    return digest.hexdigest()


@functools.lru_cache(maxsize=8)
def _city(folder: str) -> str:
    return _digest(city_config.current().settings)


def site_fingerprint() -> str:
    """Everything a record's RDF depends on beyond the record and its office."""
    config = sorted((key, str(value)) for key, value in tk.config.items()
                    if (key.startswith(CONFIG_PREFIXES) or key in CONFIG_KEYS) and key not in CONFIG_IGNORED)
    return _digest(code_version(), _city(str(tk.config.get("ckanext.smartcityatlas.city"))), config)


def of(site: str, profile: str, dataset_dict: dict, office_contact: dict | None) -> str:
    """The fingerprint of one dataset's RDF in ``profile``; ``site`` from
    ``site_fingerprint()``, ``office_contact`` that of its organisation."""
    return _digest(site, profile, dataset_dict, office_contact)[:40]
