# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The balance run resolves its scope through the suite's one resolver
(``inventory.scope``), and the same scope gives the same locations and
products in the run, a snapshot, a sheet and an adjustment."""

from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from odoo.addons.inventory_balance.tests.scope_scenario import ScopeScenarioMixin

MISSING = 987654321


@tagged("post_install", "-at_install")
class TestBalanceRunScope(ScopeScenarioMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_scope_scenario()
        cls.Run = cls.env["inventory.balance.run"]

    def _add_to_quant(self, product, location, qty):
        """Corrupt a quant (the test is about finding corrupted data)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE stock_quant SET quantity = quantity + %s "
                "WHERE product_id = %s AND location_id = %s",
                qty,
                product.id,
                location.id,
            )
        )
        self.env.invalidate_all()

    def test_run_goes_through_the_resolver(self):
        self._add_to_quant(self.p_child, self.bin1a, 1)  # in the scope
        self._add_to_quant(self.p_child, self.bin2, 1)  # another location
        self._add_to_quant(self.p_other, self.bin1, 1)  # another category
        run = self.Run.create(
            {
                "location_ids": [Command.set(self.bin1.ids)],
                "categ_ids": [Command.set(self.categ_root.ids)],
            }
        )
        with self.spy_scope() as calls:
            run.action_run()
        self.assertTrue(calls)
        scope = calls[0][2]
        self.assertTrue(all(call[2] == scope for call in calls))
        self.assertEqual(scope.location_roots, (self.bin1.id,))
        self.assertEqual(run._scope_location_ids(), [self.bin1.id])
        # the storable products of the categories, archived ones included
        self.assertEqual(
            set(run._scope_product_ids()),
            {self.p_root.id, self.p_child.id, self.p_archived.id, self.p_company_b.id},
        )
        self.assertEqual(
            {
                (line.rule_code, line.product_id, line.location_id)
                for line in run.line_ids
            },
            {("quant_ledger", self.p_child, self.bin1a)},
        )

    def test_run_scope_ids_checked_when_run(self):
        """A scope that became wrong after the run was made (a location
        given to another company) is refused by name when it runs."""
        run = self.Run.create({"location_ids": [Command.set(self.bin2.ids)]})
        self.env.cr.execute(
            SQL(
                "UPDATE stock_location SET company_id = %s WHERE id = %s",
                self.company_b.id,
                self.bin2.id,
            )
        )
        self.env.invalidate_all()
        with self.assertRaisesRegex(
            UserError, f"^location_ids: the location with id {self.bin2.id} is not"
        ):
            run.action_run()
        with self.assertRaisesRegex(
            UserError, f"^product_ids: no product with id {MISSING} exists"
        ):
            run.write({"product_ids": [Command.link(MISSING)]})

    def test_same_scope_in_every_feature(self):
        """The run, a snapshot, a sheet and an adjustment of one scope (bin 1,
        the child category) resolve the same locations, and the products the
        resolver gives for each one's filters."""
        Scope = self.env["inventory.scope"]
        Snapshot = self.env["inventory.snapshot"]
        Adjustment = self.env["inventory.adjustment"]
        run = self.Run.create(
            {
                "location_ids": [Command.set(self.bin1.ids)],
                "categ_ids": [Command.set(self.categ_child.ids)],
            }
        )
        snapshot = Snapshot.browse(
            Snapshot.take_snapshot(
                "Same scope", location_ids=self.bin1.ids, categ_ids=self.categ_child.ids
            )
        )
        sheet = self.env["inventory.balance.sheet"].create(
            {
                "name": "Same scope",
                "category_ids": [Command.set(self.categ_child.ids)],
                "location_ids": [Command.set(self.bin1.ids)],
                "date_from": date.today().replace(day=1),
                "date_to": date.today(),
            }
        )
        adjustment = Adjustment.browse(
            Adjustment.create_draft(
                "Same scope",
                "count",
                location_id=self.bin1.id,
                categ_ids=self.categ_child.ids,
            )
        )
        features = {
            "run": run._scope(),
            "snapshot": snapshot._scope(),
            "sheet": sheet._scope(),
        }
        with self.spy_scope() as calls:
            adjustment.load_products()
        features["adjustment"] = calls[0][2]
        expected = {self.bin1.id, self.bin1a.id}
        for name, scope in features.items():
            with self.subTest(feature=name):
                self.assertEqual(set(scope.location_ids), expected)
        self.assertEqual(
            {scope.location_roots for scope in features.values()}, {(self.bin1.id,)}
        )
        # each one's product filters, as documented on its _scope()
        self.assertEqual(
            set(features["run"].product_ids),
            {self.p_child.id, self.p_archived.id, self.p_company_b.id},
        )
        self.assertEqual(
            set(features["snapshot"].product_ids),
            {
                self.p_child.id,
                self.p_consu.id,
                self.p_archived.id,
                self.p_company_b.id,
            },
        )
        self.assertEqual(features["sheet"].product_ids, (self.p_child.id,))
        self.assertEqual(set(sheet._product_ids()), {self.p_child.id})
        self.assertEqual(set(features["adjustment"].product_ids), {self.p_child.id})
        # and what each one holds is within it
        self.assertEqual(
            {(line.product_id, line.location_id) for line in adjustment.line_ids},
            {(self.p_child, self.bin1), (self.p_child, self.bin1a)},
        )
        self.assertEqual(
            {
                (line.product_id, line.location_id)
                for line in snapshot.line_ids
                if line.on_hand
            },
            {
                (self.p_child, self.bin1),
                (self.p_child, self.bin1a),
                (self.p_archived, self.bin1a),
            },
        )
        self.assertEqual(
            features["run"],
            Scope._resolve(
                self.company,
                location_ids=self.bin1,
                categ_ids=self.categ_child,
                storable=True,
            ),
        )
