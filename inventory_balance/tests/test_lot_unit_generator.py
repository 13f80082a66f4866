# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo.tests import TransactionCase, tagged

from odoo.addons.inventory_balance.tools import GeneratorSpec, StockHistoryGenerator

from ..tools.lot_unit_generator import pack_lot_balances


@tagged("post_install", "-at_install")
class TestLotUnitGenerator(TransactionCase):
    """The benchmark's packing of a generated history keeps the ledger, the
    quants and the lot balances in agreement, per package."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        spec = GeneratorSpec(
            products=30, locations=4, move_lines=2000, lot_share=0.5, days=60
        )
        result = StockHistoryGenerator(cls.env, spec).run()
        cls.products = cls.env["product.product"].browse(result["product_ids"])
        cls.packed = pack_lot_balances(cls.env, key_share=0.4, standard_count=10)

    def _quants(self):
        found = defaultdict(float)
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "in", self.products.ids),
                ("location_id.usage", "in", ("internal", "transit")),
            ]
        )
        for quant in quants:
            key = (
                quant.product_id.id,
                quant.location_id.id,
                quant.lot_id.id or False,
                quant.package_id.id or False,
            )
            found[key] += quant.quantity
        return {key: round(qty, 6) for key, qty in found.items() if abs(qty) > 1e-9}

    def test_packed_ledger_equals_quants(self):
        self.assertGreater(self.packed["packages"], 0)
        self.assertGreater(self.packed["lines"], 0)
        self.assertGreater(self.packed["stock_share"], 0.0)
        rows = self.env["inventory.ledger"].balances_at(
            group_by=["product", "location", "lot", "package"],
            product_ids=self.products.ids,
        )
        engine = {
            (r["product_id"], r["location_id"], r["lot_id"], r["package_id"]): round(
                r["quantity"], 6
            )
            for r in rows
        }
        self.assertEqual(engine, self._quants())
        self.assertTrue(any(key[3] for key in engine))

    def test_lot_balances_count_the_packages(self):
        result = self.env["inventory.lot.balance.report"].lot_balances(
            product_ids=self.products.ids
        )
        units = {key[3] for key, qty in self._quants().items() if key[3] and qty}
        self.assertEqual(sum(line["units"] for line in result["summary"]), len(units))
        tracked = self.products.filtered(lambda p: p.tracking == "lot")
        self.assertTrue(
            all(
                line["standard_count"] == 10.0
                for line in result["lots"]
                if line["product_id"] in tracked.ids
            )
        )
        self.assertEqual(
            sum(line["odd_count"] for line in result["lots"]),
            sum(1 for key, qty in self._quants().items() if key[3] and qty != 10.0),
        )
