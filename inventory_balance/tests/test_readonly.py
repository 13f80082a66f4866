# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The public reads run read-only (issue 18): they are ``@api.readonly``, so
the web client and JSON-2 send them to a read-only cursor (the replica when
one is configured), and they work there: no temporary table, no write, no
lazy write.  Each test runs them on a read-only cursor, where PostgreSQL
refuses any write as a hot standby does, and compares with the primary."""

import functools
import json
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, TransactionCase, get_db_name, new_test_user, tagged
from odoo.tools import mute_logger

from .common import LedgerScenarioMixin
from .readonly import ReadOnlyCaseMixin, is_readonly_method
from .test_inventory_balance_sheet import SheetScenarioMixin
from .test_lot_balances import LotBalanceScenarioMixin

# The reads of this addon served read-only: (model, method).
READ_ONLY_METHODS = (
    ("inventory.ledger", "balances_at"),
    ("inventory.ledger", "movements"),
    ("inventory.ledger.explain", "explain"),
    ("inventory.scope", "resolve_scope"),
    ("inventory.lot.balance.report", "lot_balances"),
    ("inventory.lot.balance.report", "unit_removal_plan"),
    ("inventory.lot.balance.report", "export_lot_balances_xlsx"),
    ("inventory.balance.sheet", "get_sheet_data"),
    ("inventory.balance.sheet", "get_grid_data"),
    ("inventory.balance.sheet", "export_xlsx"),
    ("inventory.balance.sheet", "export_csv"),
    # the reports' lists, pivots and groups: Odoo's own read methods
    ("inventory.stock.balance.report", "web_search_read"),
    ("inventory.stock.balance.report", "web_read_group"),
    ("inventory.stock.balance.report", "search_read"),
    ("inventory.transaction.report", "web_search_read"),
    ("inventory.transaction.report", "web_read_group"),
    ("inventory.lot.balance.report", "web_search_read"),
)
# What writes stays on the primary.
READ_WRITE_METHODS = (
    ("inventory.balance.sheet", "refresh"),
    ("inventory.balance.sheet", "action_refresh"),
    ("inventory.balance.sheet", "set_override"),
    ("inventory.balance.sheet", "set_grid_columns"),
    ("inventory.balance.sheet", "move_row"),
    ("inventory.balance.sheet", "action_export_xlsx"),
    ("inventory.ledger.checkpoint", "build_checkpoint"),
    ("inventory.adjustment", "confirm"),
)


@tagged("post_install", "-at_install")
class TestReadOnlyDecorated(TransactionCase):
    def test_reads_are_readonly_writes_are_not(self):
        for model, method in READ_ONLY_METHODS:
            with self.subTest(model=model, method=method):
                self.assertTrue(is_readonly_method(self.env, model, method))
        for model, method in READ_WRITE_METHODS:
            with self.subTest(model=model, method=method):
                self.assertFalse(is_readonly_method(self.env, model, method))


@tagged("post_install", "-at_install")
class TestReadOnlyEngine(LedgerScenarioMixin, ReadOnlyCaseMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ledger_scenario()
        cls.Checkpoint.build_checkpoint(cls._days_ago(28), cls.company.id)

    def test_cursor_refuses_writes(self):
        with self.read_only_env() as env:
            self.assertReadOnlyCursorRefusesWrites(env)

    def test_balances_at_every_method(self):
        moments = [None, self._days_ago(27), self._days_ago(52)]
        kwargs = {"product_ids": self.products.ids}
        expected = {
            (at, method): self.Ledger.balances_at(at, method=method, **kwargs)
            for at in moments
            for method in ("auto", "checkpoint", "ledger", "quants")
        }
        compact = self.Ledger.balances_at(
            moments[1], compact=True, limit=3, offset=1, **kwargs
        )
        with self.read_only_env() as env:
            Ledger = env["inventory.ledger"]
            for (at, method), rows in expected.items():
                with self.subTest(at=at, method=method):
                    self.assertEqual(
                        Ledger.balances_at(at, method=method, **kwargs), rows
                    )
            self.assertEqual(
                Ledger.balances_at(
                    moments[1], compact=True, limit=3, offset=1, **kwargs
                ),
                compact,
            )

    def test_movements(self):
        date_from = fields.Datetime.to_string(self._days_ago(45))
        expected = self.Ledger.movements(date_from, product_ids=self.products.ids)
        self.assertTrue(expected)
        with self.read_only_env() as env:
            self.assertEqual(
                env["inventory.ledger"].movements(
                    date_from, product_ids=self.products.ids
                ),
                expected,
            )

    def test_reports_lists_and_groups(self):
        domain = [("product_id", "in", self.products.ids)]
        at = {"inventory_at": fields.Datetime.to_string(self._days_ago(27))}
        period = {
            "inventory_date_from": fields.Datetime.to_string(self._days_ago(70)),
            "inventory_date_to": fields.Datetime.to_string(self._days_ago(2)),
        }
        spec = {"product_id": {}, "location_id": {}, "quantity": {}}
        tspec = {"product_id": {}, "kind": {}, "running_balance": {}}

        def read(env):
            Balance = env["inventory.stock.balance.report"]
            Transactions = env["inventory.transaction.report"]
            return [
                Balance.web_search_read(domain, spec),
                Balance.with_context(**at).web_search_read(domain, spec),
                Balance.with_context(**at).web_read_group(
                    domain, ["location_id"], ["quantity:sum"], limit=2
                ),
                Transactions.with_context(**period).web_search_read(
                    domain, tspec, order="date, id"
                ),
                Transactions.with_context(**period).web_read_group(
                    domain, ["product_id"], [], limit=1
                ),
            ]

        expected = read(self.env)
        self.assertTrue(expected[1]["records"])
        self.assertTrue(expected[3]["records"])
        with self.read_only_env() as env:
            self.assertEqual(read(env), expected)


@tagged("post_install", "-at_install")
class TestReadOnlySheet(SheetScenarioMixin, ReadOnlyCaseMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_sheet_scenario()

    def test_sheet_reads_and_exports(self):
        sheet = self._sheet()
        for refreshed in (False, True):
            if refreshed:
                sheet.refresh()
            expected = (
                sheet.get_sheet_data(),
                sheet.get_grid_data(),
                sheet.export_csv(),
            )
            with self.read_only_env() as env:
                ro_sheet = env["inventory.balance.sheet"].browse(sheet.id)
                with self.subTest(refreshed=refreshed):
                    self.assertEqual(
                        (
                            ro_sheet.get_sheet_data(),
                            ro_sheet.get_grid_data(),
                            ro_sheet.export_csv(),
                        ),
                        expected,
                    )
                    self.assertTrue(ro_sheet.export_xlsx()["content"])
                    self.assertEqual(ro_sheet.refresh_state, sheet.refresh_state)


@tagged("post_install", "-at_install")
class TestReadOnlyLotBalances(
    LotBalanceScenarioMixin, ReadOnlyCaseMixin, TransactionCase
):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_lot_scenario()

    def test_lot_balances_and_export(self):
        expected = self.Report.lot_balances()
        lot = self.cde_lots[0]
        plan = self.Report.unit_removal_plan(self.cde.id, lot.id, 1)
        with self.read_only_env() as env:
            Report = env["inventory.lot.balance.report"]
            self.assertEqual(Report.lot_balances(), expected)
            self.assertEqual(Report.unit_removal_plan(self.cde.id, lot.id, 1), plan)
            self.assertTrue(Report.export_lot_balances_xlsx()["content"])


@tagged("post_install", "-at_install")
class TestReadOnlyRouting(LedgerScenarioMixin, HttpCase):
    """Which cursor Odoo 19 gives our calls: JSON-2 and the web client a
    read-only one for a read, XML-RPC always the read/write primary."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ledger_scenario()
        cls.user = new_test_user(
            cls.env, login="ro_stock_user", groups="stock.group_stock_user"
        )
        cls.key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.user)
            ._generate(
                scope="rpc",
                name="test",
                expiration_date=datetime.now() + timedelta(days=1),
            )
        )

    def _spy(self):
        """Patch balances_at to record whether its cursor was read-only."""
        seen = []
        Ledger = type(self.env["inventory.ledger"])
        original = Ledger.balances_at

        # keeps the decorators' marks (api.model, api.readonly) the
        # dispatchers look up
        @functools.wraps(original)
        def balances_at(ledger, *args, **kwargs):
            seen.append(ledger.env.cr.readonly)
            return original(ledger, *args, **kwargs)

        return seen, patch.object(Ledger, "balances_at", balances_at)

    def test_json2_and_call_kw_read_only(self):
        payload = {"product_ids": self.products.ids}
        seen, spy = self._spy()
        with spy:
            response = self.url_open(
                "/json/2/inventory.ledger/balances_at",
                data=json.dumps(payload),
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {self.key}",
                    "X-Odoo-Database": get_db_name(),
                },
            )
            self.assertEqual(response.status_code, 200, response.text)
            self.authenticate("ro_stock_user", "ro_stock_user")
            result = self.make_jsonrpc_request(
                "/web/dataset/call_kw/inventory.ledger/balances_at",
                {
                    "model": "inventory.ledger",
                    "method": "balances_at",
                    "args": [],
                    "kwargs": payload,
                },
            )
        self.assertEqual(response.json(), result)
        self.assertEqual(seen, [True, True])

    @mute_logger("odoo.addons.rpc.controllers.xmlrpc")
    def test_xmlrpc_on_the_primary(self):
        seen, spy = self._spy()
        with spy:
            uid = self.xmlrpc_common.authenticate(
                get_db_name(), "ro_stock_user", "ro_stock_user", {}
            )
            self.xmlrpc_object.execute_kw(
                get_db_name(),
                uid,
                "ro_stock_user",
                "inventory.ledger",
                "balances_at",
                [],
                {"product_ids": self.products.ids},
            )
        self.assertEqual(seen, [False])
