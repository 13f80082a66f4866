"""Periods, columns and rows of the Inventory Balance sheet, and its XLSX."""

import datetime

import openpyxl
import pytest

from .sheet_tools import sheet_columns, sheet_export, sheet_formula, sheet_periods

D = datetime.date


def test_default_range():
    assert sheet_periods.default_range(D(2026, 11, 22)) == (
        D(2026, 11, 1),
        D(2027, 1, 31),
    )
    assert sheet_periods.default_range(D(2026, 1, 31)) == (
        D(2026, 1, 1),
        D(2026, 3, 31),
    )


def test_months():
    periods = sheet_periods.split_periods(D(2026, 11, 1), D(2027, 1, 31), "month")
    assert periods == [
        (D(2026, 11, 1), D(2026, 12, 1)),
        (D(2026, 12, 1), D(2027, 1, 1)),
        (D(2027, 1, 1), D(2027, 2, 1)),
    ]
    assert [sheet_periods.period_label(*p, "month") for p in periods] == [
        "2026-11",
        "2026-12",
        "2027-01",
    ]
    cut = sheet_periods.split_periods(D(2026, 11, 15), D(2026, 12, 10), "month")
    assert cut == [(D(2026, 11, 15), D(2026, 12, 1)), (D(2026, 12, 1), D(2026, 12, 11))]
    assert sheet_periods.period_label(*cut[0], "month") == "2026-11-15"


def test_weeks_and_days():
    weeks = sheet_periods.split_periods(D(2026, 11, 4), D(2026, 11, 22), "week")
    assert weeks == [
        (D(2026, 11, 4), D(2026, 11, 9)),
        (D(2026, 11, 9), D(2026, 11, 16)),
        (D(2026, 11, 16), D(2026, 11, 23)),
    ]
    days = sheet_periods.split_periods(D(2026, 2, 27), D(2026, 3, 1), "day")
    assert len(days) == 3 and days[-1] == (D(2026, 3, 1), D(2026, 3, 2))


@pytest.mark.parametrize(
    "start, stop, granularity",
    [
        (D(2026, 2, 1), D(2026, 1, 1), "month"),
        (D(2026, 1, 1), D(2026, 1, 1), "year"),
        (D(2020, 1, 1), D(2026, 1, 1), "day"),
        (None, D(2026, 1, 1), "day"),
    ],
)
def test_periods_refused(start, stop, granularity):
    with pytest.raises(ValueError):
        sheet_periods.split_periods(start, stop, granularity)


def test_flow_columns():
    values = sheet_columns.flow_columns(
        [
            ("receipt", 20, 20, 0),
            ("production_in", 30, 30, 0),
            ("production_out", -6, 0, 6),
            ("delivery", -40, 0, 40),
            ("return", 4, 4, 0),
            ("adjustment", -7, 0, 7),
            ("other", 1, 1, 0),
            ("scrap", -5, 0, 5),
            ("transfer", 0, 3, 3),
            ("transit_in", 2, 2, 0),
        ]
    )
    assert values == {
        "receipts": 20,
        "production": 30,
        "consumption": 6,
        "sales": 40,
        "returns": 4,
        "adjustments": -6,
        "scrap": 5,
        "transfers_in": 5,
        "transfers_out": 3,
    }


def _full():
    return sheet_formula.parse_formula(
        sheet_columns.FULL_FORMULA, sheet_columns.FORMULA_NAMES
    )


def test_compute_product_chain_and_overrides():
    flows = [
        sheet_columns.flow_columns([("receipt", 10, 10, 0)]),
        sheet_columns.flow_columns([("delivery", -4, 0, 4)]),
    ]
    rows = sheet_columns.compute_product(2, 5.0, flows, [15.0, None], {}, _full(), 2.0)
    assert [r["end"] for r in rows] == [15.0, 11.0]
    assert rows[1]["beginning"] == rows[0]["end"]
    assert rows[0]["variance"] == 0 and rows[1]["variance"] is None
    assert rows[0]["end_value"] == 30.0
    overrides = {(0, "receipts"): 20.0, (1, "end"): 100.0}
    rows = sheet_columns.compute_product(
        2, 5.0, flows, [15.0, None], overrides, _full(), None
    )
    assert [r["end"] for r in rows] == [25.0, 100.0]
    assert rows[0]["variance"] == 10.0 and rows[0]["end_value"] is None


def _sheet(formula_text="beginning + production - sales"):
    tree = sheet_formula.parse_formula(formula_text, sheet_columns.FORMULA_NAMES)
    flows = [
        sheet_columns.flow_columns([("production_in", 5, 5, 0), ("delivery", -3, 0, 3)])
    ] * 2
    values = sheet_columns.compute_product(2, 10.0, flows, [12.0, 14.0], {}, tree, 1.5)
    return {
        "columns": ["beginning", "production", "sales", "end", "variance"],
        "labels": {c: spec[0] for c, spec in sheet_columns.COLUMNS.items()},
        "periods": ["2026-09", "2026-10"],
        "formula": tree,
        "groups": [
            {
                "name": "Goods / Sub",
                "rows": [
                    {
                        "product": "P",
                        "values": values,
                        "overrides": [set(), {"sales"}],
                    }
                ],
            }
        ],
    }


def test_xlsx_live_formulas(tmp_path):
    path = tmp_path / "sheet.xlsx"
    sheet = _sheet()
    sheet_export.write_xlsx(str(path), sheet)
    workbook = openpyxl.load_workbook(path)
    worksheet = workbook["Goods _ Sub"]
    # beginning, production, sales, end, variance, then hidden actual.
    assert [c.value for c in worksheet[1]][:4] == [
        "Product",
        "2026-09 Beginning",
        "2026-09 Production",
        "2026-09 Sales",
    ]
    assert worksheet["E2"].value == "=((B2+C2)-D2)"
    assert worksheet["F2"].value == "=E2-G2"
    assert worksheet.column_dimensions["G"].hidden
    assert worksheet["H2"].value == "=E2"
    assert worksheet.freeze_panes == "B2"
    assert worksheet.auto_filter.ref
    cached = openpyxl.load_workbook(path, data_only=True)["Goods _ Sub"]
    assert [cached.cell(row=2, column=c).value for c in range(2, 8)] == [
        10,
        5,
        3,
        12,
        0,
        12,
    ]
    text = sheet_export.write_csv(sheet, sheet["groups"][0])
    assert text.splitlines()[1] == "P,2026-09,10.0,5.0,3.0,12.0,0.0"
