# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A balance run as an XLSX workbook: one sheet per table (findings,
valuation summary) and an *Info* sheet.

Pure Python (xlsxwriter, no Odoo import), tested by plain pytest.
"""

import xlsxwriter


def write_workbook(path, sheets, info=()):
    """Write ``sheets`` to ``path``.

    :param sheets: list of ``(title, header, rows)``; rows are tuples of
        ``None``, numbers, strings or naive datetimes
    :param info: ``[(label, value), ...]`` for the *Info* sheet
    :return: number of data rows written per sheet, in order
    """
    workbook = xlsxwriter.Workbook(
        path,
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "default_date_format": "yyyy-mm-dd hh:mm:ss",
        },
    )
    counts = []
    try:
        bold = workbook.add_format({"bold": True})
        for title, header, rows in sheets:
            sheet = workbook.add_worksheet(title[:31])
            for col, name in enumerate(header):
                sheet.set_column(col, col, max(10, min(len(name) + 4, 40)))
                sheet.write_string(0, col, name, bold)
            sheet.freeze_panes(1, 0)
            count = 0
            for count, row in enumerate(rows, start=1):
                for col, value in enumerate(row):
                    if value is None or value is False:
                        sheet.write_blank(count, col, None)
                    else:
                        sheet.write(count, col, value)
            sheet.autofilter(0, 0, count, max(len(header) - 1, 0))
            counts.append(count)
        if info:
            sheet = workbook.add_worksheet("Info")
            sheet.set_column(0, 0, 30)
            sheet.set_column(1, 1, 40)
            for row, (label, value) in enumerate(info):
                sheet.write_string(row, 0, str(label), bold)
                if value is None or value is False:
                    sheet.write_blank(row, 1, None)
                else:
                    sheet.write(row, 1, value)
    finally:
        workbook.close()
    return counts
