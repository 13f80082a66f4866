# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Schedule arithmetic of the snapshot schedules, in plain Python (no Odoo).

A schedule is due at the end of every period of its frequency, at a time of
day:

- ``daily``: every day;
- ``weekly``: every week on ``weekday`` (0 = Monday ... 6 = Sunday);
- ``month_end``: the last day of every month;
- ``quarter_end``: 31 March, 30 June, 30 September, 31 December;
- ``year_end``: 31 December.

The time of day is an hour as a float (``8.5`` = 08:30) from 0 to 24, where 24
means the very end of the day (23:59:59), the moment a month-end snapshot
normally shows.

:func:`due_moments` lists the due moments in ``(after, until]``: a run that
passes the last moment it took as ``after`` and now as ``until`` catches up
every period it missed and never repeats one. Moments are naive datetimes of
one clock; :func:`due_moments_utc` works on naive UTC datetimes (as Odoo stores
them) and reckons the periods and the time of day in a time zone.

:func:`format_name` renders a name pattern such as ``Month-End {month} {year}``
without ``eval`` or ``str.format``: placeholders are parsed with a regular
expression and only the names of :data:`PLACEHOLDERS` are accepted.
"""

import calendar
import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FREQUENCIES = ("daily", "weekly", "month_end", "quarter_end", "year_end")

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

PLACEHOLDERS = {
    "year": lambda moment: f"{moment.year:04d}",
    "month": lambda moment: MONTH_NAMES[moment.month - 1],
    "month_number": lambda moment: f"{moment.month:02d}",
    "quarter": lambda moment: f"Q{(moment.month - 1) // 3 + 1}",
    "day": lambda moment: f"{moment.day:02d}",
    "date": lambda moment: f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}",
}

# "{{" and "}}" are literal braces; "{name}" a placeholder; a lone brace an error.
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")

# A safety net against a runaway catch-up (a daily schedule started decades ago).
MAX_DUE_MOMENTS = 10000


class ScheduleError(ValueError):
    """An invalid frequency, time of day, weekday, time zone or name pattern."""


# ------------------------------------------------------------------ checks
def check_frequency(frequency):
    if frequency not in FREQUENCIES:
        raise ScheduleError(
            f"Unknown frequency {frequency!r}: use one of {', '.join(FREQUENCIES)}."
        )


def check_hour(hour):
    if isinstance(hour, bool) or not isinstance(hour, int | float):
        raise ScheduleError(f"The time of day must be a number of hours: {hour!r}.")
    if not 0 <= hour <= 24:
        raise ScheduleError(f"The time of day must be from 0 to 24 hours: {hour}.")


def check_weekday(weekday):
    if isinstance(weekday, bool) or not isinstance(weekday, int):
        raise ScheduleError(f"The weekday must be an integer: {weekday!r}.")
    if not 0 <= weekday <= 6:
        raise ScheduleError(
            f"The weekday must be from 0 (Monday) to 6 (Sunday): {weekday}."
        )


def time_of_day(hour):
    """The clock time of an hour float; 24 is the end of the day, 23:59:59."""
    check_hour(hour)
    seconds = min(round(hour * 3600), 24 * 3600 - 1)
    return time(seconds // 3600, seconds % 3600 // 60, seconds % 60)


# ------------------------------------------------------------- due moments
def _month_end(year, month):
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year, month, months):
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def _due_dates(frequency, start, weekday):
    """Every due date of the frequency on or after ``start``, in order."""
    if frequency == "daily":
        day = start
        while True:
            yield day
            day += timedelta(days=1)
    elif frequency == "weekly":
        day = start + timedelta(days=(weekday - start.weekday()) % 7)
        while True:
            yield day
            day += timedelta(days=7)
    else:
        step = {"month_end": 1, "quarter_end": 3, "year_end": 12}[frequency]
        year, month = start.year, start.month
        # The first period end of the frequency in or after start's month.
        month += (step - month % step) % step
        while True:
            yield _month_end(year, month)
            year, month = _add_months(year, month, step)


def iter_due_moments(frequency, after, hour=0.0, weekday=0):
    """The due moments strictly after ``after``, in order, without end."""
    check_frequency(frequency)
    check_weekday(weekday)
    at = time_of_day(hour)
    for day in _due_dates(frequency, after.date(), weekday):
        moment = datetime.combine(day, at, tzinfo=after.tzinfo)
        if moment > after:
            yield moment


def due_moments(frequency, after, until, hour=0.0, weekday=0):
    """The due moments in ``(after, until]``, oldest first.

    :param frequency: one of :data:`FREQUENCIES`
    :param after: the last moment already taken (or the start of the schedule)
    :param until: usually now
    :param hour: the time of day, 0 to 24 (24 = 23:59:59)
    :param weekday: for ``weekly``, 0 = Monday ... 6 = Sunday
    :return: list of datetimes, empty when ``until <= after``
    """
    check_frequency(frequency)
    check_hour(hour)
    check_weekday(weekday)
    moments = []
    if until <= after:
        return moments
    for moment in iter_due_moments(frequency, after, hour, weekday):
        if moment > until:
            break
        moments.append(moment)
        if len(moments) > MAX_DUE_MOMENTS:
            raise ScheduleError(
                f"More than {MAX_DUE_MOMENTS} due moments between {after} and "
                f"{until}: start the schedule later."
            )
    return moments


def next_due_moment(frequency, after, hour=0.0, weekday=0):
    """The first due moment strictly after ``after``."""
    return next(iter_due_moments(frequency, after, hour, weekday))


# ------------------------------------------------------------- time zones
def get_zone(tz):
    try:
        return ZoneInfo(tz or "UTC")
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ScheduleError(f"Unknown time zone {tz!r}.") from exc


def utc_to_local(moment, tz):
    """A naive UTC datetime as the naive wall-clock time of ``tz``."""
    return (
        moment.replace(tzinfo=timezone.utc)
        .astimezone(get_zone(tz))
        .replace(tzinfo=None)
    )


def local_to_utc(moment, tz):
    """A naive wall-clock time of ``tz`` as a naive UTC datetime (on a change
    of clocks, the first of two ambiguous times; a time skipped by the clocks
    is taken with the offset before the change)."""
    return (
        moment.replace(tzinfo=get_zone(tz))
        .astimezone(timezone.utc)
        .replace(tzinfo=None)
    )


def due_moments_utc(frequency, after, until, hour=0.0, weekday=0, tz="UTC"):
    """:func:`due_moments` for naive UTC datetimes, with the days, periods and
    time of day reckoned in the time zone ``tz``; returns naive UTC datetimes
    in ``(after, until]``."""
    local = due_moments(
        frequency, utc_to_local(after, tz), utc_to_local(until, tz), hour, weekday
    )
    moments = []
    for moment in local:
        utc = local_to_utc(moment, tz)
        if after < utc <= until and (not moments or utc > moments[-1]):
            moments.append(utc)
    return moments


def next_due_moment_utc(frequency, after, hour=0.0, weekday=0, tz="UTC"):
    """:func:`next_due_moment` for a naive UTC datetime, reckoned in ``tz``."""
    for moment in iter_due_moments(frequency, utc_to_local(after, tz), hour, weekday):
        utc = local_to_utc(moment, tz)
        if utc > after:
            return utc
    raise AssertionError("unreachable: the due moments never end")


# ------------------------------------------------------------------- names
def format_name(pattern, moment):
    """Render a name pattern for a due moment.

    Placeholders: ``{year}`` (2026), ``{month}`` (May), ``{month_number}``
    (05), ``{quarter}`` (Q2), ``{day}`` (31), ``{date}`` (2026-05-31); ``{{``
    and ``}}`` are literal braces.

    :raise ScheduleError: on an unknown placeholder or a lone brace
    """
    if not isinstance(pattern, str):
        raise ScheduleError(f"A name pattern must be text: {pattern!r}.")
    parts, position = [], 0
    for match in _TOKEN.finditer(pattern):
        parts.append(pattern[position : match.start()])
        position = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            parts.append(token[0])
        elif token in ("{", "}"):
            raise ScheduleError(
                f"Lone {token!r} at position {match.start()} of the name pattern "
                f"{pattern!r}: write {token * 2!r} for a literal brace."
            )
        else:
            name = match.group(1)
            if name not in PLACEHOLDERS:
                known = ", ".join("{%s}" % key for key in PLACEHOLDERS)
                raise ScheduleError(
                    f"Unknown placeholder {token} in the name pattern {pattern!r}: "
                    f"use {known}."
                )
            parts.append(PLACEHOLDERS[name](moment))
    parts.append(pattern[position:])
    return "".join(parts)


def check_name_pattern(pattern):
    """Raise :class:`ScheduleError` when the pattern cannot be rendered."""
    format_name(pattern, datetime(2000, 1, 31))
