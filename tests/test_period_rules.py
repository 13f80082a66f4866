"""Inventory periods and the stock lock date: the pure rules."""

import importlib.util
from datetime import date, datetime
from pathlib import Path

import pytest

_path = (
    Path(__file__).resolve().parent.parent
    / "inventory_period_end/tools/period_rules.py"
)
_spec = importlib.util.spec_from_file_location("period_rules", _path)
rules = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rules)


@pytest.mark.parametrize(
    "moment, lock, locked",
    [
        (datetime(2026, 5, 31, 23, 59, 59), date(2026, 5, 31), True),
        (datetime(2026, 6, 1, 0, 0, 0), date(2026, 5, 31), False),
        (datetime(2026, 1, 1), date(2026, 5, 31), True),
        (date(2026, 5, 31), date(2026, 5, 31), True),
        (datetime(2026, 1, 1), False, False),
        (None, date(2026, 5, 31), False),
    ],
)
def test_is_locked(moment, lock, locked):
    assert rules.is_locked(moment, lock) is locked


def test_period_end_moment_is_the_last_second_of_the_day():
    assert rules.period_end_moment(date(2026, 2, 28)) == datetime(
        2026, 2, 28, 23, 59, 59
    )


@pytest.mark.parametrize(
    "day, length, bounds",
    [
        (date(2026, 2, 14), "month", (date(2026, 2, 1), date(2026, 2, 28))),
        (date(2028, 2, 14), "month", (date(2028, 2, 1), date(2028, 2, 29))),
        (date(2026, 12, 31), "month", (date(2026, 12, 1), date(2026, 12, 31))),
        (date(2026, 5, 2), "quarter", (date(2026, 4, 1), date(2026, 6, 30))),
        (date(2026, 11, 2), "quarter", (date(2026, 10, 1), date(2026, 12, 31))),
        (date(2026, 7, 9), "year", (date(2026, 1, 1), date(2026, 12, 31))),
    ],
)
def test_period_bounds(day, length, bounds):
    assert rules.period_bounds(day, length) == bounds


def test_missing_periods_from_nothing_is_the_current_period():
    assert rules.missing_periods([], date(2026, 5, 10)) == [
        (date(2026, 5, 1), date(2026, 5, 31))
    ]


def test_missing_periods_fill_the_gap_up_to_today():
    existing = [(date(2026, 1, 1), date(2026, 1, 31))]
    assert rules.missing_periods(existing, date(2026, 4, 1)) == [
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 31)),
        (date(2026, 4, 1), date(2026, 4, 30)),
    ]


def test_missing_periods_after_a_hand_made_period_ending_mid_month():
    existing = [(date(2026, 1, 1), date(2026, 1, 15))]
    assert rules.missing_periods(existing, date(2026, 2, 3)) == [
        (date(2026, 1, 16), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
    ]


def test_missing_periods_none_when_covered():
    existing = [(date(2026, 5, 1), date(2026, 5, 31))]
    assert rules.missing_periods(existing, date(2026, 5, 31)) == []


def test_missing_periods_quarterly_from_a_start():
    assert rules.missing_periods(
        [], date(2026, 8, 1), "quarter", start=date(2026, 2, 10)
    ) == [
        (date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 7, 1), date(2026, 9, 30)),
    ]


def test_checkpoints_to_prune_keeps_the_last_closings_and_newer():
    closings = [datetime(2026, m, 28) for m in range(1, 7)]
    checkpoints = [datetime(2026, m, 28) for m in range(1, 8)] + [datetime(2025, 12, 1)]
    assert rules.checkpoints_to_prune(closings, checkpoints, 3) == [
        datetime(2025, 12, 1),
        datetime(2026, 1, 28),
        datetime(2026, 2, 28),
        datetime(2026, 3, 28),
    ]


def test_checkpoints_to_prune_as_soon_as_keep_periods_are_closed():
    closings = [datetime(2026, 1, 31)]
    older = [datetime(2025, 12, 31), datetime(2026, 1, 31)]
    assert rules.checkpoints_to_prune(closings, older, 1) == [datetime(2025, 12, 31)]
    assert rules.checkpoints_to_prune(closings, older, 2) == []


@pytest.mark.parametrize("keep", [0, 6, 12])
def test_checkpoints_to_prune_nothing_when_few_closings_or_no_limit(keep):
    closings = [datetime(2026, m, 28) for m in range(1, 7)]
    assert rules.checkpoints_to_prune(closings, closings, keep) == []
