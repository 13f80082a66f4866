# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestInventorySnapshot(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Snapshot = cls.env["inventory.snapshot"]
        cls.company_b = cls.env["res.company"].create({"name": "Snapshot Company B"})
        cls.reader = new_test_user(
            cls.env,
            login="snap_reader",
            groups="inventory_snapshot.group_inventory_snapshot_read",
        )
        cls.creator = new_test_user(
            cls.env,
            login="snap_creator",
            groups="inventory_snapshot.group_inventory_snapshot_create",
        )
        cls.manager = new_test_user(
            cls.env,
            login="snap_manager",
            groups="inventory_snapshot.group_inventory_snapshot_manager",
        )
        cls.stock_user = new_test_user(
            cls.env, login="snap_stock_user", groups="stock.group_stock_user"
        )

    def test_future_moment_refused(self):
        # the constraint holds on the trusted path too
        with self.assertRaises(ValidationError) as caught:
            self.Snapshot._trusted().create(
                {
                    "name": "Tomorrow",
                    "moment": fields.Datetime.now() + timedelta(days=1),
                }
            )
        self.assertIn("future", str(caught.exception))
        past = self.Snapshot.browse(
            self.Snapshot.take_snapshot(
                "Last week", moment=fields.Datetime.now() - timedelta(days=7)
            )
        )
        self.assertEqual(past.trigger, "manual")
        self.assertEqual(past.user_id, self.env.user)

    def test_rights(self):
        snapshot = self.Snapshot.browse(
            self.Snapshot.with_user(self.creator).take_snapshot("By creator")
        )
        self.assertEqual(snapshot.user_id, self.creator)
        self.assertEqual(
            self.Snapshot.with_user(self.reader).search([("id", "=", snapshot.id)]),
            snapshot,
        )
        with self.assertRaises(AccessError):
            self.Snapshot.with_user(self.reader).create({"name": "By reader"})
        # taken, never created field by field (issue 22)
        with self.assertRaises(UserError):
            self.Snapshot.with_user(self.creator).create({"name": "By creator"})
        with self.assertRaises(AccessError):
            snapshot.with_user(self.creator).unlink()
        with self.assertRaises(AccessError):
            self.Snapshot.with_user(self.stock_user).search([])
        snapshot.with_user(self.manager).unlink()
        self.assertFalse(snapshot.exists())

    def test_multi_company(self):
        other = self.Snapshot._take("Company B", company=self.company_b)
        mine = self.Snapshot.browse(self.Snapshot.take_snapshot("Company A"))
        found = self.Snapshot.with_user(self.manager).search([])
        self.assertIn(mine, found)
        self.assertNotIn(other, found)

    def test_chatter_tracks_the_name(self):
        snapshot = self.Snapshot.browse(self.Snapshot.take_snapshot("Before"))
        self.env.cr.precommit.run()  # end of the creating transaction
        snapshot.name = "After"
        self.env.cr.precommit.run()  # tracking values are written at commit
        tracked = snapshot.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "name"
        )
        self.assertEqual(tracked.old_value_char, "Before")
        self.assertEqual(tracked.new_value_char, "After")
