# SPDX-License-Identifier: AGPL-3.0-or-later
"""``/atlas/monitoring``: the measures with current status, last update and
status by quarter; the status timeline on project pages (helper). Both read
through the actions, so they show only what the visitor may see."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint, request

from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.common.caller import caller_context
from ckanext.smartcityatlas.capability import Registry

register = Registry()

blueprint = register.blueprint(Blueprint("sca_monitoring", __name__))


@register.helper("sca_status_label")
def status_label(code: str | None) -> str:
    if not code:
        return ""
    from ckanext.smartcityatlas.entities.choices import choice_labels

    return choice_labels("status").get(code, code)


@register.helper("sca_status_timeline")
def status_timeline(package_id: str) -> list[dict]:
    try:
        return tk.get_action("sca_status_history")(caller_context(), {"id": package_id})
    except (tk.NotAuthorized, tk.ObjectNotFound, tk.ValidationError):
        return []


@blueprint.route("/atlas/monitoring")
def index():
    try:
        quarters = int(request.args.get("quartale", 8))
    except ValueError:
        quarters = 8
    quarters = min(max(quarters, 1), 20)
    data = tk.get_action("sca_monitoring")(caller_context(), {"quarters": quarters})
    statuses = {}
    for m in data["measures"]:
        statuses[m["status"]] = statuses.get(m["status"], 0) + 1
    return tk.render("atlas/monitoring.html", {
        "data": data, "quarters": quarters, "status_counts": statuses,
        "city_title": city_config.current().settings.get("title", "")})


@register.helper("sca_monitor_number")
def monitor_number(value) -> str:
    """A figure in the page's number format; "–" for none."""
    from ckan.lib.formatters import localised_number

    if value is None:
        return "–"
    return localised_number(int(value) if float(value).is_integer() else value)


@register.helper("sca_sparkline")
def sparkline_points(history: list[dict]) -> dict:
    from ckanext.smartcityatlas.monitoring import sparkline

    return sparkline.points([h["value"] for h in history])


@blueprint.route("/atlas/monitor")
def monitor():
    from ckanext.smartcityatlas.common.language import ui_language

    try:
        quarters = min(max(int(request.args.get("quartale", 8)), 2), 20)
    except ValueError:
        quarters = 8
    data = tk.get_action("sca_monitor_show")(caller_context(), {"quarters": quarters})
    return tk.render("atlas/monitor.html", {
        "data": data, "quarters": quarters, "lang": ui_language(),
        "city_title": city_config.current().settings.get("title", "")})
