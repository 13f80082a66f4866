# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSnapshotOnAdjustment(TransactionCase):
    def test_one_event_snapshot_per_confirmed_adjustment(self):
        stock = (
            self.env["stock.warehouse"]
            .search([("company_id", "=", self.env.company.id)], limit=1)
            .lot_stock_id
        )
        product = self.env["product.product"].create(
            {"name": "Snapshot adjusted", "is_storable": True}
        )
        reason = self.env.ref("inventory_balance.inventory_adjustment_reason_top_up")
        Snapshot = self.env["inventory.snapshot"]
        before = Snapshot.search_count([("trigger", "=", "event")])
        adjustments = self.env["inventory.adjustment"].create(
            [
                {
                    "name": f"Top-up {n}",
                    "reason_id": reason.id,
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "product_id": product.id,
                                "location_id": stock.id,
                                "change": 3,
                            },
                        )
                    ],
                }
                for n in range(2)
            ]
        )
        adjustments.action_confirm()
        adjustments.action_confirm()  # replayed: no second snapshot
        snapshots = Snapshot.search([("trigger", "=", "event")], order="id")
        self.assertEqual(len(snapshots) - before, 2)
        self.assertEqual(
            set(snapshots[-2:].mapped("trigger_ref")), {"Top-up 0", "Top-up 1"}
        )
        last = snapshots[-1]
        line = last.line_ids.filtered(lambda line: line.product_id == product)
        self.assertEqual(line.on_hand, 6)
