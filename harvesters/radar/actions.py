# SPDX-License-Identifier: AGPL-3.0-or-later
"""Actions around a radar run: its report and a curator's resolution of a
partner name."""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.smartcityatlas.common.input_schema import validated
from ckanext.smartcityatlas.harvesters.radar import alias_store, schema
from ckanext.smartcityatlas.capability import Registry

register = Registry()

@register.action
@tk.side_effect_free
@validated(schema.sca_radar_report)
def sca_radar_report(context, data_dict):
    """What a radar run did: ``id`` (the harvest job). Rows created, updated,
    unchanged and rejected (with row number and reason), partners a curator
    should resolve (uncertain) or that are not in the atlas (unmatched),
    warnings, and rows withdrawn because they left the file."""
    tk.check_access("sca_radar_report", context, data_dict)
    from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject

    job_id = data_dict["id"]
    job = HarvestJob.get(job_id)
    if job is None:
        raise tk.ObjectNotFound(tk._("Harvest job not found"))
    out = {"job_id": job_id, "source_id": job.source_id, "status": job.status, "created": [], "updated": [],
           "unchanged": [], "rejected": [], "withdrawn": [], "uncertain": [], "unmatched": [],
           "warnings": [], "gather": []}
    for error in model.Session.query(HarvestGatherError).filter(HarvestGatherError.harvest_job_id == job_id) \
            .order_by(HarvestGatherError.created):
        message = error.message
        if message.startswith("[rejected] row "):
            text = message[len("[rejected] "):]
            row, _sep, reason = text[len("row "):].partition(": ")
            out["rejected"].append({"row": int(row) if row.isdigit() else None, "radar_id": None,
                                    "reason": reason})
        else:
            out["gather"].append(message)
    for obj in model.Session.query(HarvestObject).filter(HarvestObject.harvest_job_id == job_id):
        extras = {e.key: e.value for e in obj.extras}
        notes = json.loads(extras.get("sca_report") or "[]")
        try:
            row = json.loads(obj.content or "{}").get("row")
        except ValueError:
            row = None
        entry = {"row": row, "radar_id": obj.guid, "package_id": obj.package_id}
        if extras.get("status") == "delete":
            out["withdrawn"].append(entry)
            continue
        errors = [n["message"] for n in notes if n["kind"] == "error"]
        if obj.report_status == "errored" or errors:
            out["rejected"].append({**entry, "reason": "; ".join(errors) or "not imported"})
        elif obj.report_status == "not modified":
            out["unchanged"].append(entry)
        else:
            out["created" if extras.get("sca_outcome") == "created" else "updated"].append(entry)
        for note in notes:
            if note["kind"] in ("uncertain", "unmatched"):
                out[note["kind"]].append({**entry, "message": note["message"]})
            elif note["kind"] in ("warning", "degraded", "unmapped", "curated"):
                out["warnings"].append({**entry, "kind": note["kind"], "message": note["message"]})
    for key in ("created", "updated", "unchanged", "rejected", "withdrawn", "uncertain", "unmatched", "warnings"):
        out[key].sort(key=lambda e: (e.get("row") is None, e.get("row") or 0))
    out["counts"] = {k: len(out[k]) for k in ("created", "updated", "unchanged", "rejected", "withdrawn",
                                              "uncertain", "unmatched")}
    return out


@register.action
@validated(schema.sca_radar_resolve_partner)
def sca_radar_resolve_partner(context, data_dict):
    """Link a partner kept as free text to an actor, or create the actor.

    ``id``: the project; ``partner``: the name as written; either ``actor``
    (id or URL name of an existing actor) or ``create: true`` with
    ``actor_kind`` and ``helix_sector`` (and optionally ``title``, ``name``,
    ``notes``, ``owner_org``; default: the partner's name, a note naming the
    project, the project's organisation).
    The name is remembered (``sca_radar_alias``): the next radar runs link
    it to the same actor in every row."""
    tk.check_access("sca_radar_resolve_partner", context, data_dict)
    from ckanext.smartcityatlas.harvesters.radar.sheet import key

    project = tk.get_action("package_show")(dict(context), {"id": data_dict["id"]})
    if project.get("type") != "project":
        raise tk.ValidationError({"id": [tk._("Not a project")]})
    name = data_dict["partner"].strip()
    partners = project.get("partners") or []
    hits = [i for i, p in enumerate(partners) if not p.get("actor") and key(p.get("name") or "") == key(name)]
    if not hits:
        raise tk.ValidationError({"partner": [tk._("The project has no partner '{name}' as free text.")
                                              .format(name=name)]})
    create = data_dict["create"]
    if create == bool(data_dict.get("actor")):
        raise tk.ValidationError({"actor": [tk._("Give either an actor or create: true.")]})
    created = False
    if create:
        actor = tk.get_action("package_create")(dict(context), {
            "type": "actor", "title": data_dict.get("title") or partners[hits[0]]["name"],
            "name": data_dict.get("name") or _free_name(data_dict.get("title") or partners[hits[0]]["name"]),
            "owner_org": data_dict.get("owner_org") or project["owner_org"],
            "actor_kind": data_dict.get("actor_kind"), "helix_sector": data_dict.get("helix_sector"),
            "notes": data_dict.get("notes") or f"Partner von „{project['title']}“ im Smart-City-Radar.",
            "record_source": "Smart-City-Radar",
            "private": project.get("private", False)})
        created = True
    else:
        actor = tk.get_action("package_show")(dict(context), {"id": data_dict["actor"]})
        if actor.get("type") != "actor" or actor.get("state") != "active":
            raise tk.ValidationError({"actor": [tk._("There is no actor '{ref}' in the atlas.")
                                                .format(ref=data_dict["actor"])]})
    new_partners = []
    for i, partner in enumerate(partners):
        entry = {k: v for k, v in partner.items() if v not in (None, "")}
        if i in hits:
            entry = {"actor": actor["id"], "role": partner.get("role") or "partner"}
        if entry.get("actor") == actor["id"] and any(p.get("actor") == actor["id"] for p in new_partners):
            continue
        new_partners.append(entry)
    saved = tk.get_action("package_patch")(dict(context), {"id": project["id"], "partners": new_partners})
    alias_store.save_alias(key(name), name, actor["id"], context.get("user"))
    _accept_as_harvested(saved)
    model.Session.commit()
    return {"project": saved["name"], "actor": actor["name"], "actor_id": actor["id"], "created": created}


def _free_name(title: str) -> str:
    from ckan.lib.munge import munge_title_to_name

    base = munge_title_to_name(title)[:90] or "akteur"
    name, i = base, 1
    while model.Package.get(name) is not None:
        i += 1
        name = f"{base}-{i}"
    return name


def _accept_as_harvested(saved: dict) -> None:
    """The resolution is not a curator's edit of the radar's partners: the
    next run (which links the name through the alias) may update them."""
    from ckanext.harvest.model import HarvestObject

    from ckanext.smartcityatlas.harvesters import ownership

    obj = model.Session.query(HarvestObject).filter(HarvestObject.package_id == saved["id"],
                                                    HarvestObject.current == True).first()  # noqa: E712
    if obj is None:
        return
    for extra in obj.extras:
        if extra.key == "sca_field_hashes":
            hashes = json.loads(extra.value or "{}")
            if "partners" in hashes:
                hashes["partners"] = ownership.field_hash("partners", saved.get("partners"))
                extra.value = json.dumps(hashes, sort_keys=True)
                model.Session.add(extra)
            return
