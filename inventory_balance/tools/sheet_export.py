# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""XLSX and CSV files of an Inventory Balance sheet.

Pure Python (xlsxwriter, no Odoo import), tested by plain pytest.

The input is the sheet as the server computed it for one user (the columns
that user may see, already filtered): ``columns`` (codes in order), ``labels``
(code -> label), ``periods`` (labels), ``formula`` (the parsed End formula) and
``groups``: ``[{"name", "rows": [{"product", "values": [per period: code ->
value], "overrides": [per period: set of codes]}]}]``.

In the XLSX, one worksheet per group; the End, the Beginning of every period
after the first, the Variance and the End value are real Excel formulas
referencing the cells, so the file stays live when edited; their cached
values are the sheet's numbers.  Overridden cells are values, highlighted.
Columns a formula needs but the user hid are written hidden.  The header row
is frozen and filters are on.
"""

import csv
import io
import re

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from .lines_export import write_lines_worksheet
from .sheet_formula import formula_names, to_excel

OVERRIDE_COLOR = "#FFF2CC"


def layout_columns(columns, formula):
    """The columns written per period: the visible ones, then the hidden
    ones the formulas need (as ``(code, hidden)``)."""
    needed = set(formula_names(formula)) | {"end"}
    if "variance" in columns:
        needed.add("actual")
    if "end_value" in columns:
        needed.add("unit_cost")
    layout = [(code, False) for code in columns]
    layout += [(code, True) for code in sorted(needed - set(columns))]
    return layout


def _sheet_name(name, used):
    base = re.sub(r"[\[\]:*?/\\]", "_", name or "Group")[:28] or "Group"
    candidate, number = base, 1
    while candidate.lower() in used:
        number += 1
        candidate = f"{base[:25]} {number}"
    used.add(candidate.lower())
    return candidate


def write_xlsx(output, sheet):
    """Write the workbook to ``output`` (a path or a binary file object)."""
    workbook = xlsxwriter.Workbook(
        output, {"constant_memory": True, "strings_to_formulas": False}
    )
    header = workbook.add_format({"bold": True, "bg_color": "#D9E1F2"})
    number = workbook.add_format({"num_format": "#,##0.00"})
    override = workbook.add_format(
        {"num_format": "#,##0.00", "bg_color": OVERRIDE_COLOR, "bold": True}
    )
    formula = sheet["formula"]
    layout = layout_columns(sheet["columns"], formula)
    width = len(layout)
    used = set()
    for group in sheet["groups"]:
        worksheet = workbook.add_worksheet(_sheet_name(group["name"], used))
        worksheet.freeze_panes(1, 1)
        worksheet.set_column(0, 0, 32)
        worksheet.write(0, 0, "Product", header)
        for period_index, period in enumerate(sheet["periods"]):
            for offset, (code, hidden) in enumerate(layout):
                col = 1 + period_index * width + offset
                worksheet.set_column(col, col, 14, None, {"hidden": hidden})
                worksheet.write(0, col, f"{period} {sheet['labels'][code]}", header)
        for row_index, row in enumerate(group["rows"], start=1):
            worksheet.write_string(row_index, 0, row["product"])
            excel_row = row_index + 1

            def reference(period_index, code, excel_row=excel_row):
                offset = [c for c, _h in layout].index(code)
                return f"{xl_col_to_name(1 + period_index * width + offset)}{excel_row}"

            for period_index, values in enumerate(row["values"]):
                overridden = row["overrides"][period_index]
                refs = {code: reference(period_index, code) for code, _hidden in layout}
                for offset, (code, _hidden) in enumerate(layout):
                    col = 1 + period_index * width + offset
                    value = values.get(code)
                    text = None
                    if code not in overridden:
                        text = _cell_formula(
                            code, period_index, values, formula, refs, reference
                        )
                    cached = value if value is not None else 0
                    if text:
                        worksheet.write_formula(row_index, col, text, number, cached)
                    elif value is None:
                        worksheet.write_blank(row_index, col, None, number)
                    elif isinstance(value, str):
                        worksheet.write_string(row_index, col, value)
                    else:
                        worksheet.write_number(
                            row_index,
                            col,
                            value,
                            override if code in overridden else number,
                        )
        last_col = len(sheet["periods"]) * width
        worksheet.autofilter(0, 0, max(len(group["rows"]), 1), last_col)
    if not sheet["groups"]:
        workbook.add_worksheet("Sheet")
    if sheet.get("lines"):
        # the move lines behind the rows (asked for): a last worksheet
        write_lines_worksheet(workbook, sheet["lines"], sheet["lines"].get("kind_col"))
    workbook.close()


def _cell_formula(code, period_index, values, formula, refs, reference):
    if code == "end":
        return "=" + to_excel(formula, refs)
    if code == "beginning" and period_index > 0:
        return "=" + reference(period_index - 1, "end")
    if code == "variance" and values.get("actual") is not None:
        return f"={refs['end']}-{refs['actual']}"
    if code == "end_value" and values.get("unit_cost") is not None:
        return f"={refs['end']}*{refs['unit_cost']}"
    return None


def write_csv(sheet, group):
    """One group as CSV text: a row per product and period."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["Product", "Period"] + [sheet["labels"][code] for code in sheet["columns"]]
    )
    for row in group["rows"]:
        for period, values in zip(sheet["periods"], row["values"], strict=True):
            writer.writerow(
                [row["product"], period]
                + [_csv_value(values.get(code)) for code in sheet["columns"]]
            )
    return buffer.getvalue()


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(round(value, 6))
    return value
