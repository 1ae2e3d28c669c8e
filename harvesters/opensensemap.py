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
(``sensors/publish.py``). Docs: docs/sensors.md.
"""
from __future__ import annotations

import dataclasses
import datetime
import json
import time
import urllib.parse

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import shapely.geometry

from ckanext.harvest.interfaces import IHarvester

from ckanext.smartcityatlas.harvesters import fetch
from ckanext.smartcityatlas.harvesters.base import Gathered, Record, RecordError, SCAHarvesterBase, resource_id
from ckanext.smartcityatlas.sensors import aggregate as agg
from ckanext.smartcityatlas.sensors import phenomena as phen
from ckanext.smartcityatlas.sensors import privacy, publish, settings, store

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
        def number(key, low, high, kind=float):
            value = extra.get(key, getattr(cls, key))
            if isinstance(value, bool) or not isinstance(value, (int, float)) or \
                    (kind is int and value != int(value)) or not low <= value <= high:
                raise ValueError(f"{key} must be a {'whole ' if kind is int else ''}number "
                                 f"between {low:g} and {high:g}")
            return kind(value)

        def moment(key):
            value = extra.get(key)
            if value is None:
                return None
            try:
                parsed = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
            except ValueError:
                parsed = None
            if parsed is None or parsed.tzinfo is None:
                raise ValueError(f"{key} must be a time with time zone, e.g. 2024-10-26T00:00:00Z")
            return parsed.astimezone(UTC)

        rules = extra.get("phenomena", [])
        phen.check_rules(rules)
        licence = extra.get("license", cls.license)
        from ckanext.smartcityatlas.dcat import vocab

        if licence not in {lic["id"] for lic in vocab.dcatde_licenses()}:
            raise ValueError("license must be the id of a licence of the dcat-ap.de list (e.g. odcpddl)")
        options = cls(window_hours=number("window_hours", 1 / 60, 24 * 31),
                      rows_per_request=number("rows_per_request", 1, API_MAX_ROWS, int),
                      requests_per_minute=number("requests_per_minute", 0.1, 6000),
                      initial_days=number("initial_days", 0.001, 366),
                      start=moment("start"), end=moment("end"), phenomena=tuple(rules), license=licence,
                      max_future_minutes=number("max_future_minutes", 0, 1440))
        if not isinstance(extra.get("demo", False), bool):
            raise ValueError("demo must be true or false")
        options = dataclasses.replace(options, demo=extra.get("demo", False))
        if options.start and options.end and options.start >= options.end:
            raise ValueError("start must be before end")
        return options


class RateLimit:
    """At most ``per_minute`` requests a minute: waits between requests."""

    def __init__(self, per_minute: float, sleep=time.sleep):
        self.gap = 60.0 / per_minute
        self.last = None
        self.sleep = sleep

    def wait(self):
        now = time.monotonic()
        if self.last is not None and now - self.last < self.gap:
            self.sleep(self.gap - (now - self.last))
        self.last = time.monotonic()


def _json(response, what: str):
    try:
        return json.loads(response.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"{what}: the answer is not valid JSON ({exc})") from None


def _iso(ms: int) -> str:
    return store.ms_to_dt(ms).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _parse_ts(text) -> int | None:
    try:
        value = datetime.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:
        return None
    return agg.to_ms(value)


@dataclasses.dataclass
class Tally:
    new: int = 0
    repeated: int = 0
    malformed: int = 0
    outside_window: int = 0
    future: int = 0
    closed: int = 0
    conflicting: int = 0
    requests: int = 0
    split: int = 0


class SCAOpenSenseMapHarvester(SCAHarvesterBase, p.SingletonPlugin):
    p.implements(IHarvester)

    NAME = "sca_opensensemap"
    TITLE = "openSenseMap (sensor aggregates)"
    DESCRIPTION = ("senseBox readings of the openSenseMap API inside the city, as hourly and daily "
                   "aggregates per sensor and district in DataStore tables")
    CONFIG_KEYS = tuple(f.name for f in dataclasses.fields(Options))

    sleep = staticmethod(time.sleep)

    def check_config(self, extra: dict) -> None:
        Options.parse(extra)

    # ---- gather ----------------------------------------------------------------

    def gather_records(self, url, cfg, fetcher) -> Gathered:
        from ckan import model
        from ckanext.smartcityatlas import city_config

        options = Options.parse(cfg.extra)
        source_id = cfg.source_id
        city = city_config.current()
        base = url.strip().rstrip("/")
        limit = RateLimit(options.requests_per_minute, self.sleep)
        now = datetime.datetime.now(UTC)
        end = min(options.end or now, now)
        end_ms = agg.to_ms(end)
        future_ms = agg.to_ms(now) + int(options.max_future_minutes * 60_000)
        west, south, east, north = city.boundary.bounds
        query = urllib.parse.urlencode({"bbox": f"{west:.6f},{south:.6f},{east:.6f},{north:.6f}",
                                        "exposure": "outdoor", "format": "json"})
        limit.wait()
        boxes = _json(fetcher(f"{base}/boxes?{query}", accept=JSON), "the box list")
        if not isinstance(boxes, list):
            raise ValueError("the box list is not a JSON array")

        problems: list[str] = []
        rules = phen.rules(options.phenomena)
        known = store.sensors(source_id)
        closed = store.closed_before(source_id)
        closed_ms = agg.to_ms(closed) if closed else None
        grid_m = settings.grid_m()
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
        for phenomenon, counts in sorted(tally.items()):
            problems.extend(_tally_notes(phenomenon, counts))

        pruned = store.prune(source_id, _closed_before(source_id, end))
        model.Session.commit()
        if pruned:
            problems.append(f"[sensors] {pruned} raw readings deleted: their days are aggregated and closed")

        records = []
        for phenomenon in sorted({s["phenomenon"] for s in store.sensors(source_id).values()}):
            content = {"source_id": source_id, "phenomenon": phenomenon, "license": options.license,
                       "api": base, "demo": options.demo}
            records.append(Record(guid=f"opensensemap-{phenomenon}", content=json.dumps(content)))
        # a phenomenon dataset is never withdrawn because one run failed for some sensors
        return Gathered(records=records, complete=not failed, problems=problems)

    def _fetch_sensor(self, base, fetcher, limit, options, source_id, sensor_id, meta, since_ms, end_ms,
                      future_ms, closed_ms, counts: Tally):
        from ckan import model

        step = int(options.window_hours * 3_600_000)
        start = since_ms
        while start < end_ms:
            stop = min(start + step, end_ms)
            readings = self._window(base, fetcher, limit, options, meta["box_id"], sensor_id, start, stop,
                                    future_ms, counts)
            if closed_ms is not None:
                late = [r for r in readings if r[0] < closed_ms]
                counts.closed += len(late)
                readings = [r for r in readings if r[0] >= closed_ms]
            scaled = [(ms, value * meta["unit_factor"]) for ms, value in readings]
            inserted = store.add_readings(source_id, sensor_id, scaled, meta["district"])
            counts.new += inserted
            counts.repeated += len(scaled) - inserted
            state = store.sensors(source_id).get(sensor_id) or {}
            first = min([ms for ms, _ in scaled] + ([store.dt_to_ms(state["first_ts"])]
                                                    if state.get("first_ts") else []), default=None)
            store.save_sensor(source_id, sensor_id, **meta,
                              first_ts=store.ms_to_dt(first) if first is not None else None,
                              last_ts=store.ms_to_dt(stop))
            store.mark_dirty(source_id, meta["phenomenon"], {agg.day_of(ms) for ms, _ in scaled})
            model.Session.commit()  # this window's readings and the progress, together
            start = stop

    def _window(self, base, fetcher, limit, options, box_id, sensor_id, start, stop, future_ms, counts):
        query = urllib.parse.urlencode({"from-date": _iso(start), "to-date": _iso(stop), "format": "json"})
        limit.wait()
        counts.requests += 1
        items = _json(fetcher(f"{base}/boxes/{box_id}/data/{sensor_id}?{query}", accept=JSON),
                      f"readings of sensor {sensor_id}")
        if not isinstance(items, list):
            raise ValueError(f"readings of sensor {sensor_id}: not a JSON array")
        if len(items) >= options.rows_per_request:
            # the API answers with the newest rows only: split the window
            if stop - start <= MIN_WINDOW_MS:
                raise ValueError(f"more than {options.rows_per_request} readings within a minute "
                                 f"({_iso(start)}); rows_per_request too small?")
            counts.split += 1
            middle = start + (stop - start) // 2
            return (self._window(base, fetcher, limit, options, box_id, sensor_id, start, middle, future_ms,
                                 counts)
                    + self._window(base, fetcher, limit, options, box_id, sensor_id, middle, stop, future_ms,
                                   counts))
        out, seen = [], {}
        for item in reversed(items):  # the API answers newest first: oldest first here
            try:
                ms = _parse_ts(item["createdAt"])
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

    # ---- import ----------------------------------------------------------------

    def build_package(self, content: str, guid: str, mapper) -> dict:
        from ckanext.smartcityatlas.sensors import dataset

        data = json.loads(content)
        return dataset.build(data["source_id"], data["phenomenon"], data["license"], data["api"],
                             demo=data.get("demo", False))

    def complete_package(self, pkg: dict) -> dict:
        from ckanext.smartcityatlas.sensors import dataset

        return dataset.complete(pkg)

    def after_import(self, harvest_object, cfg, package_id: str) -> None:
        from ckan import model

        data = json.loads(harvest_object.content)
        phenomenon = phen.phenomena()[data["phenomenon"]]
        source_id = data["source_id"]
        days = store.dirty_days(source_id, phenomenon.id)
        if not days:
            self._error(harvest_object, "[aggregates] no new readings; the tables are unchanged")
            return
        context = {"ignore_auth": True, "user": self._get_user_name()}
        changed = {}
        try:
            for start in range(0, len(days), 7):  # a week at a time: bounded memory
                batch = days[start:start + 7]
                rows = publish.compute(source_id, phenomenon, batch)
                for key, (level, _res, _de, _en) in publish.TABLES.items():
                    res_id = resource_id(package_id, key)
                    publish.ensure_table(context, res_id, level)
                    changed[key] = changed.get(key, 0) + publish.upsert_changed(
                        context, res_id, level, rows[key], batch)
                store.clear_dirty(source_id, phenomenon.id, batch)
                model.Session.commit()
        except (tk.ValidationError, tk.ObjectNotFound) as exc:
            raise RecordError(f"the DataStore tables could not be written: {exc}; the days "
                              "stay marked and are written at the next harvest") from exc
        summary = ", ".join(f"{key} {n}" for key, n in changed.items())
        self._error(harvest_object, f"[aggregates] {len(days)} days recomputed "
                                    f"({days[0]} … {days[-1]}); rows upserted: {summary}")


def _closed_before(source_id: str, end: datetime.datetime) -> datetime.datetime:
    """Raw readings before this are no longer needed: the start of the oldest
    day still open (the day of the last fetch of each sensor that reported in
    the last two days), less the configured retention."""
    active = [s["last_ts"] for s in store.sensors(source_id).values()
              if s["last_ts"] is not None and s["last_ts"] >= end - datetime.timedelta(days=2)]
    oldest = min(active) if active else end
    start = agg.day_window(agg.day_of(agg.to_ms(oldest))).start_ms
    return store.ms_to_dt(start) - datetime.timedelta(hours=settings.raw_retention_hours())


def _tally_notes(phenomenon: str, counts: Tally) -> list[str]:
    notes = [f"[sensors] {phenomenon}: {counts.new} new readings in {counts.requests} requests"
             + (f", {counts.split} windows split (row cap)" if counts.split else "")]
    if counts.repeated:
        notes.append(f"[sensors] {phenomenon}: {counts.repeated} readings already stored "
                     "(duplicates or a repeated page), kept once")
    for attr, text in (("conflicting", "readings with the time of an earlier one but another value skipped "
                                       "(the first was kept)"),
                       ("malformed", "unreadable readings (value or time) skipped"),
                       ("future", "readings with a time in the future skipped"),
                       ("outside_window", "readings outside the requested time window skipped"),
                       ("closed", "readings for days already closed (aggregated, raw data deleted) skipped")):
        if getattr(counts, attr):
            notes.append(f"[warning] {phenomenon}: {getattr(counts, attr)} {text}")
    return notes
