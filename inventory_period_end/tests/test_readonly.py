# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Period-end reads run read-only (issue 18): the ageing and a balance run's
counts, valuation summary and export are ``@api.readonly`` and work on a
read-only cursor, where PostgreSQL refuses any write as a hot standby does;
running, correcting and closing stay on the primary."""

from odoo import fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.inventory_balance.tests.readonly import (
    ReadOnlyCaseMixin,
    is_readonly_method,
)

from .common import BalanceRunMixin

READ_ONLY_METHODS = (
    ("inventory.ageing", "ageing_at"),
    ("inventory.ageing.report", "web_search_read"),
    ("inventory.ageing.report", "web_read_group"),
    ("inventory.balance.run", "get_counts"),
    ("inventory.balance.run", "valuation_summary"),
    ("inventory.balance.run", "export_xlsx"),
)
READ_WRITE_METHODS = (
    ("inventory.balance.run", "start_report"),
    ("inventory.balance.run", "action_run"),
    ("inventory.balance.run", "apply_corrections"),
    ("inventory.balance.run", "action_export_xlsx"),
    ("inventory.period", "close_period"),
    ("inventory.period", "generate_periods"),
)


@tagged("post_install", "-at_install")
class TestPeriodEndReadOnly(BalanceRunMixin, ReadOnlyCaseMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_balance_run()

    def test_reads_are_readonly_writes_are_not(self):
        for model, method in READ_ONLY_METHODS:
            with self.subTest(model=model, method=method):
                self.assertTrue(is_readonly_method(self.env, model, method))
        for model, method in READ_WRITE_METHODS:
            with self.subTest(model=model, method=method):
                self.assertFalse(is_readonly_method(self.env, model, method))

    def test_ageing_on_a_read_only_cursor(self):
        at = fields.Datetime.to_string(self._days_ago(12))
        domain = [("product_id", "in", self.products.ids)]
        spec = {"product_id": {}, "bucket_id": {}, "quantity": {}, "age_days": {}}

        def read(env):
            Report = env["inventory.ageing.report"]
            return [
                env["inventory.ageing"].ageing_at(product_ids=self.products.ids),
                env["inventory.ageing"].ageing_at(at, product_ids=self.products.ids),
                Report.web_search_read(domain, spec),
                Report.with_context(inventory_at=at).web_read_group(
                    domain, ["bucket_id"], ["quantity:sum"]
                ),
            ]

        expected = read(self.env)
        self.assertTrue(expected[0]["rows"])
        self.assertTrue(expected[2]["records"])
        with self.read_only_env() as env:
            self.assertReadOnlyCursorRefusesWrites(env)
            self.assertEqual(read(env), expected)

    def test_balance_run_reads_on_a_read_only_cursor(self):
        run = self._report()
        expected = (run.get_counts(), run.valuation_summary())
        self.assertTrue(run.export_xlsx()["content"])
        with self.read_only_env() as env:
            ro_run = env["inventory.balance.run"].browse(run.id)
            self.assertEqual(
                (ro_run.get_counts(), ro_run.valuation_summary()), expected
            )
            export = ro_run.export_xlsx()
            self.assertTrue(export["content"])
            self.assertEqual(export["filename"], f"{run.name.replace('/', '-')}.xlsx")
