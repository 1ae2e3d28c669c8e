# SPDX-License-Identifier: AGPL-3.0-or-later
"""sca_environment_show on sensor datasets harvested from the local replay
(conftest.py): district and city-wide figures of the 25-hour day, exceedance
and incomplete days written as new aggregates (and the cache that must not
hide them), private datasets, and input that must be refused clearly."""
import datetime
import math

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.smartcityatlas.common.ids import resource_id
from ckanext.smartcityatlas.environment import actions
from ckanext.smartcityatlas.sensors import publish
from tests.helpers.environment import dataset_of, show
from tests.helpers.local_server import ALLOW_LOCAL

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), ALLOW_LOCAL]
DAY = {"start": "2024-10-27", "end": "2024-10-27"}
# readings_for: PM10 12 ± 1, PM2.5 8 ± 1, the noise sensor 55 ± 5 dB, alternating every 10 minutes
# every hour: 10·log10((10^5 + 10^6) / 2) = 57.404 dB, as published (3 decimals)
NOISE_HOUR = round(10 * math.log10((10 ** 5 + 10 ** 6) / 2), 3)


def district_hours(district, day, hours, mean):
    """Rows of the hourly district table: ``hours`` hours of the local day from midnight."""
    start = datetime.datetime.combine(day, datetime.time(0), tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
    rows = []
    for h in range(hours):
        t = start + datetime.timedelta(hours=h)
        rows.append({"district": district, "sensors": 1, "window_start_utc": t.astimezone(datetime.timezone.utc)
                     .replace(tzinfo=None).isoformat(), "window_start": t.isoformat(),
                     "window_end": (t + datetime.timedelta(hours=1)).isoformat(), "day": day.isoformat(),
                     "count": 6, "mean": mean, "min": mean, "max": mean, "median": mean, "p95": mean,
                     "completeness": 1.0})
    return rows


def test_district_and_city_figures_of_the_25_hour_day(harvested):
    out = show(**DAY)
    assert out["period"] == {"start": "2024-10-27", "end": "2024-10-27", "days": 1, "hours": 25}
    assert out["indicative"] is True and "not official measurements" in out["notice"]
    pm10 = out["phenomena"]["pm10"]
    city = pm10["city"]
    # every hour of the 25 has values: the day counts, its mean is 12
    assert city["valid_days"] == 1 and city["hours_covered"] == 25 and city["hours_share"] == 1.0
    assert city["mean"] == pytest.approx(12.0) and city["exceedance_days_eu"] == 0
    assert city["completeness"] == pytest.approx(1.0) and city["sensors"] >= 2
    assert city["daily"] == [{"day": "2024-10-27", "hours": 25, "required_hours": 19, "mean": pytest.approx(12.0)}]
    assert pm10["districts"] and all(d["mean"] == pytest.approx(12.0) for d in pm10["districts"])
    assert sum(d["sensors"] for d in pm10["districts"]) == city["sensors"]
    assert out["phenomena"]["pm25"]["city"]["mean"] == pytest.approx(8.0)
    noise = out["phenomena"]["noise"]["city"]
    assert noise["lnight"] == pytest.approx(NOISE_HOUR) and noise["lday"] == pytest.approx(NOISE_HOUR)
    # Lden of equal levels: + 10·log10((12 + 4·10^0.5 + 8·10) / 24)
    assert noise["lden"] == pytest.approx(NOISE_HOUR + 10 * math.log10((12 + 4 * 10 ** 0.5 + 80) / 24))
    assert [h["hours"] for h in noise["by_hour"]].count(2) == 1  # 02:00 twice
    assert out["limits"]["pm10"]["eu_daily"] == 50 and out["limits"]["noise"]["who_lnight"] == 45
    assert {d["phenomenon"] for d in out["datasets"]} == {"pm10", "pm25", "noise"}
    assert all(d["url"].endswith("/dataset/" + d["name"]) for d in out["datasets"])
    # no period given: the year of the newest values
    assert show()["period"]["start"] == "2024-01-01"


def test_exceedance_and_incomplete_days_written_later_are_not_hidden_by_the_cache(harvested):
    pkg = dataset_of(harvested["source"], "pm10")
    period = {"start": "2024-10-27", "end": "2024-10-29"}
    # the scheduler computes the default view ahead of its first visitor, once per state
    assert actions.warm_environment_cache() is True
    assert actions.warm_environment_cache() is False
    before = show(**period)
    district = before["phenomena"]["pm10"]["districts"][0]["district"]
    table = resource_id(pkg["id"], "hourly-district")
    rows = district_hours(district, datetime.date(2024, 10, 28), 18, 60.0) + \
        district_hours(district, datetime.date(2024, 10, 29), 17, 70.0)
    site = helpers.call_action("get_site_user", {"ignore_auth": True})["name"]
    written = publish.write({"ignore_auth": True, "user": site}, table, "hourly-district", rows,
                            ["2024-10-28", "2024-10-29"], energetic=False)
    assert written == 35
    assert actions.warm_environment_cache() is True  # new aggregates: computed again
    out = show(district=district, **period)
    chosen = out["phenomena"]["pm10"]["district"]
    assert chosen["district"] == district
    # 28th: 18 of 24 hours, counts, above 50; 29th: 17 hours, does not count
    assert chosen["valid_days"] == 2 and chosen["exceedance_days_eu"] == 1 and chosen["exceedance_days_who"] == 1
    assert chosen["mean"] == pytest.approx((12.0 + 60.0) / 2)
    assert chosen["hours_covered"] == 25 + 18 + 17 and chosen["hours"] == 25 + 24 + 24
    assert [d["mean"] for d in chosen["daily"]] == [pytest.approx(12.0), pytest.approx(60.0), None]
    assert out["phenomena"]["pm10"]["city"]["exceedance_days_eu"] == 1
    assert out["phenomena"]["pm10"]["districts"][0]["district"] == district  # ranked first
    assert "daily" not in out["phenomena"]["pm10"]["districts"][0]


def test_private_sensor_datasets_never_count_for_anonymous_visitors(harvested):
    pkg = dataset_of(harvested["source"], "pm10")
    helpers.call_action("package_patch", {"ignore_auth": True, "user": factories.Sysadmin()["name"]},
                        id=pkg["id"], private=True)
    anonymous = show(**DAY)
    assert anonymous["phenomena"]["pm10"] is None
    assert "pm10" not in {d["phenomenon"] for d in anonymous["datasets"]}
    assert anonymous["phenomena"]["pm25"]["city"]["mean"] == pytest.approx(8.0)
    member = factories.User()
    helpers.call_action("organization_member_create", {"ignore_auth": True, "user": factories.Sysadmin()["name"]},
                        id=harvested["org"]["id"],
                        username=member["name"], role="member")
    assert show(member, **DAY)["phenomena"]["pm10"]["city"]["mean"] == pytest.approx(12.0)
    assert show(**DAY)["phenomena"]["pm10"] is None  # the member's figures are not served to others


@pytest.mark.parametrize("params, field", [
    ({"year": "abc"}, "year"), ({"year": 1999}, "year"), ({"start": "2024-02-30", "end": "2024-03-01"}, "start"),
    ({"start": "2024-01-01"}, "end"), ({"end": "2024-01-01"}, "start"),
    ({"start": "2024-03-01", "end": "2024-02-01"}, "end"), ({"start": "2023-01-01", "end": "2024-01-02"}, "end"),
    ({"phenomenon": "ozone"}, "phenomenon"), ({"district": ["a", "b"]}, "district"),
    ({"district": "Atlantis"}, "district"),
])
def test_bad_input_is_a_validation_error_naming_the_field(params, field):
    with pytest.raises(tk.ValidationError) as e:
        show(**params)
    assert field in e.value.error_dict


def test_bad_input_over_http_is_409_not_500(app):
    resp = app.get("/api/3/action/sca_environment_show", query_string={"start": "x", "end": "2024-01-01"})
    assert resp.status_code == 409 and "start" in resp.json["error"]
