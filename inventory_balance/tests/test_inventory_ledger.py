# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import LedgerScenarioMixin

METHODS = ("ledger", "quants", "checkpoint")


@tagged("post_install", "-at_install")
class TestInventoryLedger(LedgerScenarioMixin, TransactionCase):
    """The engine equals live quants now and Odoo's own quantity in the past,
    whatever the path (ledger, quants roll-back, checkpoint)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ledger_scenario()

    def test_now_equals_live_quants_by_every_method(self):
        self.Checkpoint.build_checkpoint(self._days_ago(28), self.company.id)
        expected = self._quants()
        self.assertEqual(
            expected[self.p3.id, self.bin1.id, False], 19
        )  # 24 - 5, dozens
        self.assertEqual(expected[self.p1.id, self.transit.id, False], 10)
        for method in METHODS:
            self.assertEqual(self._balances(method=method), expected, method)

    def test_past_dates_equal_native_and_each_other(self):
        self.Checkpoint.build_checkpoint(self._days_ago(33), self.company.id)
        for days in (58, 42, 27, 12, 1):
            at = self._days_ago(days)
            answers = {}
            for method in ("ledger", "quants"):
                answers[method] = self._balances(at, method=method)
            if days < 33:
                answers["checkpoint"] = self._balances(at, method="checkpoint")
            first = answers["ledger"]
            for method, answer in answers.items():
                self.assertEqual(answer, first, f"{method} at {days} days")
            per_product = self._balances(at, group_by=["product"])
            internal = self._balances(
                at,
                group_by=["product"],
                location_ids=self.warehouse.view_location_id.ids,
            )
            for product in self.products.with_context(to_date=at):
                self.assertAlmostEqual(
                    internal.get((product.id,), 0.0),
                    product.qty_available,
                    msg=f"{product.name} at {days} days",
                )
                total = sum(q for k, q in first.items() if k[0] == product.id)
                self.assertAlmostEqual(per_product.get((product.id,), 0.0), total)

    def test_children_and_location_filter(self):
        at = self._days_ago(18)
        bin2 = self._balances(
            at, group_by=["product", "location"], location_ids=self.bin2.ids
        )
        self.assertEqual(
            bin2,
            {
                (self.p1.id, self.bin2.id): 15,
                (self.p1.id, self.bin2a.id): 48,
                (self.p2.id, self.bin2.id): 20,
            },
        )
        stock = self._balances(at, group_by=["product"], location_ids=self.stock.ids)
        self.assertEqual(stock[self.p1.id,], 100 + 40 - 35 + 8)

    def test_lots(self):
        rows = self._balances(group_by=["lot"], product_ids=self.p2.ids)
        self.assertEqual(rows, {(self.lot_a.id,): 18, (self.lot_b.id,): 20})
        only_b = self._balances(group_by=["product"], lot_ids=self.lot_b.ids)
        self.assertEqual(only_b, {(self.p2.id,): 20})

    def test_backdated_move_makes_checkpoint_stale(self):
        checkpoint = self.Checkpoint.browse(
            self.Checkpoint.build_checkpoint(self._days_ago(20), self.company.id)
        )
        self.assertEqual(checkpoint.state, "valid")
        self.assertTrue(checkpoint.line_count)
        self._move(self.p1, self.supplier, self.bin1, 7, self._days_ago(35))
        self.assertEqual(checkpoint.state, "stale")
        at = self._days_ago(15)
        self.assertEqual(
            self._balances(at), self._balances(at, method="ledger"), "auto skips stale"
        )
        with self.assertRaises(UserError):
            self._balances(at, method="checkpoint")
        checkpoint.action_rebuild()
        rebuilt = self.Checkpoint.search([("moment", "=", checkpoint.moment)])
        self.assertEqual(rebuilt.state, "valid")
        self.assertEqual(
            self._balances(at, method="checkpoint"), self._balances(at, method="ledger")
        )

    def test_checkpoint_rows_vacuumed_and_analyzed_after_each_checkpoint(self):
        """The table of checkpoint rows asks autovacuum to vacuum and analyze it
        after each checkpoint's rows, not after a fifth of the table."""
        self.env.cr.execute(
            "SELECT reloptions FROM pg_class "
            "WHERE relname = 'inventory_ledger_checkpoint_line'"
        )
        options = set(self.env.cr.fetchone()[0] or [])
        self.assertTrue(
            {
                "autovacuum_vacuum_insert_threshold=10000",
                "autovacuum_vacuum_insert_scale_factor=0",
                "autovacuum_analyze_threshold=10000",
                "autovacuum_analyze_scale_factor=0",
            }
            <= options,
            options,
        )

    def test_chained_checkpoints(self):
        first = self.Checkpoint.browse(
            self.Checkpoint.build_checkpoint(self._days_ago(52), self.company.id)
        )
        second = self.Checkpoint.browse(
            self.Checkpoint.build_checkpoint(self._days_ago(22), self.company.id)
        )
        self.assertEqual(second.previous_id, first)
        for days in (22, 21, 3):
            at = self._days_ago(days)
            self.assertEqual(
                self._balances(at, method="checkpoint"),
                self._balances(at, method="ledger"),
            )

    def test_nearest_checkpoint_before_or_after(self):
        early = self.Checkpoint.browse(
            self.Checkpoint.build_checkpoint(self._days_ago(52), self.company.id)
        )
        late = self.Checkpoint.browse(
            self.Checkpoint.build_checkpoint(self._days_ago(22), self.company.id)
        )
        company = self.company.ids
        for days, nearest in (
            (58, early),
            (40, early),
            (27, late),
            (24, late),
            (3, late),
        ):
            at = self._days_ago(days)
            self.assertEqual(self.Checkpoint._nearest_valid(at, company), nearest, days)
            # The lines after ``at`` up to a later checkpoint are taken back.
            self.assertEqual(
                self._balances(at, method="checkpoint"),
                self._balances(at, method="ledger"),
                f"{days} days ago",
            )
        # When the last change of a balance is asked, only earlier ones serve.
        self.assertEqual(
            self.Checkpoint._nearest_valid(self._days_ago(27), company, later=False),
            early,
        )
        self.assertFalse(
            self.Checkpoint._nearest_valid(self._days_ago(58), company, later=False)
        )
        late.state = "stale"
        self.assertEqual(
            self.Checkpoint._nearest_valid(self._days_ago(24), company), early
        )

    def test_checkpoint_of_one_company_only(self):
        """A company without checkpoint is summed from its whole ledger, even
        for lines older than the other company's checkpoint."""
        company_b = self.env["res.company"].create({"name": "Ledger Company C"})
        stock_b = (
            self.env["stock.warehouse"]
            .search([("company_id", "=", company_b.id)], limit=1)
            .lot_stock_id
        )
        move = (
            self.env["stock.move"]
            .with_company(company_b)
            .create(
                {
                    "product_id": self.p1.id,
                    "product_uom_qty": 4,
                    "location_id": self.supplier.id,
                    "location_dest_id": stock_b.id,
                    "company_id": company_b.id,
                }
            )
        )
        move._action_confirm()
        move.quantity = 4
        move.picked = True
        move._action_done()
        move.move_line_ids.date = self._days_ago(40)
        self.Checkpoint.build_checkpoint(self._days_ago(30), self.company.id)
        self.env.user.company_ids |= company_b
        companies = [self.company.id, company_b.id]
        for days in (35, 25, 0):
            at = self._days_ago(days) if days else None
            by_checkpoint = self._balances(
                at, method="checkpoint", company_ids=companies
            )
            self.assertEqual(
                by_checkpoint,
                self._balances(at, method="ledger", company_ids=companies),
            )
            self.assertEqual(by_checkpoint[self.p1.id, stock_b.id, False], 4)

    def test_multi_company(self):
        company_b = self.env["res.company"].create({"name": "Ledger Company B"})
        stock_b = (
            self.env["stock.warehouse"]
            .search([("company_id", "=", company_b.id)], limit=1)
            .lot_stock_id
        )
        self.env["stock.move"].with_company(company_b).create(
            {
                "product_id": self.p1.id,
                "product_uom_qty": 9,
                "location_id": self.supplier.id,
                "location_dest_id": stock_b.id,
                "company_id": company_b.id,
            }
        )._action_confirm()
        move_b = self.env["stock.move"].search([("location_dest_id", "=", stock_b.id)])
        move_b.quantity = 9
        move_b.picked = True
        move_b._action_done()
        mine = self._balances(
            group_by=["location"], product_ids=self.p1.ids, company_ids=self.company.ids
        )
        self.assertNotIn((stock_b.id,), mine)
        self.assertIn((self.bin1.id,), mine)
        user_a = new_test_user(
            self.env,
            login="ledger_a",
            groups="stock.group_stock_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        both = self.Ledger.with_user(user_a).balances_at(
            group_by=["location"],
            product_ids=self.p1.ids,
            company_ids=[self.company.id, company_b.id],
        )
        self.assertNotIn(stock_b.id, [r["location_id"] for r in both], "not allowed")
        self.assertIn(self.bin1.id, [r["location_id"] for r in both])
        user_b = new_test_user(
            self.env,
            login="ledger_b",
            groups="stock.group_stock_user",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        rows = self.Ledger.with_user(user_b).balances_at(
            product_ids=self.p1.ids, group_by=["location"]
        )
        self.assertEqual(rows, [{"location_id": stock_b.id, "quantity": 9.0}])

    def test_bad_input(self):
        with self.assertRaises(UserError):
            self.Ledger.balances_at(fields.Datetime.now() + timedelta(days=2))
        with self.assertRaises(UserError):
            self.Ledger.balances_at("not a date")
        with self.assertRaises(UserError):
            self.Ledger.balances_at(group_by=["colour"])
        with self.assertRaises(UserError):
            self.Ledger.balances_at(method="magic")
        # ids that do not exist: named, never an empty answer
        with self.assertRaisesRegex(UserError, "product_ids: .* id 999999999 exists"):
            self.Ledger.balances_at(product_ids=[999999999])
        with self.assertRaisesRegex(UserError, "company_ids: .* id 999999999 exists"):
            self.Ledger.balances_at(company_ids=[999999999])
        with self.assertRaises(UserError):
            self.Ledger.movements(self._days_ago(1), self._days_ago(5))

    def test_access_rights(self):
        nobody = new_test_user(
            self.env, login="ledger_nobody", groups="base.group_user"
        )
        with self.assertRaises(AccessError):
            self.Ledger.with_user(nobody).balances_at()
        with self.assertRaises(AccessError):
            self.Ledger.with_user(nobody).movements()
        stock_user = new_test_user(
            self.env, login="ledger_stock_user", groups="stock.group_stock_user"
        )
        rows = self.Ledger.with_user(stock_user).balances_at(product_ids=self.p3.ids)
        self.assertEqual(sum(r["quantity"] for r in rows), 19)
        with self.assertRaises(AccessError):
            self.Checkpoint.with_user(stock_user).build_checkpoint(self._days_ago(3))

    def test_movements_by_kind(self):
        rows = self.Ledger.movements(
            self._days_ago(61),
            None,
            group_by=["product", "kind"],
            product_ids=self.products.ids,
        )
        flows = {(r["product_id"], r["kind"]): r["quantity"] for r in rows}
        p1, p2, p3 = self.p1.id, self.p2.id, self.p3.id
        self.assertEqual(flows[p1, "receipt"], 140)
        self.assertEqual(flows[p1, "delivery"], -35)
        self.assertEqual(flows[p1, "transfer"], 0)
        self.assertEqual(flows[p1, "production_in"], 8)
        self.assertEqual(flows[p1, "transit_out"], 0)  # bin -10, transit +10
        self.assertEqual(flows[p1, "return"], 3)
        self.assertEqual(flows[p2, "production_out"], -12)
        self.assertEqual(flows[p3, "receipt"], 24)
        transfer = next(
            r for r in rows if (r["product_id"], r["kind"]) == (p1, "transfer")
        )
        self.assertEqual((transfer["quantity_in"], transfer["quantity_out"]), (15, 15))
        # Balance at the end = balance at the start + the period's flows.
        start, end = self._days_ago(33), self._days_ago(2)
        period = self.Ledger.movements(
            start, end, group_by=["product"], product_ids=[p1]
        )
        before = self._balances(start, group_by=["product"], product_ids=[p1])
        after = self._balances(end, group_by=["product"], product_ids=[p1])
        self.assertEqual(before[p1,] + period[0]["quantity"], after[p1,])

    def test_scrap_and_adjustment_are_told_apart(self):
        quant = self.env["stock.quant"].search(
            [("product_id", "=", self.p3.id), ("location_id", "=", self.bin1.id)]
        )
        quant.with_context(inventory_mode=True).inventory_quantity = 17
        quant.action_apply_inventory()
        scrap = self.env["stock.scrap"].create(
            {"product_id": self.p3.id, "scrap_qty": 4, "location_id": self.bin1.id}
        )
        scrap.action_validate()
        rows = self.Ledger.movements(
            self._days_ago(1), None, group_by=["kind"], product_ids=self.p3.ids
        )
        self.assertEqual(
            {r["kind"]: r["quantity"] for r in rows}, {"adjustment": -2, "scrap": -4}
        )
        self.assertEqual(self._balances(method="ledger"), self._quants())
