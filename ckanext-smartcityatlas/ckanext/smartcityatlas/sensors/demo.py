# SPDX-License-Identifier: AGPL-3.0-or-later
"""``ckan sca sensors-demo``: the demo portal's sensor datasets.

Replays the city's shipped openSenseMap sample (``cities/<city>/demo/opensensemap``,
README there) through a local server on 127.0.0.1 and runs one harvest of
the source "Demo: openSenseMap (lokale Wiedergabe)" in this process. The
datasets say that they are demo data. Runs once: with a finished demo
harvest it does nothing (``--force`` harvests again).
"""
from __future__ import annotations

import datetime
import json
from pathlib import Path

import click

SOURCE_NAME = "opensensemap-demo"
DAY_START = "2024-10-26T22:00:00Z"  # local midnight of 27 October 2024 (25 hours)
DAY_END = "2024-10-27T23:00:00Z"
BASE = {"PM10": 12.0, "PM2.5": 8.0, "Temperatur": 9.5, "Temperature": 9.5, "rel. Luftfeuchte": 71.0,
        "Humidity": 71.0, "Luftdruck": 101300.0, "Lautstärke": 52.0}
SWING = {"PM10": 6.0, "PM2.5": 4.0, "Temperatur": 4.0, "Temperature": 4.0, "rel. Luftfeuchte": 12.0,
         "Humidity": 12.0, "Luftdruck": 150.0, "Lautstärke": 9.0}


def demo_folder() -> Path:
    from ckanext.smartcityatlas import city_config
    import ckan.plugins.toolkit as tk

    return city_config.folder_for(tk.config.get("ckanext.smartcityatlas.city")) / "demo" / "opensensemap"


def synthetic_readings(boxes: list[dict]) -> dict[str, list[dict]]:
    """A plausible day: a daily swing (coolest and cleanest at 5 am) every 10 minutes."""
    import math

    t0 = datetime.datetime.fromisoformat(DAY_START.replace("Z", "+00:00"))
    t1 = datetime.datetime.fromisoformat(DAY_END.replace("Z", "+00:00"))
    out = {}
    for n, box in enumerate(boxes):
        lon, lat = box["currentLocation"]["coordinates"][:2]
        for sensor in box["sensors"]:
            base, swing = BASE.get(sensor["title"], 10.0), SWING.get(sensor["title"], 1.0)
            items, t = [], t0
            while t < t1:
                hours = (t - t0).total_seconds() / 3600
                value = base + swing * math.sin((hours - 11 + n) / 24 * 2 * math.pi) + (n % 3) * swing / 10
                items.append({"value": f"{value:.2f}", "location": [lon, lat],
                              "createdAt": t.isoformat(timespec="milliseconds").replace("+00:00", "Z")})
                t += datetime.timedelta(minutes=10)
            out[sensor["_id"]] = items
    return out


def _run_job(source_id: str) -> str:
    import ckan.plugins as p
    import ckan.plugins.toolkit as tk
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestSource

    job = HarvestJob(source=HarvestSource.get(source_id))
    job.status = "Running"
    job.save()
    harvester = p.get_plugin("sca_opensensemap")
    for obj_id in queue.gather_stage(harvester, job) or []:
        queue.fetch_and_import_stages(harvester, HarvestObject.get(obj_id))
    tk.get_action("harvest_jobs_run")({"ignore_auth": True}, {"source_id": source_id})
    return job.id


@click.command("sensors-demo")
@click.option("--force", is_flag=True, help="harvest again even if the demo was harvested before")
def sensors_demo(force):
    """Harvest the shipped openSenseMap demo sample through a local replay server."""
    import ckan.plugins.toolkit as tk
    from ckan import model

    from ckanext.smartcityatlas.sensors.replay import Replay

    folder = demo_folder()
    if not (folder / "boxes.json").exists():
        click.echo("sensor demo: this city has no openSenseMap sample")
        return
    site = {"ignore_auth": True, "user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    try:
        source = tk.get_action("harvest_source_show")(dict(site), {"id": SOURCE_NAME})
    except tk.ObjectNotFound:
        source = None
    if source is not None and source.get("status", {}).get("job_count") and not force:
        click.echo("sensor demo: already harvested (--force harvests again)")
        return
    orgs = tk.get_action("organization_list")(dict(site), {"limit": 1000})
    # the city's environment office of the demo atlas, if it is there
    orgs = sorted(orgs, key=lambda name: name != "umweltamt")
    if not orgs:
        click.echo("sensor demo: no organisation to publish the demo datasets in", err=True)
        raise click.exceptions.Exit(1)
    boxes = json.loads((folder / "boxes.json").read_text(encoding="utf-8"))
    replay = Replay(boxes, synthetic_readings(boxes)).start()
    # the replay listens on loopback, which the harvesters refuse unless allowed: allowed
    # here, for this harvest in this process only
    key = "ckanext.smartcityatlas.harvest.allowed_hosts"
    before = tk.config.get(key)
    tk.config[key] = "127.0.0.1"
    try:
        config = json.dumps({"start": DAY_START, "end": DAY_END, "window_hours": 25,
                             "requests_per_minute": 600, "demo": True})
        values = {"name": SOURCE_NAME, "title": "Demo: openSenseMap (lokale Wiedergabe)", "url": replay.url,
                  "source_type": "sca_opensensemap", "frequency": "MANUAL", "config": config,
                  "notes": "Demodaten: eine lokale Wiedergabe der openSenseMap-API mit synthetischen "
                           "Messwerten (cities/<Stadt>/demo/opensensemap/README.md)."}
        if source is None:
            values["owner_org"] = orgs[0]
            source = tk.get_action("harvest_source_create")(dict(site), values)
        else:
            values.update(id=source["id"], owner_org=source["owner_org"])
            source = tk.get_action("harvest_source_update")(dict(site), values)
        model.Session.commit()
        job_id = _run_job(source["id"])
    finally:
        tk.config[key] = before
        replay.stop()
    report = tk.get_action("sca_harvest_job_report")(dict(site), {"id": job_id})
    for line in report["gather"]:
        click.echo(f"  {line}")
    click.echo(f"sensor demo: harvested {len(report['records'])} phenomena from {len(boxes)} demo boxes "
               f"(job {job_id})")
