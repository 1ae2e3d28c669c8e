# SPDX-License-Identifier: AGPL-3.0-or-later
"""Hourly and daily aggregates of sensor readings (pure Python, no CKAN).

What a window is
    Windows are Europe/Berlin local time. An **hourly** window is one hour of
    UTC (Berlin's offset is always a whole hour, so every UTC hour is exactly
    one local hour; at the autumn change 02:00–03:00 local exists twice and
    gives two windows, told apart by their UTC offset). A **daily** window
    runs from local midnight to the next local midnight: 24 hours, 23 on the
    day the clocks go forward, 25 on the day they go back.

What happens to the readings of one sensor, in this order
    1. **duplicates**: readings with the same timestamp are one; the first
       one seen is kept (a second one with another value is counted as a
       conflict);
    2. the sensor's **interval** is the median gap between its distinct
       timestamps (all of them, before the plausibility filters: it is how
       often the sensor reports, not how often it reports sense);
    3. **range**: values below ``min_value`` (e.g. negative concentrations) or
       above ``max_value`` are implausible and dropped;
    4. **stuck**: a run of at least ``stuck_readings`` consecutive identical
       values is dropped whole (a sensor that froze);
    5. **spikes**: a single value that lies more than ``spike_delta`` above
       both neighbours, or more than ``spike_delta`` below both, is dropped.

Statistics per window (of the readings left): count, mean, min, max,
median, p95 and completeness. Quantiles interpolate linearly between the
closest ranks (numpy's and DuckDB's ``quantile_cont`` default). The mean of
a **noise** phenomenon (levels in dB) is energetic: 10·log10 of the mean of
10^(L/10); its min, max, median and p95 are taken of the levels as they
are. **Completeness** is the share of the readings expected in the window:
count ÷ (window length ÷ the sensor's interval), at most 1; a sensor with a
single reading has no interval and no completeness.

A sensor gets a row for every window from its first to its last reading in
the input (as reported, before the filters), a window without valid
readings included (count 0, completeness 0): a gap, or a sensor whose
readings were all implausible, shows as such. A **district** row pools the valid readings of all
sensors of the district in the window (its mean is the mean of all those
readings, not the mean of the sensors' means); its completeness is the sum
of the readings over the sum of the expected readings of those sensors.
"""
from __future__ import annotations

import dataclasses
import datetime
import math
from collections.abc import Iterable
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Berlin")
HOUR_MS = 3_600_000
RESOLUTIONS = ("hourly", "daily")
_UTC = datetime.timezone.utc


@dataclasses.dataclass(frozen=True)
class Plausibility:
    """Plausibility filters of one phenomenon; ``None`` switches a filter off."""

    min_value: float | None = None
    max_value: float | None = None
    stuck_readings: int | None = None
    spike_delta: float | None = None


@dataclasses.dataclass
class Cleaned:
    """One sensor's readings after the filters, and what was removed."""

    readings: list[tuple[int, float]]  # (epoch milliseconds, value), by time
    interval_s: float | None
    duplicates: int = 0
    conflicts: int = 0
    out_of_range: int = 0
    stuck: int = 0
    spikes: int = 0
    # first and last distinct timestamp as reported (before the filters)
    span: tuple[int, int] | None = None

    @property
    def dropped(self) -> int:
        return self.out_of_range + self.stuck + self.spikes


@dataclasses.dataclass(frozen=True)
class Window:
    start_ms: int
    end_ms: int

    @property
    def seconds(self) -> float:
        return (self.end_ms - self.start_ms) / 1000

    def start_local(self) -> datetime.datetime:
        return _local(self.start_ms)

    def end_local(self) -> datetime.datetime:
        return _local(self.end_ms)


@dataclasses.dataclass
class Row:
    level: str  # "sensor" or "district"
    key: str  # sensor id or district name
    resolution: str
    window: Window
    count: int
    mean: float | None
    min: float | None
    max: float | None
    median: float | None
    p95: float | None
    completeness: float | None


def _local(ms: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(ms / 1000, _UTC).astimezone(TZ)


def to_ms(value: datetime.datetime) -> int:
    if value.tzinfo is None:
        raise ValueError("timestamps must carry a time zone")
    return int(round(value.timestamp() * 1000))


# ---- windows -----------------------------------------------------------------------

def day_of(ms: int) -> datetime.date:
    return _local(ms).date()


def day_window(day: datetime.date) -> Window:
    start = datetime.datetime.combine(day, datetime.time(0), TZ)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(0), TZ)
    return Window(to_ms(start), to_ms(end))


def window_of(ms: int, resolution: str) -> Window:
    if resolution == "hourly":
        start = ms - ms % HOUR_MS
        return Window(start, start + HOUR_MS)
    if resolution == "daily":
        return day_window(day_of(ms))
    raise ValueError(f"unknown resolution {resolution!r}")


def windows_between(first_ms: int, last_ms: int, resolution: str) -> list[Window]:
    """Every window from the one holding ``first_ms`` to the one holding ``last_ms``."""
    out = []
    window = window_of(first_ms, resolution)
    while window.start_ms <= last_ms:
        out.append(window)
        window = window_of(window.end_ms, resolution)
    return out


# ---- statistics ----------------------------------------------------------------------

def quantile(sorted_values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy 'linear', DuckDB quantile_cont)."""
    pos = (len(sorted_values) - 1) * q
    low = math.floor(pos)
    high = min(low + 1, len(sorted_values) - 1)
    frac = pos - low
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * frac


def energetic_mean(levels: Iterable[float]) -> float:
    """10·log10 of the mean of 10^(L/10): the average of sound levels in dB."""
    levels = list(levels)
    top = max(levels)  # factor out the largest level: no overflow for any dB value
    return top + 10 * math.log10(sum(10 ** ((level - top) / 10) for level in levels) / len(levels))


def stats(values: list[float], energetic: bool = False) -> dict:
    if not values:
        return {"count": 0, "mean": None, "min": None, "max": None, "median": None, "p95": None}
    ordered = sorted(values)
    mean = energetic_mean(ordered) if energetic else math.fsum(ordered) / len(ordered)
    return {"count": len(ordered), "mean": mean, "min": ordered[0], "max": ordered[-1],
            "median": quantile(ordered, 0.5), "p95": quantile(ordered, 0.95)}


# ---- cleaning ------------------------------------------------------------------------

def clean(readings: Iterable[tuple[int, float]], rules: Plausibility = Plausibility()) -> Cleaned:
    """Duplicates, interval, range, stuck runs and spikes of one sensor (module doc)."""
    first: dict[int, float] = {}
    duplicates = conflicts = 0
    for ms, value in readings:
        if ms in first:
            duplicates += 1
            if first[ms] != value:
                conflicts += 1
            continue
        first[ms] = value
    series = sorted(first.items())
    gaps = sorted(b[0] - a[0] for a, b in zip(series, series[1:]))
    interval = quantile(gaps, 0.5) / 1000 if gaps else None
    out = Cleaned(readings=[], interval_s=interval, duplicates=duplicates, conflicts=conflicts,
                  span=(series[0][0], series[-1][0]) if series else None)

    in_range = []
    for ms, value in series:
        if (rules.min_value is not None and value < rules.min_value) or \
                (rules.max_value is not None and value > rules.max_value) or not math.isfinite(value):
            out.out_of_range += 1
        else:
            in_range.append((ms, value))

    unstuck = in_range
    if rules.stuck_readings:
        unstuck = []
        i = 0
        while i < len(in_range):
            j = i
            while j + 1 < len(in_range) and in_range[j + 1][1] == in_range[i][1]:
                j += 1
            run = in_range[i:j + 1]
            if len(run) >= rules.stuck_readings:
                out.stuck += len(run)
            else:
                unstuck.extend(run)
            i = j + 1

    if rules.spike_delta is not None and len(unstuck) >= 3:
        d = rules.spike_delta
        kept = [unstuck[0]]
        for prev, cur, nxt in zip(unstuck, unstuck[1:], unstuck[2:]):
            up = cur[1] - prev[1] > d and cur[1] - nxt[1] > d
            down = prev[1] - cur[1] > d and nxt[1] - cur[1] > d
            if up or down:
                out.spikes += 1
            else:
                kept.append(cur)
        kept.append(unstuck[-1])
        unstuck = kept
    out.readings = unstuck
    return out


# ---- aggregation -----------------------------------------------------------------------

def _completeness(count: int, expected: float) -> float | None:
    if expected <= 0:
        return None
    return min(1.0, count / expected)


def aggregate(sensors: dict[str, Cleaned], resolution: str, energetic: bool = False,
              districts: dict[str, str] | None = None) -> list[Row]:
    """Rows per sensor (and per district when ``districts`` maps sensor → district).

    ``sensors`` holds each sensor's cleaned readings; a sensor is given its
    windows from its first to its last reading (module doc).
    """
    rows: list[Row] = []
    pooled: dict[tuple[str, Window], list[float]] = {}
    expected: dict[tuple[str, Window], float] = {}
    hour_windows: dict[int, Window] = {}  # every window is a whole number of UTC hours

    def window_at(ms: int) -> int:
        hour = ms - ms % HOUR_MS
        window = hour_windows.get(hour)
        if window is None:
            window = hour_windows[hour] = window_of(hour, resolution)
        return window.start_ms

    for sensor_id in sorted(sensors):
        cleaned = sensors[sensor_id]
        by_window: dict[int, list[float]] = {}  # window start → values
        for ms, value in cleaned.readings:
            by_window.setdefault(window_at(ms), []).append(value)
        span = cleaned.span or ((cleaned.readings[0][0], cleaned.readings[-1][0]) if cleaned.readings else None)
        if span is None:
            continue
        district = (districts or {}).get(sensor_id)
        for window in windows_between(span[0], span[1], resolution):
            values = by_window.get(window.start_ms, [])
            want = window.seconds / cleaned.interval_s if cleaned.interval_s else 0.0
            st = stats(values, energetic)
            count = st.pop("count")
            completeness = _completeness(count, want) if cleaned.interval_s else None
            rows.append(Row("sensor", sensor_id, resolution, window, count=count,
                            completeness=completeness, **st))
            if district:
                pooled.setdefault((district, window), []).extend(values)
                expected[(district, window)] = expected.get((district, window), 0.0) + want
    for (district, window) in sorted(pooled, key=lambda k: (k[0], k[1].start_ms)):
        values = pooled[(district, window)]
        st = stats(values, energetic)
        count = st.pop("count")
        rows.append(Row("district", district, resolution, window, count=count,
                        completeness=_completeness(count, expected[(district, window)]), **st))
    return rows
