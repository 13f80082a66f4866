# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.inventory_balance.tools import GeneratorSpec, StockHistoryGenerator


@tagged("post_install", "-at_install")
class TestStockHistoryGenerator(TransactionCase):
    """The scale generator writes a history that Odoo itself agrees with."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.spec = GeneratorSpec(
            products=40, locations=4, move_lines=3000, lot_share=0.3, days=90
        )
        cls.result = StockHistoryGenerator(cls.env, cls.spec).run()
        cls.products = cls.env["product.product"].browse(cls.result["product_ids"])
        cls.lines = cls.env["stock.move.line"].search(
            [("product_id", "in", cls.products.ids)]
        )

    def _ledger(self, at=None, internal_only=True):
        """(product, location, lot) -> sum of done lines in minus out, up to ``at``."""
        balances = defaultdict(float)
        for line in self.lines:
            if at and line.date > at:
                continue
            key = (line.product_id.id, line.lot_id.id)
            if not internal_only or line.location_dest_id.usage == "internal":
                balances[key[:1] + (line.location_dest_id.id,) + key[1:]] += (
                    line.quantity_product_uom
                )
            if not internal_only or line.location_id.usage == "internal":
                balances[key[:1] + (line.location_id.id,) + key[1:]] -= (
                    line.quantity_product_uom
                )
        return {key: qty for key, qty in balances.items() if qty}

    def _per_product(self, balances):
        totals = defaultdict(float)
        for (product_id, _location_id, _lot_id), qty in balances.items():
            totals[product_id] += qty
        return totals

    def test_shape(self):
        self.assertEqual(len(self.products), 40)
        self.assertEqual(len(self.lines), 3000)
        self.assertEqual(set(self.lines.mapped("state")), {"done"})
        self.assertEqual(len(self.lines.move_id), 3000)
        tracked = self.products.filtered(lambda p: p.tracking == "lot")
        self.assertEqual(len(tracked), 12)
        tracked_lines = self.lines.filtered(lambda ml: ml.product_id in tracked)
        self.assertTrue(tracked_lines)
        self.assertFalse(tracked_lines.filtered(lambda ml: not ml.lot_id))
        self.assertFalse((self.lines - tracked_lines).lot_id)
        kinds = {
            (line.location_id.usage, line.location_dest_id.usage) for line in self.lines
        }
        for pair in [
            ("supplier", "internal"),
            ("internal", "customer"),
            ("internal", "internal"),
            ("production", "internal"),
            ("internal", "production"),
            ("inventory", "internal"),
            ("internal", "inventory"),
        ]:
            self.assertIn(pair, kinds)
        # Moves and their single line agree.
        for line in self.lines[:200]:
            move = line.move_id
            self.assertEqual(move.product_id, line.product_id)
            self.assertEqual(move.location_id, line.location_id)
            self.assertEqual(move.location_dest_id, line.location_dest_id)
            self.assertEqual(move.date, line.date)
            self.assertEqual(move.product_qty, line.quantity)
        self.assertLess(max(self.lines.mapped("date")), fields.Datetime.now())

    def test_lines_follow_the_spec(self):
        """The SQL writes exactly the lines that the pure spec describes."""
        kind_of_usages = {
            ("supplier", "internal"): "receipt",
            ("production", "internal"): "production",
            ("inventory", "internal"): "adjustment_in",
            ("customer", "internal"): "return",
            ("internal", "customer"): "delivery",
            ("internal", "production"): "consumption",
            ("internal", "inventory"): "adjustment_out",
            ("internal", "internal"): "transfer",
        }
        first_line = self.result["move_line_ids"][0]
        for line in self.lines:
            expected = self.spec.line(line.id - first_line)
            self.assertEqual(
                line.product_id.id, self.products.ids[expected["product_index"]]
            )
            self.assertEqual(line.quantity, expected["quantity"])
            usages = (line.location_id.usage, line.location_dest_id.usage)
            self.assertEqual(kind_of_usages[usages], expected["kind"])

    def test_quants_equal_ledger(self):
        quants = self.env["stock.quant"].search(
            [("product_id", "in", self.products.ids)]
        )
        ledger = self._ledger(internal_only=False)
        found = {
            (q.product_id.id, q.location_id.id, q.lot_id.id): q.quantity
            for q in quants
            if q.quantity
        }
        self.assertEqual(found, ledger)
        internal = quants.filtered(lambda q: q.location_id.usage == "internal")
        self.assertTrue(internal)
        self.assertFalse(internal.filtered(lambda q: q.quantity < 0))

    def test_native_quantity_now_and_at_past_dates(self):
        now = fields.Datetime.now()
        ledger_now = self._per_product(self._ledger())
        for product in self.products:
            self.assertAlmostEqual(
                product.qty_available, ledger_now.get(product.id, 0.0)
            )
        for days_back in (10, 45, 80):
            at = now - timedelta(days=days_back)
            expected = self._per_product(self._ledger(at=at))
            products = self.products.with_context(to_date=at)
            for product in products:
                self.assertAlmostEqual(
                    product.qty_available,
                    expected.get(product.id, 0.0),
                    msg=f"{product.display_name} at {at}",
                )

    def test_lot_location(self):
        lots = self.env["stock.lot"].search([("product_id", "in", self.products.ids)])
        self.assertEqual(len(lots), 24)
        for lot in lots:
            locations = lot.quant_ids.filtered(lambda q: q.quantity > 0).location_id
            expected = locations if len(locations) == 1 else self.env["stock.location"]
            self.assertEqual(lot.location_id, expected)

    def test_valuation_fields(self):
        if "is_in" not in self.env["stock.move"]._fields:
            self.skipTest("stock_account is not installed")
        moves = self.lines.move_id
        for move in moves:
            src = move.location_id.usage == "internal"
            dst = move.location_dest_id.usage == "internal"
            self.assertEqual(move.is_in, dst and not src)
            self.assertEqual(move.is_out, src and not dst)
            if move.is_in or move.is_out:
                self.assertAlmostEqual(
                    move.value, move.quantity * move.product_id.standard_price
                )
        for product in self.products:
            self.assertIn(product.cost_method, ("standard", "fifo", "average"))
        self.assertEqual(
            set(self.products.mapped("cost_method")), {"standard", "fifo", "average"}
        )
        # Remaining FIFO/AVCO quantity as Odoo 19 computes it equals on hand.
        for product in self.products.filtered(lambda p: p.cost_method != "standard")[
            :6
        ]:
            remaining = sum(
                product.stock_move_ids.filtered("is_in").mapped("remaining_qty")
            )
            self.assertAlmostEqual(remaining, product.qty_available)

    def test_two_runs_in_one_transaction(self):
        again = StockHistoryGenerator(
            self.env, GeneratorSpec(products=3, locations=1, move_lines=30)
        ).run()
        self.assertEqual(len(again["product_ids"]), 3)
        self.assertFalse(set(again["product_ids"]) & set(self.products.ids))
