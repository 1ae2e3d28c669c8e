# SPDX-License-Identifier: AGPL-3.0-or-later
"""Web addresses of a harvested record, made valid before it is saved.

The schemas accept only http(s) IRIs (``web_address.problem``), so that no
record can break the RDF exports. Publishers' catalogues hold addresses with
a space, a quote or a stray ``%``: refusing the whole record for that would
lose it. Such an address is repaired by percent-encoding what an IRI may not
hold (recorded as a repair in the job report); an address that stays invalid
(no host, another scheme) is left out of the record (recorded as dropped).
Which fields hold web addresses is read from the schema (the fields checked
by ``sca_url``, ``sca_url_items`` or ``sca_dcat_iri_list``).
"""
from __future__ import annotations

import functools
import json

from ckanext.smartcityatlas.common import web_address

from ckanext.smartcityatlas.harvesters import mapping

_VALIDATORS = ("sca_url", "sca_url_items", "sca_dcat_iri_list")


def _is_address_field(field: dict) -> bool:
    return any(v in str(field.get("validators") or "").split() for v in _VALIDATORS)


@functools.lru_cache(maxsize=None)
def address_fields(dataset_type: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...], tuple[str, ...]]:
    """(dataset fields, (repeating field, subfield) pairs, resource fields)."""
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema(dataset_type) or {}
    top, sub = [], []
    for field in schema.get("dataset_fields", []):
        if _is_address_field(field):
            top.append(field["field_name"])
        sub += [(field["field_name"], s["field_name"]) for s in field.get("repeating_subfields", [])
                if _is_address_field(s)]
    resources = [f["field_name"] for f in schema.get("resource_fields", []) if _is_address_field(f)]
    return tuple(top), tuple(sub), tuple(resources)


def repair(pkg: dict, mapper: mapping.Mapper, record: str) -> dict:
    """Repair or drop the invalid web addresses of ``pkg`` in place."""
    top, sub, resources = address_fields(pkg.get("type") or "dataset")
    for name in top:
        _repair_field(pkg, name, mapper, record, name)
    for parent, name in sub:
        for i, item in enumerate(pkg.get(parent) or []):
            if isinstance(item, dict):
                _repair_field(item, name, mapper, record, f"{parent}[{i}].{name}")
    for i, resource in enumerate(pkg.get("resources") or []):
        for name in resources:
            if isinstance(resource, dict):
                _repair_field(resource, name, mapper, record, f"resources[{i}].{name}")
    return pkg


def _repair_field(holder: dict, name: str, mapper, record: str, label: str) -> None:
    value = holder.get(name)
    if value in (None, "", []):
        return
    if isinstance(value, str) and value.startswith("["):
        try:
            value = json.loads(value)
        except ValueError:
            pass
    if isinstance(value, list):
        kept = [new for new in (_one(v, mapper, record, label) for v in value) if new is not None]
        holder[name] = kept
    else:
        new = _one(value, mapper, record, label)
        if new is None:
            holder.pop(name)
        else:
            holder[name] = new


def _one(value, mapper, record: str, label: str) -> str | None:
    if web_address.problem(value) is None:
        return value
    new = web_address.repaired(value)
    if new is None:
        mapper.drop(record, label, value)
    else:
        mapper.note(record, label, value, new)
    return new
