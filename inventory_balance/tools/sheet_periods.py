# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The periods of an Inventory Balance sheet: pure date arithmetic.

Pure Python (no Odoo import), tested by plain pytest.
"""

import datetime

GRANULARITIES = ("month", "week", "day")
MAX_PERIODS = 400
# Periods are [start, stop): the engine's moments are inclusive, so a period
# ends one microsecond before the next starts (generated or imported lines may
# carry fractions of a second).
ONE_TICK = datetime.timedelta(microseconds=1)


def add_months(day, months):
    """``day`` moved by ``months`` months, clamped to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last = (following - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))


def default_range(today, months=3):
    """The default range of a new sheet: the 1st of ``today``'s month, and
    ``months`` months later (the day before)."""
    start = today.replace(day=1)
    return start, add_months(start, months) - datetime.timedelta(days=1)


def split_periods(date_from, date_to, granularity="month"):
    """Consecutive periods covering ``date_from`` to ``date_to`` (dates, both
    included), as ``(start, stop)`` with ``stop`` the first day after the
    period.  Months and weeks (Monday to Sunday) follow the calendar; the first
    and last periods are cut at the range's ends.

    :raise ValueError: unknown granularity, an empty range, or more than
        ``MAX_PERIODS`` periods
    """
    if granularity not in GRANULARITIES:
        raise ValueError(f"Unknown period granularity {granularity!r}.")
    if not date_from or not date_to or date_to < date_from:
        raise ValueError("The range must end on or after its start.")
    end = date_to + datetime.timedelta(days=1)
    periods = []
    start = date_from
    while start < end:
        if granularity == "month":
            stop = add_months(start.replace(day=1), 1)
        elif granularity == "week":
            stop = start + datetime.timedelta(days=7 - start.weekday())
        else:
            stop = start + datetime.timedelta(days=1)
        stop = min(stop, end)
        periods.append((start, stop))
        if len(periods) > MAX_PERIODS:
            raise ValueError(f"A sheet has at most {MAX_PERIODS} periods.")
        start = stop
    return periods


def period_label(start, stop, granularity):
    """A short label: ``2026-11`` for a whole month, else the first day."""
    if granularity == "month" and start.day == 1 and stop == add_months(start, 1):
        return start.strftime("%Y-%m")
    return start.isoformat()
