# SPDX-License-Identifier: AGPL-3.0-or-later
"""The daily summary of the hourly district tables (sensors/day_summary.py)
gives the dashboard exactly the figures of the hourly rows: the same data
computed both ways, with the days of both clock changes, incomplete days,
exceedance days and noise at every hour of day; written with the
aggregates, idempotent, and built for older tables by the command."""
import datetime
import math

import pytest

from ckan.tests import helpers

from ckanext.smartcityatlas.common.ids import resource_id
from ckanext.smartcityatlas.sensors import day_summary, publish
from tests.helpers.environment import dataset_of, show
from tests.helpers.local_server import ALLOW_LOCAL

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), ALLOW_LOCAL,
              pytest.mark.ckan_config("ckanext.smartcityatlas.environment.cache_seconds", "0")]
BERLIN_WINTER, BERLIN_SUMMER = datetime.timedelta(hours=1), datetime.timedelta(hours=2)
# (local day, hours from midnight with a value): the spring day has 23 hours, the autumn day 25
DAYS = [(datetime.date(2024, 3, 30), 24), (datetime.date(2024, 3, 31), 18), (datetime.date(2024, 4, 1), 17),
        (datetime.date(2024, 5, 20), 21), (datetime.date(2024, 7, 1), 24), (datetime.date(2024, 10, 26), 19),
        # the autumn day: 18 of its 25 hours, one short of counting (a 24-hour rule would count it)
        (datetime.date(2024, 10, 27), 18), (datetime.date(2024, 10, 28), 24)]
TABLES = {"pm10": (30.0, False), "pm25": (12.0, False), "noise": (50.0, True)}


def hours_of(day: datetime.date, n: int) -> list[datetime.datetime]:
    """The first ``n`` UTC hours of the local day (the clocks may change in between)."""
    offset = BERLIN_SUMMER if datetime.date(2024, 3, 31) < day < datetime.date(2024, 10, 27) else BERLIN_WINTER
    start = datetime.datetime.combine(day, datetime.time(0)) - offset
    return [start + datetime.timedelta(hours=h) for h in range(n)]


def rows_for(districts: list[str], base: float) -> list[dict]:
    """Values that differ by district, day and hour (some days above 50), one district missing now and then."""
    rows = []
    for d_i, district in enumerate(districts):
        for day_i, (day, n) in enumerate(DAYS):
            for h, utc in enumerate(hours_of(day, n)):
                if (d_i + h + day_i) % 11 == 0 and d_i:
                    continue
                mean = round(base + 7.3 * d_i + 13.1 * math.sin(h / 3 + day_i) + 4 * day_i, 3)
                rows.append({"district": district, "sensors": 1 + (h + d_i) % 3,
                             "window_start_utc": utc.isoformat(), "window_start": utc.isoformat(),
                             "window_end": (utc + datetime.timedelta(hours=1)).isoformat(), "day": day.isoformat(),
                             "count": 6 + (h + d_i) % 5, "mean": mean, "min": mean, "max": mean, "median": mean,
                             "p95": mean, "completeness": [1.0, 0.8, 0.55, 0.0, None][(h + day_i + d_i) % 5]})
    return rows


def assert_same(a, b, path="out"):
    """Equal, floats to 12 significant digits (sums added in another order)."""
    if isinstance(a, float) or isinstance(b, float):
        assert b == pytest.approx(a, rel=1e-12, abs=1e-12), path
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for key in a:
            assert_same(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, f"{path}[{i}]")
    else:
        assert a == b, path


def test_the_summary_gives_the_figures_of_the_hourly_rows(harvested, cli):
    from ckan.cli.cli import ckan as ckan_cli

    site = helpers.call_action("get_site_user", {"ignore_auth": True})["name"]
    first = show(start="2024-10-27", end="2024-10-27")
    districts = [d["district"] for d in first["phenomena"]["pm10"]["districts"]][:4]
    tables = []
    for phen_id, (base, energetic) in TABLES.items():
        table = resource_id(dataset_of(harvested["source"], phen_id)["id"], "hourly-district")
        tables.append(table)
        rows = rows_for(districts, base)
        days = sorted({r["day"] for r in rows})
        # a week at a time, as the harvester writes: only those days are summarised again
        assert publish.write({"ignore_auth": True, "user": site}, table, "hourly-district", rows[:200],
                             days, energetic) == 200
        assert publish.write({"ignore_auth": True, "user": site}, table, "hourly-district", rows,
                             days, energetic) == len(rows) - 200
        assert publish.write({"ignore_auth": True, "user": site}, table, "hourly-district", rows,
                             days, energetic) == 0  # a re-run: nothing new, the summary stays as it is
    assert day_summary.complete(tables) == set(tables)
    views = [{"year": 2024}, {"start": "2024-03-31", "end": "2024-04-01"},
             {"start": "2024-10-26", "end": "2024-10-28", "district": districts[1]},
             {"year": 2024, "district": districts[0]},
             # whole months (April to June) from the month rows, the rest of March and July from the days
             {"start": "2024-03-15", "end": "2024-07-01"}, {"start": "2024-04-01", "end": "2024-07-31"}]
    summarised = [show(**params) for params in views]
    pm10 = summarised[0]["phenomena"]["pm10"]["city"]
    assert pm10["exceedance_days_eu"] > 0 and pm10["valid_days"] < pm10["days_with_values"]
    for table in tables:
        day_summary.forget(table)
    assert day_summary.complete(tables) == set()
    for params, expected in zip(views, summarised):
        assert_same(show(**params), expected)  # the hourly rows, read as before the summary
    # the command builds the summary of tables written before it existed, once
    result = cli.invoke(ckan_cli, ["sca", "environment-summary"])
    assert result.exit_code == 0, result.output
    assert day_summary.complete(tables) == set(tables)
    assert "3 tables summarised" in result.output
    again = cli.invoke(ckan_cli, ["sca", "environment-summary"])
    assert " 0 tables summarised" in again.output
    for params, expected in zip(views, summarised):
        assert_same(show(**params), expected)
