"""The scale generator's pure rules: argument checks and the shape of the history."""

import importlib.util
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
_path = REPO / "inventory_balance" / "tools" / "generator_spec.py"
_spec = importlib.util.spec_from_file_location("generator_spec", _path)
generator_spec = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generator_spec)
GeneratorSpec = generator_spec.GeneratorSpec
GeneratorSpecError = generator_spec.GeneratorSpecError


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"products": 0}, "--products must be between 1"),
        ({"products": 2.5}, "--products must be a whole number"),
        ({"locations": 0}, "--locations must be between 1"),
        ({"move_lines": 10_000_001}, "--move-lines must be between 1 and 10,000,000"),
        ({"lot_share": 1.5}, "--lot-share is a share"),
        ({"valued_share": -0.1}, "--valued-share is a share"),
        ({"days": 0}, "--days must be between 1"),
        ({"lot_share": "half"}, "--lot-share must be a number"),
    ],
)
def test_nonsense_is_refused_with_a_clear_message(kwargs, message):
    with pytest.raises(GeneratorSpecError, match=message):
        GeneratorSpec(**kwargs)


def test_all_errors_are_reported_at_once():
    with pytest.raises(GeneratorSpecError) as caught:
        GeneratorSpec(products=0, days=-1)
    assert "--products" in str(caught.value) and "--days" in str(caught.value)


def _simulate(spec):
    """Apply the spec's lines in order; return bin balances and kinds seen."""
    balances = defaultdict(int)
    kinds = defaultdict(int)
    lowest = 0
    for i in range(spec.move_lines):
        line = spec.line(i)
        kinds[line["kind"]] += 1
        lot = line["slot"] % generator_spec.LOTS_PER_PRODUCT
        source, destination = generator_spec.KIND_ROUTES[line["kind"]]
        key = (line["product_index"], line["bin_index"], lot)
        if destination == "bin":
            balances[key] += line["quantity"]
        else:
            balances[key] -= line["quantity"]
            if destination == "next_bin":
                other = (line["product_index"], line["next_bin_index"], lot)
                balances[other] += line["quantity"]
            lowest = min(lowest, balances[key])
    return balances, kinds, lowest


@pytest.mark.parametrize(
    "kwargs",
    [
        {"products": 20, "locations": 5, "move_lines": 6000},
        {"products": 7, "locations": 1, "move_lines": 700},
        {"products": 50, "locations": 40, "move_lines": 9999, "seed": 7},
    ],
)
def test_no_bin_balance_ever_goes_negative(kwargs):
    spec = GeneratorSpec(**kwargs)
    _balances, kinds, lowest = _simulate(spec)
    assert lowest >= 0
    assert sum(kinds.values()) == spec.move_lines
    expected = {"receipt", "production", "delivery", "consumption"}
    if spec.move_lines >= 3 * spec.keys * 14:
        expected |= {"adjustment_in", "adjustment_out", "return"}
    assert expected <= set(kinds)
    assert ("transfer" in kinds) == (spec.slots > 1)


def test_slots_of_a_product_use_different_bins():
    spec = GeneratorSpec(products=10, locations=40)
    for product in range(spec.products):
        bins = {spec.bin_index(product, slot) for slot in range(spec.slots)}
        assert len(bins) == spec.slots == 3


def test_lot_tracked_share():
    spec = GeneratorSpec(products=10, lot_share=0.3)
    assert [spec.is_lot_tracked(p) for p in range(10)].count(True) == 3


def test_command_line_refuses_nonsense_without_traceback():
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "generate.py"),
            "-d",
            "unused",
            "--products",
            "-5",
            "--lot-share",
            "2",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "--products must be between 1" in result.stderr
    assert "--lot-share is a share" in result.stderr
