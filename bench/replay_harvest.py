# SPDX-License-Identifier: AGPL-3.0-or-later
"""Shared by the sensor benches: synthetic senseBoxes spread over the city
and one harvest of them through the real openSenseMap harvester from the
local replay (once: a source with a finished job is left as it is)."""
from __future__ import annotations

import datetime
import json
import random
import time

import common
import entity_generator


def _iso(moment: datetime.datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def synthetic(n: int, sensors: list[tuple[str, str, str, float]], start: datetime.datetime,
              end: datetime.datetime, seed: int, prefix: str = "") -> tuple[list[dict], dict[str, list[dict]]]:
    """n boxes at random points of the city, each with ``sensors`` (title,
    unit, sensor type, base value) reporting every 10 minutes from start to
    before end, base ± 20 %."""
    rng = random.Random(seed)
    boxes, readings = [], {}
    for i, point in enumerate(entity_generator.points_in_city(rng, n)):
        box_id = f"{prefix}{i:0{24 - len(prefix)}x}"
        box_sensors = []
        for j, (title, unit, kind, base) in enumerate(sensors):
            sensor_id = f"{prefix}{i:0{20 - len(prefix)}x}{j:04x}"
            box_sensors.append({"_id": sensor_id, "title": title, "unit": unit, "sensorType": kind,
                                "boxes_id": box_id})
            items, t = [], start
            while t < end:
                items.append({"value": f"{base + rng.uniform(-base / 5, base / 5):.2f}", "location": point,
                              "createdAt": _iso(t)})
                t += datetime.timedelta(minutes=10)
            readings[sensor_id] = items
        boxes.append({"_id": box_id, "name": f"Bench {i}", "exposure": "outdoor", "model": "luftdaten_sds011_dht22",
                      "createdAt": "2024-01-01T00:00:00.000Z", "updatedAt": _iso(end), "grouptag": [""],
                      "sensors": box_sensors, "currentLocation": {"type": "Point", "coordinates": point,
                                                                  "timestamp": "2024-01-01T00:00:00.000Z"}})
    return boxes, readings


def harvest_once(name: str, title: str, make, window_hours: float) -> None:
    """Harvest the boxes of ``make() -> (boxes, readings, start, end)`` as
    source ``name`` unless it was harvested before."""
    import ckan.plugins.toolkit as tk
    from ckan import model

    from ckanext.smartcityatlas.demo import sensors
    from ckanext.smartcityatlas.demo.opensensemap_replay import Replay

    site = common.site_context()
    try:
        source = tk.get_action("harvest_source_show")(dict(site), {"id": name})
        if source.get("status", {}).get("job_count"):
            print(f"sensor datasets: already harvested ({name})")
            return
    except tk.ObjectNotFound:
        source = None
    try:
        tk.get_action("organization_show")(dict(site), {"id": "bench-umwelt"})
    except tk.ObjectNotFound:
        tk.get_action("organization_create")(dict(site), {"name": "bench-umwelt", "title": "Bench Umwelt"})
    box_list, readings, start, end = make()
    replay = Replay(box_list, readings).start()
    key = "ckanext.smartcityatlas.harvest.allowed_hosts"
    before = tk.config.get(key)
    tk.config[key] = "127.0.0.1"
    try:
        config = {"start": _iso(start), "end": _iso(end), "window_hours": window_hours, "requests_per_minute": 6000}
        if source is None:
            source = tk.get_action("harvest_source_create")(dict(site), {
                "name": name, "title": title, "url": replay.url, "source_type": "sca_opensensemap",
                "frequency": "MANUAL", "owner_org": "bench-umwelt", "config": json.dumps(config)})
        else:
            tk.get_action("harvest_source_patch")(dict(site), {"id": source["id"], "url": replay.url})
        model.Session.commit()
        started = time.perf_counter()
        sensors._run_job(source["id"])
        print(f"harvested {len(box_list)} boxes × {len(box_list[0]['sensors'])} sensors "
              f"({sum(len(r) for r in readings.values())} readings) in {time.perf_counter() - started:.1f} s")
    finally:
        tk.config[key] = before
        replay.stop()
