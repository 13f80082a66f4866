# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestInventoryAdjustment(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Adjustment = cls.env["inventory.adjustment"]
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.shelf = cls.env["stock.location"].create(
            {"name": "Adjustment shelf", "location_id": cls.stock.id}
        )
        cls.category = cls.env["product.category"].create({"name": "Adjusted goods"})
        Product = cls.env["product.product"]
        cls.apple = Product.create(
            {"name": "Adj Apple", "is_storable": True, "categ_id": cls.category.id}
        )
        cls.pear = Product.create(
            {"name": "Adj Pear", "is_storable": True, "categ_id": cls.category.id}
        )
        cls.lotted = Product.create(
            {"name": "Adj Lotted", "is_storable": True, "tracking": "lot"}
        )
        cls.serial = Product.create(
            {"name": "Adj Serial", "is_storable": True, "tracking": "serial"}
        )
        cls.consumable = Product.create(
            {"name": "Adj Consumable", "is_storable": False}
        )
        cls.lot = cls.env["stock.lot"].create(
            {"name": "ADJ-L1", "product_id": cls.lotted.id}
        )
        cls.sn = cls.env["stock.lot"].create(
            {"name": "ADJ-SN1", "product_id": cls.serial.id}
        )
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(cls.apple, cls.shelf, 10)
        Quant._update_available_quantity(cls.apple, cls.stock, 4)
        Quant._update_available_quantity(cls.lotted, cls.shelf, 7, lot_id=cls.lot)
        cls.reasons = {
            code: cls.env["inventory.adjustment.reason"].search([("code", "=", code)])
            for code in ("top_up", "theft", "breakage", "count")
        }
        cls.clerk = new_test_user(
            cls.env,
            login="adj_clerk",
            groups="inventory_balance.group_inventory_adjustment",
        )
        cls.viewer = new_test_user(
            cls.env,
            login="adj_viewer",
            groups="inventory_balance.group_inventory_balance_user",
        )

    def _adjustment(self, reason="count", lines=(), **values):
        values.setdefault("name", "Adjustment")
        values["reason_id"] = self.reasons[reason].id
        values["line_ids"] = [
            (
                0,
                0,
                {
                    "product_id": product.id,
                    "location_id": location.id,
                    "lot_id": lot.id if lot else False,
                    "change": change,
                },
            )
            for product, location, lot, change in lines
        ]
        return self.Adjustment.create(values)

    def test_load_products(self):
        adjustment = self._adjustment(categ_ids=[(6, 0, self.category.ids)])
        adjustment.action_load_products()
        rows = {
            (line.product_id, line.location_id): line.balance
            for line in adjustment.line_ids
        }
        self.assertEqual(
            rows,
            {
                (self.apple, self.shelf): 10,
                (self.apple, self.stock): 4,
                (self.pear, self.stock): 0,
            },
        )
        adjustment.action_load_products()
        self.assertEqual(len(adjustment.line_ids), 3, "loading again adds nothing")
        by_name = self._adjustment(product_filter="adj lot")
        by_name.action_load_products()
        self.assertEqual(by_name.line_ids.product_id, self.lotted)
        self.assertEqual(by_name.line_ids.lot_id, self.lot)
        by_location = self._adjustment(location_id=self.shelf.id, product_filter="Adj")
        by_location.action_load_products()
        self.assertEqual(set(by_location.line_ids.location_id), {self.shelf})

    def test_confirm_applies_changes_as_linked_moves(self):
        adjustment = self._adjustment(
            name="Count May",
            lines=[
                (self.apple, self.shelf, None, -3),
                (self.pear, self.stock, None, 5),
                (self.lotted, self.shelf, self.lot, 2),
                (self.apple, self.stock, None, 0),
            ],
        )
        adjustment.action_confirm()
        self.assertEqual(adjustment.state, "done")
        self.assertEqual(len(adjustment.move_ids), 3, "zero changes are skipped")
        for line in adjustment.line_ids.filtered("change"):
            self.assertEqual(line.move_id.product_id, line.product_id)
            self.assertEqual(line.move_id.quantity, abs(line.change))
            self.assertEqual(line.move_id.inventory_adjustment_id, adjustment)
        self.assertTrue(all(adjustment.move_ids.mapped("is_inventory")))
        self.assertEqual(set(adjustment.move_ids.mapped("reference")), {"Count May"})
        self.assertEqual(
            self.apple.with_context(location=self.shelf.id).qty_available, 7
        )
        self.assertEqual(self.pear.qty_available, 5)
        self.assertEqual(self.lotted.with_context(lot_id=self.lot.id).qty_available, 9)
        loss = self.apple.property_stock_inventory
        out = adjustment.move_ids.filtered(lambda m: m.product_id == self.apple)
        self.assertEqual((out.location_id, out.location_dest_id), (self.shelf, loss))
        rows = self.env["inventory.transaction.report"].search(
            [("move_id", "in", adjustment.move_ids.ids)]
        )
        self.assertEqual(set(rows.mapped("reference")), {"Count May"})
        self.assertIn("Confirmed", adjustment.message_ids[0].body)

    def test_confirm_twice_applies_once(self):
        adjustment = self._adjustment(lines=[(self.pear, self.stock, None, 5)])
        adjustment.action_confirm()
        adjustment.action_confirm()
        self.assertEqual(adjustment.confirm(), adjustment.move_ids.ids)
        self.assertEqual(len(adjustment.move_ids), 1)
        self.assertEqual(self.pear.qty_available, 5)

    def test_backdated_adjustment(self):
        day = fields.Date.today() - timedelta(days=10)
        adjustment = self._adjustment(
            date=day, lines=[(self.pear, self.stock, None, 6)]
        )
        adjustment.action_confirm()
        self.assertEqual(adjustment.move_ids.date.date(), day)
        self.assertEqual(adjustment.move_ids.move_line_ids.date.date(), day)
        ledger = self.env["inventory.ledger"]
        before = ledger.balances_at(
            str(day - timedelta(days=1)),
            group_by=["product"],
            product_ids=self.pear.ids,
        )
        after = ledger.balances_at(
            str(day), group_by=["product"], product_ids=self.pear.ids
        )
        self.assertEqual((before, after[0]["quantity"]), ([], 6))

    def test_reduction_below_available_is_refused(self):
        adjustment = self._adjustment(
            reason="theft",
            lines=[
                (self.apple, self.shelf, None, -11),
                (self.pear, self.stock, None, -1),
            ],
        )
        with self.assertRaises(UserError) as caught:
            adjustment.action_confirm()
        message = str(caught.exception)
        self.assertIn("Adj Apple", message)
        self.assertIn("Adjustment shelf", message)
        self.assertIn("only 10.0", message)
        self.assertEqual(adjustment.state, "draft")
        self.assertFalse(adjustment.move_ids)
        self.assertEqual(self.apple.qty_available, 14)
        self.env.company.inventory_adjustment_allow_negative = True
        adjustment.action_confirm()
        self.assertEqual(
            self.apple.with_context(location=self.shelf.id).qty_available, -1
        )

    def test_bad_lines_are_refused(self):
        cases = [
            ("theft", [(self.pear, self.stock, None, 3)], "does not allow"),
            ("top_up", [(self.pear, self.stock, None, -3)], "does not allow"),
            ("count", [(self.lotted, self.shelf, None, 1)], "lot or serial"),
            (
                "count",
                [(self.serial, self.shelf, self.sn, 2)],
                "serial number is one unit",
            ),
            ("count", [(self.consumable, self.stock, None, 1)], "not stock-kept"),
        ]
        for reason, lines, message in cases:
            adjustment = self._adjustment(reason=reason, lines=lines)
            with self.assertRaises(UserError) as caught:
                adjustment.action_confirm()
            self.assertIn(message, str(caught.exception))
            self.assertEqual(adjustment.state, "draft")
            self.assertFalse(adjustment.move_ids)
        future = self._adjustment(
            date=fields.Date.today() + timedelta(days=1),
            lines=[(self.pear, self.stock, None, 1)],
        )
        with self.assertRaises(UserError) as caught:
            future.action_confirm()
        self.assertIn("future", str(caught.exception))

    def test_rights(self):
        adjustment = self._adjustment(lines=[(self.pear, self.stock, None, 2)])
        with self.assertRaises(AccessError):
            adjustment.with_user(self.viewer).action_confirm()
        self.assertEqual(adjustment.state, "draft")
        adjustment.with_user(self.clerk).action_confirm()
        self.assertEqual(adjustment.state, "done")
        with self.assertRaises(UserError):
            adjustment.unlink()

    def test_rpc_methods(self):
        adjustment_id = self.Adjustment.with_user(self.clerk).create_draft(
            "RPC draft",
            "top_up",
            lines=[
                {"product_id": self.pear.id, "location_id": self.stock.id, "change": 4}
            ],
        )
        adjustment = self.Adjustment.browse(adjustment_id)
        self.assertEqual(adjustment.line_ids.balance, 0)
        count = adjustment.with_user(self.clerk).load_products()
        self.assertGreater(count, 1)
        move_ids = adjustment.with_user(self.clerk).confirm()
        self.assertEqual(len(move_ids), 1)
        self.assertEqual(self.pear.qty_available, 4)
        with self.assertRaises(UserError):
            self.Adjustment.create_draft("Bad", "no_such_reason")
