"""The Lines worksheet of an export (issue 21): pure xlsxwriter, read back."""

import datetime
import importlib

import openpyxl
import xlsxwriter

from .sheet_tools import TOOLS  # noqa: F401 - registers the tools package

lines_export = importlib.import_module("sheet_tools.lines_export")
sheet_columns = importlib.import_module("sheet_tools.sheet_columns")


def test_lines_worksheet(tmp_path):
    path = tmp_path / "lines.xlsx"
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    workbook.add_worksheet("Sheet")
    moment = datetime.datetime(2026, 9, 1, 10, 0, 0)
    count = lines_export.write_lines_worksheet(
        workbook,
        {
            "name": "Lines",
            "opening_value": "Opening balance",
            "header": ["Product", "Date", "Kind", "Lot", "Quantity", "Running"],
            "rows": [
                ["P", moment, "Opening balance", None, 10.0, 10.0],
                ["P", moment, "Delivery", "L1", -4.0, 6.0],
            ],
        },
        opening_col=2,
    )
    workbook.close()
    assert count == 2
    sheet = openpyxl.load_workbook(path)["Lines"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == ["Product", "Date", "Kind", "Lot", "Quantity", "Running"]
    assert values[1] == ["P", moment, "Opening balance", None, 10, 10]
    assert values[2] == ["P", moment, "Delivery", "L1", -4, 6]
    assert sheet["A2"].font.b and not sheet["A3"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref


def test_column_flows_sign_and_kinds():
    assert sheet_columns.column_flows("sales") == (["delivery"], None, -1)
    assert sheet_columns.column_flows("adjustments") == (
        ["adjustment", "other"],
        None,
        1,
    )
    assert sheet_columns.column_flows("transfers_out")[1:] == ("out", -1)
    kinds, direction, sign = sheet_columns.column_flows("transfers_in")
    assert set(kinds) == {"transfer", "transit_in", "transit_out"}
    assert (direction, sign) == ("in", 1)
