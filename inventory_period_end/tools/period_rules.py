# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Pure rules of inventory periods and the stock lock date (no ORM)."""

from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta

PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def period_end_moment(day):
    """The last moment of a day (UTC), as the ledger engine reads a date."""
    return datetime.combine(day, time(23, 59, 59))


def is_locked(moment, lock_date):
    """Whether a ledger moment falls on or before the stock lock date."""
    if not lock_date or not moment:
        return False
    day = moment.date() if isinstance(moment, datetime) else moment
    return day <= lock_date


def period_bounds(day, length="month"):
    """The period of the given length (month, quarter, year) holding ``day``:
    ``(first day, last day)``; quarters and years are calendar ones."""
    months = PERIOD_MONTHS[length]
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    return start, start + relativedelta(months=months, days=-1)


def missing_periods(existing, until, length="month", start=None):
    """The ``(first day, last day)`` of the periods to create so that periods
    run without gaps up to the one holding ``until``.

    :param existing: ``(date_from, date_to)`` of the company's periods
    :param start: first day when the company has no period yet (default the
        period of ``until``)
    """
    if existing:
        last_end = max(end for __, end in existing)
        cursor = last_end + relativedelta(days=1)
    else:
        cursor = period_bounds(start or until, length)[0]
    periods = []
    while cursor <= until:
        first, last = period_bounds(cursor, length)
        first = max(first, cursor)  # a hand-made period may end mid-month
        periods.append((first, last))
        cursor = last + relativedelta(days=1)
    return periods


def checkpoints_to_prune(closed_moments, checkpoint_moments, keep):
    """Moments of checkpoints older than the opening balances kept.

    :param closed_moments: closing moments of the closed periods
    :param checkpoint_moments: moments of the company's checkpoints
    :param keep: how many closed periods keep their closing checkpoint
    :return: the checkpoint moments strictly before the oldest kept closing
    """
    if keep < 1 or len(closed_moments) < keep:
        return []
    oldest_kept = sorted(closed_moments, reverse=True)[keep - 1]
    return sorted(m for m in checkpoint_moments if m < oldest_kept)
