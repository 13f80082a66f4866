# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestStockBalanceExpiry(TransactionCase):
    def test_report_shows_the_lot_expiry_date(self):
        product = self.env["product.product"].create(
            {
                "name": "Expiring product",
                "is_storable": True,
                "tracking": "lot",
                "use_expiration_date": True,
            }
        )
        expiry = fields.Datetime.now().replace(microsecond=0) + timedelta(days=20)
        lot = self.env["stock.lot"].create(
            {"name": "EXP-1", "product_id": product.id, "expiration_date": expiry}
        )
        stock = (
            self.env["stock.warehouse"]
            .search([("company_id", "=", self.env.company.id)], limit=1)
            .lot_stock_id
        )
        move = self.env["stock.move"].create(
            {
                "product_id": product.id,
                "product_uom_qty": 5,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": stock.id,
            }
        )
        move._action_confirm()
        move.move_line_ids.unlink()
        move.move_line_ids = [
            (
                0,
                0,
                {
                    "product_id": product.id,
                    "lot_id": lot.id,
                    "quantity": 5,
                    "location_id": move.location_id.id,
                    "location_dest_id": stock.id,
                },
            )
        ]
        move.picked = True
        move._action_done()
        row = self.env["inventory.stock.balance.report"].search(
            [("product_id", "=", product.id)]
        )
        self.assertEqual(row.lot_id, lot)
        self.assertEqual(row.quantity, 5)
        self.assertEqual(row.expiration_date, expiry)
