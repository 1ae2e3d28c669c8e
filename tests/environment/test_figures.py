# SPDX-License-Identifier: AGPL-3.0-or-later
"""The dashboard's figures on hand-computed values (environment/figures.py):
which days count (incl. the 23- and 25-hour days of the clock changes and
incomplete days), exceedance days against the EU limit and the WHO
guideline, period means, Lday/Levening/Lnight/Lden and the data basis."""
import datetime
import math

import pytest

from ckanext.smartcityatlas.environment import figures as fig
from ckanext.smartcityatlas.environment.figures import Day, HourOfDay

D = datetime.date
SPRING = D(2024, 3, 31)  # clocks go forward: 23 hours
AUTUMN = D(2024, 10, 27)  # clocks go back: 25 hours


def test_hours_of_a_day_and_the_hours_a_day_needs_to_count():
    assert [fig.hours_in_day(d) for d in (D(2024, 6, 1), SPRING, AUTUMN)] == [24, 23, 25]
    # 75 % of the day's hours, rounded up: 18 of 24, 18 of 23 (17.25), 19 of 25 (18.75)
    assert [fig.required_hours(d) for d in (D(2024, 6, 1), SPRING, AUTUMN)] == [18, 18, 19]


@pytest.mark.parametrize("day, hours, counts", [
    (D(2024, 6, 1), 18, True), (D(2024, 6, 1), 17, False),
    (SPRING, 18, True), (SPRING, 17, False),
    (AUTUMN, 19, True), (AUTUMN, 18, False),   # 18 hours are not enough on the 25-hour day
])
def test_which_days_count(day, hours, counts):
    assert fig.counts(Day(day, hours, 10.0, 1, 1.0)) is counts


def test_exceedance_days_period_mean_and_data_basis_by_hand():
    days = [Day(D(2024, 1, 1), 24, 60.0, 3, 1.0),   # counts: above EU 50 and WHO 45
            Day(D(2024, 1, 2), 18, 48.0, 2, 0.5),   # counts: above WHO only
            Day(D(2024, 1, 3), 17, 80.0, 2, 0.5),   # incomplete: never an exceedance day
            Day(D(2024, 1, 4), 24, 50.0, 3, 1.0)]   # exactly at the limit: no exceedance
    out = fig.particulate("pm10", days, D(2024, 1, 1), D(2024, 1, 5))
    assert out["exceedance_days_eu"] == 1
    assert out["exceedance_days_who"] == 3
    assert out["valid_days"] == 3 and out["days_with_values"] == 4 and out["days"] == 5
    assert out["mean"] == pytest.approx((60 + 48 + 50) / 3)
    assert out["max_daily_mean"] == 60.0
    assert out["above_eu_annual"] is True and out["above_who_annual"] is True
    # basis: 24+18+17+24 = 83 of 5 × 24 = 120 hours; completeness weighted by hours
    assert out["hours_covered"] == 83 and out["hours"] == 120
    assert out["hours_share"] == pytest.approx(83 / 120)
    assert out["completeness"] == pytest.approx((24 * 1 + 18 * .5 + 17 * .5 + 24 * 1) / 83)
    assert out["sensors"] == 3


def test_pm25_has_no_eu_daily_limit_and_days_outside_the_period_do_not_count():
    days = [Day(D(2023, 12, 31), 24, 90.0, 1, 1.0), Day(D(2024, 1, 1), 24, 16.0, 1, 1.0)]
    out = fig.particulate("pm25", days, D(2024, 1, 1), D(2024, 1, 1))
    assert out["exceedance_days_eu"] is None
    assert out["exceedance_days_who"] == 1 and out["mean"] == 16.0
    assert out["above_eu_annual"] is False and out["above_who_annual"] is True


def test_the_days_of_the_clock_changes():
    autumn = fig.particulate("pm10", [Day(AUTUMN, 19, 51.0, 1, 1.0)], AUTUMN, AUTUMN)
    assert autumn["exceedance_days_eu"] == 1 and autumn["hours"] == 25
    assert autumn["hours_share"] == pytest.approx(19 / 25)
    short = fig.particulate("pm10", [Day(AUTUMN, 18, 51.0, 1, 1.0)], AUTUMN, AUTUMN)
    assert short["exceedance_days_eu"] == 0 and short["valid_days"] == 0 and short["mean"] is None
    spring = fig.particulate("pm10", [Day(SPRING, 18, 51.0, 1, 1.0)], SPRING, SPRING)
    assert spring["exceedance_days_eu"] == 1 and spring["hours"] == 23


def test_daily_series_and_trend():
    days = [Day(D(2024, 1, 31), 24, 10.0, 1, 1.0), Day(D(2024, 2, 1), 24, 20.0, 1, 1.0),
            Day(D(2024, 2, 2), 24, 40.0, 1, 1.0), Day(D(2024, 2, 3), 5, 99.0, 1, 1.0)]
    series = fig.daily_series(days, D(2024, 1, 31), D(2024, 2, 4))
    assert [s["mean"] for s in series] == [10.0, 20.0, 40.0, None, None]
    assert series[3] == {"day": "2024-02-03", "hours": 5, "required_hours": 18, "mean": None}
    assert fig.trend(days, "month") == [{"period": "2024-01", "mean": 10.0, "valid_days": 1},
                                        {"period": "2024-02", "mean": 30.0, "valid_days": 2}]
    # 2024-01-31 is a Wednesday of ISO week 5, 1 and 2 February too
    assert fig.trend(days, "week") == [{"period": "2024-W05", "mean": pytest.approx(70 / 3), "valid_days": 3}]


def test_lden_by_the_end_definition():
    # evening +5 and night +10 make all three 60 dB: Lden is 60 dB
    assert fig.lden(60.0, 55.0, 50.0) == pytest.approx(60.0)
    # (12·10^6.5 + 4·10^6.5 + 8·10^6) / 24 = 2,441,518.4 → 63.877 dB
    assert fig.lden(65.0, 60.0, 50.0) == pytest.approx(63.877, abs=1e-3)
    assert fig.lden(65.0, None, 50.0) is None


def _hours(levels: dict[int, list[float]]) -> list[HourOfDay]:
    return [HourOfDay(h, len(values), sum(10 ** (v / 10) for v in values), 2, 1.0) for h, values in levels.items()]


def test_noise_periods_by_hour_of_day():
    levels = {h: [60.0] for h in range(6, 18)} | {h: [55.0] for h in range(18, 22)} | \
             {h: [50.0] for h in (*range(22, 24), *range(0, 6))}
    levels[7] = [60.0, 70.0]  # two days: 10·log10((10^6 + 10^7) / 2) = 67.404 dB at 07:00
    out = fig.noise(_hours(levels), D(2024, 6, 1), D(2024, 6, 2))
    assert out["by_hour"][7]["level"] == pytest.approx(67.404, abs=1e-3)
    # Lday: 12 values of 60 dB and one of 70 dB → 10·log10((12·10^6 + 10^7) / 13)
    assert out["lday"] == pytest.approx(10 * math.log10((12e6 + 1e7) / 13))
    assert out["levening"] == pytest.approx(55.0) and out["lnight"] == pytest.approx(50.0)
    assert out["lden"] == pytest.approx(fig.lden(out["lday"], 55.0, 50.0))
    assert out["hours_covered"] == 25 and out["hours"] == 48
    assert out["above_who_lnight"] is True and out["sensors"] == 2


def test_noise_on_the_autumn_day_counts_the_second_two_oclock_hour_for_the_night():
    levels = {h: [60.0] for h in range(6, 18)} | {h: [55.0] for h in range(18, 22)} | \
             {h: [50.0] for h in (*range(22, 24), *range(0, 6))}
    levels[2] = [50.0, 60.0]  # 02:00 twice: the 25-hour day
    out = fig.noise(_hours(levels), AUTUMN, AUTUMN)
    assert out["hours_covered"] == 25 and out["hours"] == 25 and out["hours_share"] == 1.0
    assert out["lnight"] == pytest.approx(10 * math.log10((8 * 1e5 + 1e6) / 9))


def test_noise_without_evening_values_has_no_lden():
    levels = {h: [60.0] for h in range(6, 18)} | {h: [50.0] for h in (*range(22, 24), *range(0, 6))}
    out = fig.noise(_hours(levels), D(2024, 6, 1), D(2024, 6, 1))
    assert out["levening"] is None and out["lden"] is None and out["above_who_lden"] is None
    assert out["hours_share"] == pytest.approx(20 / 24)
