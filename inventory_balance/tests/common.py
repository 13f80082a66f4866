# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta

from odoo import Command, fields


def background_requests(env, cron):
    """How many times ``cron`` was asked to run soon: its triggers and, with
    the bridge inventory_balance_queue_job installed (queue_job present), the
    queue jobs that run it instead of a trigger for now."""
    count = env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
    if "queue.job" in env:
        jobs = env["queue.job"].search(
            [("model_name", "=", "ir.cron"), ("method_name", "=", "_inventory_run_job")]
        )
        count += len(jobs.filtered(lambda job: cron.id in job.records.ids))
    return count


class LedgerScenarioMixin:
    """A small stock history over the last two months, made through real done
    moves (then backdated): bins and a sub-bin, a lot-tracked product, a
    product received in dozens, a delivery, an internal transfer, production in
    and out, goods in transit and a customer return."""

    @classmethod
    def _setup_ledger_scenario(cls):
        cls.Ledger = cls.env["inventory.ledger"]
        cls.Checkpoint = cls.env["inventory.ledger.checkpoint"]
        cls.now = fields.Datetime.now()
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        Location = cls.env["stock.location"]
        cls.bin1 = Location.create({"name": "Bin 1", "location_id": cls.stock.id})
        cls.bin2 = Location.create({"name": "Bin 2", "location_id": cls.stock.id})
        cls.bin2a = Location.create({"name": "Bin 2a", "location_id": cls.bin2.id})
        cls.transit = Location.create(
            {"name": "Ledger transit", "usage": "transit", "company_id": cls.company.id}
        )
        cls.supplier = cls.env.ref("stock.stock_location_suppliers")
        cls.customer = cls.env.ref("stock.stock_location_customers")
        cls.production = Location.search(
            [
                ("usage", "=", "production"),
                ("company_id", "in", [cls.company.id, False]),
            ],
            limit=1,
        )
        cls.unit = cls.env.ref("uom.product_uom_unit")
        cls.dozen = cls.env.ref("uom.product_uom_dozen")
        Product = cls.env["product.product"]
        cls.p1 = Product.create({"name": "Ledger P1", "is_storable": True})
        cls.p2 = Product.create(
            {"name": "Ledger P2", "is_storable": True, "tracking": "lot"}
        )
        cls.p3 = Product.create({"name": "Ledger P3", "is_storable": True})
        cls.products = cls.p1 | cls.p2 | cls.p3
        cls.lot_a = cls.env["stock.lot"].create({"name": "LA", "product_id": cls.p2.id})
        cls.lot_b = cls.env["stock.lot"].create({"name": "LB", "product_id": cls.p2.id})
        d = cls._days_ago
        cls._move(cls.p1, cls.supplier, cls.bin1, 100, d(60))
        cls._move(cls.p1, cls.supplier, cls.bin2a, 40, d(55))
        cls._move(cls.p2, cls.supplier, cls.bin1, 30, d(50), lot=cls.lot_a)
        cls._move(cls.p2, cls.supplier, cls.bin2, 20, d(50), lot=cls.lot_b)
        cls._move(cls.p3, cls.supplier, cls.bin1, 2, d(45), uom=cls.dozen)  # 24 units
        cls._move(cls.p1, cls.bin1, cls.customer, 35, d(40))
        cls._move(cls.p1, cls.bin1, cls.bin2, 15, d(30))
        cls._move(cls.p2, cls.bin1, cls.production, 12, d(25), lot=cls.lot_a)
        cls._move(cls.p1, cls.production, cls.bin2a, 8, d(20))
        cls._move(cls.p1, cls.bin2a, cls.transit, 10, d(15))
        cls._move(cls.p3, cls.bin1, cls.customer, 5, d(10))
        cls._move(cls.p1, cls.customer, cls.bin1, 3, d(5))

    @classmethod
    def _days_ago(cls, days):
        return cls.now - timedelta(days=days)

    @classmethod
    def _move(cls, product, src, dst, qty, date, lot=None, uom=None):
        uom = uom or cls.unit
        move = cls.env["stock.move"].create(
            {
                "product_id": product.id,
                "product_uom": uom.id,
                "product_uom_qty": qty,
                "location_id": src.id,
                "location_dest_id": dst.id,
                "company_id": cls.company.id,
                "move_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_id": uom.id,
                            "quantity": qty,
                            "lot_id": lot.id if lot else False,
                            "location_id": src.id,
                            "location_dest_id": dst.id,
                        }
                    )
                ],
            }
        )
        move._action_confirm()
        move.picked = True
        move._action_done()
        move.write({"date": date})
        move.move_line_ids.write({"date": date})
        return move

    def _balances(self, at=None, **kwargs):
        kwargs.setdefault("product_ids", self.products.ids)
        rows = self.Ledger.balances_at(at, **kwargs)
        return {
            tuple(v for k, v in row.items() if k != "quantity"): row["quantity"]
            for row in rows
        }

    def _quants(self):
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "in", self.products.ids),
                ("location_id.usage", "in", ("internal", "transit")),
            ]
        )
        found = defaultdict(float)
        for quant in quants:
            found[
                quant.product_id.id, quant.location_id.id, quant.lot_id.id or False
            ] += quant.quantity
        return {key: qty for key, qty in found.items() if qty}
