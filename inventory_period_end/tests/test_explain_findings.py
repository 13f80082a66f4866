# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import BalanceRunMixin


def _explained_total(test, action):
    """Opening + lines of an explain action, checking the running balance."""
    rows = (
        test.env[action["res_model"]]
        .with_context(**action["context"])
        .search(action["domain"])
    )
    test.assertEqual(rows[:1].sequence, 0)
    running = 0.0
    for row in rows:
        running += row.quantity
        test.assertAlmostEqual(row.running_balance, running, places=6)
    return running


@tagged("post_install", "-at_install")
class TestExplainFindings(BalanceRunMixin, TransactionCase):
    """A balance run's finding opens its two sides: the lines behind the
    expected (ledger) figure and the quants behind the found one; an aged
    inventory bucket opens the incoming lines the FIFO rule kept in it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_balance_run()
        # a checkpoint under the run's moment, and a lot line at its moment
        cls._move(cls.p2, cls.supplier, cls.bin2a, 6, cls._days_ago(30), lot=cls.lot_b)
        cls.Checkpoint.build_checkpoint(cls._days_ago(30))

    def _corrupt(self, product, location, lot=None, delta=7):
        quant = self.env["stock.quant"].search(
            [
                ("product_id", "=", product.id),
                ("location_id", "=", location.id),
                ("lot_id", "=", lot.id if lot else False),
            ],
            limit=1,
        )
        self.assertTrue(quant)
        # a broken database: the quant no longer matches its lines
        self._sql(
            "UPDATE stock_quant SET quantity = quantity + %s WHERE id = %s",
            delta,
            quant.id,
        )

    def test_finding_sides(self):
        self._corrupt(self.p1, self.bin1)
        self._corrupt(self.p2, self.bin2a, self.lot_b, delta=-3)
        self._corrupt(self.p1, self.bin2a, delta=2)
        run = self._report()
        findings = run.line_ids.filtered(lambda line: line.rule_code == "quant_ledger")
        self.assertEqual(len(findings), 3, run.counts_summary)
        for finding in findings:
            with self.subTest(finding=finding.location_id.name):
                action = finding.action_explain()
                self.assertIn(finding.product_id.display_name, action["name"])
                self.assertAlmostEqual(
                    _explained_total(self, action), finding.expected, places=6
                )
                rows = (
                    self.env[action["res_model"]]
                    .with_context(**action["context"])
                    .search([("sequence", "=", 1)])
                )
                # the finding's location alone, never its children
                self.assertLessEqual(rows.location_id, finding.location_id)
                quants = self.env["stock.quant"].search(
                    finding.action_explain_quant()["domain"]
                )
                self.assertAlmostEqual(
                    sum(quants.mapped("quantity")), finding.found, places=6
                )

    def test_finding_in_the_past(self):
        self._corrupt(self.p1, self.bin1)
        run = self._report(date=self._days_ago(20))
        finding = run.line_ids.filtered(lambda line: line.rule_code == "quant_ledger")
        self.assertEqual(len(finding), 1)
        action = finding.action_explain()
        self.assertEqual(
            action["context"]["inventory_explain"]["at"],
            fields.Datetime.to_string(run.ended_at),
        )
        self.assertAlmostEqual(_explained_total(self, action), finding.expected)

    def test_finding_without_place(self):
        finding = self.env["inventory.balance.run.line"].new(
            {"rule_code": "quant_ledger", "product_id": self.p1.id}
        )
        with self.assertRaises(UserError):
            finding.action_explain()

    def test_aged_bucket_lines(self):
        at = fields.Datetime.to_string(self._days_ago(2))
        Report = self.env["inventory.ageing.report"].with_context(inventory_at=at)
        rows = Report.search([("product_id", "in", self.products.ids)])
        figures = {
            (r["product_id"], r["warehouse_id"], r["lot_id"]): r
            for r in self.env["inventory.ageing"].ageing_at(
                at, product_ids=self.products.ids
            )["rows"]
        }
        buckets = self.env["inventory.ageing.bucket"].search([])
        self.assertTrue(rows)
        for row in rows:
            with self.subTest(row=row.id):
                action = row.action_explain_bucket()
                lines = (
                    self.env[action["res_model"]]
                    .with_context(**action["context"])
                    .search(action["domain"])
                )
                figure = figures[
                    row.product_id.id,
                    row.warehouse_id.id or False,
                    row.lot_id.id or False,
                ]["quantities"][buckets.ids.index(row.bucket_id.id)]
                self.assertAlmostEqual(sum(lines.mapped("quantity")), figure, places=6)
                for line in lines.filtered("move_line_id"):
                    self.assertLessEqual(line.quantity, line.incoming_quantity + 1e-9)
                    self.assertEqual(line.incoming_date, line.move_line_id.date)


@tagged("post_install", "-at_install")
class TestExplainFindingTour(BalanceRunMixin, HttpCase):
    """Chromium: a finding's Ledger button opens the lines behind the
    expected figure, its Quant button the quant behind the found one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_balance_run()

    def test_finding_tour(self):
        quant = self.env["stock.quant"].search(
            [("product_id", "=", self.p1.id), ("location_id", "=", self.bin1.id)]
        )
        # a broken database: the quant no longer matches its lines
        self._sql(
            "UPDATE stock_quant SET quantity = quantity + 7 WHERE id = %s", quant.id
        )
        run = self._run()
        self.assertEqual(len(run.line_ids), 1, run.counts_summary)
        self.start_tour(
            f"/odoo/action-inventory_period_end.inventory_balance_run_action/{run.id}",
            "inventory_explain_finding",
            login="admin",
        )
