# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import xmlrpc.client
from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import HttpCase, get_db_name, new_test_user, tagged
from odoo.tools import mute_logger

from .common import LedgerScenarioMixin


@tagged("post_install", "-at_install")
class TestInventoryLedgerRpc(LedgerScenarioMixin, HttpCase):
    """The engine over a real XML-RPC connection and Odoo 19's JSON-2 API."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ledger_scenario()
        cls.stock_user = new_test_user(
            cls.env, login="rpc_stock_user", groups="stock.group_stock_user"
        )
        cls.outsider = new_test_user(
            cls.env, login="rpc_outsider", groups="base.group_user"
        )
        cls.keys = {}
        for user in (cls.stock_user, cls.outsider):
            cls.keys[user.login] = (
                cls.env["res.users.apikeys"]
                .with_user(user)
                ._generate(
                    scope="rpc",
                    name="test",
                    expiration_date=datetime.now() + timedelta(days=1),
                )
            )

    def _json2(self, login, method, payload, model="inventory.ledger"):
        return self.url_open(
            f"/json/2/{model}/{method}",
            data=json.dumps(payload),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.keys[login]}",
                "X-Odoo-Database": get_db_name(),
            },
        )

    # XML-RPC is deprecated in 19 (it warns at each call); refused calls are
    # logged by odoo.http: both expected here.
    @mute_logger("odoo.addons.rpc.controllers.xmlrpc", "odoo.http")
    def test_xmlrpc(self):
        at = fields.Datetime.to_string(self._days_ago(27))
        uid = self.xmlrpc_common.authenticate(
            get_db_name(), "rpc_stock_user", "rpc_stock_user", {}
        )
        self.assertEqual(uid, self.stock_user.id)
        rows = self.xmlrpc_object.execute_kw(
            get_db_name(),
            uid,
            "rpc_stock_user",
            "inventory.ledger",
            "balances_at",
            [],
            {"at": at, "product_ids": self.products.ids},
        )
        self.assertEqual(
            rows,
            self.env["inventory.ledger"].balances_at(at, product_ids=self.products.ids),
        )
        self.assertTrue(any(row["lot_id"] is False for row in rows))
        flows = self.xmlrpc_object.execute_kw(
            get_db_name(),
            uid,
            "rpc_stock_user",
            "inventory.ledger",
            "movements",
            [],
            {"date_from": at, "group_by": ["kind"], "product_ids": self.p1.ids},
        )
        self.assertIn(
            {
                "kind": "production_in",
                "quantity": 8.0,
                "quantity_in": 8.0,
                "quantity_out": 0.0,
            },
            flows,
        )
        outsider = self.xmlrpc_common.authenticate(
            get_db_name(), "rpc_outsider", "rpc_outsider", {}
        )
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.xmlrpc_object.execute_kw(
                get_db_name(),
                outsider,
                "rpc_outsider",
                "inventory.ledger",
                "balances_at",
                [],
            )
        self.assertIn("Only inventory users", caught.exception.faultString)
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.xmlrpc_object.execute_kw(
                get_db_name(),
                uid,
                "rpc_stock_user",
                "inventory.ledger",
                "balances_at",
                [],
                {"at": "2999-01-01"},
            )
        self.assertIn("future", caught.exception.faultString)

    @mute_logger("odoo.http")
    def test_json2(self):
        at = fields.Datetime.to_string(self._days_ago(27))
        response = self._json2(
            "rpc_stock_user",
            "balances_at",
            {"at": at, "group_by": ["product"], "product_ids": self.products.ids},
        )
        self.assertEqual(response.status_code, 200, response.text)
        expected = self.env["inventory.ledger"].balances_at(
            at, group_by=["product"], product_ids=self.products.ids
        )
        self.assertEqual(response.json(), expected)
        denied = self._json2("rpc_outsider", "balances_at", {})
        self.assertEqual(denied.status_code, 403, denied.text)
        self.assertIn("AccessError", denied.text)

    @mute_logger("odoo.addons.rpc.controllers.xmlrpc")
    def test_compact_and_pages_over_both_apis(self):
        """The compact, paged call of readme/USAGE.md over XML-RPC and JSON-2:
        the same balances as the dicts, a list of values per balance."""
        at = fields.Datetime.to_string(self._days_ago(12))
        expected = self.env["inventory.ledger"].balances_at(
            at, product_ids=self.products.ids
        )
        self.assertGreater(len(expected), 2)
        params = {"at": at, "product_ids": self.products.ids, "compact": True}
        uid = self.xmlrpc_common.authenticate(
            get_db_name(), "rpc_stock_user", "rpc_stock_user", {}
        )
        compact = self.xmlrpc_object.execute_kw(
            get_db_name(),
            uid,
            "rpc_stock_user",
            "inventory.ledger",
            "balances_at",
            [],
            params,
        )
        self.assertEqual(
            compact["fields"], ["product_id", "location_id", "lot_id", "quantity"]
        )
        self.assertEqual(
            [dict(zip(compact["fields"], row, strict=True)) for row in compact["rows"]],
            expected,
        )
        response = self._json2(
            "rpc_stock_user", "balances_at", dict(params, limit=2, offset=1)
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["rows"], compact["rows"][1:3])
