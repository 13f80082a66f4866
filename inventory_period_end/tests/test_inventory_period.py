# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestInventoryPeriod(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Period = cls.env["inventory.period"]
        cls.company_b = cls.env["res.company"].create({"name": "Period Company B"})
        cls.user = new_test_user(
            cls.env,
            login="period_user",
            groups="inventory_period_end.group_inventory_period_end_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="period_manager",
            groups="inventory_period_end.group_inventory_period_end_manager",
        )
        cls.may = cls.Period.create(
            {"name": "May", "date_from": date(2026, 5, 1), "date_to": date(2026, 5, 31)}
        )

    def test_end_before_start_refused(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.Period.create(
                {
                    "name": "Backwards",
                    "date_from": date(2026, 7, 31),
                    "date_to": date(2026, 7, 1),
                }
            )
            self.env.flush_all()

    def test_overlap_refused_within_a_company(self):
        with self.assertRaises(ValidationError) as caught:
            self.Period.create(
                {
                    "name": "Mid-May",
                    "date_from": date(2026, 5, 15),
                    "date_to": date(2026, 6, 15),
                }
            )
        self.assertIn("overlaps May", str(caught.exception))
        june = self.Period.create(
            {
                "name": "June",
                "date_from": date(2026, 6, 1),
                "date_to": date(2026, 6, 30),
            }
        )
        self.assertEqual(june.state, "open")
        other = self.Period.create(
            {
                "name": "May B",
                "company_id": self.company_b.id,
                "date_from": date(2026, 5, 1),
                "date_to": date(2026, 5, 31),
            }
        )
        self.assertEqual(other.company_id, self.company_b)

    def test_rights_and_companies(self):
        other = self.Period.create(
            {
                "name": "May B",
                "company_id": self.company_b.id,
                "date_from": date(2026, 5, 1),
                "date_to": date(2026, 5, 31),
            }
        )
        visible = self.Period.with_user(self.user).search([])
        self.assertIn(self.may, visible)
        self.assertNotIn(other, visible)
        with self.assertRaises(AccessError):
            self.Period.with_user(self.user).create(
                {
                    "name": "July",
                    "date_from": date(2026, 7, 1),
                    "date_to": date(2026, 7, 31),
                }
            )
        july = self.Period.with_user(self.manager).create(
            {
                "name": "July",
                "date_from": date(2026, 7, 1),
                "date_to": date(2026, 7, 31),
            }
        )
        self.assertTrue(
            self.manager.has_group("inventory_snapshot.group_inventory_snapshot_create")
        )
        self.assertEqual(july.company_id, self.env.company)
