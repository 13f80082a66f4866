# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestInventoryBalanceTours(HttpCase):
    """Chromium: the screens the issue's users described."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock = (
            cls.env["stock.warehouse"]
            .search([("company_id", "=", cls.env.company.id)], limit=1)
            .lot_stock_id
        )
        cls.category = cls.env["product.category"].create({"name": "Tour fruit"})

    def test_adjustment_change_buttons(self):
        """The +/- of an adjustment line's Change, mouse and keyboard, then a
        typed value, saved."""
        pear = self.env["product.product"].create(
            {"name": "Tour Pear", "is_storable": True, "categ_id": self.category.id}
        )
        self.env["stock.quant"]._update_available_quantity(pear, self.stock, 5)
        adjuster = new_test_user(
            self.env,
            login="tour_adjuster",
            groups="inventory_balance.group_inventory_adjustment",
        )
        draft = self.env["inventory.adjustment"].browse(
            self.env["inventory.adjustment"]
            .with_user(adjuster)
            .create_draft(
                "Tour top-up",
                "top_up",
                lines=[{"product_id": pear.id, "location_id": self.stock.id}],
            )
        )
        self.assertEqual(draft.line_ids.balance, 5)
        self.start_tour(
            f"/odoo/action-inventory_balance.inventory_adjustment_action_draft/{draft.id}",
            "inventory_balance_adjustment_change",
            login="tour_adjuster",
        )
        self.assertEqual(draft.line_ids.change, 7)
        self.assertEqual(draft.line_ids.resulting, 12)

    def test_activate_stock_keeping_button(self):
        box = self.env["product.template"].create(
            {"name": "Tour Box", "type": "consu", "is_storable": False}
        )
        self.start_tour(
            f"/odoo/action-stock.product_template_action_product/{box.id}",
            "inventory_balance_activate_stock_keeping",
            login="admin",
        )
        self.assertTrue(box.is_storable)
        self.assertEqual(box.type, "consu")
