# SPDX-License-Identifier: AGPL-3.0-or-later
"""``sca_sensorthings``: OGC SensorThings API 1.1 Observations → hourly and
daily aggregates, like ``sca_opensensemap`` (the shared ``sensor_base``).

The source URL is the service root (e.g. ``https://example.org/FROST-Server/v1.1``).
Gather lists the Datastreams whose Thing (or observed area) lies in the
city's bounding box (``$filter=st_within(…)``, ``$expand=Thing/Locations,ObservedProperty``,
``$select``); a server that rejects the filter is read unfiltered (reported).
Each Datastream is one sensor of one phenomenon, placed at its Thing's
Location (else the centre of its observedArea) and kept only inside the
city boundary; its ObservedProperty and unit map it to a phenomenon
(``sensors/phenomena.yaml``, the source's ``phenomena`` rules first). Its
Observations since the newest one stored (``phenomenonTime gt …``, oldest
first) are read page by page along ``@iot.nextLink``: a link that repeats,
leaves the configured server or exceeds ``max_pages`` stops the paging
(reported); each page is stored with the sensor's progress in one commit.
Import is the shared one: the DCAT-AP.de dataset and the DataStore tables.
Docs: docs/sensors.md.
"""
from __future__ import annotations

import dataclasses
import datetime
import math
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
UTC = datetime.timezone.utc
# resultQuality values (any string in it, without case) that mean "do not use"
BAD_QUALITY = ("bad", "invalid", "not valid", "suspect", "doubtful", "erroneous", "missing", "rejected")
REJECTED_FILTER = (400, 404, 405, 422, 500, 501)  # how servers answer a filter they cannot evaluate


@dataclasses.dataclass(frozen=True)
class Options:
    """The source configuration keys of this harvester (docs/sensors.md)."""

    license: str | None = None  # required
    server_name: str | None = None
    official: bool = False
    public_properties: tuple = ()  # ((property, (values…)), …)
    bad_quality: tuple = BAD_QUALITY
    page_size: int = 1000
    max_observations: int = 100_000
    requests_per_minute: float = 120
    initial_days: float = 2
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    phenomena: tuple = ()
    max_future_minutes: float = 10
    demo: bool = False

    @classmethod
    def parse(cls, extra: dict) -> "Options":
        name = extra.get("server_name")
        if name is not None and (not isinstance(name, str) or not name.strip() or len(name) > 200):
            raise ValueError("server_name must be a text of at most 200 characters")
        public = extra.get("public_properties", {})
        if not isinstance(public, dict) or not all(
                isinstance(k, str) and isinstance(v, list) and v and
                all(isinstance(x, (str, bool, int)) for x in v) for k, v in public.items()):
            raise ValueError('public_properties must map a Thing property to the values that mark a public '
                             'installation, e.g. {"publicInstallation": [true]}')
        bad = extra.get("bad_quality", list(BAD_QUALITY))
        if not isinstance(bad, list) or not all(isinstance(x, str) and x.strip() for x in bad):
            raise ValueError("bad_quality must be a list of resultQuality values")
        options = cls(
            license=sb.licence(extra, None), server_name=name.strip() if name else None,
            official=sb.flag(extra, "official"),
            public_properties=tuple((k, tuple(_norm(x) for x in v)) for k, v in sorted(public.items())),
            bad_quality=tuple(x.strip().casefold() for x in bad),
            page_size=sb.number(extra, "page_size", cls.page_size, 1, 10000, int),
            max_observations=sb.number(extra, "max_observations", cls.max_observations, 1, 10_000_000, int),
            requests_per_minute=sb.number(extra, "requests_per_minute", cls.requests_per_minute, 0.1, 6000),
            initial_days=sb.number(extra, "initial_days", cls.initial_days, 0.001, 366),
            start=sb.moment(extra, "start"), end=sb.moment(extra, "end"), phenomena=sb.rules(extra),
            max_future_minutes=sb.number(extra, "max_future_minutes", cls.max_future_minutes, 0, 1440),
            demo=sb.flag(extra, "demo"))
        sb.check_period(options.start, options.end)
        return options


def _norm(value) -> str:
    return str(value).strip().casefold()


def _origin(url: str) -> tuple:
    parts = urllib.parse.urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def _entity(collection: str, ident) -> str:
    """``Datastreams(7)`` or ``Datastreams('a''b')``: ids are numbers or strings."""
    if isinstance(ident, int) and not isinstance(ident, bool):
        return f"{collection}({ident})"
    return f"{collection}('{urllib.parse.quote(str(ident).replace(chr(39), chr(39) * 2), safe=chr(39))}')"


def _query(params: dict) -> str:
    return urllib.parse.urlencode(params, quote_via=urllib.parse.quote, safe="$(),'/:")


class Paging:
    """Follows ``@iot.nextLink`` from ``url``: yields each page's ``value``.
    Stops (``stopped`` says why) at a link seen before, at ``max_pages``,
    or at a link to another server (never fetched: the fetcher's address
    checks aside, a source may only make us read its own server)."""

    def __init__(self, fetcher, limit, origin, max_pages: int, what: str, counts: Tally | None = None):
        self.fetcher, self.limit, self.origin = fetcher, limit, origin
        self.max_pages, self.what, self.counts = max_pages, what, counts
        self.stopped: str | None = None
        self.pages = 0

    def __call__(self, url: str):
        seen = set()
        while url:
            if url in seen:
                self.stopped = f"[warning] {self.what}: the server sent a @iot.nextLink already followed " \
                               f"({url}); paging stopped"
                return
            if self.pages >= self.max_pages:
                self.stopped = f"[warning] {self.what}: max_pages ({self.max_pages}) reached; the rest " \
                               "follows at the next harvest"
                return
            seen.add(url)
            self.pages += 1
            self.limit.wait()
            if self.counts is not None:
                self.counts.requests += 1
            body = sb.parse_json(self.fetcher(url, accept=JSON), self.what)
            if not isinstance(body, dict) or not isinstance(body.get("value"), list):
                raise ValueError(f"{self.what}: not a SensorThings collection (no \"value\" array)")
            yield body["value"]
            link = body.get("@iot.nextLink")
            if link is None:
                return
            if not isinstance(link, str) or not link.strip():
                raise ValueError(f"{self.what}: @iot.nextLink is {'empty' if isinstance(link, str) else 'not a text'}")
            link = urllib.parse.urljoin(url, link.strip())
            if _origin(link) != self.origin:
                self.stopped = f"[error] {self.what}: @iot.nextLink points to another server " \
                               f"({urllib.parse.urlsplit(link).netloc}); refused, paging stopped"
                return
            url = link


def _point(geometry):
    """A point of a GeoJSON geometry (or Feature): the point itself, else a
    point on or in it; None when unreadable or not WGS84 lon/lat."""
    if isinstance(geometry, dict) and geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")
    if not isinstance(geometry, dict):
        return None
    try:
        shape = shapely.geometry.shape(geometry)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None
    if shape.is_empty:
        return None
    point = shape if shape.geom_type == "Point" else shape.representative_point()
    if not (math.isfinite(point.x) and math.isfinite(point.y) and -180 <= point.x <= 180 and -90 <= point.y <= 90):
        return None
    return shapely.geometry.Point(point.x, point.y)


def _location(datastream: dict):
    thing = datastream.get("Thing") if isinstance(datastream.get("Thing"), dict) else {}
    for location in thing.get("Locations") or []:
        if isinstance(location, dict):
            point = _point(location.get("location"))
            if point is not None:
                return point
    return _point(datastream.get("observedArea"))


def _is_public(properties, rules: tuple) -> bool:
    """Whether a Thing's properties mark it as a public installation
    (``public_properties``; none configured: no Thing is)."""
    if not isinstance(properties, dict):
        return False
    return any(key in properties and _norm(properties[key]) in values for key, values in rules)


def _quality_bad(quality, bad: tuple) -> bool:
    if quality is None:
        return False
    values = quality.values() if isinstance(quality, dict) else quality if isinstance(quality, list) else [quality]
    return any(isinstance(v, str) and v.strip().casefold() in bad for v in values)


def _result(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


class SCASensorThingsHarvester(sb.SCASensorHarvesterBase, p.SingletonPlugin):
    p.implements(IHarvester)

    NAME = "sca_sensorthings"
    TITLE = "OGC SensorThings API (sensor aggregates)"
    DESCRIPTION = ("Observations of an OGC SensorThings API 1.1 server inside the city, as hourly and daily "
                   "aggregates per sensor and district in DataStore tables")
    OPTIONS = Options
    GUID_PREFIX = "sensorthings"

    # ---- gather ----------------------------------------------------------------

    def gather_records(self, url, cfg, fetcher) -> Gathered:
        from ckan import model

        run = self.start_gather(url, cfg)
        options, source_id, city, base, limit = run.options, run.source_id, run.city, run.base, run.limit
        end, future_ms, rules, known, closed_ms, grid_m = (run.end, run.future_ms, run.rules, run.known,
                                                           run.closed_ms, run.grid_m)
        origin = _origin(base)
        problems: list[str] = []

        datastreams, complete = self._datastreams(base, origin, fetcher, limit, cfg, options, city, problems)

        skipped = {"outside the city": 0, "without a readable location": 0, "unreadable": 0}
        unmapped: dict[str, int] = {}
        units: dict[str, int] = {}
        empty: list[str] = []
        tally: dict[str, Tally] = {}
        failed = 0
        public = 0
        for ds in datastreams:
            if not isinstance(ds, dict) or ds.get("@iot.id") is None:
                skipped["unreadable"] += 1
                continue
            ds_id = ds["@iot.id"]
            sensor_id = str(ds_id)
            point = _location(ds)
            if point is None:
                skipped["without a readable location"] += 1
                continue
            if not city.contains(point):
                skipped["outside the city"] += 1
                continue
            observed = ds.get("ObservedProperty") if isinstance(ds.get("ObservedProperty"), dict) else {}
            unit = ds.get("unitOfMeasurement") if isinstance(ds.get("unitOfMeasurement"), dict) else {}
            phenomenon, factor = phen.match_datastream(observed, unit, rules)
            if phenomenon is None:
                label = f"{observed.get('name') or '?'!r} ({observed.get('definition') or 'no definition'}, " \
                        f"{unit.get('symbol') or '?'})"
                unmapped[label] = unmapped.get(label, 0) + 1
                continue
            if factor is None:
                label = f"{phenomenon}: {unit.get('symbol') or unit.get('definition') or '?'!r}"
                units[label] = units.get(label, 0) + 1
                continue
            thing = ds.get("Thing") if isinstance(ds.get("Thing"), dict) else {}
            thing_id = str(thing.get("@iot.id")) if thing.get("@iot.id") is not None else f"datastream-{sensor_id}"
            districts = city.districts_of(point)
            district = districts[0].name if districts else None
            if _is_public(thing.get("properties"), options.public_properties):
                public += 1
                lon, lat = round(point.x, 6), round(point.y, 6)
            else:  # like a senseBox: the centre of its grid cell
                lon, lat = privacy.coarsen(point.x, point.y, grid_m)
            meta = {"box_id": thing_id, "phenomenon": phenomenon, "unit_factor": factor,
                    "district": district, "lon": lon, "lat": lat}
            before = known.get(sensor_id)
            if before is not None and ((before["lon"], before["lat"]) != (lon, lat)
                                       or before["district"] != district):
                problems.append(f"[warning] Datastream {sensor_id} moved ({before['lon']},{before['lat']} → "
                                f"{lon},{lat}; district {before['district']} → {district}); its readings "
                                "from now on count for the new place, earlier aggregates keep the old one")
                store.save_sensor(source_id, sensor_id, **meta)
                model.Session.commit()
            counts = tally.setdefault(phenomenon, Tally())
            since = before["last_ts"] if before is not None and before["last_ts"] else None
            try:
                stored = self._observations(base, origin, fetcher, limit, cfg, options, source_id, ds_id, meta,
                                            since, end, future_ms, closed_ms, counts, problems)
            except (fetch.FetchError, ValueError) as exc:
                model.Session.rollback()
                failed += 1
                problems.append(f"[error] Datastream {sensor_id} ({phenomenon}): {exc}; what was fetched "
                                "before is kept, the rest follows at the next harvest")
                continue
            if stored is None and before is None:
                empty.append(sensor_id)

        if unmapped:
            listed = ", ".join(f"{label} ×{n}" for label, n in sorted(unmapped.items()))
            problems.append(f"[unmapped] Datastreams of no known phenomenon (ObservedProperty name, definition, "
                            f"unit; add a rule to \"phenomena\" to use them): {listed}")
        if units:
            listed = ", ".join(f"{label} ×{n}" for label, n in sorted(units.items()))
            problems.append(f"[warning] Datastreams skipped: their unit is not convertible to the phenomenon's "
                            f"unit (add it to a \"phenomena\" rule with its factor): {listed}")
        if empty:
            problems.append(f"[sensors] {len(empty)} Datastreams without observations in the period (not an "
                            f"error): {', '.join(sorted(empty)[:20])}{' …' if len(empty) > 20 else ''}")
        if public:
            problems.append(f"[sensors] {public} Datastreams of public installations published at their "
                            "exact position")
        problems.extend(f"[sensors] {n} Datastreams skipped: {why}" for why, n in skipped.items() if n)
        content = {"license": options.license, "api": base, "demo": options.demo,
                   "server_name": options.server_name or urllib.parse.urlsplit(base).hostname,
                   "official": options.official}
        return self.finish_gather(source_id, end, problems, tally, content, complete=complete and not failed)

    def _datastreams(self, base, origin, fetcher, limit, cfg, options, city, problems) -> tuple[list, bool]:
        """The Datastreams in the city's bounding box, with Thing, Locations
        and ObservedProperty; (list, read completely)."""
        west, south, east, north = city.boundary.bounds
        ring = ", ".join(f"{x:.6f} {y:.6f}" for x, y in
                         ((west, south), (east, south), (east, north), (west, north), (west, south)))
        area = f"geography'POLYGON(({ring}))'"
        params = {"$select": "id,name,unitOfMeasurement,observedArea",
                  "$expand": "Thing/Locations,ObservedProperty", "$top": options.page_size}
        filtered = f"{base}/Datastreams?" + _query(
            {"$filter": f"st_within(Thing/Locations/location, {area}) or st_within(observedArea, {area})",
             **params})
        paging = Paging(fetcher, limit, origin, cfg.max_pages, "the Datastream list")
        try:
            found = [ds for page in paging(filtered) for ds in page]
        except fetch.FetchError as exc:
            if exc.status not in REJECTED_FILTER:
                raise
            problems.append(f"[warning] the server rejected the st_within filter ({exc}); all Datastreams "
                            "are read and filtered by the city boundary here")
            paging = Paging(fetcher, limit, origin, cfg.max_pages, "the Datastream list")
            found = [ds for page in paging(f"{base}/Datastreams?" + _query(params)) for ds in page]
        if paging.stopped:
            problems.append(paging.stopped + "; Datastreams not listed are fetched at the next harvest")
        return found, paging.stopped is None

    def _observations(self, base, origin, fetcher, limit, cfg, options, source_id, ds_id, meta, since, end,
                      future_ms, closed_ms, counts: Tally, problems) -> int | None:
        """Fetch and store the Datastream's new Observations, page by page;
        the time of the newest one stored (ms), None when there was none."""
        sensor_id = str(ds_id)
        if since is not None:
            condition = f"phenomenonTime gt {sb.iso(store.dt_to_ms(since))}"
        else:
            first = options.start or end - datetime.timedelta(days=options.initial_days)
            condition = f"phenomenonTime ge {sb.iso(agg.to_ms(first))}"
        if options.end:
            condition += f" and phenomenonTime le {sb.iso(agg.to_ms(end))}"
        url = f"{base}/{_entity('Datastreams', ds_id)}/Observations?" + _query(
            {"$filter": condition, "$orderby": "phenomenonTime asc",
             "$select": "phenomenonTime,result,resultQuality", "$top": options.page_size})
        what = f"Observations of Datastream {sensor_id}"
        paging = Paging(fetcher, limit, origin, cfg.max_pages, what, counts)
        newest = store.dt_to_ms(since) if since is not None else None
        taken = 0
        for page in paging(url):
            readings, seen = [], {}
            for item in page:
                ms, value, stamp_ok = self._reading(item, options, counts)
                if not stamp_ok:
                    continue
                if ms > future_ms:
                    counts.future += 1
                    continue
                newest = ms if newest is None else max(newest, ms)
                if value is None:
                    continue
                if ms in seen:  # the same time twice in one page: the first is kept
                    counts.repeated += 1
                    counts.conflicting += seen[ms] != value
                    continue
                seen[ms] = value
                readings.append((ms, value))
            if newest is not None:
                self.store_batch(source_id, sensor_id, meta, readings, newest, closed_ms, counts)
            taken += len(page)
            if taken >= options.max_observations:
                problems.append(f"[warning] {what}: max_observations ({options.max_observations}) reached; "
                                "the rest follows at the next harvest")
                break
        if paging.stopped and paging.stopped.startswith("[error] "):
            # a failed Datastream: reported by the caller, what was stored stays
            raise ValueError(paging.stopped[len(f"[error] {what}: "):])
        if paging.stopped:
            problems.append(paging.stopped + "; what was fetched is kept")
        return newest if since is None or newest != store.dt_to_ms(since) else None

    def _reading(self, item, options, counts: Tally) -> tuple[int | None, float | None, bool]:
        """(time ms, value or None when skipped, time readable)."""
        if not isinstance(item, dict):
            counts.malformed += 1
            return None, None, False
        stamp = item.get("phenomenonTime")
        if isinstance(stamp, str) and "/" in stamp:  # an interval: it counts for its start
            stamp = stamp.split("/", 1)[0]
        ms = sb.parse_ts(stamp) if isinstance(stamp, str) else None
        if ms is None:
            counts.malformed += 1
            return None, None, False
        if _quality_bad(item.get("resultQuality"), options.bad_quality):
            counts.quality += 1
            return ms, None, True
        value = _result(item.get("result"))
        if value is None:
            counts.non_numeric += 1
        return ms, value, True
