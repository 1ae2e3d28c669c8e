# SPDX-License-Identifier: AGPL-3.0-or-later
"""The aggregation core against values computed by hand (comments show the sums)."""
import datetime
import math

import pytest

from ckanext.smartcityatlas.sensors import aggregate as agg

UTC = datetime.timezone.utc


def ms(text: str) -> int:
    """'2024-03-31T10:00Z' or with an offset → epoch milliseconds."""
    return agg.to_ms(datetime.datetime.fromisoformat(text.replace("Z", "+00:00")))


def series(start: str, minutes: int, values, skip=()):
    t0 = ms(start)
    return [(t0 + i * minutes * 60_000, v) for i, v in enumerate(values) if i not in skip]


def rows_of(rows, level="sensor", key=None):
    return [r for r in rows if r.level == level and (key is None or r.key == key)]


def test_noise_is_averaged_energetically():
    # 50, 60, 70 dB every 20 minutes: 10·log10((10^5 + 10^6 + 10^7) / 3) = 10·log10(3.7e6)
    cleaned = agg.clean(series("2024-06-03T10:00Z", 20, [50.0, 60.0, 70.0]))
    (row,) = agg.aggregate({"s": cleaned}, "hourly", energetic=True)
    assert row.mean == pytest.approx(65.6820, abs=1e-4)  # arithmetic would be 60
    assert (row.count, row.min, row.max, row.median) == (3, 50.0, 70.0, 60.0)
    assert row.p95 == pytest.approx(69.0)  # rank (3-1)·0.95 = 1.9: 60 + 0.9·10
    assert row.completeness == 1.0  # interval 20 min → 3 expected in the hour
    assert agg.energetic_mean([1000.0, 1000.0]) == pytest.approx(1000.0)  # no overflow
    # a non-noise phenomenon: arithmetic mean
    (plain,) = agg.aggregate({"s": cleaned}, "hourly")
    assert plain.mean == 60.0


def test_spring_forward_day_has_23_hours():
    # 2024-03-31: local midnight is 23:00Z the day before; every 30 min until 23:30 local (21:30Z)
    readings = series("2024-03-30T23:00Z", 30, list(range(46)))
    assert agg.day_of(readings[-1][0]) == datetime.date(2024, 3, 31)
    cleaned = agg.clean(readings)
    (day,) = agg.aggregate({"s": cleaned}, "daily")
    assert day.window.seconds == 23 * 3600
    assert day.window.start_local().isoformat() == "2024-03-31T00:00:00+01:00"
    assert day.window.end_local().isoformat() == "2024-04-01T00:00:00+02:00"
    assert day.count == 46
    assert day.completeness == 1.0  # 46 of 23 h ÷ 30 min = 46 (not 46/48)
    assert day.mean == 22.5  # (0 + … + 45) / 46
    hours = agg.aggregate({"s": cleaned}, "hourly")
    assert len(hours) == 23
    starts = [h.window.start_local().strftime("%H") for h in hours]
    assert "02" not in starts  # 02:00–03:00 does not exist that night
    assert all(h.count == 2 and h.completeness == 1.0 for h in hours)


def test_fall_back_day_has_25_hours():
    # 2024-10-27: local midnight 22:00Z the day before; every 30 min until 23:30+01:00 (22:30Z)
    readings = series("2024-10-26T22:00Z", 30, [10.0] * 25 + [20.0] * 25)
    before = (ms("2024-10-26T21:59Z"), 99.0)  # 23:59 local of the 26th: the day before
    cleaned = agg.clean(readings + [before])
    days = agg.aggregate({"s": cleaned}, "daily")
    assert [d.window.start_local().date().isoformat() for d in days] == ["2024-10-26", "2024-10-27"]
    day = days[1]
    assert day.window.seconds == 25 * 3600
    assert day.count == 50 and day.completeness == 1.0  # 50 of 25 h ÷ 30 min
    assert day.mean == 15.0 and day.median == 15.0
    hours = [h for h in agg.aggregate({"s": cleaned}, "hourly")
             if h.window.start_local().date() == datetime.date(2024, 10, 27)]
    assert len(hours) == 25
    twice = [h.window.start_local().isoformat() for h in hours if h.window.start_local().hour == 2]
    assert twice == ["2024-10-27T02:00:00+02:00", "2024-10-27T02:00:00+01:00"]


def test_a_gap_shows_as_a_gap():
    # every 10 min 10:00–13:50Z; hour 11 missing, in hour 12 12:10, 12:20, 12:30 missing
    missing = set(range(6, 12)) | {13, 14, 15}
    readings = series("2024-06-03T10:00Z", 10, [float(i) for i in range(24)], skip=missing)
    cleaned = agg.clean(readings)
    assert cleaned.interval_s == 600  # median gap; the 70 and 40 minute gaps are outliers
    hours = agg.aggregate({"s": cleaned}, "hourly")
    assert [(h.count, h.completeness) for h in hours] == [(6, 1.0), (0, 0.0), (3, 0.5), (6, 1.0)]
    assert hours[1].mean is None and hours[1].median is None
    assert hours[2].mean == (12 + 16 + 17) / 3
    (day,) = agg.aggregate({"s": cleaned}, "daily")
    assert day.count == 15
    assert day.completeness == pytest.approx(15 / 144)  # 24 h ÷ 10 min = 144 expected


def test_duplicates_are_removed_first_kept():
    t = ms("2024-06-03T10:00Z")
    readings = [(t, 5.0), (t + 1_800_000, 7.0), (t, 5.0), (t + 1_800_000, 9.0), (t, 5.0)]
    cleaned = agg.clean(readings)
    assert cleaned.readings == [(t, 5.0), (t + 1_800_000, 7.0)]
    assert (cleaned.duplicates, cleaned.conflicts) == (3, 1)
    (row,) = agg.aggregate({"s": cleaned}, "hourly")
    assert (row.count, row.mean, row.completeness) == (2, 6.0, 1.0)


def test_stuck_sensor_negative_values_and_spikes():
    rules = agg.Plausibility(min_value=0, stuck_readings=5, spike_delta=50)
    # a run of six 7.0 is a stuck sensor; -3 is a negative concentration; 90 a single spike
    values = [10.0, 12.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 11.0, -3.0, 13.0, 90.0, 12.0, 7.0, 7.0]
    cleaned = agg.clean(series("2024-06-03T10:00Z", 4, values), rules)
    assert (cleaned.out_of_range, cleaned.stuck, cleaned.spikes) == (1, 6, 1)
    assert [v for _, v in cleaned.readings] == [10.0, 12.0, 11.0, 13.0, 12.0, 7.0, 7.0]  # a run of 2 is fine
    (row,) = agg.aggregate({"s": cleaned}, "hourly")
    assert row.count == 7 and row.mean == 72 / 7
    assert row.completeness == pytest.approx(7 / 15)  # interval 4 min → 15 expected
    assert row.median == 11.0
    assert row.p95 == pytest.approx(12.7)  # rank 6·0.95 = 5.7 of [7,7,10,11,12,12,13]: 12 + 0.7·1


def test_district_pools_readings_not_sensor_means():
    s1 = agg.clean(series("2024-06-03T10:00Z", 30, [10.0, 20.0]))  # 2 expected per hour
    s2 = agg.clean(series("2024-06-03T10:00Z", 60, [30.0, 40.0]))  # 1 expected per hour
    s3 = agg.clean(series("2024-06-03T10:00Z", 60, [99.0, 99.0]))  # another district
    rows = agg.aggregate({"s1": s1, "s2": s2, "s3": s3}, "hourly",
                         districts={"s1": "Altstadt", "s2": "Altstadt", "s3": "Cotta"})
    altstadt = rows_of(rows, "district", "Altstadt")
    assert [(r.count, r.mean, r.completeness) for r in altstadt] == [(3, 20.0, 1.0), (1, 40.0, 1.0)]
    # hour 11: s1 had its last reading at 10:30, so it has no window there; s2 gives 1 of 1
    assert rows_of(rows, "district", "Cotta")[0].mean == 99.0


def test_quantile_matches_linear_interpolation():
    values = sorted([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0])
    # numpy.quantile(values, 0.95) = 7.95: rank 7·0.95 = 6.65 between 6 and 9
    assert agg.quantile(values, 0.95) == pytest.approx(7.95)
    assert agg.quantile(values, 0.5) == pytest.approx(3.5)
    assert agg.quantile([4.0], 0.95) == 4.0
    assert math.isclose(agg.stats([1.0, 2.0])["mean"], 1.5)


def test_a_sensor_with_only_implausible_readings_shows_empty_windows():
    cleaned = agg.clean(series("2024-06-03T10:00Z", 30, [-1.0, -2.0, -3.0]), agg.Plausibility(min_value=0))
    hours = agg.aggregate({"s": cleaned}, "hourly")
    assert [(h.count, h.completeness, h.mean) for h in hours] == [(0, 0.0, None), (0, 0.0, None)]
