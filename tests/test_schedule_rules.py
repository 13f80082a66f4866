"""The schedule arithmetic of the snapshot schedules and their name patterns."""

import importlib.util
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

_path = (
    Path(__file__).resolve().parent.parent
    / "inventory_snapshot/tools/schedule_rules.py"
)
_spec = importlib.util.spec_from_file_location("schedule_rules", _path)
rules = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rules)

due = rules.due_moments
D = datetime


# ------------------------------------------------------------ time of day
@pytest.mark.parametrize(
    "hour, expected",
    [
        (0, time(0, 0)),
        (0.0, time(0, 0)),
        (8.5, time(8, 30)),
        (17.25, time(17, 15)),
        (23.99, time(23, 59, 24)),
        (24, time(23, 59, 59)),
    ],
)
def test_time_of_day(hour, expected):
    assert rules.time_of_day(hour) == expected


@pytest.mark.parametrize("hour", [-1, 24.01, "8", None, True])
def test_bad_hour(hour):
    with pytest.raises(rules.ScheduleError):
        due("daily", D(2026, 1, 1), D(2026, 1, 5), hour=hour)


@pytest.mark.parametrize("weekday", [-1, 7, 1.5, "0", None])
def test_bad_weekday(weekday):
    with pytest.raises(rules.ScheduleError):
        due("weekly", D(2026, 1, 1), D(2026, 1, 5), weekday=weekday)


@pytest.mark.parametrize("frequency", ["monthly", "", None, "Month_End"])
def test_bad_frequency(frequency):
    with pytest.raises(rules.ScheduleError, match="Unknown frequency"):
        due(frequency, D(2026, 1, 1), D(2026, 1, 5))


# ------------------------------------------------------------ frequencies
def test_daily():
    assert due("daily", D(2026, 1, 1, 9), D(2026, 1, 4, 7), hour=8) == [
        D(2026, 1, 2, 8),
        D(2026, 1, 3, 8),
    ]
    # (after, until]: a moment equal to until is due, one equal to after is not
    assert due("daily", D(2026, 1, 1, 8), D(2026, 1, 3, 8), hour=8) == [
        D(2026, 1, 2, 8),
        D(2026, 1, 3, 8),
    ]


def test_weekly():
    # 2026-01-05 is a Monday
    assert D(2026, 1, 5).weekday() == 0
    assert due("weekly", D(2026, 1, 1), D(2026, 1, 31), hour=6, weekday=0) == [
        D(2026, 1, 5, 6),
        D(2026, 1, 12, 6),
        D(2026, 1, 19, 6),
        D(2026, 1, 26, 6),
    ]
    # Friday evening, starting on a Friday after the time of day
    assert due("weekly", D(2026, 1, 2, 19), D(2026, 1, 17), hour=18, weekday=4) == [
        D(2026, 1, 9, 18),
        D(2026, 1, 16, 18),
    ]


def test_month_end_is_the_last_day_of_the_month():
    assert due("month_end", D(2025, 12, 31, 12), D(2026, 6, 1), hour=24) == [
        D(2025, 12, 31, 23, 59, 59),
        D(2026, 1, 31, 23, 59, 59),
        D(2026, 2, 28, 23, 59, 59),
        D(2026, 3, 31, 23, 59, 59),
        D(2026, 4, 30, 23, 59, 59),
        D(2026, 5, 31, 23, 59, 59),
    ]


def test_month_end_in_a_leap_year():
    assert due("month_end", D(2028, 2, 1), D(2028, 3, 1), hour=18) == [
        D(2028, 2, 29, 18)
    ]


def test_quarter_end():
    assert due("quarter_end", D(2025, 11, 15), D(2026, 12, 31, 23), hour=22) == [
        D(2025, 12, 31, 22),
        D(2026, 3, 31, 22),
        D(2026, 6, 30, 22),
        D(2026, 9, 30, 22),
        D(2026, 12, 31, 22),
    ]


def test_year_end():
    assert due("year_end", D(2024, 12, 31, 23, 59, 59), D(2027, 1, 1), hour=24) == [
        D(2025, 12, 31, 23, 59, 59),
        D(2026, 12, 31, 23, 59, 59),
    ]


def test_nothing_due_when_until_is_not_after_after():
    assert due("daily", D(2026, 1, 5), D(2026, 1, 5)) == []
    assert due("daily", D(2026, 1, 5), D(2026, 1, 1)) == []


# --------------------------------------------------- catch-up, no repeats
@pytest.mark.parametrize("frequency", rules.FREQUENCIES)
def test_runs_at_any_rhythm_take_every_period_once(frequency):
    """Runs every 5 hours, every 3 days or once: the same moments, none twice."""
    start, end = D(2025, 1, 1, 3), D(2027, 3, 1)
    expected = due(frequency, start, end, hour=12, weekday=2)
    assert expected and len(expected) == len(set(expected))
    for step_hours in (5, 72, 24 * 45):
        taken, last, run = [], start, start
        while run < end:
            run = min(run + timedelta(hours=step_hours), end)
            found = due(frequency, last, run, hour=12, weekday=2)
            taken += found
            if found:
                last = found[-1]
        assert taken == expected, step_hours


def test_a_late_run_catches_up_every_missed_month_end():
    last = D(2026, 1, 31, 23, 59, 59)
    assert due("month_end", last, D(2026, 5, 2, 10), hour=24) == [
        D(2026, 2, 28, 23, 59, 59),
        D(2026, 3, 31, 23, 59, 59),
        D(2026, 4, 30, 23, 59, 59),
    ]


def test_a_repeated_run_finds_nothing_new():
    now = D(2026, 4, 1, 1)
    taken = due("month_end", D(2026, 1, 1), now, hour=24)
    assert due("month_end", taken[-1], now, hour=24) == []


def test_next_due_moment():
    assert rules.next_due_moment("quarter_end", D(2026, 3, 31, 23, 59, 59), 24) == D(
        2026, 6, 30, 23, 59, 59
    )
    assert rules.next_due_moment("weekly", D(2026, 1, 5, 6), 6, 0) == D(2026, 1, 12, 6)
    assert rules.next_due_moment("daily", D(2026, 1, 5, 5), 6) == D(2026, 1, 5, 6)


def test_a_runaway_catch_up_is_refused():
    with pytest.raises(rules.ScheduleError, match="start the schedule later"):
        due("daily", D(1900, 1, 1), D(2026, 1, 1))


# -------------------------------------------------------------- time zones
def test_utc_moments_reckoned_in_a_time_zone():
    # Month-end at the end of the day in Brussels: 22:59:59 UTC in summer,
    # 22:59:59 UTC in winter too (UTC+1), 21:59:59 in summer (UTC+2).
    moments = rules.due_moments_utc(
        "month_end",
        D(2026, 1, 1),
        D(2026, 8, 1),
        hour=24,
        tz="Europe/Brussels",
    )
    assert moments[0] == D(2026, 1, 31, 22, 59, 59)
    assert moments[2] == D(2026, 3, 31, 21, 59, 59)  # summer time since 29 March
    assert len(moments) == 7  # January ... July
    assert rules.due_moments_utc(
        "month_end", D(2026, 1, 1), D(2026, 8, 1), hour=24, tz="UTC"
    ) == due("month_end", D(2026, 1, 1), D(2026, 8, 1), hour=24)


def test_a_due_moment_across_midnight_utc():
    # 01:00 in Tokyo is 16:00 UTC the day before.
    assert rules.due_moments_utc(
        "daily", D(2026, 1, 1), D(2026, 1, 3), hour=1, tz="Asia/Tokyo"
    ) == [D(2026, 1, 1, 16), D(2026, 1, 2, 16)]
    assert rules.next_due_moment_utc(
        "month_end", D(2026, 1, 30, 15), hour=1, tz="Asia/Tokyo"
    ) == D(2026, 1, 30, 16)


def test_unknown_time_zone():
    with pytest.raises(rules.ScheduleError, match="time zone"):
        rules.due_moments_utc("daily", D(2026, 1, 1), D(2026, 1, 3), tz="Mars/Olympus")


# ----------------------------------------------------------- name patterns
def test_format_name():
    moment = D(2026, 5, 31, 23, 59, 59)
    assert rules.format_name("Month-End {month} {year}", moment) == (
        "Month-End May 2026"
    )
    assert (
        rules.format_name(
            "{quarter}/{year} {month_number}-{day} on {date}", D(2026, 8, 3)
        )
        == "Q3/2026 08-03 on 2026-08-03"
    )
    assert rules.format_name("No placeholder", moment) == "No placeholder"
    assert rules.format_name("{{literal}} {year}", moment) == "{literal} 2026"


@pytest.mark.parametrize(
    "pattern",
    [
        "{foo}",
        "{Year}",
        "{ year }",
        "{}",
        "{year.__class__}",
        "{month.__class__.__mro__}",
        "{year!r}",
        "{year:>10}",
        "{0}",
        "{__import__('os')}",
    ],
)
def test_unknown_placeholders_are_refused(pattern):
    with pytest.raises(rules.ScheduleError, match="Unknown placeholder"):
        rules.format_name(pattern, D(2026, 5, 31))


@pytest.mark.parametrize("pattern", ["{year", "year}", "{year} }", "{ {year}"])
def test_lone_braces_are_refused(pattern):
    with pytest.raises(rules.ScheduleError, match="Lone"):
        rules.format_name(pattern, D(2026, 5, 31))


def test_check_name_pattern():
    rules.check_name_pattern("Month-End {month} {year}")
    with pytest.raises(rules.ScheduleError):
        rules.check_name_pattern("Month-End {mois}")


def test_no_odoo_import():
    text = _path.read_text(encoding="utf-8")
    assert "import odoo" not in text and "from odoo" not in text
