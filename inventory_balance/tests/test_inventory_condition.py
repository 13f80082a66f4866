# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestInventoryCondition(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Condition = cls.env["inventory.condition"]
        cls.good = cls.env.ref("inventory_balance.inventory_condition_good")
        cls.damaged = cls.env.ref("inventory_balance.inventory_condition_damaged")
        cls.quarantine = cls.env.ref("inventory_balance.inventory_condition_quarantine")
        cls.stock_user = new_test_user(
            cls.env, login="cond_stock_user", groups="stock.group_stock_user"
        )
        cls.balance_manager = new_test_user(
            cls.env,
            login="cond_balance_manager",
            groups="inventory_balance.group_inventory_balance_manager",
        )

    def test_default_conditions(self):
        self.assertTrue(self.good.is_available)
        self.assertFalse(self.damaged.is_available)
        self.assertFalse(self.quarantine.is_available)
        self.assertEqual(
            self.Condition.search([("is_available", "=", True)]), self.good
        )

    def test_locations_from_before_the_install_are_good(self):
        """WH/Stock existed before the conditions: it is Good too (the
        stock-balance report showed it blank beside its Good bins)."""
        stock = (
            self.env["stock.warehouse"]
            .search([("company_id", "=", self.env.company.id)], limit=1)
            .lot_stock_id
        )
        self.assertEqual(stock.condition_id, self.good)
        # as it was right after the install (the condition did not exist yet
        # when the field was added): no condition
        bin_ = self.env["stock.location"].create(
            {"name": "Old bin", "usage": "internal", "location_id": stock.id}
        )
        self.env.cr.execute(
            "UPDATE stock_location SET condition_id = NULL WHERE id = %s", [bin_.id]
        )
        bin_.invalidate_recordset(["condition_id"])
        self.assertFalse(bin_.condition_id)
        self.env["stock.location"]._inventory_set_default_condition()
        self.assertEqual(bin_.condition_id, self.good)
        # other usages keep none
        self.assertFalse(self.env.ref("stock.stock_location_customers").condition_id)

    def test_code_unique(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.Condition.create({"name": "Broken", "code": "damaged"})
            self.env.flush_all()

    def test_good_cannot_be_deleted(self):
        with self.assertRaises(UserError) as caught:
            self.good.unlink()
        self.assertIn("cannot be deleted", str(caught.exception))
        extra = self.Condition.create({"name": "Returned", "code": "returned"})
        extra.unlink()
        self.assertFalse(extra.exists())

    def test_access_rights(self):
        conditions = self.Condition.with_user(self.stock_user).search([])
        self.assertIn(self.good, conditions)
        with self.assertRaises(AccessError):
            self.Condition.with_user(self.stock_user).create(
                {"name": "Returned", "code": "returned"}
            )
        with self.assertRaises(AccessError):
            self.damaged.with_user(self.stock_user).write({"is_available": True})
        created = self.Condition.with_user(self.balance_manager).create(
            {"name": "Returned", "code": "returned"}
        )
        self.assertFalse(created.is_available)

    def test_groups_and_menus(self):
        manager_group = self.env.ref(
            "inventory_balance.group_inventory_balance_manager"
        )
        user_group = self.env.ref("inventory_balance.group_inventory_balance_user")
        self.assertIn(user_group, manager_group.all_implied_ids)
        self.assertTrue(self.balance_manager.has_group("stock.group_stock_user"))
        menu = self.env.ref("inventory_balance.inventory_condition_menu")
        visible = (
            self.env["ir.ui.menu"].with_user(self.balance_manager)._visible_menu_ids()
        )
        self.assertIn(menu.id, visible)
        hidden = self.env["ir.ui.menu"].with_user(self.stock_user)._visible_menu_ids()
        self.assertNotIn(menu.id, hidden)
