# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
from collections import defaultdict

import openpyxl

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.inventory_balance.tests.common import LedgerScenarioMixin


@tagged("post_install", "-at_install")
class TestSnapshotCompareExplain(LedgerScenarioMixin, TransactionCase):
    """A comparison row opens the done lines between the two snapshots'
    moments for its key: opening = first column, closing = last column, for
    past snapshots, with now, grouped with and without location and lot."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ledger_scenario()
        Snapshot = cls.env["inventory.snapshot"]
        cls.Checkpoint.build_checkpoint(cls._days_ago(35), cls.company.id)
        # a line exactly at the first snapshot's moment
        cls._move(cls.p1, cls.supplier, cls.bin2a, 9, cls._days_ago(45))
        cls.snap_a = Snapshot.browse(
            Snapshot.take_snapshot("Explain A", moment=cls._days_ago(45))
        )
        cls.snap_b = Snapshot.browse(
            Snapshot.take_snapshot("Explain B", moment=cls._days_ago(12))
        )
        cls.Compare = cls.env["inventory.snapshot.compare"]

    def _check_rows(self, wizard):
        wizard.action_compare()
        rows = wizard.line_ids.filtered(lambda r: r.product_id in self.products)
        self.assertTrue(rows)
        for row in rows:
            with self.subTest(group_by=wizard.group_by, row=row.sequence):
                action = row.action_explain()
                records = (
                    self.env[action["res_model"]]
                    .with_context(**action["context"])
                    .search(action["domain"])
                )
                self.assertEqual(records[:1].sequence, 0)
                self.assertAlmostEqual(records[0].quantity, row.quantity_first, 6)
                self.assertAlmostEqual(
                    sum(records.mapped("quantity")), row.quantity_last, places=6
                )
                self.assertAlmostEqual(
                    sum(records[1:].mapped("quantity")), row.change, places=6
                )
                if row.location_id:
                    self.assertLessEqual(records[1:].location_id, row.location_id)
        return rows

    def test_rows_between_snapshots(self):
        for group_by in ("product,location,lot", "product,location", "product"):
            wizard = self.Compare.create(
                {
                    "snapshot_ids": [(6, 0, (self.snap_a | self.snap_b).ids)],
                    "group_by": group_by,
                }
            )
            self._check_rows(wizard)

    def test_rows_with_now(self):
        wizard = self.Compare.create(
            {
                "snapshot_ids": [(6, 0, self.snap_a.ids)],
                "include_now": True,
            }
        )
        rows = self._check_rows(wizard)
        action = rows[0].action_explain()
        self.assertEqual(
            action["context"]["inventory_explain"]["date_from"],
            fields.Datetime.to_string(self.snap_a.moment),
        )

    def test_row_without_product(self):
        wizard = self.Compare.create(
            {
                "snapshot_ids": [(6, 0, (self.snap_a | self.snap_b).ids)],
                "group_by": "location",
            }
        )
        wizard.action_compare()
        with self.assertRaises(UserError):
            wizard.line_ids[:1].action_explain()

    def test_xlsx_with_lines(self):
        wizard = self.Compare.create(
            {
                "snapshot_ids": [(6, 0, (self.snap_a | self.snap_b).ids)],
                "group_by": "product",
            }
        )
        wizard.action_compare()
        exporter = self.env["inventory.snapshot.export"]
        plain = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(exporter._result(wizard, "xlsx")["content"]))
        )
        self.assertNotIn("Move lines", plain.sheetnames)
        wizard.export_lines = True
        book = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(exporter._result(wizard, "xlsx")["content"]))
        )
        self.assertEqual(book.sheetnames[0], "Comparison")
        rows = list(book["Move lines"].iter_rows(min_row=2, values_only=True))
        by_product = defaultdict(list)
        for row in rows:
            by_product[row[0]].append(row)
        for line in wizard.line_ids.filtered(lambda r: r.product_id in self.products):
            with self.subTest(product=line.product_id.name):
                product_rows = by_product[line.product_id.display_name]
                self.assertEqual(product_rows[0][3], "Opening balance")
                self.assertAlmostEqual(product_rows[0][8], line.quantity_first, 6)
                self.assertAlmostEqual(
                    sum(r[8] for r in product_rows), line.quantity_last, 6
                )
                self.assertAlmostEqual(product_rows[-1][9], line.quantity_last, 6)
