"""The pure part of the scope resolver (inventory_balance/tools/inventory_scope.py)
and the ids of create/write values (tools/record_ids.ids_in)."""

import importlib.util
from pathlib import Path

import pytest

_root = Path(__file__).resolve().parent.parent / "inventory_balance/tools"


def _load(name):
    spec = importlib.util.spec_from_file_location(name, _root / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


scope = _load("inventory_scope")


def test_location_roots_keep_order_without_duplicates():
    assert scope.location_roots([], []) is None
    assert scope.location_roots([7, 3], [3, 9]) == (7, 3, 9)
    assert scope.location_roots([], [5]) == (5,)


def test_first_problem_missing_before_foreign_in_kind_order():
    rows = [
        ("product", 1, 40, True, 2),  # another company's product
        ("location", 2, 31, False, None),  # missing, second argument
        ("location", 1, 30, True, 1),
        ("warehouse", 1, 20, True, 1),
    ]
    assert scope.first_problem(rows, [1]) == ("location", 31, "missing")
    rows[1] = ("location", 2, 31, True, None)  # a shared location
    assert scope.first_problem(rows, [1]) == ("product", 40, "company")
    assert scope.first_problem(rows, [1, 2]) is None
    # only the missing ids: the companies are not checked
    assert scope.first_problem(rows, None) is None


def test_first_problem_categories_and_companies_have_no_company():
    rows = [("category", 1, 5, True, None), ("company", 1, 3, True, 3)]
    assert scope.first_problem(rows, [1]) is None
    assert scope.first_problem([("company", 1, 3, False, None)], [1]) == (
        "company",
        3,
        "missing",
    )


def test_scope_as_dict_is_json_safe():
    resolved = scope.Scope((1,), None, (4, 5), None)
    assert resolved.as_dict() == {
        "company_ids": [1],
        "location_ids": [4, 5],
        "product_ids": False,
    }
    assert scope.Scope((1,), (2,), (), (8,)).as_dict()["product_ids"] == [8]
    assert set(scope.DEFAULT_NAMES) == set(scope.KINDS)


@pytest.mark.parametrize(
    ("value", "ids"),
    [
        (7, [7]),
        ([1, 2], [1, 2]),
        ([(6, 0, [3, 4])], [3, 4]),
        ([(4, 5), (3, 6)], [5, 6]),
        ([(5,)], []),
        (True, None),
        ("7", None),
        (["7"], None),
    ],
)
def test_ids_in(value, ids):
    pytest.importorskip("odoo")
    record_ids = _load("record_ids")
    assert record_ids.ids_in(value) == ids
