# SPDX-License-Identifier: AGPL-3.0-or-later
"""The import policy of the dataset harvesters: repair, degrade, report.

A record is never lost for a reason that can be fixed. After a harvester
built a record (and the base made its web addresses valid, ``addresses``),
``apply``:

* **repairs** what has one meaning: e-mail addresses (``emails``),
  geometries (``geometry``), access rights written as a label, a German
  title or description missing where the English one is there;
* **degrades** what cannot be repaired but is not essential: the value is
  left out and the record kept (a distribution without an access URL: the
  distribution), noted in the job report and on the record's findings
  (``dcat.import_flags``);
* an **unknown licence** (none of the mapping tables knows it: the source's,
  the city's, the defaults) is never guessed open: the record and each such
  distribution get the dcat-ap.de list's ``other-closed``, the source's text
  or IRI stays on the record (``sca_original_license``, shown on the page)
  and the data contact sees a finding;
* a record without the **title or description DCAT-AP.de requires** is
  imported and searchable (the identifier stands in for a title), flagged,
  and kept out of every DCAT export until a person adds what is missing;
* it **refuses** only what is not a dataset at all: neither a title nor an
  identifier (``RecordError``, with that reason).

``without_invalid`` is the last line: a record the dataset schema still
refuses loses the optional values it names (degraded) instead of its import.
"""
from __future__ import annotations

import copy
import json

from ckanext.smartcityatlas.dcat import import_flags
from ckanext.smartcityatlas.harvesters import emails, geometry, mapping
from ckanext.smartcityatlas.harvesters.errors import RecordError

# what a harvester leaves for the policy: the source's text of a licence no
# table knows (on the record or a distribution)
LICENCE_ORIGINAL = "_license_original"
# fields whose refusal by the schema refuses the record (nothing to leave out)
ESSENTIAL = ("title", "name", "owner_org", "id", "type", "license_id")
# a job report label of a left-out value → the DCAT-AP.de property, for the findings
_PATHS = (
    ("mediatype", "dcat:mediaType"), ("format", "dct:format"), ("size", "dcat:byteSize"),
    ("license", "dct:license"), ("theme", "dcat:theme"), ("topic category", "dcat:theme"),
    ("frequency", "dct:accrualPeriodicity"), ("language", "dct:language"), ("temporal", "dct:temporal"),
    ("issued", "dct:issued"), ("modified", "dct:modified"), ("keyword", "dcat:keyword"),
    ("spatial", "dct:spatial"), ("bounding box", "dct:spatial"), ("mail", "dcat:contactPoint"),
    ("contact", "dcat:contactPoint"), ("access", "dct:accessRights"), ("publisher", "dct:publisher"),
    ("role", "dct:publisher"), ("download", "dcat:downloadURL"), ("distribution", "dcat:distribution"),
    ("resource", "dcat:distribution"), ("url", "dcat:landingPage"), ("conforms", "dct:conformsTo"),
    ("documentation", "foaf:page"),
)
MAX_VALUE = 200  # characters of a left-out value kept on the record


def settle_licence(out: dict, resources: list[dict], license_id: str | None) -> None:
    """The record's licence covers its distributions: their copy of the
    source's licence text goes (kept on the record when no licence was
    recognised), and so does a licence equal to the record's."""
    if license_id is None:
        for res in resources:
            res.pop(LICENCE_ORIGINAL, None)
    out["license_id"] = license_id
    for res in resources:
        if license_id and res.get("license") == license_id:
            res.pop("license")


def apply(pkg: dict, mapper: mapping.Mapper, guid: str, guid_is_identifier: bool = False) -> dict:
    """The record as the policy keeps it; RecordError if it is no dataset at all."""
    missing: dict[str, str] = {}
    _title(pkg, mapper, guid, guid_is_identifier, missing)
    _description(pkg, mapper, guid, missing)
    pkg["resources"] = _distributions(pkg.get("resources") or [], mapper, guid)
    _licences(pkg, mapper, guid)
    _emails(pkg, mapper, guid)
    _geometry(pkg, mapper, guid)
    if pkg.get("access_rights"):
        code = mapper.map("access_rights", pkg["access_rights"], guid, "access rights")
        if code:
            pkg["access_rights"] = code
        else:
            pkg.pop("access_rights")
    _choices(pkg, mapper, guid)
    return flag(pkg, mapper, missing)


def flag(pkg: dict, mapper: mapping.Mapper, missing: dict[str, str] | None = None) -> dict:
    """``sca_import_flags`` from what is missing (else as flagged before) and
    the degradations so far."""
    if missing is None:
        missing = import_flags.decode(pkg).get("missing") or {}
    degraded = sorted(({"field": d.field, "path": dcat_path(d.field), "value": d.old[:MAX_VALUE],
                        "reason": d.reason or "is not in the mapping tables"} for d in mapper.unmapped),
                      key=lambda d: (d["field"], d["value"]))
    pkg[import_flags.FIELD] = import_flags.encode(missing, degraded)
    return pkg


def dcat_path(field: str) -> str:
    lowered = field.lower()
    return next((path for word, path in _PATHS if word in lowered), "")


def _title(pkg, mapper, guid, guid_is_identifier, missing) -> None:
    if _given_or_english(pkg, "title", "title_en", mapper, guid, "title"):
        return
    identifier = str(pkg.get("identifier") or (guid if guid_is_identifier else "") or "").strip()
    if not identifier:
        raise RecordError("not a dataset: it has neither a title (dct:title) nor an identifier "
                          "(dct:identifier)")
    pkg["title"] = missing["title"] = identifier
    mapper.flag(f"title: the source gives none, which DCAT-AP.de requires; the identifier "
                      f"{identifier!r} stands in, and the record is kept out of the DCAT exports until "
                      "a person gives it a title")


def _description(pkg, mapper, guid, missing) -> None:
    if _given_or_english(pkg, "notes", "description_en", mapper, guid, "description"):
        return
    pkg["notes"] = missing["notes"] = ""
    mapper.flag("description: the source gives none, which DCAT-AP.de requires; the record is "
                      "imported and searchable, and kept out of the DCAT exports until a person adds one")


def _given_or_english(pkg, field: str, english: str, mapper, guid, label: str) -> bool:
    """Whether the field has a value, the English one standing in (a repair) if need be."""
    if str(pkg.get(field) or "").strip():
        return True
    if str(pkg.get(english) or "").strip():
        pkg[field] = pkg[english].strip()
        mapper.note(guid, label, "(none in German)", f"the English {label}")
        return True
    return False


def _distributions(resources: list[dict], mapper, guid) -> list[dict]:
    kept = []
    for i, res in enumerate(resources, 1):
        if str(res.get("url") or "").strip():
            _format_from_media_type(res, i, mapper, guid)
            kept.append(res)
            continue
        name = res.get("name") or res.get("_key") or f"distribution {i}"
        mapper.drop(guid, f"distribution {i}", name, "has no access URL (dcat:accessURL), which "
                    "DCAT-AP.de requires of a distribution")
    return kept


def _format_from_media_type(res: dict, i: int, mapper, guid) -> None:
    """A distribution without a usable format but with a media type: the
    file type of that media type (e.g. the format was the EU list's own
    address, ``…/file-type/xml/filetypes.xml``, and the media type text/csv)."""
    if res.get("format") or not res.get("mimetype"):
        return
    code, _repaired = mapper.lookup("formats", res["mimetype"])
    label = mapping.form_format(code) if code else None
    if label:
        res["format"] = label
        mapper.note(guid, f"distribution {i} format", f"(none; media type {res['mimetype']})", label)


def _licences(pkg, mapper, guid) -> None:
    original = pkg.pop(LICENCE_ORIGINAL, None)
    if not pkg.get("license_id"):
        pkg["license_id"] = import_flags.NOT_OPEN
        if original:
            mapper.degrade(guid, "license", original, import_flags.NOT_OPEN,
                           "is not in the dcat-ap.de licence list and no mapping knows it (map it in the "
                           "source's \"mappings\" → \"licenses\")")
        elif pkg.get("resources"):  # without distributions (a collection) there is nothing it would govern
            mapper.degrade(guid, "license", "(none)", import_flags.NOT_OPEN,
                           "is not given (dct:license); nothing says the data are open")
    pkg[import_flags.ORIGINAL_LICENCE] = str(original or "")[:1000]
    for i, res in enumerate(pkg.get("resources") or [], 1):
        own = res.pop(LICENCE_ORIGINAL, None)
        if own is not None and not res.get("license"):
            res["license"] = import_flags.NOT_OPEN
            mapper.degrade(guid, f"distribution {i} license", own, import_flags.NOT_OPEN,
                           "is not in the dcat-ap.de licence list and no mapping knows it")
        if res.get("license") == pkg["license_id"]:
            res.pop("license")


def _emails(pkg, mapper, guid) -> None:
    holders = [(pkg, "contact_email", "contact e-mail")]
    holders += [(role, "email", f"role {i} e-mail") for i, role in enumerate(pkg.get("roles") or [], 1)
                if isinstance(role, dict)]
    for holder, key, label in holders:
        value = holder.get(key)
        if value in (None, ""):
            continue
        fixed = emails.repair(value)
        if fixed is None:
            holder.pop(key)
            mapper.drop(guid, label, value, "is no e-mail address")
        elif fixed != value:
            holder[key] = fixed
            mapper.note(guid, label, value, fixed)


def _geometry(pkg, mapper, guid) -> None:
    from ckanext.smartcityatlas.entities import locations

    value = pkg.get("spatial")
    if value in (None, ""):
        return
    try:
        geojson, repaired = geometry.to_geojson(value)
        locations.parse(geojson)
    except (geometry.GeometryError, locations.LocationError) as exc:
        pkg.pop("spatial")
        mapper.drop(guid, "spatial", str(value)[:MAX_VALUE], f"is no geometry the portal can store ({exc})")
        return
    if repaired:
        mapper.note(guid, "spatial", str(value).strip()[:120], f"GeoJSON ({', '.join(repaired)})")
        pkg["spatial"] = json.dumps(geojson)
    elif not isinstance(value, str):
        pkg["spatial"] = json.dumps(geojson)


def _choices(pkg, mapper, guid) -> None:
    """Values of choice fields the dataset schema does not offer (a code of
    an EU list beyond the form's, e.g. the language FIN) are left out, the
    field's other values kept."""
    dataset_fields, resource_fields = schema_choices(pkg.get("type") or "dataset")
    for name, allowed in dataset_fields.items():
        _keep_offered(pkg, name, allowed, mapper, guid, name)
    for i, res in enumerate(pkg.get("resources") or [], 1):
        for name, allowed in resource_fields.items():
            _keep_offered(res, name, allowed, mapper, guid, f"distribution {i} {name}")


def _keep_offered(holder: dict, name: str, allowed: frozenset, mapper, guid, label: str) -> None:
    value = holder.get(name)
    if value in (None, "", []):
        return
    values = value if isinstance(value, list) else [value]
    kept = [v for v in values if v in allowed]
    for dropped in (v for v in values if v not in allowed):
        mapper.drop(guid, label, dropped, "is not among the values the portal's dataset schema offers")
    if len(kept) == len(values):
        return
    if isinstance(value, list) and kept:
        holder[name] = kept
    else:
        holder.pop(name)


_SCHEMA_CHOICES: dict[str, tuple[dict[str, frozenset], dict[str, frozenset]]] = {}


def schema_choices(dataset_type: str) -> tuple[dict[str, frozenset], dict[str, frozenset]]:
    """(dataset field → offered values, resource field → offered values) of
    the schema's choice fields; none while ckanext-scheming is not loaded
    (not kept then: it is asked again once it is)."""
    from ckanext.scheming.helpers import scheming_field_choices, scheming_get_dataset_schema

    if dataset_type in _SCHEMA_CHOICES:
        return _SCHEMA_CHOICES[dataset_type]
    schema = scheming_get_dataset_schema(dataset_type)
    if not schema:
        return {}, {}

    def offered(fields):
        return {f["field_name"]: frozenset(c["value"] for c in scheming_field_choices(f) or [])
                for f in fields if f.get("choices") or f.get("choices_helper")}

    found = _SCHEMA_CHOICES[dataset_type] = (offered(schema.get("dataset_fields", [])),
                                             offered(schema.get("resource_fields", [])))
    return found


def without_invalid(pkg: dict, error_dict: dict, mapper: mapping.Mapper, guid: str) -> dict | None:
    """The record without the optional values the dataset schema refused
    (each noted as degraded), or None when an essential field was refused."""
    if any(key in error_dict for key in ESSENTIAL):
        return None
    out = copy.deepcopy(pkg)
    for key, errors in error_dict.items():
        if key == "resources" and isinstance(errors, list):
            out["resources"] = _resources_without(out.get("resources") or [], errors, mapper, guid)
        elif isinstance(errors, list) and errors and all(isinstance(e, dict) for e in errors):
            # repeating subfields and tags: leave out the entries with errors
            entries = out.get(key) or []
            kept = []
            for i, entry in enumerate(entries):
                problem = errors[i] if i < len(errors) else {}
                if problem:
                    mapper.drop(guid, f"{key} {i + 1}", _short(entry), _reason(problem))
                else:
                    kept.append(entry)
            out[key] = kept
        elif key in out:
            mapper.drop(guid, key, _short(out.pop(key)), _reason(errors))
    return flag(out, mapper)


def _resources_without(resources, errors, mapper, guid) -> list[dict]:
    kept = []
    for i, res in enumerate(resources):
        problem = errors[i] if i < len(errors) and isinstance(errors[i], dict) else {}
        if "url" in problem:
            mapper.drop(guid, f"distribution {i + 1}", res.get("url") or "", _reason(problem["url"]))
            continue
        for field, why in problem.items():
            if field in res:
                mapper.drop(guid, f"distribution {i + 1} {field}", _short(res.pop(field)), _reason(why))
        kept.append(res)
    return kept


def _short(value) -> str:
    return str(value)[:MAX_VALUE]


def _reason(errors) -> str:
    if isinstance(errors, dict):
        return "; ".join(f"{k}: {_reason(v)}" for k, v in errors.items() if v)
    if isinstance(errors, list):
        return "; ".join(_reason(e) for e in errors if e)
    return f"was refused by the dataset schema ({errors})"

