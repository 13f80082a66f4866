# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestStockCondition(TransactionCase):
    """Stock in a location whose condition is not available counts on hand but
    is never available, nor reserved for a delivery."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.damaged_condition = cls.env.ref(
            "inventory_balance.inventory_condition_damaged"
        )
        cls.good = cls.env.ref("inventory_balance.inventory_condition_good")
        cls.damaged = cls.env["stock.location"].create(
            {
                "name": "Damaged",
                "location_id": cls.stock.id,
                "condition_id": cls.damaged_condition.id,
            }
        )
        cls.shelf = cls.env["stock.location"].create(
            {"name": "Shelf", "location_id": cls.stock.id}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Condition product", "is_storable": True}
        )
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(cls.product, cls.damaged, 10)
        Quant._update_available_quantity(cls.product, cls.shelf, 5)

    def test_defaults(self):
        self.assertEqual(self.shelf.condition_id, self.good)
        self.assertFalse(self.shelf.inventory_unavailable)
        self.assertTrue(self.damaged.inventory_unavailable)
        customers = self.env.ref("stock.stock_location_customers")
        self.assertFalse(customers.condition_id)
        self.assertFalse(customers.inventory_unavailable)

    def test_on_hand_but_not_available(self):
        self.assertEqual(self.product.qty_available, 15)
        self.assertEqual(self.product.free_qty, 5)
        Quant = self.env["stock.quant"]
        self.assertEqual(Quant._get_available_quantity(self.product, self.stock), 5)
        self.assertEqual(Quant._get_available_quantity(self.product, self.damaged), 10)
        per_warehouse = self.product.with_context(warehouse_id=self.warehouse.id)
        self.assertEqual(per_warehouse.free_qty, 5)

    def test_delivery_is_not_reserved_from_damaged_stock(self):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "location_id": self.stock.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 8,
                            "location_id": self.stock.id,
                            "location_dest_id": self.env.ref(
                                "stock.stock_location_customers"
                            ).id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        self.assertEqual(picking.move_ids.quantity, 5)
        self.assertEqual(picking.move_ids.move_line_ids.location_id, self.shelf)
        self.assertEqual(picking.state, "assigned")  # partially

    def test_damaged_stock_can_be_moved_out_of_its_location(self):
        move = self.env["stock.move"].create(
            {
                "product_id": self.product.id,
                "product_uom_qty": 4,
                "location_id": self.damaged.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
            }
        )
        move._action_confirm()
        move._action_assign()
        self.assertEqual(move.quantity, 4)
        self.assertEqual(move.move_line_ids.location_id, self.damaged)

    def test_condition_change_makes_stock_available(self):
        self.damaged.condition_id = self.good
        self.assertFalse(self.damaged.inventory_unavailable)
        self.product.invalidate_recordset()
        self.assertEqual(self.product.free_qty, 15)
