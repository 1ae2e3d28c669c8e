# SPDX-License-Identifier: AGPL-3.0-or-later
"""A local replay of the openSenseMap API, on loopback only: for the tests
and for the demo (``ckan sca sensors-demo``), never for production.

It answers the two calls the harvester makes, with the API's semantics as
far as the harvester relies on them (API-NOTES of the project's sample
data): ``GET /boxes`` (the recorded box list; ``exposure`` filters) and
``GET /boxes/:box/data/:sensor`` (the readings with ``from-date`` ≤
createdAt ≤ ``to-date``, newest first, at most ``max_rows``, JSON items
``{"value": "12.3", "createdAt": "…Z", "location": [lon, lat]}``).
``faults`` lets a test answer a path differently (status, body, a delay).
"""
from __future__ import annotations

import datetime
import json
import urllib.parse

from ckanext.smartcityatlas.demo.loopback import LoopbackJSONServer


def _ms(text: str) -> int:
    return int(datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


class Replay(LoopbackJSONServer):
    def __init__(self, boxes: list[dict], readings: dict[str, list[dict]], max_rows: int = 10000):
        self.boxes = boxes
        self.max_rows = max_rows
        self.readings: dict[str, list[tuple[int, dict]]] = {}
        self.set_readings(readings)
        super().__init__()

    # ---- data ------------------------------------------------------------------

    def set_readings(self, readings: dict[str, list[dict]]) -> None:
        self.readings = {sensor: sorted(((_ms(item["createdAt"]), item) for item in items
                                         if isinstance(item, dict) and "createdAt" in item),
                                        key=lambda pair: pair[0])
                         for sensor, items in readings.items()}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # ---- answers ---------------------------------------------------------------

    def answer(self, path: str) -> tuple[int, bytes, dict]:
        faulty = self.fault_for(path)
        if faulty is not None:
            return faulty
        parsed = urllib.parse.urlsplit(path)
        query = dict(urllib.parse.parse_qsl(parsed.query))
        parts = parsed.path.strip("/").split("/")
        if parts == ["boxes"]:
            wanted = set((query.get("exposure") or "indoor,outdoor,unknown").split(",")) - {"mobile"}
            boxes = [b for b in self.boxes if b.get("exposure") in wanted]
            return 200, json.dumps(boxes).encode("utf-8"), {}
        if len(parts) == 4 and parts[0] == "boxes" and parts[2] == "data":
            try:
                start, stop = _ms(query["from-date"]), _ms(query["to-date"])
            except (KeyError, ValueError):
                return 422, b'{"code":"UnprocessableEntity","message":"invalid from-date/to-date"}', {}
            items = [item for ms, item in self.readings.get(parts[3], []) if start <= ms <= stop]
            newest = list(reversed(items))[:self.max_rows]
            return 200, json.dumps(newest).encode("utf-8"), {}
        return 404, b'{"code":"NotFound","message":"not found"}', {}
