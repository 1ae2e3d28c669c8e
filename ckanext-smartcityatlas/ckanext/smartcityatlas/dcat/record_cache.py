# SPDX-License-Identifier: AGPL-3.0-or-later
"""Each dataset's RDF in a profile, kept until one of its inputs changes.

A stored text (``record_store``) is used while its fingerprint
(``record_key``) matches the dataset as the search returned it now; else it
is built again from that dataset, written and stored. ``current`` serves a
catalog page (builds only what is missing or stale, in the page's format);
``refresh`` is the background work after saves (all stored formats, one
graph per dataset). Only profiles whose code the fingerprint covers are
cached (this extension's and ckanext-dcat's).
"""
from __future__ import annotations

import logging

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.dcat import record_key, record_rdf, record_store
from ckanext.smartcityatlas.dcat.profiles.base import office_contacts

log = logging.getLogger(__name__)

# the packages whose code record_key.code_version() hashes
COVERED_CODE = ("ckanext.smartcityatlas.", "ckanext.dcat.")


def enabled() -> bool:
    return tk.asbool(tk.config.get("ckanext.smartcityatlas.dcat.record_cache"))


def cacheable(serializer) -> bool:
    return all(cls.__module__.startswith(COVERED_CODE)
               for profile in serializer._profiles for cls in profile.__mro__ if cls is not object)


def profile_key(serializer) -> str:
    return ",".join(profile.name for profile in serializer._profiles)


def fingerprints(profile: str, datasets: list[dict]) -> dict[str, str]:
    site = record_key.site_fingerprint()
    contacts = office_contacts(d.get("owner_org") for d in datasets)
    return {d["id"]: record_key.of(site, profile, d, contacts.get(d.get("owner_org"))) for d in datasets}


def build(serializer, dataset: dict, fingerprint: str, formats) -> dict[str, record_store.Stored]:
    """One dataset's texts in ``formats`` from one graph."""
    ref, graph = record_rdf.record_graph(serializer, dataset)
    built = {}
    for fmt in formats:
        part = record_rdf.write(graph, fmt)
        built[fmt] = record_store.Stored(dataset["id"], fingerprint, str(ref), part.prefixes, part.body)
    return built


def current(serializer, datasets: list[dict], fmt: str) -> list[record_store.Stored]:
    """The texts of ``datasets`` (a catalog page, in its order) in stored
    format ``fmt``: stored ones whose fingerprint matches, the rest built now
    and stored for the next request."""
    profile = profile_key(serializer)
    keys = fingerprints(profile, datasets)
    stored = record_store.load(profile, fmt, keys)
    fresh = {}
    for dataset in datasets:
        found = stored.get(dataset["id"])
        if found is None or found.fingerprint != keys[dataset["id"]]:
            fresh[dataset["id"]] = build(serializer, dataset, keys[dataset["id"]], (fmt,))[fmt]
    if fresh:
        record_store.save(profile, fmt, fresh.values())
        log.info("DCAT record cache: %d of %d datasets built for %s (%s)", len(fresh), len(datasets), profile, fmt)
    return [fresh.get(d["id"]) or stored[d["id"]] for d in datasets]


def refresh(serializer, datasets: list[dict]) -> int:
    """Build and store what is missing or stale among ``datasets`` in every
    stored format; how many datasets were built."""
    profile = profile_key(serializer)
    keys = fingerprints(profile, datasets)
    stale: dict[str, list[str]] = {}
    for fmt in record_rdf.STORED:
        have = record_store.fingerprints(profile, fmt, keys)
        for package_id, key in keys.items():
            if have.get(package_id) != key:
                stale.setdefault(package_id, []).append(fmt)
    built: dict[str, list[record_store.Stored]] = {fmt: [] for fmt in record_rdf.STORED}
    count = 0
    for dataset in datasets:
        formats = stale.get(dataset["id"])
        if not formats:
            continue
        try:
            texts = build(serializer, dataset, keys[dataset["id"]], formats)
        except Exception:  # one broken record must not stop the others; the page builds it on use
            log.exception("DCAT record cache: %s could not be built for %s", dataset["id"], profile)
            continue
        for fmt, stored in texts.items():
            built[fmt].append(stored)
        count += 1
    for fmt, rows in built.items():
        record_store.save(profile, fmt, rows)
    return count
