"""The balance run's XLSX workbook, read back with openpyxl."""

import importlib.util
from datetime import datetime
from pathlib import Path

import openpyxl

_path = (
    Path(__file__).resolve().parent.parent / "inventory_period_end/tools/run_export.py"
)
_spec = importlib.util.spec_from_file_location("run_export", _path)
run_export = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run_export)


def test_sheets_and_info(tmp_path):
    path = tmp_path / "run.xlsx"
    counts = run_export.write_workbook(
        str(path),
        [
            (
                "Findings",
                ["Rule", "Product", "Expected", "Found"],
                [("quant_ledger", "P1", 53.0, 60.0), ("zero_quant", None, 0, 0)],
            ),
            ("Valuation", ["Warehouse", "Quantity"], iter([])),
        ],
        info=[("Run", "BAL/2026/0001"), ("Period end", datetime(2026, 6, 30, 23, 59))],
    )
    assert counts == [2, 0]
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Findings", "Valuation", "Info"]
    rows = list(workbook["Findings"].values)
    assert rows == [
        ("Rule", "Product", "Expected", "Found"),
        ("quant_ledger", "P1", 53, 60),
        ("zero_quant", None, 0, 0),
    ]
    assert list(workbook["Valuation"].values) == [("Warehouse", "Quantity")]
    info = dict(workbook["Info"].values)
    assert info["Run"] == "BAL/2026/0001"
    assert info["Period end"] == datetime(2026, 6, 30, 23, 59)


def test_formula_text_stays_text(tmp_path):
    path = tmp_path / "run.xlsx"
    run_export.write_workbook(str(path), [("Findings", ["Message"], [("=1+1",)])])
    assert list(openpyxl.load_workbook(path)["Findings"].values)[1] == ("=1+1",)
