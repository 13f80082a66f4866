"""Aged inventory: FIFO layers and buckets (pure rules)."""

import importlib.util
from datetime import date
from pathlib import Path

import pytest

_path = (
    Path(__file__).resolve().parent.parent
    / "inventory_period_end/tools/ageing_rules.py"
)
_spec = importlib.util.spec_from_file_location("ageing_rules", _path)
rules = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rules)

B = rules.Bucket
D = date


def test_fifo_keeps_the_newest_stock():
    incomings = [(D(2026, 1, 10), 100), (D(2026, 3, 1), 50), (D(2026, 2, 1), 20)]
    assert rules.fifo_layers(60, incomings) == [
        (D(2026, 3, 1), 50),
        (D(2026, 2, 1), 10),
    ]


def test_fifo_everything_left_and_unexplained_rest():
    incomings = [(D(2026, 1, 10), 10), (D(2026, 2, 1), 5)]
    assert rules.fifo_layers(20, incomings) == [
        (D(2026, 2, 1), 5),
        (D(2026, 1, 10), 10),
        (None, 5),
    ]


@pytest.mark.parametrize("on_hand", [0, -3])
def test_fifo_nothing_or_negative_on_hand(on_hand):
    layers = rules.fifo_layers(on_hand, [(D(2026, 1, 1), 10)])
    assert layers == ([(None, on_hand)] if on_hand else [])
    assert sum(q for __, q in layers) == on_hand


def test_fifo_same_day_later_incoming_is_newer():
    incomings = [(D(2026, 1, 1), 4), (D(2026, 1, 1), 6)]
    assert rules.fifo_layers(7, incomings) == [(D(2026, 1, 1), 6), (D(2026, 1, 1), 1)]


@pytest.mark.parametrize(
    "age, index",
    [
        (0, 0),
        (30, 0),
        (31, 1),
        (90, 1),
        (91, 2),
        (180, 2),
        (181, 3),
        (365, 3),
        (366, 4),
        (5000, 4),
        (None, 4),
        (-2, 0),
    ],
)
def test_bucket_index(age, index):
    assert rules.bucket_index(age) == index


def test_ageing_sums_to_on_hand():
    at = D(2026, 6, 30)
    incomings = [(D(2025, 1, 1), 40), (D(2026, 2, 1), 30), (D(2026, 6, 20), 25)]
    quantities = rules.ageing(80, incomings, at)
    assert quantities == [25, 0, 30, 0, 25]
    assert sum(quantities) == 80


@pytest.mark.parametrize(
    "buckets, error",
    [
        (rules.DEFAULT_BUCKETS, None),
        ([B("all", 0, None)], None),
        ([], "At least one"),
        ([B("a", 1, 30), B("b", 31, None)], "should start at 0"),
        ([B("a", 0, 30), B("b", 40, None)], "should start at 31"),
        ([B("a", 0, 30), B("b", 31, 60)], "must have no end"),
        ([B("a", 0, None), B("b", 31, None)], "needs an end"),
    ],
)
def test_check_buckets(buckets, error):
    found = rules.check_buckets(buckets)
    assert (found is None) if error is None else (error in found)
