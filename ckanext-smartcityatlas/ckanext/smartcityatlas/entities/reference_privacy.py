# SPDX-License-Identifier: AGPL-3.0-or-later
"""References to records the caller may not read never leave the portal.

A public project may name a private actor as partner, a private measure as
the measure it is part of, or private datasets as related. Titles were
always resolved with the caller's permissions (``sca_project_actors``), but
the ids and roles stood in the record itself, so ``package_show``, search
results, the project's pages and its activity stream showed them.

Every output of a record is cut for its caller: ``package_show`` (the show
hook), ``package_search`` (also fields asked for with ``fl``), and the
activity actions, whose stored snapshots are the whole record. What is cut
is every reference to an existing record the caller may not read
(``package_show`` permission); references to nothing are left as they are.

Editors save what they were shown, so an update keeps the references its
caller could not see (``keep_hidden_on_update``): the edit form and
``package_patch`` of a project naming another office's private actor do not
drop that partner.
"""
from __future__ import annotations

import difflib
import json
import re
from typing import Any, Iterable

import ckan.plugins.toolkit as tk
from ckan import authz, model

from ckanext.smartcityatlas.common.lists import as_list
from ckanext.smartcityatlas.capability import Registry

register = Registry()

# index fields a package_search ``fl`` may return
_ID_LIST_FIELDS = ("sca_partner_ids",)
_ROLE_FIELDS = ("sca_partner_roles",)  # "<actor id>:<role>"
_ID_FIELDS = ("sca_measure_id",)
_JSON_FIELDS = ("validated_data_dict", "data_dict")
# ckanext-dcat indexes repeating subfields flattened: "extras_partners__actor"
# holds the partners' actor ids separated by spaces, "…__role" their roles
_FLAT_PARTNERS = re.compile(r"^(extras_)?partners__")


def _privileged(context: dict) -> bool:
    return bool(context.get("ignore_auth")) or authz.is_sysadmin(_user(context))


def _user(context: dict) -> str:
    user = context.get("user")
    if not user and context.get("auth_user_obj") is not None:
        user = getattr(context["auth_user_obj"], "name", "")
    return user or ""


def _json(value) -> Any:
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def references(record: dict) -> set[str]:
    """Ids and names of the records ``record`` (a project) names."""
    refs = {p.get("actor") for p in as_list(record.get("partners")) if isinstance(p, dict)}
    refs.update(as_list(record.get("part_of")))
    refs.update(as_list(record.get("related_datasets")))
    for field in _ID_LIST_FIELDS + _ID_FIELDS:
        refs.update(as_list(record.get(field)))
    for field in _ROLE_FIELDS:
        refs.update(str(r).split(":", 1)[0] for r in as_list(record.get(field)))
    for field in _JSON_FIELDS:
        inner = _json(record.get(field))
        if isinstance(inner, dict):
            refs |= references(inner)
    extras = _extras(record)
    if extras:
        refs |= references(extras)
    for key, value in record.items():
        if _FLAT_PARTNERS.match(key) and key.endswith("__actor"):
            refs.update(" ".join(map(str, as_list(value))).split())
    return {r for r in refs if isinstance(r, str) and r}


_EXTRA_KEYS = ("partners", "part_of", "related_datasets")


def _extras(record: dict) -> dict:
    """Unvalidated dicts (``fl=data_dict``) keep schema fields as extras."""
    extras = record.get("extras")
    if not isinstance(extras, list):
        return {}
    return {e["key"]: e.get("value") for e in extras
            if isinstance(e, dict) and e.get("key") in _EXTRA_KEYS}


def hidden(context: dict, refs: Iterable[str]) -> set[str]:
    """Of ``refs``, those naming an existing record the caller may not read."""
    refs = {r for r in refs if isinstance(r, str) and r}
    if not refs or _privileged(context):
        return set()
    pkg = model.Package
    rows = model.Session.query(pkg.id, pkg.name, pkg.private, pkg.state) \
        .filter(pkg.id.in_(refs) | pkg.name.in_(refs)).all()
    found, anonymous = set(), not _user(context)
    for row in rows:
        if row.state == "active" and not row.private:
            continue
        if anonymous or not _may_read(context, row.id):  # anonymous: public records only
            found |= {row.id, row.name} & refs
    return found


def _may_read(context: dict, package_id: str) -> bool:
    # a context of its own: package_show's auth caches the package in it,
    # which must not leak into the caller's (e.g. package_update's) context
    own = {"user": _user(context), "auth_user_obj": context.get("auth_user_obj"), "model": model}
    try:
        tk.check_access("package_show", own, {"id": package_id})
        return True
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False


def strip(record: dict, cut: set[str]) -> bool:
    """Remove the references in ``cut`` from ``record`` in place; whether any was."""
    if not cut:
        return False
    changed = False
    if "partners" in record:
        partners = as_list(record["partners"])
        kept = [p for p in partners if not (isinstance(p, dict) and p.get("actor") in cut)]
        if len(kept) != len(partners):
            record["partners"], changed = _same_shape(record["partners"], kept), True
    if record.get("part_of") in cut:
        record.pop("part_of")
        changed = True
    for field in ("related_datasets",) + _ID_LIST_FIELDS + _ID_FIELDS:
        if field in record:
            values = as_list(record[field])
            kept = [v for v in values if v not in cut]
            if len(kept) != len(values):
                changed = True
                if field in _ID_FIELDS and not kept:
                    record.pop(field)
                else:
                    record[field] = _same_shape(record[field], kept)
    for field in _ROLE_FIELDS:
        if field in record:
            values = as_list(record[field])
            kept = [v for v in values if str(v).split(":", 1)[0] not in cut]
            if len(kept) != len(values):
                record[field], changed = kept, True
    for field in _JSON_FIELDS:
        inner = _json(record.get(field))
        if isinstance(inner, dict) and strip(inner, cut):
            record[field] = json.dumps(inner) if isinstance(record[field], str) else inner
            changed = True
    flat = [k for k in record if _FLAT_PARTNERS.match(k)]
    if any(cut & set(" ".join(map(str, as_list(record[k]))).split()) for k in flat if k.endswith("__actor")):
        for key in flat:  # the roles pair with the actors by position only
            record.pop(key)
        changed = True
    extras = _extras(record)
    if extras and strip(extras, cut):
        record["extras"] = [e for e in record["extras"]
                            if not (isinstance(e, dict) and e.get("key") in _EXTRA_KEYS)]
        record["extras"] += [{"key": k, "value": v} for k, v in extras.items()]
        changed = True
    return changed


def _same_shape(original, values: list):
    """A JSON text stays JSON text (unvalidated dicts and index fields)."""
    return json.dumps(values) if isinstance(original, str) else values


def strip_for_caller(context: dict, record: dict) -> None:
    """after_dataset_show: cut what the caller may not read."""
    if isinstance(record, dict):
        strip(record, hidden(context, references(record)))


def strip_all(context: dict, records: Iterable[dict]) -> set[str]:
    """Cut the references of many records with one lookup; the cut refs."""
    records = [r for r in records if isinstance(r, dict)]
    cut = hidden(context, set().union(*(references(r) for r in records)) if records else set())
    for record in records:
        strip(record, cut)
    return cut


# ---- package_search -------------------------------------------------------------

# what a facet value may name: a record's id or URL name (roles: "<id>:<role>")
_REFERENCE_LIKE = re.compile(r"[a-z0-9_\-]{2,100}")


@register.action
@tk.side_effect_free
@tk.chained_action
def package_search(up, context, data_dict):
    if isinstance(data_dict, dict) and not _privileged(context):
        _count_facets_of_visible_records(data_dict)
    result = up(context, data_dict)
    strip_all(context, result.get("results") or [])
    strip_facets(context, result)
    return result


def _count_facets_of_visible_records(data_dict: dict) -> None:
    """``facet.mincount=0`` makes Solr list every value of a field, also
    those of records the caller may not read (the names of every private
    dataset): facets count the caller's records only."""
    try:
        mincount = int(data_dict.get("facet.mincount", 1))
    except (TypeError, ValueError):
        return  # CKAN's schema refuses it
    if mincount < 1:
        data_dict["facet.mincount"] = 1


def _facet_references(value) -> set[str]:
    """What a facet value may name: itself, the id of "<id>:<role>", the
    items of a list indexed as JSON text (``related_datasets``)."""
    return {str(v).split(":", 1)[0] for v in as_list(value)}


def strip_facets(context: dict, result: dict) -> None:
    """Facet values naming a record the caller may not read (the partner of a
    public project: ``sca_partner_ids``, ``part_of``, ``related_datasets`` …)."""
    facets = result.get("facets") if isinstance(result.get("facets"), dict) else {}
    search_facets = result.get("search_facets") if isinstance(result.get("search_facets"), dict) else {}
    values = {v for counts in facets.values() if isinstance(counts, dict) for v in counts}
    values |= {item.get("name") for facet in search_facets.values() if isinstance(facet, dict)
               for item in facet.get("items") or [] if isinstance(item, dict)}
    refs = set().union(*(_facet_references(v) for v in values)) if values else set()
    cut = hidden(context, {r for r in refs if _REFERENCE_LIKE.fullmatch(r)})
    if not cut:
        return

    def shown(value) -> bool:
        return not _facet_references(value) & cut

    for field, counts in facets.items():
        if isinstance(counts, dict):
            facets[field] = {v: n for v, n in counts.items() if shown(v)}
    for facet in search_facets.values():
        if isinstance(facet, dict) and isinstance(facet.get("items"), list):
            facet["items"] = [i for i in facet["items"] if not isinstance(i, dict) or shown(i.get("name"))]


@register.action
@tk.side_effect_free
@tk.chained_action
def current_package_list_with_resources(up, context, data_dict):
    """CKAN's core function calls package_search directly, past its chain."""
    records = up(context, data_dict)
    strip_all(context, records or [])
    return records


@register.action
@tk.side_effect_free
@tk.chained_action
def member_list(up, context, data_dict):
    """The datasets of an organisation, private ones included: only those the
    caller may read (CKAN lists every member to anyone)."""
    members = up(context, data_dict)
    packages = {m[0] for m in members or [] if isinstance(m, (list, tuple)) and len(m) > 1 and m[1] == "package"}
    cut = hidden(context, packages)
    return [m for m in members if not (m[1] == "package" and m[0] in cut)] if cut else members


# ---- activity stream ------------------------------------------------------------

def _activity_records(activity: dict) -> list[dict]:
    data = activity.get("data") if isinstance(activity, dict) else None
    package = data.get("package") if isinstance(data, dict) else None
    return [package] if isinstance(package, dict) else []


@tk.side_effect_free
@tk.chained_action
def activity_list(up, context, data_dict):
    """Any of ACTIVITY_LISTS: each package activity carries the whole record."""
    activities = up(context, data_dict)
    strip_all(context, [r for a in activities or [] for r in _activity_records(a)])
    return activities


ACTIVITY_LISTS = ("package_activity_list", "organization_activity_list", "group_activity_list",
                  "user_activity_list", "dashboard_activity_list",
                  "recently_changed_packages_activity_list")
for _name in ACTIVITY_LISTS:
    register.action(_name, when_plugin="activity")(activity_list)


@register.action(when_plugin="activity")
@tk.side_effect_free
@tk.chained_action
def activity_show(up, context, data_dict):
    activity = up(context, data_dict)
    strip_all(context, _activity_records(activity))
    return activity


@register.action(when_plugin="activity")
@tk.side_effect_free
@tk.chained_action
def activity_data_show(up, context, data_dict):
    data = up(context, data_dict)
    if isinstance(data, dict):
        strip_all(context, [data.get("package") if isinstance(data.get("package"), dict) else data])
    return data


@register.action(when_plugin="activity")
@tk.side_effect_free
@tk.chained_action
def activity_diff(up, context, data_dict):
    """The diff is of the whole stored records: when a reference was cut from
    either version, it is made again from the cut versions, as CKAN makes it."""
    result = up(context, data_dict)
    object_type = data_dict.get("object_type")
    objs = [(a.get("data") or {}).get(object_type) for a in result.get("activities") or []]
    if len(objs) == 2 and all(isinstance(o, dict) for o in objs) and strip_all(context, objs):
        result["diff"] = _diff(objs, data_dict.get("diff_type", "unified"))
    return result


def _diff(objs: list[dict], diff_type: str) -> str:
    lines = [json.dumps(obj, indent=2, sort_keys=True).split("\n") for obj in objs]
    if diff_type == "context":
        return "\n".join(difflib.context_diff(*lines))
    if diff_type == "html":
        lines = [[part for line in side for part in re.findall(r".{1,70}(?:\s+|$)", line)] for side in lines]
        return difflib.HtmlDiff().make_table(*lines)
    return "\n".join(difflib.unified_diff(*lines))


# ---- saving -------------------------------------------------------------------------

@register.action
@tk.chained_action
def package_update(up, context, data_dict):
    keep_hidden_on_update(context, data_dict)
    return up(context, data_dict)


def keep_hidden_on_update(context: dict, data_dict: dict) -> None:
    """Put back the references of the stored project its caller could not
    see (and so could not send back)."""
    if _privileged(context) or not isinstance(data_dict, dict):
        return
    pkg = model.Package.get(str(data_dict.get("id") or data_dict.get("name") or ""))
    if pkg is None or pkg.type != "project":
        return
    stored = {"partners": as_list(pkg.extras.get("partners")), "part_of": pkg.extras.get("part_of"),
              "related_datasets": as_list(pkg.extras.get("related_datasets"))}
    cut = hidden(context, references(stored))
    if not cut:
        return
    _expand_form_partners(data_dict)
    partners = [p for p in stored["partners"] if isinstance(p, dict) and p.get("actor") in cut]
    if partners:
        given = as_list(data_dict.get("partners"))
        data_dict["partners"] = given + [p for p in partners if p not in given]
    if stored["part_of"] in cut and not data_dict.get("part_of"):
        data_dict["part_of"] = stored["part_of"]
    datasets = [d for d in stored["related_datasets"] if d in cut]
    if datasets:
        given = as_list(data_dict.get("related_datasets"))
        data_dict["related_datasets"] = given + [d for d in datasets if d not in given]


def _expand_form_partners(data_dict: dict) -> None:
    """The dataset form sends ``partners-0-actor`` … (ckanext-scheming
    expands them later; done here first so the hidden ones can be added)."""
    from ckanext.scheming.plugins import expand_form_composite

    expand_form_composite(data_dict, {"partners"})
