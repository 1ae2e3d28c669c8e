# SPDX-License-Identifier: AGPL-3.0-or-later
"""``ckan sca sensors-demo``: the demo portal's sensor datasets.

Replays the city's shipped openSenseMap sample (``cities/<city>/demo/opensensemap``)
and its SensorThings sample (``cities/<city>/demo/sensorthings``, READMEs
there) through local servers on 127.0.0.1 and runs one harvest of each of
the sources "Demo: openSenseMap (lokale Wiedergabe)" and "Demo:
SensorThings (lokale Wiedergabe)" in this process. The datasets say that
they are demo data. Runs once per source: with a finished demo harvest it
does nothing (``--force`` harvests again).
"""
from __future__ import annotations

import datetime
import json
from pathlib import Path

import click
from ckanext.smartcityatlas.capability import Registry

register = Registry()

SOURCE_NAME = "opensensemap-demo"
ST_SOURCE_NAME = "sensorthings-demo"
ST_STEP_MINUTES = 15
ST_DAYS = 2
# the SensorThings sample: ObservedProperty name → (base value, daily swing)
ST_VALUES = {"PM10": (18.0, 8.0), "PM2.5": (11.0, 5.0), "NO2": (26.0, 12.0), "Lufttemperatur": (8.0, 4.0)}
# a Datastream of the sample that never reported (shows as "without observations")
ST_SILENT = {403}
# the openSenseMap sample: every 10 minutes in the local days before now
# (the environment dashboard needs weeks, the map current values)
DEMO_DAYS = 28
# days of the period (counted from its first) with a particulate matter
# episode, so the dashboard shows exceedance days: PM values times the factor
EPISODE_DAYS = {9: 4.6, 10: 5.2, 11: 4.2}
BASE = {"PM10": 12.0, "PM2.5": 8.0, "Temperatur": 9.5, "Temperature": 9.5, "rel. Luftfeuchte": 71.0,
        "Humidity": 71.0, "Luftdruck": 101300.0, "Lautstärke": 52.0}
SWING = {"PM10": 6.0, "PM2.5": 4.0, "Temperatur": 4.0, "Temperature": 4.0, "rel. Luftfeuchte": 12.0,
         "Humidity": 12.0, "Luftdruck": 150.0, "Lautstärke": 9.0}


def demo_folder(kind: str = "opensensemap") -> Path:
    from ckanext.smartcityatlas.common import city_config
    import ckan.plugins.toolkit as tk

    return city_config.folder_for(tk.config.get("ckanext.smartcityatlas.city")) / "demo" / kind


def synthetic_observations(things: list[dict], now: datetime.datetime | None = None) -> dict[str, list[dict]]:
    """Observations every 15 minutes for the two days before ``now``, with a
    daily swing (lowest at 5 am); Datastreams of no demo phenomenon get none."""
    import math

    now = now or datetime.datetime.now(datetime.timezone.utc)
    step = datetime.timedelta(minutes=ST_STEP_MINUTES)
    end = now.replace(second=0, microsecond=0) - datetime.timedelta(minutes=now.minute % ST_STEP_MINUTES)
    start = end - datetime.timedelta(days=ST_DAYS)
    out: dict[str, list[dict]] = {}
    for n, thing in enumerate(things):
        for ds in thing.get("Datastreams") or []:
            name = (ds.get("ObservedProperty") or {}).get("name")
            if name not in ST_VALUES or ds["@iot.id"] in ST_SILENT:
                continue
            base, swing = ST_VALUES[name]
            items, t, i = [], start, 0
            while t <= end:
                hours = (t - start).total_seconds() / 3600
                value = base + swing * math.sin((hours - 11 + n) / 24 * 2 * math.pi) + (n % 3) * swing / 10
                stamp = t.isoformat(timespec="seconds").replace("+00:00", "Z")
                items.append({"@iot.id": ds["@iot.id"] * 100000 + i, "phenomenonTime": stamp,
                              "resultTime": stamp, "result": round(value, 2)})
                t += step
                i += 1
            out[str(ds["@iot.id"])] = items
    return out


def demo_period(now: datetime.datetime | None = None) -> tuple[datetime.datetime, datetime.datetime]:
    """Local midnight ``DEMO_DAYS`` days ago up to the start of the current hour (UTC)."""
    import zoneinfo

    now = now or datetime.datetime.now(datetime.timezone.utc)
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    first = now.astimezone(berlin).date() - datetime.timedelta(days=DEMO_DAYS)
    start = datetime.datetime.combine(first, datetime.time(0), berlin).astimezone(datetime.timezone.utc)
    return start, now.replace(minute=0, second=0, microsecond=0)


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def synthetic_readings(boxes: list[dict], start: datetime.datetime, end: datetime.datetime) -> dict[str, list[dict]]:
    """Plausible days: a daily swing (coolest and cleanest at 5 am) every
    10 minutes, and a particulate matter episode (``EPISODE_DAYS``)."""
    import math

    t0, t1 = start, end
    out = {}
    for n, box in enumerate(boxes):
        lon, lat = box["currentLocation"]["coordinates"][:2]
        for sensor in box["sensors"]:
            base, swing = BASE.get(sensor["title"], 10.0), SWING.get(sensor["title"], 1.0)
            factor = sensor["title"] in ("PM10", "PM2.5")
            items, t = [], t0
            while t < t1:
                hours = (t - t0).total_seconds() / 3600
                value = base + swing * math.sin((hours - 11 + n) / 24 * 2 * math.pi) + (n % 3) * swing / 10
                if factor:
                    value *= EPISODE_DAYS.get(int(hours // 24), 1.0)
                items.append({"value": f"{value:.2f}", "location": [lon, lat],
                              "createdAt": t.isoformat(timespec="milliseconds").replace("+00:00", "Z")})
                t += datetime.timedelta(minutes=10)
            out[sensor["_id"]] = items
    return out


def _run_job(source_id: str, harvester_name: str = "sca_opensensemap") -> str:
    import ckan.plugins as p
    import ckan.plugins.toolkit as tk
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestSource

    job = HarvestJob(source=HarvestSource.get(source_id))
    job.status = "Running"
    job.save()
    harvester = p.get_plugin(harvester_name)
    for obj_id in queue.gather_stage(harvester, job) or []:
        queue.fetch_and_import_stages(harvester, HarvestObject.get(obj_id))
    tk.get_action("harvest_jobs_run")({"ignore_auth": True}, {"source_id": source_id})
    return job.id


@register.command
@click.command("sensors-demo")
@click.option("--force", is_flag=True, help="harvest again even if the demo was harvested before")
def sensors_demo(force):
    """Harvest the shipped openSenseMap and SensorThings demo samples through local replay servers."""
    import ckan.plugins.toolkit as tk

    from ckanext.smartcityatlas.common.caller import site_context

    site = site_context()
    orgs = tk.get_action("organization_list")(dict(site), {"limit": 1000})
    # the city's environment office of the demo atlas, if it is there
    orgs = sorted(orgs, key=lambda name: name != "umweltamt")
    _opensensemap_demo(site, orgs, force)
    _sensorthings_demo(site, orgs, force)


def _existing(site: dict, name: str, force: bool, orgs: list[str]):
    """(source or None, go on?)"""
    import ckan.plugins.toolkit as tk

    try:
        source = tk.get_action("harvest_source_show")(dict(site), {"id": name})
    except tk.ObjectNotFound:
        source = None
    if source is not None and source.get("status", {}).get("job_count") and not force:
        click.echo(f"sensor demo: {name} already harvested (--force harvests again)")
        return source, False
    if not orgs:
        click.echo("sensor demo: no organisation to publish the demo datasets in", err=True)
        raise click.exceptions.Exit(1)
    return source, True


def _harvest(site: dict, source, orgs: list[str], values: dict, harvester_name: str) -> dict:
    """Create or update the demo source and harvest it once; loopback is
    allowed for this harvest in this process only (the replay listens there)."""
    import ckan.plugins.toolkit as tk
    from ckan import model

    key = "ckanext.smartcityatlas.harvest.allowed_hosts"
    before = tk.config.get(key)
    tk.config[key] = "127.0.0.1"
    try:
        if source is None:
            values["owner_org"] = orgs[0]
            source = tk.get_action("harvest_source_create")(dict(site), values)
        else:
            values.update(id=source["id"], owner_org=source["owner_org"])
            source = tk.get_action("harvest_source_update")(dict(site), values)
        model.Session.commit()
        job_id = _run_job(source["id"], harvester_name)
    finally:
        tk.config[key] = before
    report = tk.get_action("sca_harvest_job_report")(dict(site), {"id": job_id})
    for line in report["gather"]:
        click.echo(f"  {line}")
    return {"job_id": job_id, "records": len(report["records"])}


def _opensensemap_demo(site: dict, orgs: list[str], force: bool) -> None:
    from ckanext.smartcityatlas.demo.opensensemap_replay import Replay

    folder = demo_folder()
    if not (folder / "boxes.json").exists():
        click.echo("sensor demo: this city has no openSenseMap sample")
        return
    source, go_on = _existing(site, SOURCE_NAME, force, orgs)
    if not go_on:
        return
    boxes = json.loads((folder / "boxes.json").read_text(encoding="utf-8"))
    start, end = demo_period()
    replay = Replay(boxes, synthetic_readings(boxes, start, end)).start()
    try:
        config = json.dumps({"start": _iso(start), "end": _iso(end), "window_hours": 24 * 7,
                             "requests_per_minute": 6000, "demo": True})
        values = {"name": SOURCE_NAME, "title": "Demo: openSenseMap (lokale Wiedergabe)", "url": replay.url,
                  "source_type": "sca_opensensemap", "frequency": "MANUAL", "config": config,
                  "notes": "Demodaten: eine lokale Wiedergabe der openSenseMap-API mit synthetischen "
                           "Messwerten (cities/<Stadt>/demo/opensensemap/README.md)."}
        done = _harvest(site, source, orgs, values, "sca_opensensemap")
    finally:
        replay.stop()
    click.echo(f"sensor demo: harvested {done['records']} phenomena from {len(boxes)} demo boxes "
               f"(job {done['job_id']})")


def _sensorthings_demo(site: dict, orgs: list[str], force: bool) -> None:
    from ckanext.smartcityatlas.demo.sensorthings_replay import SensorThingsReplay

    folder = demo_folder("sensorthings")
    if not (folder / "things.json").exists():
        click.echo("sensor demo: this city has no SensorThings sample")
        return
    source, go_on = _existing(site, ST_SOURCE_NAME, force, orgs)
    if not go_on:
        return
    things = json.loads((folder / "things.json").read_text(encoding="utf-8"))
    replay = SensorThingsReplay(things, synthetic_observations(things), page_size=1000).start()
    try:
        config = json.dumps({"license": "dl-by-de/2.0", "server_name": "Demo-Messnetz (lokale Wiedergabe)",
                             "initial_days": ST_DAYS + 0.1, "requests_per_minute": 6000, "demo": True,
                             "public_properties": {"publicInstallation": [True]}})
        values = {"name": ST_SOURCE_NAME, "title": "Demo: SensorThings (lokale Wiedergabe)", "url": replay.url,
                  "source_type": "sca_sensorthings", "frequency": "MANUAL", "config": config,
                  "notes": "Demodaten: eine lokale Wiedergabe eines SensorThings-Servers (OGC SensorThings API "
                           "1.1) mit synthetischen Messwerten der letzten zwei Tage "
                           "(cities/<Stadt>/demo/sensorthings/README.md)."}
        done = _harvest(site, source, orgs, values, "sca_sensorthings")
    finally:
        replay.stop()
    click.echo(f"sensor demo: harvested {done['records']} phenomena from {len(things)} demo Things "
               f"(SensorThings, job {done['job_id']})")
