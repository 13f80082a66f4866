# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""XLSX file of lot balances with units.

Pure Python (xlsxwriter, no Odoo import).  The input is the result of
``inventory.lot.balance.report.lot_balances`` (``at``, ``summary`` and
``lots``, with names) and the translated labels of its columns.  Two
worksheets: Summary (a row per product and condition) and Lots (a row per
product, lot, condition and loose/units, odd units listed as "package:
count").  The header row is frozen and filters are on.
"""

import xlsxwriter

SUMMARY_COLUMNS = (
    "default_code",
    "product",
    "condition_name",
    "lots_count",
    "units",
    "quantity",
    "uom",
    "standard_count",
    "odd_count",
    "loose_quantity",
    "on_hand",
    "in_transit",
    "reserved",
    "available",
)
LOT_COLUMNS = (
    "default_code",
    "product",
    "lot",
    "condition_name",
    "loose",
    "units",
    "quantity",
    "uom",
    "standard_count",
    "odd_count",
    "odd_units",
    "on_hand",
    "in_transit",
    "reserved",
    "available",
)
NUMERIC = {
    "lots_count",
    "units",
    "quantity",
    "standard_count",
    "odd_count",
    "loose_quantity",
    "on_hand",
    "in_transit",
    "reserved",
    "available",
}


def odd_units_text(odd_units):
    """The odd units of a lot line as ``"package: count, ..."``."""
    return ", ".join(
        f"{unit['package'] or unit['package_id']}: {unit['quantity']:g}"
        for unit in odd_units
    )


def _value(line, column, labels):
    if column == "lots_count":
        return line.get("lots", 0)
    if column == "odd_units":
        return odd_units_text(line.get("odd_units") or [])
    if column == "loose":
        return labels["yes"] if line.get("loose") else ""
    value = line.get(column)
    if value is False or value is None:
        return "" if column not in NUMERIC else None
    return value


def _write_sheet(workbook, name, columns, lines, labels, formats):
    worksheet = workbook.add_worksheet(name)
    worksheet.freeze_panes(1, 0)
    for col, column in enumerate(columns):
        worksheet.write(0, col, labels[column], formats["header"])
        worksheet.set_column(col, col, 30 if column in ("product", "odd_units") else 13)
    for row, line in enumerate(lines, start=1):
        for col, column in enumerate(columns):
            value = _value(line, column, labels)
            if value is None:
                worksheet.write_blank(row, col, None)
            elif column in NUMERIC:
                worksheet.write_number(row, col, value, formats["number"])
            else:
                worksheet.write_string(row, col, str(value))
    worksheet.autofilter(0, 0, max(len(lines), 1), len(columns) - 1)
    return worksheet


def write_lot_balances_xlsx(output, result, labels):
    """Write the workbook to ``output`` (a path or a binary file object)."""
    workbook = xlsxwriter.Workbook(
        output, {"constant_memory": True, "strings_to_formulas": False}
    )
    formats = {
        "header": workbook.add_format({"bold": True, "bg_color": "#D9E1F2"}),
        "number": workbook.add_format({"num_format": "#,##0.###"}),
    }
    _write_sheet(
        workbook,
        labels["summary"],
        SUMMARY_COLUMNS,
        result["summary"],
        labels,
        formats,
    )
    _write_sheet(workbook, labels["lots"], LOT_COLUMNS, result["lots"], labels, formats)
    workbook.close()
