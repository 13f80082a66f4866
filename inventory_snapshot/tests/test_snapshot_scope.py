# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Snapshots resolve their scope through the suite's one resolver
(``inventory.scope``), as the run, the sheet and adjustments do."""

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.inventory_balance.tests.scope_scenario import ScopeScenarioMixin

MISSING = 987654321


@tagged("post_install", "-at_install")
class TestSnapshotScope(ScopeScenarioMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_scope_scenario()
        cls.Snapshot = cls.env["inventory.snapshot"]

    def test_snapshot_goes_through_the_resolver(self):
        with self.spy_scope() as calls:
            snapshot = self.Snapshot.browse(
                self.Snapshot.take_snapshot(
                    "Scope snapshot",
                    location_ids=self.bin1.ids,
                    categ_ids=self.categ_root.ids,
                )
            )
        self.assertTrue(calls)
        scope = calls[0][2]
        self.assertTrue(all(call[2] == scope for call in calls))
        self.assertEqual(scope.location_roots, (self.bin1.id,))
        # every product of the categories (archived ones too), stock under
        # bin 1 only (not the 11 in bin 2, nor the other category's 13)
        self.assertEqual(
            {
                (line.product_id, line.location_id, line.on_hand)
                for line in snapshot.line_ids
            },
            {
                (self.p_root, self.bin1, 5),
                (self.p_child, self.bin1, 7),
                (self.p_child, self.bin1a, 3),
                (self.p_archived, self.bin1a, 2),
            },
        )
        self.assertLessEqual(
            set(snapshot.line_ids.location_id.ids), set(scope.location_ids)
        )
        self.assertLessEqual(
            set(snapshot.line_ids.product_id.ids), set(scope.product_ids)
        )

    def test_snapshot_scope_ids_checked(self):
        with self.assertRaisesRegex(
            UserError, f"^categ_ids: no product category with id {MISSING} exists"
        ):
            self.Snapshot.take_snapshot("Scope missing", categ_ids=[MISSING])
        with self.assertRaisesRegex(
            UserError,
            f"^warehouse_ids: the warehouse with id {self.warehouse_b.id} is not",
        ):
            self.Snapshot.take_snapshot("Scope B", warehouse_ids=self.warehouse_b.ids)
        # of its own company: accepted
        self.Snapshot.take_snapshot(
            "Scope B own",
            company_id=self.company_b.id,
            warehouse_ids=self.warehouse_b.ids,
        )
