# SPDX-License-Identifier: AGPL-3.0-or-later
"""``ckan sca radar-demo``: the city's example radar file as a ``sca_radar``
harvest source, harvested at once (README command 1 runs it after the demo
atlas). Idempotent: an unchanged file changes nothing."""
from __future__ import annotations

from pathlib import Path

import click
from ckanext.smartcityatlas.capability import Registry

register = Registry()


def demo_file(city=None) -> Path | None:
    from ckanext.smartcityatlas.common import city_config

    folder = (city or city_config.current()).folder / "demo"
    for name in ("radar.csv", "radar.xlsx", "radar.json"):
        if (folder / name).exists():
            return folder / name
    return None


def ensure_source(path: Path) -> dict:
    import ckan.plugins.toolkit as tk

    from ckanext.smartcityatlas.common import city_config
    from ckanext.smartcityatlas.common.caller import site_context

    city = city_config.current()
    context = site_context()
    name = f"smart-city-radar-{city.name}"
    url = path.resolve().as_uri()
    try:
        source = tk.get_action("harvest_source_show")(dict(context), {"id": name})
    except tk.ObjectNotFound:
        return tk.get_action("harvest_source_create")(dict(context), {
            "name": name, "title": f"Smart-City-Radar {city.settings.get('title', city.name)} (Beispiel)",
            "url": url, "source_type": "sca_radar", "frequency": "MANUAL", "config": "{}",
            "owner_org": city.settings["default_organization"],
            "notes": "Beispieldatei des Smart-City-Radars (Demo-Atlas); docs/radar.md"})
    if source["url"] != url:  # the checkout moved
        source = tk.get_action("harvest_source_patch")(dict(context), {"id": source["id"], "url": url})
    return source


def run(source: dict) -> dict:
    """One job of the source in this process (gather, then every object)."""
    import ckan.plugins.toolkit as tk
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestSource

    harvest_source = HarvestSource.get(source["id"])
    job = HarvestJob(source=harvest_source)
    job.status = "Running"
    job.save()
    harvester = queue.get_harvester(harvest_source.type)
    ids = queue.gather_stage(harvester, job)
    for obj_id in ids if isinstance(ids, list) else []:
        queue.fetch_and_import_stages(harvester, HarvestObject.get(obj_id))
    tk.get_action("harvest_jobs_run")({"ignore_auth": True}, {"source_id": source["id"]})
    return tk.get_action("sca_radar_report")({"ignore_auth": True}, {"id": job.id})


@register.command
@click.command("radar-demo")
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Radar export to harvest (default: the city's demo/radar.csv)")
def radar_demo(path):
    """Harvest the city's example Smart-City-Radar file into the atlas."""
    path = path or demo_file()
    if path is None:
        click.echo("radar demo: this city has no demo radar file")
        return
    report = run(ensure_source(path))
    counts = report["counts"]
    click.echo("radar demo: " + ", ".join(f"{counts[k]} {k}" for k in
                                          ("created", "updated", "unchanged", "rejected", "uncertain")))
    for entry in report["rejected"]:
        click.echo(f"  rejected row {entry['row']}: {entry['reason']}", err=True)
    for entry in report["uncertain"]:
        click.echo(f"  uncertain: {entry['message']}", err=True)
