# SPDX-License-Identifier: AGPL-3.0-or-later
"""The figures of the environment dashboard from hourly aggregates (pure
Python, no CKAN; the rows come from ``query.py``).

Days are local days of Europe/Berlin (``sensors/aggregate.py``): 24 hours,
23 on the day the clocks go forward, 25 on the day they go back.

Particulate matter (PM10, PM2.5)
    An hour's value is the mean of the district's hourly aggregate (all
    readings of its sensors in that hour). A **daily mean** is the mean of
    the day's hourly values and **counts only when at least 75 % of the
    day's hours have a value** (Directive 2008/50/EC, Annex VII: 18 of 24
    hours; 18 of 23 and 19 of 25 on the days the clocks change). An
    **exceedance day** is a counted day whose mean is above the daily limit
    (PM10: 50 µg/m³, at most 35 such days a calendar year) or above the WHO
    2021 24-hour guideline (PM10 45, PM2.5 15 µg/m³). The **period mean**
    is the mean of the counted daily means, compared with the annual limit
    (PM10 40, PM2.5 25 µg/m³) and the WHO annual guideline (PM10 15, PM2.5
    5 µg/m³); the directive asks for 90 % of a year's data before a mean
    is compared with a limit, so the data basis is given with every figure.

Noise (Directive 2002/49/EC, the END, Annex I)
    Levels are averaged energetically, 10·log10 of the mean of 10^(L/10).
    **Lday** is the energetic mean of all hourly values from 06:00 to
    18:00 local time, **Levening** from 18:00 to 22:00, **Lnight** from
    22:00 to 06:00 (the second 02:00 hour of the autumn change counts for
    the night, the missing one of spring is simply absent);
    **Lden** = 10·log10((12·10^(Lday/10) + 4·10^((Levening+5)/10) +
    8·10^((Lnight+10)/10)) / 24), only when all three have values. WHO
    guideline values for road traffic noise (2018): Lden 53 dB, Lnight 45 dB.

Citizen sensors are indicative: no figure here is an official measurement
and none allows a legal conclusion.
"""
from __future__ import annotations

import dataclasses
import datetime
import functools
import math
import typing
from collections.abc import Iterable

from ckanext.smartcityatlas.sensors import aggregate as agg

# share of a day's hours that must have a value (Directive 2008/50/EC, Annex VII)
DAY_COVERAGE = 0.75
PM_PHENOMENA = ("pm10", "pm25")
NOISE = "noise"
PHENOMENA = (*PM_PHENOMENA, NOISE)


@dataclasses.dataclass(frozen=True)
class Limits:
    """Reference values of one particulate phenomenon in µg/m³ (None: none)."""

    eu_daily: float | None
    eu_daily_days: int | None  # exceedance days allowed a calendar year
    eu_annual: float
    who_daily: float
    who_annual: float


PM_LIMITS = {
    # Directive 2008/50/EC, Annex XI and XIV; WHO global air quality guidelines 2021
    "pm10": Limits(eu_daily=50, eu_daily_days=35, eu_annual=40, who_daily=45, who_annual=15),
    "pm25": Limits(eu_daily=None, eu_daily_days=None, eu_annual=25, who_daily=15, who_annual=5),
}
# WHO environmental noise guidelines for the European Region (2018), road traffic
NOISE_GUIDELINES = {"lden": 53.0, "lnight": 45.0}
# local hours of day of each END period
PERIODS = {"day": range(6, 18), "evening": range(18, 22), "night": (*range(22, 24), *range(0, 6))}
PENALTY = {"day": 0.0, "evening": 5.0, "night": 10.0}
PERIOD_HOURS = {"day": 12, "evening": 4, "night": 8}


# named tuples, not dataclasses: a year of every district is some 20,000 of them per request
class Day(typing.NamedTuple):
    """One area's hourly values of one local day, summarised (query.py)."""

    day: datetime.date
    hours: int  # hours with a value
    mean: float  # mean of those hourly values
    sensors: int  # the most sensors that reported on that day
    completeness: float | None  # readings ÷ expected readings of those hours


class HourOfDay(typing.NamedTuple):
    """One area's hourly noise values at one local hour of day (0–23)."""

    hour: int
    hours: int  # hourly values at that hour of day in the period
    energy: float  # Σ 10^(L/10) of those values
    sensors: int
    completeness: float | None


@functools.lru_cache(maxsize=4096)  # asked for every day of every area: time zone arithmetic once per day
def hours_in_day(day: datetime.date) -> int:
    window = agg.day_window(day)
    return (window.end_ms - window.start_ms) // agg.HOUR_MS


@functools.lru_cache(maxsize=4096)
def required_hours(day: datetime.date) -> int:
    """Hours with a value a day needs to count: 18 of 24, 18 of 23, 19 of 25."""
    return _required_of(hours_in_day(day))


def _required_of(hours: int) -> int:
    return math.ceil(DAY_COVERAGE * hours - 1e-9)


def counts(day: Day) -> bool:
    return day.hours >= required_hours(day.day)


def days_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + datetime.timedelta(days=i) for i in range(day_count(start, end))]


def day_count(start: datetime.date, end: datetime.date) -> int:
    """Days of the period start … end, both included (asked once per area: no list built)."""
    return (end - start).days + 1


def hours_between(start: datetime.date, end: datetime.date) -> int:
    """Hours of the local days start … end (both included)."""
    return (agg.day_window(end).end_ms - agg.day_window(start).start_ms) // agg.HOUR_MS


def _mean(values: list[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def particulate(phenomenon: str, days: Iterable[Day], start: datetime.date, end: datetime.date) -> dict:
    """The PM figures of one area in the period start … end (module doc):
    the sums of ``particulate_from_sums``, taken from the days."""
    limits = PM_LIMITS[phenomenon]
    days = [d for d in days if start <= d.day <= end]
    valid = [d for d in days if counts(d)]
    weights = [(d.completeness, d.hours) for d in days if d.completeness is not None]
    sums = (len(days), sum(d.hours for d in days), max((d.sensors for d in days), default=0),
            math.fsum(c * h for c, h in weights), sum(h for _c, h in weights), len(valid),
            math.fsum(d.mean for d in valid), max((d.mean for d in valid), default=None),
            sum(d.mean > limits.eu_daily for d in valid) if limits.eu_daily else None,
            sum(d.mean > limits.who_daily for d in valid))
    return particulate_from_sums(phenomenon, sums, start, end)


def required_hours_between(start: datetime.date, end: datetime.date) -> tuple[dict[datetime.date, int], int]:
    """The hours a day needs to count (``required_hours``) for the database:
    the days of clock changes in start … end, and what every other day needs."""
    usual = _required_of(24)
    odd = {day: required_hours(day) for day in days_between(start, end) if hours_in_day(day) != 24}
    return odd, usual


def particulate_from_sums(phenomenon: str, sums: tuple, start: datetime.date, end: datetime.date) -> dict:
    """What ``particulate`` gives, from the sums of day_summary.area_sums."""
    (days_with_values, hours, sensors, completeness_hours, hours_with_completeness, valid, mean_sum, max_mean,
     above_eu, above_who) = sums
    limits = PM_LIMITS[phenomenon]
    mean = mean_sum / valid if valid else None
    total = hours_between(start, end)
    return {
        "sensors": sensors or 0,
        "completeness": completeness_hours / hours_with_completeness if hours_with_completeness else None,
        "hours_covered": hours, "hours": total, "hours_share": hours / total,
        "days": day_count(start, end), "days_with_values": days_with_values, "valid_days": valid,
        "mean": mean, "max_daily_mean": max_mean,
        "exceedance_days_eu": above_eu if limits.eu_daily else None,
        "exceedance_days_who": above_who,
        "above_eu_annual": None if mean is None else mean > limits.eu_annual,
        "above_who_annual": None if mean is None else mean > limits.who_annual,
    }


def daily_series(days: Iterable[Day], start: datetime.date, end: datetime.date) -> list[dict]:
    """Every day of the period: its mean (None when it does not count) and its hours."""
    by_day = {d.day: d for d in days}
    out = []
    for day in days_between(start, end):
        d = by_day.get(day)
        out.append({"day": day.isoformat(), "hours": d.hours if d else 0, "required_hours": required_hours(day),
                    "mean": d.mean if d and counts(d) else None})
    return out


@functools.lru_cache(maxsize=8192)
def _period_key(day: datetime.date, unit: str) -> str:
    if unit == "month":
        return f"{day.year}-{day.month:02d}"
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def trend(days: Iterable[Day], unit: str) -> list[dict]:
    """Mean of the counted daily means per calendar month ("month") or ISO week ("week")."""
    groups: dict[str, list[float]] = {}
    for d in sorted(days, key=lambda d: d.day):
        if not counts(d):
            continue
        groups.setdefault(_period_key(d.day, unit), []).append(d.mean)
    return [{"period": key, "mean": _mean(values), "valid_days": len(values)} for key, values in groups.items()]


def level(energy: float, hours: int) -> float | None:
    """Energetic mean from Σ10^(L/10) over ``hours`` values."""
    return 10 * math.log10(energy / hours) if hours and energy > 0 else None


def lden(day: float | None, evening: float | None, night: float | None) -> float | None:
    if day is None or evening is None or night is None:
        return None
    total = sum(PERIOD_HOURS[p] * 10 ** ((value + PENALTY[p]) / 10)
                for p, value in (("day", day), ("evening", evening), ("night", night)))
    return 10 * math.log10(total / 24)


def noise(hours_of_day: Iterable[HourOfDay], start: datetime.date, end: datetime.date) -> dict:
    """The noise figures of one area in the period (module doc)."""
    by_hour = {h.hour: h for h in hours_of_day}
    periods = {}
    for name, hours in PERIODS.items():
        rows = [by_hour[h] for h in hours if h in by_hour]
        periods[name] = level(math.fsum(r.energy for r in rows), sum(r.hours for r in rows))
    covered = sum(h.hours for h in by_hour.values())
    weights = [(h.completeness, h.hours) for h in by_hour.values() if h.completeness is not None]
    total = hours_between(start, end)
    value = lden(periods["day"], periods["evening"], periods["night"])
    return {
        "lday": periods["day"], "levening": periods["evening"], "lnight": periods["night"], "lden": value,
        "by_hour": [{"hour": h, "level": level(by_hour[h].energy, by_hour[h].hours) if h in by_hour else None,
                     "hours": by_hour[h].hours if h in by_hour else 0} for h in range(24)],
        "sensors": max((h.sensors for h in by_hour.values()), default=0),
        "completeness": math.fsum(c * n for c, n in weights) / sum(n for _c, n in weights) if weights else None,
        "hours_covered": covered, "hours": total, "hours_share": covered / total,
        "above_who_lden": None if value is None else value > NOISE_GUIDELINES["lden"],
        "above_who_lnight": None if periods["night"] is None else periods["night"] > NOISE_GUIDELINES["lnight"],
    }
