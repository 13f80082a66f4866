# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The content checksum of a snapshot (SHA-256 over its canonical lines) and
its seal (SHA-256 over its header, the checksum included, chained to the
previous closing snapshot).

Pure Python, tested by plain pytest.  A line's canonical form is its key and
figures joined by ``|``, ids as integers (empty for none), quantities and value
with exactly 6 decimals; lines are sorted by (product, location, lot) and joined
by a newline, each ending with one.  The SQL that checksums a stored snapshot
(``inventory.snapshot._checksum_sql``) produces the very same text; a test
compares the two.
"""

import hashlib

FIELDS = (
    "product_id",
    "location_id",
    "lot_id",
    "on_hand",
    "reserved",
    "in_transit",
    "value",
)
KEY_FIELDS = 3


def canonical_line(line):
    """``line`` maps FIELDS to values (ids or False/None, numbers)."""
    parts = []
    for index, name in enumerate(FIELDS):
        value = line.get(name)
        if index < KEY_FIELDS:
            parts.append(str(int(value)) if value else "")
        else:
            parts.append(f"{float(value or 0.0):.6f}")
    return "|".join(parts) + "\n"


def _sort_key(line):
    return tuple(int(line.get(name) or 0) for name in FIELDS[:KEY_FIELDS])


def snapshot_checksum(lines):
    """Hex SHA-256 of the canonical text of ``lines`` (an iterable of dicts)."""
    digest = hashlib.sha256()
    for line in sorted(lines, key=_sort_key):
        digest.update(canonical_line(line).encode())
    return digest.hexdigest()


# ------------------------------------------------------------------- seal
# The seal of a snapshot (version 2): SHA-256 over the canonical text of the
# header fields that say what the snapshot is, who took it, what it holds and
# which closing snapshot it chains to.  ``checksum`` (the lines' SHA-256 above)
# is one of them, so the seal covers the lines too.  Snapshots taken before
# version 2 have no seal: their lines are verified by ``checksum`` alone.
SEAL_VERSION = 2
SEAL_PREFIX = "inventory.snapshot seal v2\n"
ID_FIELDS = ("company_id", "schedule_id", "user_id", "previous_snapshot_id")
ID_LIST_FIELDS = ("location_ids", "warehouse_ids", "categ_ids")
DATETIME_FIELDS = ("moment", "taken_at")
BOOLEAN_FIELDS = ("is_now", "is_closing")
NUMBER_FIELDS = (
    "line_count",
    "total_on_hand",
    "total_reserved",
    "total_in_transit",
    "total_value",
)
TEXT_FIELDS = ("trigger", "trigger_ref", "checksum", "previous_seal")
HEADER_FIELDS = (
    "company_id",
    "moment",
    "location_ids",
    "warehouse_ids",
    "categ_ids",
    "is_now",
    "is_closing",
    "trigger",
    "trigger_ref",
    "schedule_id",
    "user_id",
    "taken_at",
    "line_count",
    "total_on_hand",
    "total_reserved",
    "total_in_transit",
    "total_value",
    "checksum",
    "previous_snapshot_id",
    "previous_seal",
)


def _encode(name, value):
    """The canonical text of one header value."""
    if name in ID_FIELDS:
        return str(int(value)) if value else ""
    if name in ID_LIST_FIELDS:
        return ",".join(str(int(v)) for v in sorted(set(value or ())))
    if name in DATETIME_FIELDS:
        if not value:
            return ""
        return value if isinstance(value, str) else value.isoformat(sep=" ")
    if name in BOOLEAN_FIELDS:
        return "1" if value else "0"
    if name in NUMBER_FIELDS:
        return f"{float(value or 0.0):.6f}"
    if name in TEXT_FIELDS:
        # escaped, so that a value cannot forge the next line of the text
        return "" if not value else str(value).encode("unicode_escape").decode()
    raise KeyError(name)


def encode_header(header):
    """``header`` maps HEADER_FIELDS to values (ids, lists of ids, naive UTC
    datetimes, booleans, numbers, text; False/None for none); return the
    canonical text of each, as a dict."""
    return {name: _encode(name, header.get(name)) for name in HEADER_FIELDS}


def seal_of(encoded):
    """Hex SHA-256 of the canonical header text of ``encoded`` (as
    ``encode_header`` returns it).

    :raise KeyError: a header field is missing from ``encoded``
    """
    text = SEAL_PREFIX + "".join(f"{name}={encoded[name]}\n" for name in HEADER_FIELDS)
    return hashlib.sha256(text.encode()).hexdigest()


def snapshot_seal(header):
    """The seal of ``header`` (see ``encode_header``)."""
    return seal_of(encode_header(header))


def changed_fields(sealed, current):
    """The header fields whose canonical text differs between the sealed
    header and the current one (both as ``encode_header`` returns them), in
    HEADER_FIELDS order."""
    return [
        name
        for name in HEADER_FIELDS
        if (sealed or {}).get(name) != (current or {}).get(name)
    ]
