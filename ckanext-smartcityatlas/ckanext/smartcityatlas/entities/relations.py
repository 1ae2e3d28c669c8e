# SPDX-License-Identifier: AGPL-3.0-or-later
"""Relations between projects and actors: indexed, resolved with permissions.

A project stores its partners (actor id or free text, with a role) and the
measure it belongs to. For search both directions are indexed:

- a project's document carries ``sca_partner_ids``, ``sca_partner_roles``
  (``<actor id>:<role>``) and ``sca_measure_id``;
- an actor's document carries ``sca_project_ids`` and ``sca_measure_ids`` of
  the **public, active** projects it is a partner of — never of private ones,
  so facets and filters on actors cannot reveal a private project.

When a project changes, the actors it names (before and after) are reindexed
(IDomainObjectModification, inside the saving transaction); bulk loads and
harvest jobs collect them and reindex each once at the end
(``collected_actor_reindex``, ``deferred_actor_reindex``; a harvest job's
set lives in Redis, ``harvesters/job_reindex.py``), the actors a project
named before looked up in the index then, for all projects at once.
Resolving for display always goes through ``package_search`` with the
caller's context: what the caller may not see is left out, title and all.
"""
from __future__ import annotations

import contextlib
import contextvars
import json
import logging

import ckan.plugins.toolkit as tk
from ckan.lib.search import query_for

from ckanext.smartcityatlas.common import search_index
from ckanext.smartcityatlas.common.lists import as_list
from ckanext.smartcityatlas.entities import coverage

log = logging.getLogger(__name__)

# list-valued schema fields indexed as sca_<field> for filters and facets
VOCAB_LIST_FIELDS = ("themes", "topics", "fields_of_action", "sdgs", "competences")


def partners_of(project: dict) -> list[dict]:
    return [p for p in as_list(project.get("partners")) if isinstance(p, dict)]


def partner_actor_ids(project: dict) -> list[str]:
    return [p["actor"] for p in partners_of(project) if p.get("actor")]


def _solr_ids(fq: str) -> list[str]:
    """Ids of index documents matching fq, bypassing permissions (for indexing only)."""
    result = query_for("package").run(
        {"q": "*:*", "fq": fq, "fl": "id", "rows": 10000}, permission_labels=None)
    return [r["id"] if isinstance(r, dict) else r for r in result["results"]]


def index_fields(pkg_dict: dict) -> dict:
    """before_dataset_index: add the relation fields."""
    data = json.loads(pkg_dict.get("validated_data_dict") or "{}")
    kind = pkg_dict.get("dataset_type") or pkg_dict.get("type")
    if kind == "project":
        partners = partners_of(data)
        pkg_dict["sca_partner_ids"] = sorted({p["actor"] for p in partners if p.get("actor")})
        pkg_dict["sca_partner_roles"] = sorted({f"{p['actor']}:{p.get('role')}" for p in partners if p.get("actor")})
        pkg_dict["sca_partner_names"] = [p["name"] for p in partners if p.get("name")]
        if data.get("part_of"):
            pkg_dict["sca_measure_id"] = data["part_of"]
    elif kind == "actor":
        projects = public_projects_of(pkg_dict["id"])
        pkg_dict["sca_project_ids"] = sorted(projects)
        # "in measure M": partner of M itself or of a project that is part of M
        measures = set()
        for project_id, (project_kind, part_of) in projects.items():
            if project_kind == "measure":
                measures.add(project_id)
            if part_of:
                measures.add(part_of)
        pkg_dict["sca_measure_ids"] = sorted(measures)
    if kind in ("actor", "project"):
        districts = as_list(data.get("sca_districts"))
        pkg_dict["sca_district_names"] = sorted({d["name"] for d in districts})
        # a city with one level of districts has no groups
        pkg_dict["sca_district_groups"] = sorted({d["group"] for d in districts if d.get("group")})
        coverage.index_flag(pkg_dict, districts)
        for field in VOCAB_LIST_FIELDS:
            pkg_dict[f"sca_{field}"] = [str(v) for v in as_list(data.get(field))]
        # raw JSON strings of these fields must not land in the single-valued catch-all
        for field in ("sca_districts", "sca_warnings", "partners", *VOCAB_LIST_FIELDS):
            pkg_dict.pop(field, None)
    return pkg_dict


# while reindex_actors refreshes many actors: every actor's public projects,
# read in one pass (each actor's own query scans the package table)
# Per thread of execution (contextvars), not per process: a threaded web
# worker's bulk save must not collect or read another request's work.
_projects_by_actor: contextvars.ContextVar[dict[str, dict[str, tuple[str | None, str | None]]] | None] = \
    contextvars.ContextVar("sca_projects_by_actor", default=None)
ONE_PASS_FROM = 5  # actors


def public_projects_of(actor_id: str) -> dict[str, tuple[str | None, str | None]]:
    """Public, active projects naming actor_id as partner: id → (kind, measure id).

    Read from the database, not the index: while a project is being saved its
    index document is still the old one.
    """
    known = _projects_by_actor.get()
    if known is not None:
        return dict(known.get(actor_id, {}))
    found = {}
    for project_id, extras in _public_projects(actor_id):
        if actor_id in partner_actor_ids({"partners": extras.get("partners")}):
            found[project_id] = (extras.get("project_kind"), extras.get("part_of"))
    return found


def _public_projects(naming: str | None = None):
    """(id, extras) of the public, active projects with partners (naming this text)."""
    from ckan import model

    pkg = model.Package
    public = (pkg.type == "project", pkg.state == "active", pkg.private.is_(False))
    if "extras" in model.package_table.c:  # CKAN 2.12: the extras are a JSONB column
        rows = model.Session.query(pkg.id, pkg.extras).filter(*public)
        if naming is None:
            return rows.filter(pkg.extras.has_key("partners"))
        return rows.filter(pkg.extras["partners"].astext.contains(naming))
    # CKAN 2.11: the extras are rows of package_extra
    extra = model.PackageExtra
    ids = model.Session.query(pkg.id).join(extra, extra.package_id == pkg.id) \
        .filter(*public, extra.key == "partners", extra.state == "active")
    if naming is not None:
        ids = ids.filter(extra.value.contains(naming))
    return [(pkg_id, dict(model.Session.get(pkg, pkg_id).extras)) for (pkg_id,) in ids]


def _all_projects_by_actor() -> dict[str, dict[str, tuple[str | None, str | None]]]:
    out: dict[str, dict[str, tuple[str | None, str | None]]] = {}
    for project_id, extras in _public_projects():
        for actor_id in partner_actor_ids({"partners": extras.get("partners")}):
            out.setdefault(actor_id, {})[project_id] = (extras.get("project_kind"), extras.get("part_of"))
    return out


_deferred: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar("sca_deferred_reindex", default=None)
# an entry of a collected set standing for the actors whose index documents
# name this project (its partners before the change), looked up once for
# all of them when the set is reindexed (reindex_actors)
NAMED_IN = "named-in:"
LOOKUP_BATCH = 200


@contextlib.contextmanager
def collected_actor_reindex():
    """Collect the actors that project saves would reindex, instead of
    reindexing them: yields the set, which the caller reindexes later
    (``reindex_actors``), e.g. once at the end of a harvest job."""
    outer, ids = _deferred.get(), set()
    token = _deferred.set(ids)
    try:
        yield ids
    finally:
        _deferred.reset(token)
        if outer is not None:  # nested: the outer scope reindexes them
            outer.update(ids)


@contextlib.contextmanager
def deferred_actor_reindex():
    """Bulk loads: collect the actors to refresh and reindex each once at the end
    (instead of after every project that names it), also when the load
    fails half-way; searchable at once, as after a single save."""
    with collected_actor_reindex() as ids:
        try:
            yield
        finally:
            if ids:
                reindex_actors(ids)
                if tk.asbool(tk.config.get("ckan.search.solr_commit")):
                    from ckan.lib.search import commit

                    commit()
                ids.clear()


def reindex_actors(ids, defer_commit: bool = True) -> int:
    """Reindex these actors (without a Solr commit of their own by default),
    and those whose index documents name the projects of ``NAMED_IN`` entries."""
    actors = {i for i in ids if not i.startswith(NAMED_IN)}
    projects = sorted(i[len(NAMED_IN):] for i in ids if i.startswith(NAMED_IN))
    for start in range(0, len(projects), LOOKUP_BATCH):
        quoted = " OR ".join(f'"{p}"' for p in projects[start:start + LOOKUP_BATCH])
        actors.update(_solr_ids(f"+dataset_type:actor +sca_project_ids:({quoted})"))
    token = None
    if _projects_by_actor.get() is None and len(actors) >= ONE_PASS_FROM:
        token = _projects_by_actor.set(_all_projects_by_actor())
    try:
        for actor_id in sorted(actors):
            try:
                search_index.update({"ignore_auth": True}, actor_id, defer_commit=defer_commit)
            except Exception:  # noqa: BLE001 - one broken actor must not stop the others
                log.exception("could not reindex actor %s", actor_id)
    finally:
        if token is not None:
            _projects_by_actor.reset(token)
    return len(actors)


def reindex_related_actors(package, operation: str) -> None:
    """A project changed: refresh the actors it names now, and those whose
    index documents still name it (its partners before the change)."""
    if package.type != "project":
        return
    ids = set(partner_actor_ids({"partners": (package.extras or {}).get("partners")}))
    deferred = _deferred.get()
    if deferred is not None:
        deferred.update(ids)
        deferred.add(NAMED_IN + package.id)  # one index query at the end, not one per save
        return
    ids |= set(_solr_ids(f'+dataset_type:actor +sca_project_ids:"{package.id}"'))
    for actor_id in sorted(ids):
        try:
            search_index.update({"ignore_auth": True}, actor_id)
        except Exception:  # noqa: BLE001 - one broken actor must not fail the save
            log.exception("could not reindex actor %s", actor_id)


def visible_datasets(context: dict, refs: list[str]) -> list[dict]:
    """Related datasets (given by id or name) the caller may see, in order."""
    refs = [r for r in refs if isinstance(r, str) and r]
    if not refs:
        return []
    quoted = " OR ".join('"{}"'.format(r.replace('"', "")) for r in refs)
    found = tk.get_action("package_search")(
        {**context, "ignore_auth": False},
        {"fq": f"id:({quoted}) OR name:({quoted})", "include_private": True, "rows": len(refs),
         "fl": "id,name,title,dataset_type"},
    )["results"]
    by_ref = {**{d["id"]: d for d in found}, **{d["name"]: d for d in found}}
    seen, ordered = set(), []
    for ref in refs:
        d = by_ref.get(ref)
        if d and d["id"] not in seen:
            seen.add(d["id"])
            ordered.append(d)
    return ordered


def visible_ids(context: dict, ids: list[str]) -> dict[str, dict]:
    """Of ids, those the caller may see (active, public or permitted), with summary fields."""
    if not ids:
        return {}
    quoted = " OR ".join(f'"{i}"' for i in ids)
    result = tk.get_action("package_search")(
        {**context, "ignore_auth": False},
        {"fq": f"id:({quoted})", "include_private": True, "rows": len(ids),
         "fl": "id,name,title,dataset_type"},
    )
    return {r["id"]: r for r in result["results"]}
