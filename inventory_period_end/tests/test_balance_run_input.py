# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
from datetime import timedelta

import openpyxl

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from odoo.addons.inventory_period_end import uninstall_hook
from odoo.addons.inventory_period_end.models import (
    inventory_balance_run_checks as checks_module,
)

from .common import BalanceRunCaseMixin


@tagged("post_install", "-at_install")
class TestBalanceRunInput(BalanceRunCaseMixin, TransactionCase):
    """A run's scope, its companies, the ids and rights it takes, its
    indexes, its form for a plain user, its RPC methods and export."""

    # --------------------------------------------- scope, rights, input
    def test_scope(self):
        self._sql(
            "UPDATE stock_quant SET quantity = quantity + 1 WHERE product_id IN %s "
            "AND location_id IN %s",
            tuple(self.products.ids),
            (self.bin1.id, self.bin2.id),
        )
        everything = self._report()
        # p1, p2 (lot A) and p3 in bin 1; p1 and p2 (lot B) in bin 2.
        self.assertEqual(everything.line_count, 5)
        only_bin2 = self._report(location_ids=[(6, 0, self.bin2.ids)])
        self.assertEqual(only_bin2.line_ids.location_id, self.bin2)
        self.assertEqual(only_bin2.line_count, 2)
        only_p3 = self._report(product_ids=[(6, 0, self.p3.ids)])
        self.assertEqual(only_p3.line_ids.product_id, self.p3)
        category = self.env["product.category"].create({"name": "Balance category"})
        self.p2.categ_id = category
        by_category = self._report(categ_ids=[(6, 0, category.ids)])
        self.assertEqual(by_category.line_ids.product_id, self.p2)
        warehouse = self._report(warehouse_ids=[(6, 0, self.warehouse.ids)])
        self.assertEqual(warehouse.line_count, 5)
        elsewhere = self.env["stock.warehouse"].create(
            {"name": "Balance elsewhere", "code": "BALW"}
        )
        self.assertEqual(
            self._report(warehouse_ids=[(6, 0, elsewhere.ids)]).line_count, 0
        )

    def test_companies_apart(self):
        company_b = self.env["res.company"].create({"name": "Balance Company B"})
        stock_b = (
            self.env["stock.warehouse"]
            .search([("company_id", "=", company_b.id)], limit=1)
            .lot_stock_id
        )
        self.env["stock.quant"].sudo()._update_available_quantity(self.p1, stock_b, 4)
        self.assertEqual(self._report().line_count, 0)
        run_b = self._report(company_id=company_b.id)
        self.assertEqual(
            self._findings(run_b),
            {("quant_ledger", self.p1, stock_b, self.lot_a.browse()): (0, 4, 4)},
        )
        self.assertEqual(run_b.line_ids.company_id, company_b)
        # Rule h sums the moves and lines of a shared product over every
        # company first: a move of company B that its lines do not add up
        # to is company B's finding only.
        move = (
            self.env["stock.move"]
            .with_company(company_b)
            .create(
                {
                    "product_id": self.p1.id,
                    "product_uom_qty": 5,
                    "location_id": self.supplier.id,
                    "location_dest_id": stock_b.id,
                    "company_id": company_b.id,
                }
            )
        )
        move._action_confirm()
        move.quantity = 5
        move.picked = True
        move._action_done()
        self.assertEqual(move.state, "done")
        self._sql("UPDATE stock_move SET quantity = 7 WHERE id = %s", move.id)
        for method in ("ledger", "auto"):
            self.assertEqual(self._report(ledger_method=method).line_count, 0)
            run_b = self._report(company_id=company_b.id, ledger_method=method)
            self.assertEqual(
                {
                    (line.rule_code, line.move_id, line.expected, line.found)
                    for line in run_b.line_ids
                    if line.rule_code == "move_lines_sum"
                },
                {("move_lines_sum", move, 7, 5)},
            )

    def test_ids_that_do_not_exist(self):
        """Every public way in names the id that does not exist, never a
        foreign-key error."""
        for field, label in (
            ("company_id", "company"),
            ("warehouse_ids", "warehouse"),
            ("location_ids", "location"),
            ("categ_ids", "product category"),
            ("product_ids", "product"),
        ):
            value = 987654321 if field == "company_id" else [987654321]
            with self.subTest(field=field):
                # the scope resolver's message, naming the field and the id
                with self.assertRaisesRegex(
                    UserError, f"^{field}: no {label} with id 987654321 exists"
                ):
                    self.Run.start_report({field: value})
                if field != "company_id":
                    # a single id is a list of one
                    with self.assertRaisesRegex(
                        UserError, f"^{field}: no {label} with id 987654321"
                    ):
                        self.Run.start_report({field: 987654321})
                    with self.assertRaisesRegex(UserError, f"{field} must be an id"):
                        self.Run.start_report({field: ["7"]})
                    run = self.Run.create({})
                    with self.assertRaisesRegex(UserError, "987654321"):
                        run.write({field: [(6, 0, [987654321])]})
                    with self.assertRaisesRegex(UserError, "987654321"):
                        run.write({field: [(4, 987654321)]})
        with self.assertRaisesRegex(UserError, "company_id must be an id"):
            self.Run.start_report({"company_id": [self.company.id]})

    def test_rights_and_modes(self):
        self._sql(
            "UPDATE stock_quant SET quantity = 1 WHERE product_id = %s "
            "AND location_id = %s",
            self.p3.id,
            self.bin1.id,
        )
        run = self.Run.with_user(self.user).create(
            {"product_ids": [(6, 0, self.products.ids)], "mode": "balance"}
        )
        run.action_run()
        self.assertEqual(run.line_count, 1)
        with self.assertRaises(AccessError):
            run.action_apply_corrections()
        report = self._report()
        with self.assertRaises(UserError):
            report.with_user(self.manager).action_apply_corrections()
        with self.assertRaises(ValidationError):
            self.Run.create({"date": fields.Datetime.now() + timedelta(days=1)})
        run.with_user(self.manager).action_apply_corrections()
        with self.assertRaises(UserError):
            run.action_run()
        with self.assertRaises(UserError):
            run.unlink()
        company_b = self.env["res.company"].create({"name": "Balance Company B"})
        other = self.Run.create({"company_id": company_b.id})
        visible = self.Run.with_user(self.user).search([])
        self.assertIn(run, visible)
        self.assertNotIn(other, visible)

    def test_stock_indexes_and_uninstall(self):
        names = [name for name, _table, _sql in checks_module.STOCK_INDEXES]
        query = "SELECT COUNT(*) FROM pg_indexes WHERE indexname = ANY(%s)"
        self.env.cr.execute(query, [names])
        self.assertEqual(self.env.cr.fetchone()[0], 4)
        uninstall_hook(self.env)  # DDL in the test's transaction: rolled back
        self.env.cr.execute(query, [names])
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_form_opens_for_users(self):
        """What the form and the findings list show is readable by a plain
        period-end user (no accounting right)."""
        self._sql(
            "UPDATE stock_quant SET quantity = 1 WHERE product_id = %s", self.p3.id
        )
        run = self._report()
        for model, view in (
            ("inventory.balance.run", "form"),
            ("inventory.balance.run.line", "list"),
        ):
            views = self.env[model].with_user(self.user).get_views([(False, view)])
            names = list(views["models"][model]["fields"])
            records = run if model == "inventory.balance.run" else run.line_ids
            self.assertTrue(records.with_user(self.user).read(names))
            self.assertNotIn("account_id", names)

    def test_rpc_methods_and_export(self):
        self._sql(
            "UPDATE stock_quant SET quantity = quantity + 2 "
            "WHERE product_id = %s AND location_id = %s",
            self.p1.id,
            self.bin1.id,
        )
        before = self._checksums()
        run_id = self.Run.with_user(self.user).start_report(
            {"product_ids": self.products.ids}
        )
        self.assertEqual(self._checksums(), before)
        run = self.Run.browse(run_id)
        counts = run.get_counts()
        self.assertEqual(counts["quant_ledger"], 1)
        self.assertEqual(sum(counts.values()), 1)
        with self.assertRaises(UserError):
            self.Run.start_report({"nonsense": 1})
        export = run.export_xlsx()
        workbook = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(export["content"]))
        )
        rows = list(workbook["Findings"].values)
        self.assertEqual(rows[0][:2], ("Rule", "Severity"))
        self.assertEqual(rows[1][0], "quant_ledger")
        self.assertEqual(rows[1][7:10], (53, 55, 2))
        self.assertEqual(
            list(workbook["Valuation"].values)[0],
            ("Warehouse", "Category", "Quantity", "Value"),
        )
        self.assertEqual(len(list(workbook["Valuation"].values)), 3)
        action = run.action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        run.mode = "balance"
        run.action_run()
        counts = run.with_user(self.manager).apply_corrections()
        self.assertEqual(counts["corrected"]["quant_ledger"], 1)
        self.assertEqual(sum(counts["remaining"].values()), 0)
        self.assertEqual(run.line_ids.action, "taken")
        self.assertEqual(
            self.Run.browse(
                self.Run.start_report({"product_ids": self.products.ids})
            ).line_count,
            0,
        )
