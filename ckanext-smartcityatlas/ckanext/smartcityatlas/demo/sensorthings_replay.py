# SPDX-License-Identifier: AGPL-3.0-or-later
"""A local replay of an OGC SensorThings API 1.1 server (FROST-like), on
loopback only: for the tests and the demo (``ckan sca sensors-demo``),
never for production.

It answers what ``sca_sensorthings`` asks, with the standard's semantics as
far as the harvester relies on them:

* ``GET /v1.1/Datastreams`` with ``$expand=Thing/Locations,ObservedProperty``
  (always expanded here), ``$filter=st_within(…, geography'POLYGON((…))')``
  (a Datastream matches when its Thing's first Location or its observedArea
  lies in the polygon; ``reject_filter`` answers 400 as servers without
  geospatial functions do), ``$top``/``$skip`` and an absolute
  ``@iot.nextLink``;
* ``GET /v1.1/Datastreams(id)/Observations`` with ``$filter`` of
  ``phenomenonTime gt|ge|lt|le <time>`` joined by ``and``, oldest first,
  ``$top``/``$skip`` and ``@iot.nextLink``.

``things`` are Things in the shape of ``GET /Things(id)?$expand=Datastreams($expand=ObservedProperty),Locations``
(like the Hamburg sample of tests/fixtures/sensorthings). ``faults`` lets a
test answer a path prefix differently (status, body, headers); ``requests``
records the paths asked for, decoded.
"""
from __future__ import annotations

import datetime
import json
import re
import urllib.parse

import shapely.geometry
import shapely.wkt

from ckanext.smartcityatlas.demo.loopback import LoopbackJSONServer

ROOT = "/v1.1"
_TIME = re.compile(r"phenomenonTime\s+(gt|ge|lt|le)\s+(\S+)")
_POLYGON = re.compile(r"geography'(POLYGON\s*\(\(.*?\)\))'", re.IGNORECASE)
_ENTITY = re.compile(r"^Datastreams\((\d+|'[^']*')\)/Observations$")


def _ms(text: str) -> int:
    value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return int(value.timestamp() * 1000)


def _start(stamp: str) -> int:
    return _ms(stamp.split("/", 1)[0])


class SensorThingsReplay(LoopbackJSONServer):
    DECODE_RECORDED_PATHS = True

    def __init__(self, things: list[dict], observations: dict, page_size: int = 100):
        self.things = things
        self.page_size = page_size
        self.observations: dict[str, list[dict]] = {}
        self.set_observations(observations)
        self.reject_filter = False
        super().__init__()

    # ---- data ------------------------------------------------------------------

    def set_observations(self, observations: dict) -> None:
        """{datastream id (as text): [{"phenomenonTime", "result", …}]}."""
        self.observations = {str(ds): sorted((o for o in items if isinstance(o, dict) and "phenomenonTime" in o),
                                             key=lambda o: _start(o["phenomenonTime"]))
                             for ds, items in observations.items()}

    def datastreams(self) -> list[dict]:
        """Every Datastream with its Thing (and Locations) expanded."""
        out = []
        for thing in self.things:
            shown = {k: v for k, v in thing.items() if k != "Datastreams"}
            for ds in thing.get("Datastreams") or []:
                out.append({**ds, "Thing": shown})
        return out

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return self.root + ROOT

    # ---- answers ---------------------------------------------------------------

    def answer(self, path: str) -> tuple[int, bytes, dict]:
        faulty = self.fault_for(path, decoded=True)
        if faulty is not None:
            return faulty
        parsed = urllib.parse.urlsplit(path)
        query = dict(urllib.parse.parse_qsl(parsed.query))
        resource = urllib.parse.unquote(parsed.path)
        if not resource.startswith(ROOT + "/"):
            return _error(404, "not found")
        resource = resource[len(ROOT) + 1:]
        try:
            top = int(query.get("$top", self.page_size))
            skip = int(query.get("$skip", 0))
        except ValueError:
            return _error(400, "invalid $top/$skip")
        if resource == "Datastreams":
            items = self.datastreams()
            if "$filter" in query:
                if self.reject_filter:
                    return _error(400, "Geospatial functions are not supported")
                match = _POLYGON.search(query["$filter"])
                if not match:
                    return _error(400, "unsupported $filter")
                area = shapely.wkt.loads(match.group(1))
                items = [ds for ds in items if _inside(ds, area)]
        else:
            match = _ENTITY.match(resource)
            if not match:
                return _error(404, "not found")
            ds_id = match.group(1).strip("'")
            if not any(str(ds.get("@iot.id")) == ds_id for ds in self.datastreams()):
                return _error(404, "no such Datastream")
            items = list(self.observations.get(ds_id, []))
            for op, stamp in _TIME.findall(query.get("$filter", "")):
                limit = _ms(stamp)
                test = {"gt": lambda t: t > limit, "ge": lambda t: t >= limit,
                        "lt": lambda t: t < limit, "le": lambda t: t <= limit}[op]
                items = [o for o in items if test(_start(o["phenomenonTime"]))]
        page = {"value": items[skip:skip + top]}
        if skip + top < len(items):
            page["@iot.nextLink"] = f"{self.root}{parsed.path}?" + urllib.parse.urlencode(
                {**query, "$skip": skip + top}, quote_via=urllib.parse.quote, safe="$(),'/:")
        return 200, json.dumps(page, ensure_ascii=False).encode("utf-8"), {}


def _inside(datastream: dict, area) -> bool:
    for location in (datastream.get("Thing") or {}).get("Locations") or []:
        geometry = location.get("location") or {}
        if geometry.get("type") == "Feature":
            geometry = geometry.get("geometry")
        try:
            return area.covers(shapely.geometry.shape(geometry))
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    if datastream.get("observedArea"):
        return area.covers(shapely.geometry.shape(datastream["observedArea"]))
    return False


def _error(status: int, message: str) -> tuple[int, bytes, dict]:
    return status, json.dumps({"code": status, "type": "error", "message": message}).encode("utf-8"), {}
