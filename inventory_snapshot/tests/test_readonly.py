# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Snapshot reads run read-only (issue 18): compare, exports and the
integrity check are ``@api.readonly`` and work on a read-only cursor, where
PostgreSQL refuses any write as a hot standby does; what writes (taking a
snapshot, verify, which records its outcome, the comparison wizard) stays on
the primary."""

import psycopg2

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.inventory_balance.tests.readonly import (
    ReadOnlyCaseMixin,
    is_readonly_method,
)

from .snapshot_scenario import SnapshotScenarioMixin

READ_ONLY_METHODS = (
    ("inventory.snapshot", "compare_snapshots"),
    ("inventory.snapshot", "export_snapshot"),
    ("inventory.snapshot", "export_comparison"),
    ("inventory.snapshot", "check_integrity"),
    ("inventory.snapshot.line", "web_search_read"),
    ("inventory.snapshot.line", "web_read_group"),
)
READ_WRITE_METHODS = (
    ("inventory.snapshot", "take_snapshot"),
    ("inventory.snapshot", "verify"),
    ("inventory.snapshot", "action_verify"),
    ("inventory.snapshot", "action_open_lines"),
    ("inventory.snapshot.compare", "action_compare"),
)


@tagged("post_install", "-at_install")
class TestSnapshotReadOnly(SnapshotScenarioMixin, ReadOnlyCaseMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_snapshot_scenario()

    def test_reads_are_readonly_writes_are_not(self):
        for model, method in READ_ONLY_METHODS:
            with self.subTest(model=model, method=method):
                self.assertTrue(is_readonly_method(self.env, model, method))
        for model, method in READ_WRITE_METHODS:
            with self.subTest(model=model, method=method):
                self.assertFalse(is_readonly_method(self.env, model, method))

    def test_reads_on_a_read_only_cursor(self):
        ids = [self.snap_a.id, self.snap_b.id]
        Snapshot = self.Snapshot.with_user(self.reader)

        def read(Snapshot):
            snapshot = Snapshot.browse(self.snap_b.id)
            return {
                "compare": Snapshot.compare_snapshots(ids, include_now=True),
                "page": Snapshot.compare_snapshots(
                    ids, only_changes=True, limit=2, offset=1
                ),
                "integrity": Snapshot.browse(ids).check_integrity(),
                **{
                    f"export {fmt}": snapshot.export_snapshot(fmt)["content"]
                    for fmt in ("csv", "json")
                },
                # the file names the moment it was made: compare the rows
                "comparison csv": Snapshot.export_comparison(ids, "csv")["content"],
            }

        expected = read(Snapshot)
        self.assertEqual(
            expected["integrity"],
            {str(i): {"intact": True, "problems": []} for i in ids},
        )
        with self.read_only_env(user=self.reader) as env:
            self.assertReadOnlyCursorRefusesWrites(env)
            Snapshot = env["inventory.snapshot"]
            found = read(Snapshot)
            for key in ("compare", "page", "integrity", "export csv", "comparison csv"):
                with self.subTest(read=key):
                    if key == "compare":
                        # "now" is the moment of the call
                        for result in (found[key], expected[key]):
                            result["columns"][-1].pop("moment")
                    self.assertEqual(found[key], expected[key])
            # the JSON and XLSX files carry the moment they were exported
            self.assertTrue(found["export json"])
            for fmt in ("json", "xlsx"):
                self.assertTrue(
                    Snapshot.export_comparison(ids, fmt, include_now=True)["content"]
                )
                self.assertTrue(
                    Snapshot.browse(self.snap_a.id).export_snapshot(fmt)["content"]
                )

    @mute_logger("odoo.sql_db")
    def test_a_write_fails_the_read_only_cursor(self):
        """The harness catches writes the ORM keeps for later too: verify
        records its outcome (a write flushed at the end), so it fails there."""
        with self.assertRaises(psycopg2.errors.ReadOnlySqlTransaction):
            with self.read_only_env(user=self.reader) as env:
                env["inventory.snapshot"].browse(self.snap_a.id).verify()
        self.assertEqual(self.snap_a.verify_state, "unverified")
