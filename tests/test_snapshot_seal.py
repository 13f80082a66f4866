"""The snapshot checksum and seal (tools/snapshot_checksum.py): plain Python."""

import importlib.util
from datetime import datetime
from pathlib import Path

import pytest

_path = (
    Path(__file__).resolve().parent.parent
    / "inventory_snapshot/tools/snapshot_checksum.py"
)
_spec = importlib.util.spec_from_file_location("snapshot_checksum", _path)
checksum = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(checksum)

HEADER = {
    "company_id": 1,
    "moment": datetime(2026, 5, 31, 23, 59, 59),
    "location_ids": [12, 8],
    "warehouse_ids": [],
    "categ_ids": [3],
    "is_now": False,
    "is_closing": True,
    "trigger": "event",
    "trigger_ref": "May 2026",
    "schedule_id": False,
    "user_id": 2,
    "taken_at": datetime(2026, 6, 1, 0, 5),
    "line_count": 3,
    "total_on_hand": 10.5,
    "total_reserved": 0.0,
    "total_in_transit": 2.0,
    "total_value": 105.0,
    "checksum": "ab" * 32,
    "previous_snapshot_id": 7,
    "previous_seal": "cd" * 32,
}
CHANGED = {
    "company_id": 2,
    "moment": datetime(2026, 5, 31, 23, 59, 58),
    "location_ids": [12],
    "warehouse_ids": [1],
    "categ_ids": [],
    "is_now": True,
    "is_closing": False,
    "trigger": "manual",
    "trigger_ref": "June 2026",
    "schedule_id": 4,
    "user_id": 6,
    "taken_at": datetime(2026, 6, 1, 0, 6),
    "line_count": 4,
    "total_on_hand": 10.500001,
    "total_reserved": 1.0,
    "total_in_transit": 0.0,
    "total_value": 106.0,
    "checksum": "ef" * 32,
    "previous_snapshot_id": False,
    "previous_seal": False,
}


def test_every_header_field_changes_the_seal_and_is_named():
    assert set(CHANGED) == set(checksum.HEADER_FIELDS) == set(HEADER)
    sealed = checksum.encode_header(HEADER)
    seal = checksum.seal_of(sealed)
    assert seal == checksum.snapshot_seal(HEADER)
    assert len(seal) == 64
    for name, value in CHANGED.items():
        forged = checksum.encode_header({**HEADER, name: value})
        assert checksum.seal_of(forged) != seal, name
        assert checksum.changed_fields(sealed, forged) == [name]


def test_canonical_forms():
    encoded = checksum.encode_header(HEADER)
    # id lists sorted, datetimes naive UTC, numbers with 6 decimals
    assert encoded["location_ids"] == "8,12"
    assert encoded["moment"] == "2026-05-31 23:59:59"
    assert encoded["total_on_hand"] == "10.500000"
    assert encoded["schedule_id"] == ""
    assert encoded["is_closing"] == "1"
    # the order of ids and a string moment do not change the seal
    same = {**HEADER, "location_ids": [8, 12, 12], "moment": "2026-05-31 23:59:59"}
    assert checksum.snapshot_seal(same) == checksum.snapshot_seal(HEADER)


def test_a_value_cannot_forge_the_next_line():
    """A newline in a text value is escaped: no value can end its line and
    write another field's."""
    forged = {**HEADER, "trigger_ref": "May 2026\nuser_id=9", "user_id": 2}
    assert checksum.encode_header(forged)["trigger_ref"] == "May 2026\\nuser_id=9"
    assert checksum.snapshot_seal(forged) != checksum.snapshot_seal(HEADER)


def test_missing_sealed_field_refused():
    encoded = checksum.encode_header(HEADER)
    del encoded["checksum"]
    with pytest.raises(KeyError):
        checksum.seal_of(encoded)
    assert checksum.changed_fields({}, checksum.encode_header(HEADER)) == list(
        checksum.HEADER_FIELDS
    )


def test_lines_checksum_is_order_free():
    lines = [
        {"product_id": 2, "location_id": 8, "lot_id": False, "on_hand": 1.0},
        {"product_id": 1, "location_id": 8, "lot_id": 5, "on_hand": 2.0},
    ]
    assert checksum.snapshot_checksum(lines) == checksum.snapshot_checksum(
        list(reversed(lines))
    )
    assert checksum.canonical_line(lines[1]) == (
        "1|8|5|2.000000|0.000000|0.000000|0.000000\n"
    )
