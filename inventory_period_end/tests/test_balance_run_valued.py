# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from .common import BalanceRunCaseMixin


@tagged("post_install", "-at_install")
class TestBalanceRunValued(BalanceRunCaseMixin, TransactionCase):
    """The run's valuation summary (per warehouse and category, at the costs
    of the period end) and rule g against the stock valuation account."""

    # ------------------------------------------------ valuation summary
    def test_valuation_summary(self):
        category = self.p1.categ_id
        self.assertEqual(self.products.categ_id, category)
        run = self._report()
        # Internal: P1 53 + 15 + 38 at 10, P2 18 + 20 at 0, P3 19 at 2.5;
        # transit (outside any warehouse): P1 10 at 10.
        self.assertEqual(
            run.valuation_summary(),
            [
                {
                    "warehouse_id": self.warehouse.id,
                    "categ_id": category.id,
                    "quantity": 163.0,
                    "value": 1107.5,
                },
                {
                    "warehouse_id": False,
                    "categ_id": category.id,
                    "quantity": 10.0,
                    "value": 100.0,
                },
            ],
        )
        self.assertEqual(run.total_value, 1207.5)
        # At a past period end (P1 100 + 40, P2 30 + 20 received), at the
        # costs of then: Odoo records the initial cost (0) at creation and
        # the change to 10 now; a cost of 8 recorded 59 days ago.
        past = self._report(date=self._days_ago(48))
        self.assertEqual(
            [(row["quantity"], row["value"]) for row in past.valuation_summary()],
            [(190.0, 0.0)],
        )
        self.env["product.value"].create(
            {
                "product_id": self.p1.id,
                "company_id": self.company.id,
                "value": 8,
                "date": self._days_ago(59),
            }
        )
        past = self._report(date=self._days_ago(48))
        self.assertEqual(
            [(row["quantity"], row["value"]) for row in past.valuation_summary()],
            [(190.0, 1120.0)],
        )

    # ---------------------------------------- (g) valuation vs accounts
    def test_valuation_account(self):
        self.assertEqual(self.company.inventory_valuation, "periodic")
        account = self.company.account_stock_valuation_id
        before = self._checksums()
        run = self.Run.create({"check_valuation": True, "mode": "balance"})
        run.action_run()
        self.assertEqual(self._checksums(), before)
        # Nothing is posted in periodic valuation until Odoo's closing: the
        # account holds nothing, the stock is worth P1 (106 + 10 in transit)
        # x 10 + P3 19 x 2.5 (Odoo values the company's transit locations).
        line = run.line_ids
        self.assertEqual(line.rule_code, "valuation_account")
        self.assertEqual(line.account_id, account)
        self.assertEqual((line.expected, line.found), (1207.5, 0))
        self.assertEqual(line.value_impact, -1207.5)
        self.assertEqual(line.action, "proposed")
        # A scoped run does not look at the company's accounts.
        scoped = self._report(check_valuation=True)
        self.assertEqual(scoped.line_count, 0)
        with self.assertRaises(AccessError):
            run.with_user(self.manager).action_apply_corrections()
        self.manager.group_ids += self.env.ref("account.group_account_manager")
        run.with_user(self.manager).action_apply_corrections()
        entry = run.sudo().account_move_ids
        self.assertEqual(entry.state, "posted")
        self.assertEqual(run.line_ids.action, "taken")
        self.assertEqual(
            run.line_ids.message, "Closing entry posted to the stock valuation account"
        )
        self.assertAlmostEqual(
            self.company.stock_accounting_value()[account], 1207.5, places=2
        )
        again = self.Run.create({"check_valuation": True})
        again.action_run()
        self.assertEqual(again.line_count, 0, again.counts_summary)
