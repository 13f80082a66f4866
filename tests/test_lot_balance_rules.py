"""Lot balances with units: lot lines and product summary rows."""

import importlib.util
from pathlib import Path

_path = (
    Path(__file__).resolve().parent.parent
    / "inventory_balance/tools/lot_balance_rules.py"
)
_spec = importlib.util.spec_from_file_location("lot_balance_rules", _path)
rules = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rules)

GOOD, DAMAGED = 1, 2


def _row(product, lot, package, quantity, condition=GOOD, **kw):
    return {
        "product_id": product,
        "lot_id": lot,
        "condition_id": condition,
        "condition_available": condition == GOOD,
        "package_id": package,
        "package": f"P{package}" if package else False,
        "usage": kw.get("usage", "internal"),
        "quantity": quantity,
        "reserved": kw.get("reserved", 0.0),
        "standard_count": kw.get("standard", 96.0),
    }


def _document_rows():
    """UAB123 (product 1): 4 lots of 3 pallets of 96; lot 12 has two damaged
    pallets, lot 14 is in transit, two pallets of lot 11 are reserved.
    PFG789 (product 3): loose, no lot."""
    rows = []
    package = 100
    for lot in (11, 12, 13, 14):
        for index in range(3):
            package += 1
            kw = {}
            condition = GOOD
            if lot == 12 and index < 2:
                condition = DAMAGED
            if lot == 14:
                kw["usage"] = "transit"
            if lot == 11 and index < 2:
                kw["reserved"] = 96.0
            rows.append(_row(1, lot, package, 96.0, condition, **kw))
    rows.append(_row(3, False, False, 40.0, standard=False))
    return rows


def test_document_example():
    result = rules.group_lot_balances(_document_rows())
    lots = {(r["lot_id"], r["condition_id"]): r for r in result["lots"]}
    assert len(lots) == 5
    assert lots[11, GOOD]["units"] == 3
    assert lots[11, GOOD]["quantity"] == 288.0
    assert lots[11, GOOD]["reserved"] == 192.0
    assert lots[11, GOOD]["available"] == 96.0
    assert lots[12, DAMAGED]["units"] == 2
    assert lots[12, DAMAGED]["available"] == 0.0
    assert lots[12, DAMAGED]["on_hand"] == 192.0
    assert lots[12, GOOD]["units"] == 1
    assert lots[14, GOOD]["in_transit"] == 288.0
    assert lots[14, GOOD]["available"] == 0.0
    assert all(line["standard_count"] == 96.0 for line in lots.values())
    assert all(not line["odd_units"] for line in lots.values())
    # Products without lots: in the summary only.
    assert {line["product_id"] for line in result["lots"]} == {1}
    summary = {(r["product_id"], r["condition_id"]): r for r in result["summary"]}
    assert summary[1, GOOD]["units"] == 10
    assert summary[1, GOOD]["quantity"] == 960.0
    assert summary[1, GOOD]["available"] == 96.0 * 7 - 192.0
    assert summary[1, GOOD]["lots"] == 4
    assert summary[1, DAMAGED]["units"] == 2
    assert summary[1, DAMAGED]["available"] == 0.0
    assert summary[3, GOOD]["quantity"] == 40.0
    assert summary[3, GOOD]["loose_quantity"] == 40.0
    assert summary[3, GOOD]["units"] == 0
    assert summary[3, GOOD]["lots"] == 0


def test_summary_is_the_sum_of_the_lot_lines():
    result = rules.group_lot_balances(_document_rows())
    sums = rules.sum_lot_lines(result["lots"])
    for row in result["summary"]:
        key = (row["product_id"], row["condition_id"])
        if row["product_id"] == 3:
            assert key not in sums
            continue
        for name in rules.NUMBERS:
            assert row[name] == sums[key][name], name


def test_odd_units_are_listed_and_loose_stock_is_its_own_line():
    rows = [_row(2, 21, p, 50.0, standard=50.0) for p in range(1, 11)]
    rows.append(_row(2, 22, 11, 46.0, standard=50.0))
    rows.append(_row(2, 23, 12, 53.0, standard=50.0))
    rows.append(_row(2, 21, False, 7.0, standard=50.0))
    result = rules.group_lot_balances(rows)
    lines = {(r["lot_id"], r["loose"]): r for r in result["lots"]}
    assert lines[21, False]["units"] == 10
    assert lines[21, False]["odd_units"] == []
    assert lines[22, False]["odd_units"] == [
        {"package_id": 11, "package": "P11", "quantity": 46.0}
    ]
    assert lines[22, False]["partial_count"] == 1
    assert lines[23, False]["odd_count"] == 1
    assert lines[23, False]["partial_count"] == 0
    # Loose stock is never a unit nor odd.
    assert lines[21, True]["units"] == 0
    assert lines[21, True]["quantity"] == 7.0
    assert lines[21, True]["odd_count"] == 0
    (summary,) = result["summary"]
    assert summary["units"] == 12
    assert summary["odd_count"] == 2
    assert summary["loose_quantity"] == 7.0
    assert summary["quantity"] == 606.0
    assert rules.lots_with_several_partial_units(result["lots"]) == []


def test_without_standard_count_no_unit_is_odd():
    rows = [_row(4, 41, 1, 10.0, standard=False), _row(4, 41, 2, 12.0, standard=False)]
    (line,) = rules.group_lot_balances(rows)["lots"]
    assert line["units"] == 2
    assert line["odd_count"] == 0
    assert line["standard_count"] is False


def test_two_partial_units_of_a_lot_are_found():
    rows = [_row(5, 51, 1, 40.0), _row(5, 51, 2, 30.0), _row(5, 51, 3, 96.0)]
    lines = rules.group_lot_balances(rows)["lots"]
    assert rules.lots_with_several_partial_units(lines) == lines
    assert rules.is_odd(96.0000001, 96.0) is False
    assert rules.is_partial(95.5, 96.0) is True


def test_units_to_remove_takes_the_partial_unit_first():
    units = [(1, 96.0), (2, 96.0), (3, 40.0), (4, 96.0)]
    assert rules.units_to_remove(units, 2, 96.0) == [(3, 40.0), (1, 96.0)]
    assert rules.units_to_remove(units, 0, 96.0) == []
    # Two partial units (the rule broken before): the smaller goes first.
    units = [(1, 96.0), (2, 50.0), (3, 20.0)]
    assert rules.units_to_remove(units, 2, 96.0) == [(3, 20.0), (2, 50.0)]
    # Without a standard count, in the order given.
    assert rules.units_to_remove([(1, 5.0), (2, 1.0)], 1) == [(1, 5.0)]
    for count in (4, -1):
        try:
            rules.units_to_remove(units, count, 96.0)
        except ValueError:
            continue
        raise AssertionError(f"{count} units accepted")


def test_units_left_keep_at_most_one_partial_unit():
    units = [(n, 96.0) for n in range(1, 6)] + [(6, 30.0)]
    taken = rules.units_to_remove(units, 3, 96.0)
    left = [u for u in units if u not in taken]
    assert sum(rules.is_partial(q, 96.0) for _p, q in left) == 0
    assert len(left) == 3


def test_odd_lot_name_takes_the_first_free_suffix():
    assert rules.odd_lot_name("CDE456-A", []) == "CDE456-A-1"
    assert rules.odd_lot_name("CDE456-A", ["CDE456-A-1", "CDE456-A-3"]) == "CDE456-A-2"


def test_plan_unit_removal_takes_units_or_loose_stock():
    units = [(1, 96.0), (2, 40.0), (3, 96.0)]
    # Units there: whole packages, the partial one first.
    assert rules.plan_unit_removal(units, 2, 96.0, loose_quantity=500.0) == [
        (2, 40.0),
        (1, 96.0),
    ]
    # No units: loose stock, one piece per unit without a standard count
    # (40 empty pallets), the standard count per unit with one.
    assert rules.plan_unit_removal([], 40, False, loose_quantity=120.0) == [
        (False, 40.0)
    ]
    assert rules.plan_unit_removal([], 2, 50.0, loose_quantity=120.0) == [
        (False, 100.0)
    ]
    assert rules.plan_unit_removal([], 0, 50.0, loose_quantity=0.0) == []
    for plan in (
        lambda: rules.plan_unit_removal([], 3, 50.0, loose_quantity=120.0),
        lambda: rules.plan_unit_removal(units, 4, 96.0, loose_quantity=500.0),
        lambda: rules.plan_unit_removal([], -1, 50.0, loose_quantity=120.0),
    ):
        try:
            plan()
        except ValueError:
            continue
        raise AssertionError("an impossible removal was planned")


def test_plan_unit_removal_never_leaves_a_second_partial_unit():
    standard = 50.0
    for partial in (10.0, 49.0):
        units = [(n, standard) for n in range(1, 8)] + [(8, partial)]
        for count in range(len(units) + 1):
            taken = rules.plan_unit_removal(units, count, standard)
            left = [unit for unit in units if unit not in taken]
            assert len(left) == len(units) - count
            assert sum(rules.is_partial(q, standard) for _p, q in left) <= 1
            if count:
                assert taken[0] == (8, partial)


def test_receipt_lot_name_only_for_an_odd_count():
    assert rules.receipt_lot_name("CDE-A", 50.0, 50.0, []) == "CDE-A"
    assert rules.receipt_lot_name("CDE-A", 7.0, False, []) == "CDE-A"
    assert rules.receipt_lot_name("CDE-A", 46.0, 50.0, ["CDE-A-1"]) == "CDE-A-2"
