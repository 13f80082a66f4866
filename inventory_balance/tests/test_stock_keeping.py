# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestStockKeeping(TransactionCase):
    """Activate stock keeping (Track Inventory) for many products at once:
    goods are activated, what Odoo forbids is refused with a reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Template = cls.env["product.template"]
        cls.consu1 = Template.create({"name": "Keeping consu 1", "type": "consu"})
        cls.consu2 = Template.create({"name": "Keeping consu 2", "type": "consu"})
        cls.consu3 = Template.create({"name": "Keeping consu 3", "type": "consu"})
        cls.storable = Template.create(
            {"name": "Keeping storable", "type": "consu", "is_storable": True}
        )
        cls.service = Template.create({"name": "Keeping service", "type": "service"})
        combo = cls.env["product.combo"].create(
            {
                "name": "Keeping combo choice",
                "combo_item_ids": [
                    Command.create({"product_id": cls.consu3.product_variant_id.id})
                ],
            }
        )
        cls.combo = Template.create(
            {
                "name": "Keeping combo",
                "type": "combo",
                "combo_ids": [Command.link(combo.id)],
            }
        )

    def test_consumables_activated_service_refused(self):
        templates = self.consu1 | self.service | self.consu2 | self.storable
        result = templates.activate_stock_keeping()
        self.assertCountEqual(result["activated"], (self.consu1 | self.consu2).ids)
        self.assertEqual(result["already_active"], self.storable.ids)
        self.assertEqual(len(result["refused"]), 1)
        refused = result["refused"][0]
        self.assertEqual(refused["id"], self.service.id)
        self.assertEqual(refused["name"], "Keeping service")
        self.assertIn("service", refused["reason"])
        self.assertTrue(self.consu1.is_storable)
        self.assertTrue(self.consu2.is_storable)
        self.assertFalse(self.service.is_storable)
        # A second run changes nothing.
        again = templates.activate_stock_keeping()
        self.assertEqual(again["activated"], [])
        self.assertCountEqual(
            again["already_active"], (self.consu1 | self.consu2 | self.storable).ids
        )

    def test_combo_and_missing_refused(self):
        missing_id = self.env["product.template"].search([], order="id desc", limit=1)
        missing_id = missing_id.id + 1000
        result = (
            self.env["product.template"]
            .browse([self.combo.id, self.consu3.id, missing_id])
            .activate_stock_keeping()
        )
        self.assertEqual(result["activated"], self.consu3.ids)
        self.assertEqual(
            [(row["id"], row["name"]) for row in result["refused"]],
            [(self.combo.id, "Keeping combo"), (missing_id, False)],
        )
        self.assertIn("combo", result["refused"][0]["reason"])
        self.assertFalse(self.combo.is_storable)

    def test_failing_write_is_refused_the_others_applied(self):
        """A write Odoo refuses for one product is rolled back for that one
        only; its message is the reason."""
        Template = type(self.env["product.template"])
        reset_inventory = Template._reset_inventory
        bad = self.consu2

        def _reset_inventory(templates):
            if bad in templates:
                raise UserError(templates.env._("This one cannot be stocked"))
            return reset_inventory(templates)

        self.patch(Template, "_reset_inventory", _reset_inventory)
        templates = self.consu1 | self.consu2 | self.consu3 | self.service
        result = templates.activate_stock_keeping()
        self.assertCountEqual(result["activated"], (self.consu1 | self.consu3).ids)
        reasons = {row["id"]: row["reason"] for row in result["refused"]}
        self.assertEqual(set(reasons), {self.consu2.id, self.service.id})
        self.assertEqual(reasons[self.consu2.id], "This one cannot be stocked")
        self.assertTrue(self.consu1.is_storable)
        self.assertFalse(self.consu2.is_storable)
        self.assertTrue(self.consu3.is_storable)

    def test_variants_and_notification(self):
        products = (
            self.consu1 | self.service | self.consu2
        ).product_variant_ids.with_context(active_test=False)
        result = products.activate_stock_keeping()
        self.assertCountEqual(
            result["activated"],
            (self.consu1 | self.consu2).product_variant_ids.ids,
        )
        self.assertEqual(
            [row["id"] for row in result["refused"]],
            self.service.product_variant_ids.ids,
        )
        self.assertTrue(self.consu1.product_variant_id.is_storable)
        action = (
            self.consu3 | self.service
        ).product_variant_ids.action_activate_stock_keeping()
        params = action["params"]
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(params["type"], "warning")
        self.assertIn("Keeping service", params["message"])
        self.assertTrue(self.consu3.is_storable)

    def test_server_action(self):
        server_action = self.env.ref(
            "inventory_balance.product_template_action_activate_stock_keeping"
        )
        action = server_action.with_context(
            active_model="product.template",
            active_ids=(self.consu1 | self.consu2).ids,
        ).run()
        self.assertEqual(action["params"]["type"], "success")
        self.assertTrue(self.consu1.is_storable)
        self.assertTrue(self.consu2.is_storable)

    def test_needs_write_access(self):
        stock_user = new_test_user(
            self.env, login="keeping_stock_user", groups="stock.group_stock_user"
        )
        with self.assertRaises(AccessError):
            self.consu1.with_user(stock_user).activate_stock_keeping()
        self.assertFalse(self.consu1.is_storable)
