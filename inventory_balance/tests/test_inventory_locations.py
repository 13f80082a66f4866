# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import ast
from collections import defaultdict

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestInventoryLocations(TransactionCase):
    """Inventory locations per facility: generating the Damaged and Quarantine
    locations of every warehouse, once, within the user's companies; and the
    totals shown per location."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.damaged = cls.env.ref("inventory_balance.inventory_condition_damaged")
        cls.quarantine = cls.env.ref("inventory_balance.inventory_condition_quarantine")
        cls.good = cls.env.ref("inventory_balance.inventory_condition_good")
        Company = cls.env["res.company"]
        cls.company_a = Company.create({"name": "Facilities A"})
        cls.company_b = Company.create({"name": "Facilities B"})
        Warehouse = cls.env["stock.warehouse"]
        # A company gets a warehouse of its own when it is created.
        cls.wh_a1 = Warehouse.search([("company_id", "=", cls.company_a.id)])
        cls.wh_a2 = Warehouse.create(
            {"name": "Facility A2", "code": "FA2", "company_id": cls.company_a.id}
        )
        cls.wh_b = Warehouse.search([("company_id", "=", cls.company_b.id)])
        # A1 already has a Damaged location, under its Stock.
        cls.a1_damaged = cls.env["stock.location"].create(
            {
                "name": "Broken goods",
                "location_id": cls.wh_a1.lot_stock_id.id,
                "company_id": cls.company_a.id,
                "condition_id": cls.damaged.id,
            }
        )
        cls.user_a = new_test_user(
            cls.env,
            login="facility_manager_a",
            groups="stock.group_stock_manager",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )

    def _condition_locations(self, warehouses):
        found = defaultdict(set)
        for location in self.env["stock.location"].search(
            [
                ("warehouse_id", "in", warehouses.ids),
                ("usage", "=", "internal"),
                ("condition_id", "in", (self.damaged | self.quarantine).ids),
            ]
        ):
            found[location.warehouse_id].add(location.condition_id)
        return found

    def test_generate_creates_exactly_the_missing_locations(self):
        Warehouse = self.env["stock.warehouse"].with_user(self.user_a)
        result = Warehouse.generate_inventory_locations()
        self.assertEqual(
            [(row["warehouse_id"], row["warehouse"]) for row in result],
            [(self.wh_a1.id, self.wh_a1.name), (self.wh_a2.id, self.wh_a2.name)],
        )
        by_warehouse = {row["warehouse_id"]: row["location_ids"] for row in result}
        a1_new = self.env["stock.location"].browse(by_warehouse[self.wh_a1.id])
        a2_new = self.env["stock.location"].browse(by_warehouse[self.wh_a2.id])
        self.assertEqual(a1_new.condition_id, self.quarantine)
        self.assertEqual(a1_new.name, "Quarantine")
        self.assertEqual(
            sorted(a2_new.mapped(lambda loc: (loc.name, loc.condition_id.id))),
            [("Damaged", self.damaged.id), ("Quarantine", self.quarantine.id)],
        )
        for warehouse, locations in ((self.wh_a1, a1_new), (self.wh_a2, a2_new)):
            for location in locations:
                self.assertEqual(location.location_id, warehouse.view_location_id)
                self.assertEqual(location.warehouse_id, warehouse)
                self.assertEqual(location.company_id, self.company_a)
                self.assertEqual(location.usage, "internal")
                self.assertTrue(location.inventory_unavailable)
        # A1 keeps its own Damaged location, no second one.
        self.assertEqual(
            self._condition_locations(self.wh_a1 | self.wh_a2),
            {
                self.wh_a1: {self.damaged, self.quarantine},
                self.wh_a2: {self.damaged, self.quarantine},
            },
        )
        # Idempotent: a second run creates nothing.
        count = self.env["stock.location"].search_count([])
        self.assertEqual(Warehouse.generate_inventory_locations(), [])
        self.assertEqual(self.env["stock.location"].search_count([]), count)

    def test_other_company_untouched(self):
        main_warehouses = self.env["stock.warehouse"].search(
            [("company_id", "not in", self.company_a.ids)]
        )
        before = self._condition_locations(main_warehouses)
        self.env["stock.warehouse"].with_user(
            self.user_a
        ).generate_inventory_locations()
        self.assertEqual(self._condition_locations(main_warehouses), before)
        self.assertFalse(self._condition_locations(self.wh_b))
        with self.assertRaises(AccessError):
            self.env["stock.warehouse"].with_user(
                self.user_a
            ).generate_inventory_locations(company_ids=self.company_b.ids)
        # The administrator, limited to company B, does B only.
        a_locations = self.env["stock.location"].search_count(
            [("company_id", "=", self.company_a.id)]
        )
        result = (
            self.env["stock.warehouse"]
            .with_context(allowed_company_ids=self.company_b.ids)
            .generate_inventory_locations()
        )
        self.assertEqual([row["warehouse_id"] for row in result], self.wh_b.ids)
        self.assertEqual(
            self._condition_locations(self.wh_b)[self.wh_b],
            {self.damaged, self.quarantine},
        )
        self.assertEqual(
            self.env["stock.location"].search_count(
                [("company_id", "=", self.company_a.id)]
            ),
            a_locations,
        )

    def test_stock_user_cannot_generate(self):
        stock_user = new_test_user(
            self.env,
            login="facility_user_a",
            groups="inventory_balance.group_inventory_balance_user",
            company_id=self.company_a.id,
            company_ids=[Command.set(self.company_a.ids)],
        )
        with self.assertRaises(AccessError):
            self.env["stock.warehouse"].with_user(
                stock_user
            ).generate_inventory_locations()

    def test_button_notifies_what_it_created(self):
        Location = self.env["stock.location"].with_user(self.user_a)
        action = Location.action_generate_inventory_locations()
        self.assertEqual(action["tag"], "display_notification")
        params = action["params"]
        self.assertEqual(params["type"], "success")
        created = self.env["stock.location"].search(
            [
                ("company_id", "=", self.company_a.id),
                ("location_id", "in", (self.wh_a1 | self.wh_a2).view_location_id.ids),
                ("condition_id", "in", (self.damaged | self.quarantine).ids),
            ]
        )
        self.assertEqual(len(created), 3)
        for name in created.mapped("complete_name"):
            self.assertIn(name, params["message"])
        again = Location.action_generate_inventory_locations()["params"]
        self.assertEqual(again["type"], "info")
        self.assertIn("nothing", again["message"])

    def test_totals_equal_quants(self):
        self.env["stock.warehouse"].with_user(
            self.user_a
        ).generate_inventory_locations()
        stock = self.wh_a1.lot_stock_id
        shelf = self.env["stock.location"].create(
            {"name": "Shelf", "location_id": stock.id, "company_id": self.company_a.id}
        )
        quarantine = self.env["stock.location"].search(
            [
                ("warehouse_id", "=", self.wh_a2.id),
                ("condition_id", "=", self.quarantine.id),
            ]
        )
        Product = self.env["product.product"].with_company(self.company_a)
        p1 = Product.create({"name": "Facility P1", "is_storable": True})
        p2 = Product.create({"name": "Facility P2", "is_storable": True})
        Quant = self.env["stock.quant"].with_company(self.company_a)
        Quant._update_available_quantity(p1, stock, 12)
        Quant._update_available_quantity(p2, stock, 3.5)
        Quant._update_available_quantity(p1, shelf, 7)
        Quant._update_available_quantity(p2, self.a1_damaged, 2)
        Quant._update_available_quantity(p1, quarantine, 4)
        Quant._update_available_quantity(p1, quarantine, -4)  # empty quant left
        Quant._update_available_quantity(p2, self.wh_a2.lot_stock_id, 1)
        Location = self.env["stock.location"].with_user(self.user_a)
        locations = Location.search(
            [("usage", "=", "internal"), ("company_id", "=", self.company_a.id)]
        )
        self.assertIn(quarantine, locations)
        expected_qty = defaultdict(float)
        expected_products = defaultdict(set)
        for quant in self.env["stock.quant"].search(
            [("location_id", "in", locations.ids)]
        ):
            expected_qty[quant.location_id.id] += quant.quantity
            if quant.quantity:
                expected_products[quant.location_id.id].add(quant.product_id.id)
        self.assertEqual(expected_qty[stock.id], 15.5)
        for location in locations:
            self.assertAlmostEqual(
                location.inventory_quantity, expected_qty[location.id]
            )
            self.assertEqual(
                location.inventory_product_count,
                len(expected_products[location.id]),
            )
        self.assertEqual(quarantine.inventory_quantity, 0)
        self.assertEqual(quarantine.inventory_product_count, 0)
        # What the screen reads, per facility.
        action = self.env.ref("inventory_balance.stock_location_facility_action")
        rows = Location.search_read(
            ast.literal_eval(action.domain),
            ["warehouse_id", "inventory_quantity"],
        )
        on_screen = defaultdict(float)
        for row in rows:
            on_screen[row["warehouse_id"][0]] += row["inventory_quantity"]
        in_quants = defaultdict(float)
        for quant in self.env["stock.quant"].search(
            [
                ("location_id.usage", "=", "internal"),
                ("company_id", "=", self.company_a.id),
            ]
        ):
            in_quants[quant.location_id.warehouse_id.id] += quant.quantity
        self.assertEqual(dict(on_screen), {self.wh_a1.id: 24.5, self.wh_a2.id: 1.0})
        self.assertEqual(dict(on_screen), dict(in_quants))
