# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The content checksum of a snapshot: SHA-256 over its canonical lines.

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
