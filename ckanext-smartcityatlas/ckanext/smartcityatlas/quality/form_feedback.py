# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the dataset form shows about the record being edited: its stored
DCAT-AP.de violations and the score criteria it misses, each in the user's
language with the fix and the form field it concerns."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.quality import dataset_quality, score
from ckanext.smartcityatlas.quality import conformance
from ckanext.smartcityatlas.dcat import import_flags
from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.common.caller import caller_context

register = Registry()

# DCAT-AP.de property → the form field where it is entered
PATH_FIELDS = {
    "dct:title": "title", "dct:description": "notes", "dcat:keyword": "tag_string", "dcat:theme": "theme",
    "dct:publisher": "owner_org", "dcat:contactPoint": "contact_email", "dct:license": "license_id",
    "dct:spatial": "spatial", "dct:temporal": "temporal_start", "dct:accrualPeriodicity": "frequency",
    "dct:language": "language", "dct:issued": "issued", "dct:modified": "modified",
    "dct:identifier": "identifier", "dcat:landingPage": "url", "dct:conformsTo": "conforms_to",
    "dct:accessRights": "access_rights", "dcatde:licenseAttributionByText": "license_attribution",
    "dcatde:politicalGeocodingURI": "spatial", "dcat:distribution": "resources",
    "dcat:accessURL": "resources", "dcat:downloadURL": "resources", "dct:format": "resources",
}


# form fields whose input is not called field-<name>
ANCHORS = {"owner_org": "field-organizations"}


def _anchor(field: str) -> str:
    return ANCHORS.get(field, f"field-{field}") if field and field != "resources" else ""


@register.helper("sca_form_feedback")
def feedback(package_id: str | None) -> dict | None:
    """None for a new record (nothing saved yet) or one the user may not edit."""
    if not package_id:
        return None
    try:
        tk.check_access("package_update", caller_context(), {"id": package_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None
    lang = 0 if (tk.h.lang() or "de") == "de" else 1
    found = conformance.stored_findings(package_id)
    stored = dataset_quality.stored(package_id)
    items = []
    for v in (found or {}).get("violations", []):
        items.append({"kind": "violation", "field": PATH_FIELDS.get(v["path"], ""),
                      "label": v["path"] or tk._("Record"), "text": _import_text(v) or v["message"]})
    for w in (found or {}).get("warnings", []):
        text = _import_text(w)
        if text:  # what the harvest left out or replaced: the data contact can fix it
            items.append({"kind": "import", "field": PATH_FIELDS.get(w["path"], ""),
                          "label": w["path"] or tk._("Record"), "text": text})
    for criterion_id in (stored or {}).get("failed", []):
        if criterion_id == "dcat_ap_de" and items:
            continue  # the violations above say it in detail
        c = score.criterion(criterion_id)
        items.append({"kind": "criterion", "field": c.field, "label": c.label[lang], "text": c.fix[lang],
                      "points": c.points})
    for item in items:
        item["anchor"] = _anchor(item["field"])
    warnings = [w for w in (found or {}).get("warnings", []) if not w.get("code")]
    return {"score": stored["score"] if stored else None, "rating": stored["rating"] if stored else None,
            "warnings": len(warnings), "items": items}


def _import_text(finding: dict) -> str | None:
    """A finding of a harvested record's import (``dcat.import_flags``) in the user's language."""
    code = finding.get("code")
    if code == import_flags.MISSING:
        return tk._("The harvest source gives none, and DCAT-AP.de requires it: the dataset is kept out of "
                    "the DCAT exports until it is added.")
    if code == import_flags.LICENCE:
        return tk._("The harvest source's licence \"{licence}\" is not in the dcat-ap.de list, so it is "
                    "recorded as \"other, closed\". Choose the licence it means (or have the source "
                    "mapped).").format(licence=finding.get("value") or "")
    if code == import_flags.DEGRADED:
        return tk._("Left out at the harvest, as it could not be repaired: {detail}").format(
            detail=finding.get("message") or "")
    return None
