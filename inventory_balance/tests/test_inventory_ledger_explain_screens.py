# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
from collections import defaultdict
from datetime import datetime, time, timedelta

import openpyxl

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from ..tools.sheet_columns import COLUMNS, FLOW_COLUMNS, FULL_FORMULA, column_flows
from .test_inventory_balance_sheet import SheetScenarioMixin
from .test_inventory_ledger_explain import ExplainScenarioMixin


class ExplainReportMixin:
    def _open(self, action):
        """The rows of an explain action, as the list reads them: ``(opening,
        lines)``; checks the running balance line by line."""
        self.assertEqual(action["res_model"], "inventory.ledger.explain.report")
        rows = (
            self.env[action["res_model"]]
            .with_context(**action["context"])
            .search(action["domain"])
        )
        self.assertEqual(rows[:1].sequence, 0, "the opening row comes first")
        opening, lines = rows[0], rows[1:]
        running = opening.quantity
        for line in lines:
            running += line.quantity
            self.assertAlmostEqual(line.running_balance, running, places=6)
        return opening, lines

    def _total(self, action):
        opening, lines = self._open(action)
        return opening.quantity + sum(lines.mapped("quantity"))


@tagged("post_install", "-at_install")
class TestExplainStockBalance(
    ExplainScenarioMixin, ExplainReportMixin, TransactionCase
):
    """A stock-balance row as of a moment opens the lines making its balance."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_explain_scenario()

    def test_every_row_at_moments(self):
        d = self._days_ago
        Report = self.env["inventory.stock.balance.report"]
        for at in (d(52), d(40), d(22), d(22) + timedelta(seconds=1), d(1), None):
            context = {"inventory_at": fields.Datetime.to_string(at)} if at else {}
            rows = Report.with_context(**context).search(
                [("product_id", "in", self.products.ids)]
            )
            self.assertTrue(rows)
            for row in rows:
                with self.subTest(at=at, row=row.id):
                    action = row.action_explain()
                    self.assertIn(row.product_id.display_name, action["name"])
                    self.assertAlmostEqual(self._total(action), row.quantity, places=6)
                    _opening, lines = self._open(action)
                    # the row's own location and lot only
                    self.assertFalse(
                        lines.filtered(
                            lambda line, row=row: (
                                line.location_id != row.location_id
                                or line.lot_id != row.lot_id
                            )
                        )
                    )


@tagged("post_install", "-at_install")
class TestExplainSheet(SheetScenarioMixin, ExplainReportMixin, TransactionCase):
    """Every cell of a sheet opens the lines making it: Beginning, each flow,
    End, Actual; lines dated exactly at a period's boundary; an overridden
    cell says who typed over it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_sheet_scenario()
        boundary = datetime.combine(cls.m0 + timedelta(days=40), time.min).replace(
            day=1
        )  # the start of the second period
        cls._move(cls.pa, cls.supplier, cls.bin2, 11, boundary)
        cls._move(cls.pa, cls.bin2, cls.customer, 2, boundary - timedelta(seconds=1))
        cls.sheet = cls.Sheet.create(
            {
                "name": "Explain sheet",
                "category_ids": [Command.set(cls.group.ids)],
                "date_from": cls.m0,
                "date_to": cls.m3 - timedelta(days=1),
                "formula": FULL_FORMULA,
                "location_ids": [Command.set(cls.stock.ids)],
            }
        )
        cls.sheet.column_ids.write({"visible": True})
        cls.sheet.refresh()

    def test_every_cell(self):
        groups = self.sheet._compute_groups()
        checked = 0
        for group in groups:
            for row in group["rows"]:
                product = row["product"]
                for period, values in enumerate(row["values"]):
                    for code in COLUMNS:
                        if code in ("unit_cost", "end_value", "variance"):
                            continue
                        with self.subTest(
                            product=product.name, period=period, code=code
                        ):
                            action = self.sheet.action_explain_cell(
                                product.id, period, code
                            )
                            total = self._total(action)
                            if code in FLOW_COLUMNS:
                                total *= column_flows(code)[2]
                            self.assertAlmostEqual(total, values[code], places=6)
                            checked += 1
        self.assertGreater(checked, 50)

    def test_boundary_lines_in_their_period(self):
        action = self.sheet.action_explain_cell(self.pa.id, 1, "receipts")
        _opening, lines = self._open(action)
        start = self.sheet._periods()[1][0]
        self.assertIn(start, lines.mapped("date"))
        action = self.sheet.action_explain_cell(self.pa.id, 0, "sales")
        _opening, lines = self._open(action)
        self.assertIn(start - timedelta(seconds=1), lines.mapped("date"))

    def test_override_says_who(self):
        self.sheet.set_override(self.pa.id, 1, "sales", 999)
        action = self.sheet.action_explain_cell(self.pa.id, 1, "sales")
        self.assertIn("999", action["name"])
        self.assertIn(self.env.user.name, action["name"])
        # the lines are still the computed figure's
        groups = self.sheet._compute_groups(with_computed=True)
        row = next(r for g in groups for r in g["rows"] if r["product"] == self.pa)
        self.assertAlmostEqual(
            -self._total(action), row["computed"][1, "sales"], places=6
        )

    def test_bad_cells(self):
        for args in (
            (self.pa.id, 99, "sales"),
            (self.pa.id, 0, "nothing"),
            (self.pa.id, 0, "unit_cost"),
            (self.pc.id, 0, "sales"),
        ):
            with self.subTest(args=args), self.assertRaises(UserError):
                self.sheet.action_explain_cell(*args)


@tagged("post_install", "-at_install")
class TestExplainSheetExport(SheetScenarioMixin, TransactionCase):
    """The sheet's XLSX, when asked, has a last worksheet of the lines behind
    its rows: per product the opening then its lines, whose running balance
    ends at the product's last Actual."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_sheet_scenario()

    def test_xlsx_lines(self):
        sheet = self._sheet(formula=FULL_FORMULA)
        sheet.column_ids.write({"visible": True})
        sheet.refresh()
        plain = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(sheet.export_xlsx()["content"]))
        )
        self.assertNotIn("Lines", plain.sheetnames)
        book = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(sheet.export_xlsx(with_lines=True)["content"]))
        )
        self.assertEqual(book.sheetnames[:-1], plain.sheetnames)
        lines = book["Lines"]
        rows = list(lines.iter_rows(min_row=2, values_only=True))
        by_product = defaultdict(list)
        for row in rows:
            by_product[row[0]].append(row)
        groups = sheet._compute_groups()
        checked = 0
        for group in groups:
            for row in group["rows"]:
                product_rows = by_product[row["product"].display_name]
                self.assertEqual(product_rows[0][4], "Opening balance")
                self.assertAlmostEqual(
                    product_rows[0][9], row["values"][0]["beginning"], places=6
                )
                self.assertAlmostEqual(
                    sum(r[9] for r in product_rows),
                    row["values"][-1]["actual"],
                    places=6,
                )
                self.assertAlmostEqual(
                    product_rows[-1][10], row["values"][-1]["actual"], places=6
                )
                # each line in its period: the period's flows are its lines
                for index, label in enumerate(sheet._period_labels()):
                    in_period = [r[9] for r in product_rows if r[1] == label]
                    flows = sum(
                        row["values"][index][code] * column_flows(code)[2]
                        for code in FLOW_COLUMNS
                    )
                    self.assertAlmostEqual(sum(in_period), flows, places=6)
                checked += 1
        self.assertEqual(checked, 2)
        # the button
        action = sheet.action_export_xlsx_lines()
        self.assertEqual(action["type"], "ir.actions.act_url")
