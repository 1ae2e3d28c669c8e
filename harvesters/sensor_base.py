# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the sensor harvesters (``sca_opensensemap``, ``sca_sensorthings``)
share: option parsing, the request rate, the tallies of skipped readings,
storing a batch of readings together with the sensor's progress, pruning
raw readings, one record per phenomenon, and the import (the DCAT-AP.de
dataset of ``sensors/dataset.py``, then the DataStore tables of
``sensors/publish.py``). A subclass gathers: it finds its sensors, calls
``store_batch`` for what it fetched and ``finish_gather`` at the end.
Docs: docs/sensors.md.
"""
from __future__ import annotations

import dataclasses
import datetime
import json
import time

import ckan.plugins.toolkit as tk

from ckanext.smartcityatlas.common.ids import resource_id
from ckanext.smartcityatlas.harvesters.base import Gathered, Record, RecordError, SCAHarvesterBase
from ckanext.smartcityatlas.harvesters.parse_error import describe
from ckanext.smartcityatlas.sensors import aggregate as agg
from ckanext.smartcityatlas.sensors import phenomena as phen
from ckanext.smartcityatlas.sensors import publish, settings, store

UTC = datetime.timezone.utc


# ---- option parsing -------------------------------------------------------------

def number(extra: dict, key: str, default, low: float, high: float, kind=float):
    value = extra.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            (kind is int and value != int(value)) or not low <= value <= high:
        raise ValueError(f"{key} must be a {'whole ' if kind is int else ''}number "
                         f"between {low:g} and {high:g}")
    return kind(value)


def moment(extra: dict, key: str) -> datetime.datetime | None:
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


def licence(extra: dict, default: str | None) -> str:
    from ckanext.smartcityatlas.dcat import vocab

    value = extra.get("license", default)
    if value is None:
        raise ValueError("license is required: the licence of the source's data, the id of a licence "
                         "of the dcat-ap.de list (e.g. dl-by-de/2.0)")
    if value not in {lic["id"] for lic in vocab.dcatde_licenses()}:
        raise ValueError("license must be the id of a licence of the dcat-ap.de list (e.g. dl-by-de/2.0)")
    return value


def flag(extra: dict, key: str, default: bool = False) -> bool:
    value = extra.get(key, default)
    if not isinstance(value, bool):
        raise ValueError(f"{key} must be true or false")
    return value


def rules(extra: dict) -> tuple:
    value = extra.get("phenomena", [])
    phen.check_rules(value)
    return tuple(value)


def check_period(start, end) -> None:
    if start and end and start >= end:
        raise ValueError("start must be before end")


# ---- small helpers ---------------------------------------------------------------

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


def parse_json(response, what: str):
    """The answer as JSON, or ValueError saying where it is not (never its content)."""
    try:
        return json.loads(response.body.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError too
        raise ValueError(f"{what}: the answer is not valid JSON ({describe(exc)}; "
                         f"{response.summary()})") from None


def iso(ms: int) -> str:
    return store.ms_to_dt(ms).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_ts(text) -> int | None:
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
    quality: int = 0
    non_numeric: int = 0
    requests: int = 0
    split: int = 0


def tally_notes(phenomenon: str, counts: Tally) -> list[str]:
    notes = [f"[sensors] {phenomenon}: {counts.new} new readings in {counts.requests} requests"
             + (f", {counts.split} windows split (row cap)" if counts.split else "")]
    if counts.repeated:
        notes.append(f"[sensors] {phenomenon}: {counts.repeated} readings already stored "
                     "(duplicates or a repeated page), kept once")
    for attr, text in (("conflicting", "readings with the time of an earlier one but another value skipped "
                                       "(the first was kept)"),
                       ("malformed", "unreadable readings (value or time) skipped"),
                       ("non_numeric", "observations with a null or non-numeric result skipped"),
                       ("quality", "observations flagged as bad quality (resultQuality) skipped"),
                       ("future", "readings with a time in the future skipped"),
                       ("outside_window", "readings outside the requested time window skipped"),
                       ("closed", "readings for days already closed (aggregated, raw data deleted) skipped")):
        if getattr(counts, attr):
            notes.append(f"[warning] {phenomenon}: {getattr(counts, attr)} {text}")
    return notes


def closed_before(source_id: str, end: datetime.datetime) -> datetime.datetime:
    """Raw readings before this are no longer needed: the start of the oldest
    day still open (the day of the last fetch of each sensor that reported in
    the last two days), less the configured retention."""
    active = [s["last_ts"] for s in store.sensors(source_id).values()
              if s["last_ts"] is not None and s["last_ts"] >= end - datetime.timedelta(days=2)]
    oldest = min(active) if active else end
    start = agg.day_window(agg.day_of(agg.to_ms(oldest))).start_ms
    return store.ms_to_dt(start) - datetime.timedelta(hours=settings.raw_retention_hours())


# ---- the shared harvester ----------------------------------------------------------

@dataclasses.dataclass
class GatherStart:
    """What every sensor gather begins with: the options, the time window
    and what is stored of the source so far."""
    options: object
    source_id: str
    city: object  # common.city_config.City
    base: str  # the source's address, without a trailing slash
    limit: RateLimit
    now: datetime.datetime
    end: datetime.datetime  # the window's end: the option's, never later than now
    future_ms: int  # readings after this are in the future (the source's clock may run ahead a little)
    rules: tuple  # phenomenon rules: the source's first, then sensors/phenomena.yaml
    known: dict  # the source's sensors stored so far
    closed_ms: int | None  # days before this are aggregated and closed
    grid_m: float  # the coarsening grid of sensor locations


class SCASensorHarvesterBase(SCAHarvesterBase):
    """Sensor readings → one aggregate dataset per phenomenon (module doc)."""

    # the record guids are "<GUID_PREFIX>-<phenomenon>"
    GUID_PREFIX = ""
    # the source's options: a dataclass with a classmethod parse(extra); its fields are the CONFIG_KEYS
    OPTIONS: type | None = None

    sleep = staticmethod(time.sleep)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.OPTIONS is not None:
            cls.CONFIG_KEYS = tuple(f.name for f in dataclasses.fields(cls.OPTIONS))

    def check_config(self, extra: dict) -> None:
        self.OPTIONS.parse(extra)

    def start_gather(self, url: str, cfg) -> GatherStart:
        from ckanext.smartcityatlas.common import city_config

        options = self.OPTIONS.parse(cfg.extra)
        now = datetime.datetime.now(UTC)
        closed = store.closed_before(cfg.source_id)
        return GatherStart(
            options=options, source_id=cfg.source_id, city=city_config.current(), base=url.strip().rstrip("/"),
            limit=RateLimit(options.requests_per_minute, self.sleep), now=now, end=min(options.end or now, now),
            future_ms=agg.to_ms(now) + int(options.max_future_minutes * 60_000),
            rules=phen.rules(options.phenomena), known=store.sensors(cfg.source_id),
            closed_ms=agg.to_ms(closed) if closed else None, grid_m=settings.grid_m())

    def store_batch(self, source_id: str, sensor_id: str, meta: dict, readings: list[tuple[int, float]],
                    progress_ms: int, closed_ms: int | None, counts: Tally) -> None:
        """Store readings (already in the sensor's source unit) with the
        sensor's progress, in one commit: a later failure loses nothing."""
        from ckan import model

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
                          last_ts=store.ms_to_dt(progress_ms))
        store.mark_dirty(source_id, meta["phenomenon"], {agg.day_of(ms) for ms, _ in scaled})
        model.Session.commit()  # these readings and the progress, together

    def finish_gather(self, source_id: str, end: datetime.datetime, problems: list[str],
                      tally: dict[str, Tally], content: dict, complete: bool) -> Gathered:
        """Tallies, pruning of closed days, one record per phenomenon."""
        from ckan import model

        for phenomenon, counts in sorted(tally.items()):
            problems.extend(tally_notes(phenomenon, counts))
        pruned = store.prune(source_id, closed_before(source_id, end))
        model.Session.commit()
        if pruned:
            problems.append(f"[sensors] {pruned} raw readings deleted: their days are aggregated and closed")
        records = []
        for phenomenon in sorted({s["phenomenon"] for s in store.sensors(source_id).values()}):
            data = {"source_id": source_id, "phenomenon": phenomenon, **content}
            records.append(Record(guid=f"{self.GUID_PREFIX}-{phenomenon}", content=json.dumps(data)))
        # a phenomenon dataset is never withdrawn because one run failed for some sensors
        return Gathered(records=records, complete=complete, problems=problems)

    # ---- import ----------------------------------------------------------------

    def build_package(self, content: str, guid: str, mapper) -> dict:
        from ckanext.smartcityatlas.sensors import dataset

        data = json.loads(content)
        return dataset.build(data["source_id"], data["phenomenon"], data["license"], data["api"],
                             demo=data.get("demo", False), source=dataset.SOURCES[self.NAME],
                             server_name=data.get("server_name"), official=data.get("official", False))

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
                for key in publish.TABLES:
                    changed[key] = changed.get(key, 0) + publish.write(
                        context, resource_id(package_id, key), key, rows[key], batch, phenomenon.energetic)
                store.clear_dirty(source_id, phenomenon.id, batch)
                model.Session.commit()
        except (tk.ValidationError, tk.ObjectNotFound) as exc:
            raise RecordError(f"the DataStore tables could not be written: {exc}; the days "
                              "stay marked and are written at the next harvest") from exc
        summary = ", ".join(f"{key} {n}" for key, n in changed.items())
        self._error(harvest_object, f"[aggregates] {len(days)} days recomputed "
                                    f"({days[0]} … {days[-1]}); rows upserted: {summary}")
