# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The worksheet of the move lines behind an export's rows (issue 21).

Pure Python (xlsxwriter, no Odoo import), tested by plain pytest.  ``lines``
is ``{"name": worksheet name, "header": [labels], "rows": [[values]]}``: text,
numbers, datetimes or None (blank); the header is frozen and filtered, and
the opening rows (those whose column ``opening_col`` holds
``lines["opening_value"]``) are bold.
"""

import datetime

DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"


def write_lines_worksheet(workbook, lines, opening_col=None):
    """Add the worksheet of ``lines`` to an xlsxwriter ``workbook``."""
    header = workbook.add_format({"bold": True, "bg_color": "#D9E1F2"})
    date = workbook.add_format({"num_format": DATE_FORMAT})
    number = workbook.add_format({"num_format": "#,##0.00"})
    bold = workbook.add_format({"bold": True})
    bold_number = workbook.add_format({"num_format": "#,##0.00", "bold": True})
    bold_date = workbook.add_format({"num_format": DATE_FORMAT, "bold": True})
    worksheet = workbook.add_worksheet(lines["name"][:31])
    worksheet.freeze_panes(1, 0)
    for col, label in enumerate(lines["header"]):
        worksheet.write_string(0, col, label, header)
        worksheet.set_column(col, col, 18)
    count = 0
    for count, row in enumerate(lines["rows"], start=1):
        opening = opening_col is not None and row[opening_col] == lines.get(
            "opening_value", "opening"
        )
        for col, value in enumerate(row):
            if value is None or value is False:
                worksheet.write_blank(count, col, None)
            elif isinstance(value, datetime.datetime):
                worksheet.write_datetime(
                    count, col, value, bold_date if opening else date
                )
            elif isinstance(value, (int, float)):
                worksheet.write_number(
                    count, col, value, bold_number if opening else number
                )
            else:
                worksheet.write_string(
                    count, col, str(value), bold if opening else None
                )
    worksheet.autofilter(0, 0, max(count, 1), max(len(lines["header"]) - 1, 0))
    return count
