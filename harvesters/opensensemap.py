# SPDX-License-Identifier: AGPL-3.0-or-later
"""``sca_opensensemap``: senseBox readings → hourly and daily aggregates.

The source URL is the openSenseMap API (e.g. ``https://api.opensensemap.org``).
Gather lists the boxes in the city's bounding box (``/boxes``), keeps the
outdoor boxes inside the city boundary, maps their sensors to phenomena
(``sensors/phenomena.yaml`` plus the source's ``phenomena`` rules) and
fetches each mapped sensor's readings since the last run
(``/boxes/:box/data/:sensor``) in windows of ``window_hours``; a window that
returns ``rows_per_request`` rows (the API keeps only the newest 10,000) is
split in halves. Readings are stored raw (duplicates collapse on sensor and
time) and each local day that received some is marked for recomputation.
Each window's readings and the sensor's progress are committed together: a
fetch that fails later loses nothing, and the next run goes on from there.

One record per phenomenon: import writes the dataset (DCAT-AP.de metadata
from the harvest state: temporal and spatial coverage, frequency, licence,
provenance) and then upserts the recomputed days into its DataStore tables
(``sensors/publish.py``); storing, tallies, records and the import are
shared with ``sca_sensorthings`` (``sensor_base.py``). Docs: docs/sensors.md.
"""
from __future__ import annotations

import dataclasses
import datetime
import urllib.parse

import ckan.plugins as p
import shapely.geometry

from ckanext.harvest.interfaces import IHarvester

from ckanext.smartcityatlas.common import fetch
from ckanext.smartcityatlas.harvesters import sensor_base as sb
from ckanext.smartcityatlas.harvesters.base import Gathered
from ckanext.smartcityatlas.harvesters.sensor_base import Tally
from ckanext.smartcityatlas.sensors import aggregate as agg
from ckanext.smartcityatlas.sensors import phenomena as phen
from ckanext.smartcityatlas.sensors import privacy, store

JSON = "application/json"
API_MAX_ROWS = 10000
MIN_WINDOW_MS = 60_000
UTC = datetime.timezone.utc


@dataclasses.dataclass(frozen=True)
class Options:
    """The source configuration keys of this harvester (docs/sensors.md)."""

    window_hours: float = 24
    rows_per_request: int = API_MAX_ROWS
    requests_per_minute: float = 30
    initial_days: float = 2
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    phenomena: tuple = ()
    license: str = "odcpddl"
    max_future_minutes: float = 10
    demo: bool = False  # the datasets say they are demo data (ckan sca sensors-demo)

    @classmethod
    def parse(cls, extra: dict) -> "Options":
        options = cls(window_hours=sb.number(extra, "window_hours", cls.window_hours, 1 / 60, 24 * 31),
                      rows_per_request=sb.number(extra, "rows_per_request", cls.rows_per_request, 1,
                                                 API_MAX_ROWS, int),
                      requests_per_minute=sb.number(extra, "requests_per_minute", cls.requests_per_minute,
                                                    0.1, 6000),
                      initial_days=sb.number(extra, "initial_days", cls.initial_days, 0.001, 366),
                      start=sb.moment(extra, "start"), end=sb.moment(extra, "end"),
                      phenomena=sb.rules(extra), license=sb.licence(extra, cls.license),
                      max_future_minutes=sb.number(extra, "max_future_minutes", cls.max_future_minutes, 0, 1440),
                      demo=sb.flag(extra, "demo"))
        sb.check_period(options.start, options.end)
        return options


class SCAOpenSenseMapHarvester(sb.SCASensorHarvesterBase, p.SingletonPlugin):
    p.implements(IHarvester)

    NAME = "sca_opensensemap"
    TITLE = "openSenseMap (sensor aggregates)"
    DESCRIPTION = ("senseBox readings of the openSenseMap API inside the city, as hourly and daily "
                   "aggregates per sensor and district in DataStore tables")
    OPTIONS = Options
    GUID_PREFIX = "opensensemap"

    # ---- gather ----------------------------------------------------------------

    def gather_records(self, url, cfg, fetcher) -> Gathered:
        from ckan import model

        run = self.start_gather(url, cfg)
        options, source_id, city, base, limit = run.options, run.source_id, run.city, run.base, run.limit
        end, future_ms, rules, known, closed_ms, grid_m = (run.end, run.future_ms, run.rules, run.known,
                                                           run.closed_ms, run.grid_m)
        end_ms = agg.to_ms(end)
        west, south, east, north = city.boundary.bounds
        query = urllib.parse.urlencode({"bbox": f"{west:.6f},{south:.6f},{east:.6f},{north:.6f}",
                                        "exposure": "outdoor", "format": "json"})
        limit.wait()
        boxes = sb.parse_json(fetcher(f"{base}/boxes?{query}", accept=JSON), "the box list")
        if not isinstance(boxes, list):
            raise ValueError("the box list is not a JSON array")

        problems: list[str] = []
        skipped = {"not outdoor": 0, "outside the city": 0, "unreadable": 0}
        unmapped: dict[str, int] = {}
        tally: dict[str, Tally] = {}
        failed = 0
        moved: set[str] = set()
        for box in boxes:
            try:
                box_id = str(box["_id"])
                lon, lat = (float(c) for c in box["currentLocation"]["coordinates"][:2])
                sensors = list(box.get("sensors") or [])
            except (KeyError, TypeError, ValueError, IndexError):
                skipped["unreadable"] += 1
                continue
            if box.get("exposure") != "outdoor":  # indoor, mobile, unknown
                skipped["not outdoor"] += 1
                continue
            point = shapely.geometry.Point(lon, lat)
            if not city.contains(point):
                skipped["outside the city"] += 1
                continue
            districts = city.districts_of(point)
            district = districts[0].name if districts else None
            cell_lon, cell_lat = privacy.coarsen(lon, lat, grid_m)
            for sensor in sensors:
                if not isinstance(sensor, dict) or not sensor.get("_id"):
                    continue
                found = phen.match(sensor, rules)
                if found is None:
                    label = f"{sensor.get('title')!r} ({sensor.get('unit')}, {sensor.get('sensorType')})"
                    known_as = phen.known_title(sensor, rules)
                    if known_as:  # the title is known, the unit is not: never guessed
                        label += f" [{known_as}: unit not known]"
                    unmapped[label] = unmapped.get(label, 0) + 1
                    continue
                phenomenon, factor = found
                sensor_id = str(sensor["_id"])
                before = known.get(sensor_id)
                if before is not None and box_id not in moved and (
                        (before["lon"], before["lat"]) != (cell_lon, cell_lat) or before["district"] != district):
                    moved.add(box_id)
                    problems.append(
                        f"[warning] box {box_id} moved (grid cell {before['lon']},{before['lat']} → "
                        f"{cell_lon},{cell_lat}; district {before['district']} → {district}); its readings "
                        "from now on count for the new place, earlier aggregates keep the old one")
                since = before["last_ts"] if before is not None and before["last_ts"] else \
                    (options.start or end - datetime.timedelta(days=options.initial_days))
                meta = {"box_id": box_id, "phenomenon": phenomenon, "unit_factor": factor,
                        "district": district, "lon": cell_lon, "lat": cell_lat}
                store.save_sensor(source_id, sensor_id, **meta,
                                  first_ts=before["first_ts"] if before else None,
                                  last_ts=before["last_ts"] if before else None)
                model.Session.commit()
                counts = tally.setdefault(phenomenon, Tally())
                try:
                    self._fetch_sensor(base, fetcher, limit, options, source_id, sensor_id, meta,
                                       agg.to_ms(since), end_ms, future_ms, closed_ms, counts)
                except (fetch.FetchError, ValueError) as exc:
                    model.Session.rollback()
                    failed += 1
                    problems.append(f"[error] box {box_id}, sensor {sensor_id} ({phenomenon}): {exc}; "
                                    "what was fetched before is kept, the rest follows at the next harvest")
        if unmapped:
            listed = ", ".join(f"{label} ×{n}" for label, n in sorted(unmapped.items()))
            problems.append(f"[unmapped] sensors that are no known phenomenon (add a rule to "
                            f"\"phenomena\" to use them): {listed}")
        problems.extend(f"[sensors] {n} boxes skipped: {why}" for why, n in skipped.items() if n)
        return self.finish_gather(source_id, end, problems, tally,
                                  {"license": options.license, "api": base, "demo": options.demo},
                                  complete=not failed)

    def _fetch_sensor(self, base, fetcher, limit, options, source_id, sensor_id, meta, since_ms, end_ms,
                      future_ms, closed_ms, counts: Tally):
        step = int(options.window_hours * 3_600_000)
        start = since_ms
        while start < end_ms:
            stop = min(start + step, end_ms)
            readings = self._window(base, fetcher, limit, options, meta["box_id"], sensor_id, start, stop,
                                    future_ms, counts)
            self.store_batch(source_id, sensor_id, meta, readings, stop, closed_ms, counts)
            start = stop

    def _window(self, base, fetcher, limit, options, box_id, sensor_id, start, stop, future_ms, counts):
        query = urllib.parse.urlencode({"from-date": sb.iso(start), "to-date": sb.iso(stop), "format": "json"})
        limit.wait()
        counts.requests += 1
        items = sb.parse_json(fetcher(f"{base}/boxes/{box_id}/data/{sensor_id}?{query}", accept=JSON),
                      f"readings of sensor {sensor_id}")
        if not isinstance(items, list):
            raise ValueError(f"readings of sensor {sensor_id}: not a JSON array")
        if len(items) >= options.rows_per_request:
            # the API answers with the newest rows only: split the window
            if stop - start <= MIN_WINDOW_MS:
                raise ValueError(f"more than {options.rows_per_request} readings within a minute "
                                 f"({sb.iso(start)}); rows_per_request too small?")
            counts.split += 1
            middle = start + (stop - start) // 2
            return (self._window(base, fetcher, limit, options, box_id, sensor_id, start, middle, future_ms,
                                 counts)
                    + self._window(base, fetcher, limit, options, box_id, sensor_id, middle, stop, future_ms,
                                   counts))
        out, seen = [], {}
        for item in reversed(items):  # the API answers newest first: oldest first here
            try:
                ms = sb.parse_ts(item["createdAt"])
                value = float(item["value"])
            except (KeyError, TypeError, ValueError):
                counts.malformed += 1
                continue
            if ms is None or value != value or value in (float("inf"), float("-inf")):
                counts.malformed += 1
            elif ms > future_ms:
                counts.future += 1
            elif ms < start or ms > stop:
                counts.outside_window += 1
            elif ms in seen:  # the same time twice in one page: the first is kept
                counts.repeated += 1
                counts.conflicting += seen[ms] != value
            else:
                seen[ms] = value
                out.append((ms, value))
        return out
