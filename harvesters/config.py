# SPDX-License-Identifier: AGPL-3.0-or-later
"""The JSON configuration of a harvest source (docs/harvesting.md)."""
from __future__ import annotations

import dataclasses
import json

from ckanext.smartcityatlas.common import fetch
from ckanext.smartcityatlas.harvesters import mapping

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
    # the keys a harvester type adds (``SCAHarvesterBase.CONFIG_KEYS``), checked by it
    extra: dict = dataclasses.field(default_factory=dict)
    # the harvest source this configuration belongs to (set by the base, not by the source)
    source_id: str | None = None

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


def parse(text: str | None, extra_keys: tuple[str, ...] = (), check_extra=None,
          ignore_unknown: bool = False) -> SourceConfig:
    """Parse and check a source configuration; ValueError with a clear message.

    ``extra_keys`` are the keys of one harvester type, handed as a dict to
    ``check_extra`` (which raises ValueError or returns the checked values).
    ``ignore_unknown`` reads another type's configuration (its priority).
    """
    if not text or not text.strip():
        return SourceConfig(extra=check_extra({}) if check_extra else {})
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"the configuration is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError("the configuration must be a JSON object")
    known = ({f.name for f in dataclasses.fields(SourceConfig)} - {"extra", "source_id"}) | {"timeouts"} \
        | set(extra_keys)
    unknown = sorted(set(data) - known)
    if unknown and not ignore_unknown:
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
        format=fmt, private=private, mappings=mappings,
        extra=check_extra({k: data[k] for k in extra_keys if k in data}) if check_extra else {},
    )
