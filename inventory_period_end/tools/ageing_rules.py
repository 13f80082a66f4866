# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Aged inventory: the pure rules (no ORM).

The on-hand quantity of a balance is split over the incoming moves that made
it, the newest first: the oldest stock has left first (FIFO), so what is left
is the stock that came in last.  What no incoming move explains (stock older
than the ledger, or a negative balance) is put in the oldest bucket, so that
the buckets always add up to the on-hand quantity.  The SQL of the
``inventory.ageing`` model does the same set-based; the tests hold both to
these functions.
"""

from collections import namedtuple

Bucket = namedtuple("Bucket", "name days_from days_to")

DEFAULT_BUCKETS = (
    Bucket("0-30 days", 0, 30),
    Bucket("31-90 days", 31, 90),
    Bucket("91-180 days", 91, 180),
    Bucket("181-365 days", 181, 365),
    Bucket("Over 365 days", 366, None),
)


def fifo_layers(on_hand, incomings):
    """The on-hand quantity as layers of incoming stock, the newest first.

    :param on_hand: the balance's quantity
    :param incomings: ``(date, quantity)`` of the moves that brought stock in
        (in any order; equal dates keep their given order, the later one
        taken as the newer)
    :return: list of ``(date, quantity)``, newest first; a last layer dated
        ``None`` holds what the incomings do not explain (the whole balance
        when it is zero or less)
    """
    layers = []
    left = on_hand
    if on_hand > 0:
        ordered = sorted(enumerate(incomings), key=lambda item: (item[1][0], item[0]))
        for _index, (date, quantity) in reversed(ordered):
            if left <= 0:
                break
            taken = min(quantity, left)
            if taken > 0:
                layers.append((date, taken))
                left -= taken
    if left:
        layers.append((None, left))
    return layers


def bucket_index(age_days, buckets=DEFAULT_BUCKETS):
    """Index of the bucket of an age in days; ``None`` (unknown age) and ages
    past the last bucket fall in the last, the oldest."""
    if age_days is None:
        return len(buckets) - 1
    age_days = max(age_days, 0)
    for index, bucket in enumerate(buckets):
        if bucket.days_from <= age_days and (
            bucket.days_to is None or age_days <= bucket.days_to
        ):
            return index
    return len(buckets) - 1


def check_buckets(buckets):
    """Error message when the buckets do not cover every age from 0 once, in
    order, the last open-ended; ``None`` when they do."""
    if not buckets:
        return "At least one ageing bucket is needed."
    expected = 0
    for index, bucket in enumerate(buckets):
        if bucket.days_from != expected:
            return (
                f"The ageing bucket {bucket.name} should start at {expected} days, "
                f"not {bucket.days_from}."
            )
        last = index == len(buckets) - 1
        if last and bucket.days_to is not None:
            return f"The last ageing bucket {bucket.name} must have no end."
        if not last:
            if bucket.days_to is None or bucket.days_to < bucket.days_from:
                return f"The ageing bucket {bucket.name} needs an end after its start."
            expected = bucket.days_to + 1
    return None


def ageing(on_hand, incomings, at, buckets=DEFAULT_BUCKETS):
    """Quantities per bucket (a list as long as ``buckets``) of one balance at
    the date ``at``; they add up to ``on_hand``."""
    quantities = [0.0] * len(buckets)
    for date, quantity in fifo_layers(on_hand, incomings):
        age = None if date is None else (at - date).days
        quantities[bucket_index(age, buckets)] += quantity
    return quantities
