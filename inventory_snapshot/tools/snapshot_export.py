# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Render rows as CSV, XLSX or JSON without holding them all in memory.

Pure Python (no Odoo), tested by plain pytest.  The callers hand over the rows
in *batches* (an iterable of lists of rows), as they read them from the
database page by page; every function here consumes one batch at a time:

- ``csv_chunks`` and ``json_chunks`` are generators of encoded chunks (one per
  batch), to stream as an HTTP response or to write to a file;
- ``write_xlsx`` writes a workbook in xlsxwriter's ``constant_memory`` mode
  (each row is flushed to disk as soon as the next one starts) to a path,
  with the header row frozen and an autofilter over the data;
- ``iter_file`` streams a file (the workbook) chunk by chunk and deletes it.

Values are ``None`` (missing), ``bool``, ``int``, ``float``, ``str`` or naive
``datetime`` in UTC.  Dates are written as ISO 8601 in UTC
(``2026-05-31T23:59:59Z``) in CSV and JSON, as real date cells in XLSX.
"""

import csv
import io
import json
import os
from datetime import date, datetime

import xlsxwriter

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}
# Excel's limit per worksheet (header row included); longer data continues on
# another sheet.
XLSX_MAX_ROWS = 1048576
CHUNK_SIZE = 1 << 16
# What a comparison compares, per key and column.
COMPARED_QUANTITY = "on_hand + in_transit"
# The columns of a comparison row, as the comparison SQL returns them and as
# the export reads them back from the stored comparison lines.
COMPARISON_FIELDS = (
    "seq",
    "product_id",
    "product",
    "default_code",
    "location_id",
    "location",
    "lot_id",
    "lot",
    "uom_id",
    "uom",
    "quantities",
    "changes",
    "change_percents",
    "change",
    "change_percent",
    "max_change",
    "status",
    "trail",
)


def iso_utc(value):
    """ISO 8601 text of a naive UTC datetime (``Z`` suffix), or of a date."""
    if isinstance(value, datetime):
        return value.replace(microsecond=0, tzinfo=None).isoformat() + "Z"
    if isinstance(value, date):
        return value.isoformat()
    return value


def json_value(value):
    """A JSON-ready value: datetimes as ISO text in UTC, the rest unchanged."""
    if isinstance(value, date):
        return iso_utc(value)
    return value


def _csv_value(value):
    if value is None or value is False:
        return ""
    if isinstance(value, date):
        return iso_utc(value)
    return value


def csv_chunks(header, batches):
    """Yield the CSV text (UTF-8 bytes, ``\\r\\n`` line ends): the header row
    first, then one chunk per batch of rows (tuples in header order)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for batch in batches:
        writer.writerows([_csv_value(v) for v in row] for row in batch)
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()


def json_chunks(head, batches, rows_key="lines"):
    """Yield a JSON document ``{**head, rows_key: [row, ...]}`` as UTF-8 bytes,
    one chunk per batch; ``batches`` holds lists of dicts (JSON-ready but for
    datetimes, converted here)."""
    opening = json.dumps(
        {key: _json_tree(value) for key, value in head.items()},
        ensure_ascii=False,
        indent=1,
    )
    # The head object without its closing brace, then the rows array.
    opening = opening[: opening.rindex("}")].rstrip()
    separator = ",\n" if head else "\n"
    yield f"{opening}{separator} {json.dumps(rows_key)}: [".encode()
    first = True
    for batch in batches:
        if not batch:
            continue
        text = ",\n  ".join(
            json.dumps(_json_tree(row), ensure_ascii=False) for row in batch
        )
        yield (("\n  " if first else ",\n  ") + text).encode()
        first = False
    yield b"\n ]\n}\n"


def _json_tree(value):
    if isinstance(value, dict):
        return {key: _json_tree(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_tree(item) for item in value]
    return json_value(value)


def write_xlsx(
    path, header, batches, sheet_name="Lines", info=None, widths=None, extra=None
):
    """Write ``batches`` of rows under ``header`` to a new workbook at ``path``.

    :param header: column titles of the data sheet
    :param batches: iterable of lists of rows (tuples in header order)
    :param sheet_name: title of the data sheet (``<name> (2)``, ... when the
        rows exceed one worksheet)
    :param info: optional ``[(label, value), ...]`` written to a second sheet
        ``Info`` (what was exported, when, units)
    :param widths: optional column widths, in header order
    :param extra: optional ``callable(workbook)`` adding worksheets after the
        data (e.g. the move lines behind the rows)
    :return: number of data rows written
    """
    workbook = xlsxwriter.Workbook(
        path,
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "default_date_format": "yyyy-mm-dd hh:mm:ss",
            "remove_timezone": True,
        },
    )
    try:
        bold = workbook.add_format({"bold": True})
        stamp = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        sheets = []

        def new_sheet():
            title = sheet_name if not sheets else f"{sheet_name} ({len(sheets) + 1})"
            sheet = workbook.add_worksheet(title[:31])
            for col, title_text in enumerate(header):
                width = widths[col] if widths else max(10, min(len(title_text) + 2, 40))
                sheet.set_column(col, col, width)
                sheet.write_string(0, col, title_text, bold)
            sheet.freeze_panes(1, 0)
            sheets.append([sheet, 0])
            return sheets[-1]

        current = new_sheet()
        total = 0
        for batch in batches:
            for row in batch:
                if current[1] + 1 >= XLSX_MAX_ROWS:
                    current = new_sheet()
                current[1] += 1
                _write_xlsx_row(current[0], current[1], row, stamp)
                total += 1
        last_col = max(len(header) - 1, 0)
        for sheet, last_row in sheets:
            sheet.autofilter(0, 0, last_row, last_col)
        if extra:
            extra(workbook)
        if info:
            sheet = workbook.add_worksheet("Info")
            sheet.set_column(0, 0, 24)
            sheet.set_column(1, 1, 60)
            for row_index, (label, value) in enumerate(info):
                sheet.write_string(row_index, 0, str(label), bold)
                _write_xlsx_cell(sheet, row_index, 1, value, stamp)
    finally:
        workbook.close()
    return total


def _write_xlsx_row(sheet, row_index, row, stamp):
    for col, value in enumerate(row):
        _write_xlsx_cell(sheet, row_index, col, value, stamp)


def _write_xlsx_cell(sheet, row_index, col, value, stamp):
    if value is None or value is False:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row_index, col, value)
    elif isinstance(value, int | float):
        sheet.write_number(row_index, col, value)
    elif isinstance(value, datetime):
        sheet.write_datetime(row_index, col, value.replace(tzinfo=None), stamp)
    elif isinstance(value, date):
        sheet.write_datetime(
            row_index, col, datetime(value.year, value.month, value.day), stamp
        )
    else:
        sheet.write_string(row_index, col, str(value))


def iter_file(path, chunk_size=CHUNK_SIZE, delete=True):
    """The bytes of the file at ``path``, as a generator of chunks.  The file
    is opened now and, with ``delete``, removed at once: the open handle keeps
    the data until the generator ends (or is dropped unread), so nothing is
    left on disk whatever the client does."""
    handle = open(path, "rb")  # closed by _read_chunks
    if delete:
        os.unlink(path)
    return _read_chunks(handle, chunk_size)


def _read_chunks(handle, chunk_size):
    with handle:
        while chunk := handle.read(chunk_size):
            yield chunk
