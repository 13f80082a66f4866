# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import new_test_user
from odoo.tools import SQL

from odoo.addons.inventory_balance.tests.common import LedgerScenarioMixin

STOCK_TABLES = (
    "stock_quant",
    "stock_move",
    "stock_move_line",
    "stock_lot",
    "stock_package",
    "stock_location",
    "product_value",
    "inventory_adjustment",
)


class BalanceRunMixin(LedgerScenarioMixin):
    """The ledger scenario of inventory_balance (bins, a lot-tracked product,
    transit) and helpers to corrupt it the way real databases get corrupted,
    run balance runs over its products and compare the stock tables."""

    @classmethod
    def _setup_balance_run(cls):
        cls._setup_ledger_scenario()
        cls.Run = cls.env["inventory.balance.run"]
        # The receiving leg of the transfer that put 10 P1 in transit.
        cls.transit_receipt = cls.env["stock.move"].create(
            {
                "product_id": cls.p1.id,
                "product_uom": cls.unit.id,
                "product_uom_qty": 10,
                "location_id": cls.transit.id,
                "location_dest_id": cls.bin1.id,
                "company_id": cls.company.id,
            }
        )
        cls.transit_receipt._action_confirm()
        cls.p1.standard_price = 10.0
        cls.p3.standard_price = 2.5

    def _checksums(self):
        """md5 of every row of the stock tables, in id order."""
        self.env.flush_all()
        sums = {}
        for table in STOCK_TABLES:
            self.env.cr.execute(
                SQL(
                    "SELECT md5(COALESCE(string_agg(t::text, '|' ORDER BY t.id), '')) "
                    "FROM %s t",
                    SQL.identifier(table),
                )
            )
            sums[table] = self.env.cr.fetchone()[0]
        return sums

    def _run(self, **values):
        values.setdefault("product_ids", [(6, 0, self.products.ids)])
        run = self.Run.create(values)
        run.action_run()
        return run

    def _report(self, **values):
        """A report-only run, asserting that it changed no stock table."""
        before = self._checksums()
        run = self._run(**values)
        self.assertEqual(self._checksums(), before, "a report-only run changed stock")
        return run

    def _findings(self, run, code=None):
        lines = run.line_ids
        if code:
            lines = lines.filtered(lambda line: line.rule_code == code)
        return {
            (
                line.rule_code,
                line.product_id,
                line.location_id,
                line.lot_id,
            ): (line.expected, line.found, line.difference)
            for line in lines
        }

    def _sql(self, query, *args):
        """Corrupt the data as a broken database would (tests of the repair)."""
        self.env.flush_all()
        self.env.cr.execute(query, args)
        self.env.invalidate_all()

    def _quant_total(self, product, location, lot=None):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT COALESCE(SUM(quantity), 0), COUNT(*) FROM stock_quant "
            "WHERE product_id = %s AND location_id = %s "
            "AND lot_id IS NOT DISTINCT FROM %s",
            (product.id, location.id, lot.id if lot else None),
        )
        quantity, count = self.env.cr.fetchone()
        return float(quantity), count


class BalanceRunCaseMixin(BalanceRunMixin):
    """The balance run's scenario with a period-end user and manager, and the
    helpers of the correcting runs: the ``test_balance_run*`` cases."""

    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_balance_run()
        cls.user = new_test_user(
            cls.env,
            login="balance_user",
            groups="stock.group_stock_user,"
            "inventory_period_end.group_inventory_period_end_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="balance_manager",
            groups="stock.group_stock_user,"
            "inventory_period_end.group_inventory_period_end_manager",
        )

    def _period_end_adjustment(self, run):
        """The one adjustment the correcting run posted: done, with the
        reason *Period-end balance*."""
        adjustment = run.adjustment_ids
        self.assertEqual(len(adjustment), 1)
        self.assertEqual(adjustment.state, "done")
        self.assertEqual(
            adjustment.reason_id,
            self.env.ref("inventory_balance.inventory_adjustment_reason_period_end"),
        )
        return adjustment

    def _correct_and_recheck(self, run):
        """Correct a run in Balance mode, then a report-only run finds nothing."""
        run.mode = "balance"
        run.action_run()
        run.with_user(self.manager).action_apply_corrections()
        self.assertEqual(run.state, "corrected")
        self.assertFalse(run.line_ids.filtered(lambda line: line.action == "proposed"))
        again = self._report()
        self.assertEqual(again.line_count, 0, again.counts_summary)
        return run
