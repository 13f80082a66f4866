"""The snapshot export renderers (CSV, JSON, XLSX): plain Python, streamed."""

import csv
import importlib.util
import io
import json
import os
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

_path = (
    Path(__file__).resolve().parent.parent
    / "inventory_snapshot/tools/snapshot_export.py"
)
_spec = importlib.util.spec_from_file_location("snapshot_export", _path)
snapshot_export = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(snapshot_export)

HEADER = ("id", "name", "quantity", "expiration_date")
ROWS = [
    (1, "Chair, blue", 10.5, datetime(2026, 5, 31, 23, 59, 59)),
    (2, 'Table "oak"', -3.0, None),
    (3, "Ünïcode ✓", 0.0, datetime(2030, 1, 1)),
]


def batches(rows, size):
    return [rows[i : i + size] for i in range(0, len(rows), size)]


@pytest.mark.parametrize("size", [1, 2, 10])
def test_csv_chunks_one_per_batch(size):
    chunks = list(snapshot_export.csv_chunks(HEADER, batches(ROWS, size)))
    assert len(chunks) == len(batches(ROWS, size))
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode())))
    assert rows[0] == list(HEADER)
    assert rows[1] == ["1", "Chair, blue", "10.5", "2026-05-31T23:59:59Z"]
    assert rows[2] == ["2", 'Table "oak"', "-3.0", ""]
    assert rows[3][1] == "Ünïcode ✓"


def test_csv_without_rows_has_the_header():
    assert (
        b"".join(snapshot_export.csv_chunks(HEADER, []))
        == b"id,name,quantity,expiration_date\r\n"
    )


@pytest.mark.parametrize("size", [1, 2, 10])
@pytest.mark.parametrize(
    "head", [{}, {"snapshot": {"id": 7, "at": datetime(2026, 1, 2)}}]
)
def test_json_chunks_make_one_document(size, head):
    dicts = [dict(zip(HEADER, row, strict=True)) for row in ROWS]
    chunks = list(snapshot_export.json_chunks(head, batches(dicts, size)))
    assert len(chunks) == len(batches(dicts, size)) + 2
    data = json.loads(b"".join(chunks))
    assert list(data) == [*head, "lines"]
    if head:
        assert data["snapshot"] == {"id": 7, "at": "2026-01-02T00:00:00Z"}
    assert data["lines"][0]["expiration_date"] == "2026-05-31T23:59:59Z"
    assert data["lines"][1]["expiration_date"] is None
    assert [line["name"] for line in data["lines"]] == [row[1] for row in ROWS]


def test_json_without_rows():
    data = json.loads(b"".join(snapshot_export.json_chunks({"a": 1}, [[]], "rows")))
    assert data == {"a": 1, "rows": []}


def test_xlsx_read_back(tmp_path):
    path = tmp_path / "out.xlsx"
    written = snapshot_export.write_xlsx(
        str(path), HEADER, batches(ROWS, 2), info=[("name", "May"), ("lines", 3)]
    )
    assert written == 3
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Lines"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D4"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADER
    assert rows[1][:3] == (1, "Chair, blue", 10.5)
    assert abs((rows[1][3] - ROWS[0][3]).total_seconds()) < 1
    assert rows[2] == (2, 'Table "oak"', -3, None)
    info = {row[0]: row[1] for row in workbook["Info"].iter_rows(values_only=True)}
    assert info == {"name": "May", "lines": 3}


def test_xlsx_continues_on_another_sheet(tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot_export, "XLSX_MAX_ROWS", 3)
    path = tmp_path / "out.xlsx"
    snapshot_export.write_xlsx(str(path), HEADER, [ROWS], sheet_name="Lines")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Lines", "Lines (2)"]
    first = list(workbook["Lines"].iter_rows(values_only=True))
    second = list(workbook["Lines (2)"].iter_rows(values_only=True))
    assert first[0] == second[0] == HEADER
    assert [row[0] for row in first[1:] + second[1:]] == [1, 2, 3]


def test_iter_file_streams_and_deletes(tmp_path):
    path = tmp_path / "blob"
    path.write_bytes(b"x" * 10)
    chunks = snapshot_export.iter_file(str(path), chunk_size=4)
    assert not os.path.exists(path)
    assert next(chunks) == b"xxxx"
    assert b"".join(chunks) == b"xxxxxx"
