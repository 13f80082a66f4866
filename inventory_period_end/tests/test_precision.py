# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every quantity figure of the suite keeps Odoo 19's ``Product Unit``
precision: with 3 digits, 1.234 kg stays 1.234 kg everywhere (the pre-19
precision name silently fell back to 2 digits, so 1.23)."""

import base64
import csv
import io
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

QTY = 1.234


@tagged("post_install", "-at_install")
class TestProductUnitPrecision(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref("uom.decimal_product_uom").digits = 3
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.kg = cls.env.ref("uom.product_uom_kgm")
        cls.categ = cls.env["product.category"].create({"name": "Precision goods"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Flour by the kilo",
                "is_storable": True,
                "uom_id": cls.kg.id,
                "categ_id": cls.categ.id,
            }
        )
        cls.moved_at = fields.Datetime.now() - timedelta(days=3)
        supplier = cls.env.ref("stock.stock_location_suppliers")
        move = cls.env["stock.move"].create(
            {
                "product_id": cls.product.id,
                "product_uom": cls.kg.id,
                "product_uom_qty": QTY,
                "location_id": supplier.id,
                "location_dest_id": cls.stock.id,
                "company_id": cls.company.id,
                "move_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_uom_id": cls.kg.id,
                            "quantity": QTY,
                            "location_id": supplier.id,
                            "location_dest_id": cls.stock.id,
                        }
                    )
                ],
            }
        )
        move._action_confirm()
        move.picked = True
        move._action_done()
        move.write({"date": cls.moved_at})
        move.move_line_ids.write({"date": cls.moved_at})

    def test_precision_is_odoo_19s(self):
        self.assertEqual(self.env["decimal.precision"].precision_get("Product Unit"), 3)
        self.assertAlmostEqual(self.product.qty_available, QTY, places=6)

    def test_balances_and_reports(self):
        rows = self.env["inventory.ledger"].balances_at(product_ids=self.product.ids)
        self.assertEqual([row["quantity"] for row in rows], [QTY])
        report = self.env["inventory.stock.balance.report"].search(
            [("product_id", "=", self.product.id)]
        )
        self.assertEqual(report.mapped("quantity"), [QTY])
        self.assertEqual(report.mapped("available"), [QTY])

    def test_checkpoint_rows(self):
        Checkpoint = self.env["inventory.ledger.checkpoint"]
        checkpoint = Checkpoint.browse(
            Checkpoint.build_checkpoint(fields.Datetime.now() - timedelta(days=1))
        )
        rows = checkpoint.line_ids.filtered(lambda row: row.product_id == self.product)
        self.assertEqual(rows.mapped("quantity"), [QTY])

    def test_snapshot_lines_and_export(self):
        Snapshot = self.env["inventory.snapshot"]
        snapshot = Snapshot.browse(Snapshot.take_snapshot("Precision"))
        lines = snapshot.line_ids.filtered(lambda line: line.product_id == self.product)
        self.assertEqual(lines.mapped("on_hand"), [QTY])
        self.assertEqual(lines.mapped("available"), [QTY])
        export = snapshot.export_snapshot("csv")
        text = base64.b64decode(export["content"]).decode("utf-8-sig")
        rows = [
            row for row in csv.reader(io.StringIO(text)) if self.product.name in row
        ]
        self.assertTrue(rows)
        self.assertIn("1.234", rows[0])

    def test_sheet_cells(self):
        today = fields.Date.context_today(self.env["res.users"])
        sheet = self.env["inventory.balance.sheet"].create(
            {
                "name": "Precision sheet",
                "category_ids": [Command.set(self.categ.ids)],
                # Ended periods only: Actual is known at their end.
                "date_from": today - timedelta(days=40),
                "date_to": today - timedelta(days=1),
            }
        )
        sheet.column_ids.write({"visible": True})
        sheet.refresh()
        data = sheet.get_sheet_data()
        rows = [row for row in data["rows"] if row["product_id"] == self.product.id]
        self.assertTrue(rows)
        self.assertAlmostEqual(rows[-1]["actual"], QTY, places=6)
        cells = self.env["inventory.balance.sheet.cell"].search(
            [("sheet_id", "=", sheet.id), ("product_id", "=", self.product.id)]
        )
        self.assertIn(QTY, cells.mapped("quantity"))

    def test_balance_run_findings(self):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE stock_quant SET quantity = 0 WHERE product_id = %s "
                "AND location_id = %s",
                self.product.id,
                self.stock.id,
            )
        )
        self.env.invalidate_all()
        run = self.env["inventory.balance.run"].create(
            {"product_ids": [Command.set(self.product.ids)]}
        )
        run.action_run()
        findings = run.line_ids.filtered(lambda line: line.product_id == self.product)
        self.assertTrue(findings)
        self.assertIn(QTY, findings.mapped("expected"))
        self.assertIn(-QTY, findings.mapped("difference"))

    def test_ageing(self):
        result = self.env["inventory.ageing"].ageing_at(product_ids=self.product.ids)
        self.assertEqual([row["on_hand"] for row in result["rows"]], [QTY])
        report = self.env["inventory.ageing.report"].search(
            [("product_id", "=", self.product.id)]
        )
        if report:
            self.assertAlmostEqual(sum(report.mapped("quantity")), QTY, places=6)
