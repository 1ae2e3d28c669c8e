# SPDX-License-Identifier: AGPL-3.0-or-later
"""Funding programme and budget as atlas filters (as the Smart City Navigator
has them): a project's ``funding_programme`` as it is written, and its
``budget_eur`` in three classes, indexed as facet fields."""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk

PROGRAMME_FIELD = "sca_funding_programmes"
BUDGET_FIELD = "sca_budget_class"
# (class, upper bound in euros, exclusive); the last has none
BUDGET_CLASSES = (("under_100k", 100_000), ("100k_1m", 1_000_000), ("over_1m", None))


def budget_class(value) -> str | None:
    try:
        euros = float(value)
    except (TypeError, ValueError):
        return None
    if euros < 0:
        return None
    return next(name for name, below in BUDGET_CLASSES if below is None or euros < below)


def budget_labels() -> dict[str, str]:
    return {"under_100k": tk._("under 100,000 €"), "100k_1m": tk._("100,000 € to 1 million €"),
            "over_1m": tk._("1 million € and more")}


def index_funding(pkg_dict: dict) -> dict:
    """before_dataset_index: a project's programme and budget class."""
    if (pkg_dict.get("dataset_type") or pkg_dict.get("type")) != "project":
        return pkg_dict
    data = json.loads(pkg_dict.get("validated_data_dict") or "{}")
    programme = str(data.get("funding_programme") or "").strip()
    if programme:
        pkg_dict[PROGRAMME_FIELD] = [programme]
    budget = budget_class(data.get("budget_eur"))
    if budget:
        pkg_dict[BUDGET_FIELD] = [budget]
    return pkg_dict
