# SPDX-License-Identifier: AGPL-3.0-or-later
"""The JSON configuration of a harvest source (docs/harvesting.md)."""
from __future__ import annotations

import dataclasses
import json

from ckanext.smartcityatlas.harvesters import fetch, mapping

STRICTNESS = ("import_with_warnings", "reject_violations")
REMOVAL = ("withdraw", "delete", "keep")
FORMATS = ("xml", "turtle", "nt", "json-ld")


@dataclasses.dataclass(frozen=True)
class SourceConfig:
    strictness: str = "import_with_warnings"
    removal: str = "withdraw"
    overwrite_curated: bool | tuple[str, ...] = False
    organization: str | None = None
    priority: int = 0
    max_size_mb: float = 50
    connect_timeout: float = 10
    read_timeout: float = 30
    total_timeout: float = 300
    max_pages: int = 100
    max_retries: int = 2
    max_retry_after: float = 60
    format: str | None = None
    private: bool = False
    mappings: dict = dataclasses.field(default_factory=dict)
    # the harvester's own keys (SCAHarvesterBase.EXTRA_CONFIG), checked by it
    options: dict = dataclasses.field(default_factory=dict)

    def limits(self) -> fetch.Limits:
        return fetch.Limits(connect_timeout=self.connect_timeout, read_timeout=self.read_timeout,
                            deadline=self.total_timeout, max_bytes=int(self.max_size_mb * fetch.MB),
                            max_retries=self.max_retries, max_retry_after=self.max_retry_after)

    def overwrite(self) -> bool | list[str]:
        return self.overwrite_curated if isinstance(self.overwrite_curated, bool) \
            else list(self.overwrite_curated)


def _number(data: dict, key: str, default, low: float, high: float, kind=float):
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and value != int(value)):
        raise ValueError(f"{key} must be a {'whole ' if kind is int else ''}number")
    if not low <= value <= high:
        raise ValueError(f"{key} must be between {low:g} and {high:g}")
    return kind(value)


def parse(text: str | None, extra: dict | None = None) -> SourceConfig:
    """Parse and check a source configuration; ValueError with a clear message.
    ``extra``: a harvester's own keys, key → check(value) returning the value."""
    extra = extra or {}
    if not text or not text.strip():
        return SourceConfig()
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"the configuration is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError("the configuration must be a JSON object")
    known = ({f.name for f in dataclasses.fields(SourceConfig)} - {"options"}) | {"timeouts"} | set(extra)
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"unknown configuration keys: {', '.join(unknown)} "
                         f"(known: {', '.join(sorted(known))})")
    strictness = data.get("strictness", "import_with_warnings")
    if strictness not in STRICTNESS:
        raise ValueError(f"strictness must be one of {', '.join(STRICTNESS)}")
    removal = data.get("removal", "withdraw")
    if removal not in REMOVAL:
        raise ValueError(f"removal must be one of {', '.join(REMOVAL)}")
    overwrite = data.get("overwrite_curated", False)
    if isinstance(overwrite, list) and all(isinstance(f, str) for f in overwrite):
        overwrite = tuple(overwrite)
    elif not isinstance(overwrite, bool):
        raise ValueError("overwrite_curated must be true, false or a list of field names")
    organization = data.get("organization")
    if organization is not None and (not isinstance(organization, str) or not organization):
        raise ValueError("organization must be the name or id of an organisation")
    timeouts = data.get("timeouts", {})
    if not isinstance(timeouts, dict) or set(timeouts) - {"connect", "read", "total"}:
        raise ValueError('timeouts must be an object with "connect", "read" and/or "total" (seconds)')
    fmt = data.get("format")
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    private = data.get("private", False)
    if not isinstance(private, bool):
        raise ValueError("private must be true or false")
    mappings = data.get("mappings", {})
    mapping.check_tables(mappings, "mappings")
    options = {key: check(data[key]) for key, check in extra.items() if key in data}
    return SourceConfig(
        strictness=strictness, removal=removal, overwrite_curated=overwrite,
        organization=organization,
        priority=_number(data, "priority", 0, -1000, 1000, int),
        max_size_mb=_number(data, "max_size_mb", 50, 0.001, 2048),
        connect_timeout=_number(timeouts, "connect", 10, 0.1, 300),
        read_timeout=_number(timeouts, "read", 30, 0.1, 600),
        total_timeout=_number(timeouts, "total", 300, 0.1, 7200),
        max_pages=_number(data, "max_pages", 100, 1, 10000, int),
        max_retries=_number(data, "max_retries", 2, 0, 10, int),
        max_retry_after=_number(data, "max_retry_after", 60, 0, 3600),
        format=fmt, private=private, mappings=mappings, options=options,
    )
