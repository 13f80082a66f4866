# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import HttpCase, get_db_name, new_test_user, tagged
from odoo.tools import mute_logger

from .test_inventory_ledger_explain import ExplainScenarioMixin


@tagged("post_install", "-at_install")
class TestInventoryLedgerExplainRpc(ExplainScenarioMixin, HttpCase):
    """explain() over a real XML-RPC connection and Odoo 19's JSON-2 API, as
    an inventory user: the same answer as in process; refused to a user
    without inventory rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_explain_scenario()
        cls.stock_user = new_test_user(
            cls.env, login="explain_rpc_user", groups="stock.group_stock_user"
        )
        cls.outsider = new_test_user(
            cls.env, login="explain_rpc_outsider", groups="base.group_user"
        )
        cls.keys = {
            user.login: cls.env["res.users.apikeys"]
            .with_user(user)
            ._generate(
                scope="rpc",
                name="test",
                expiration_date=datetime.now() + timedelta(days=1),
            )
            for user in (cls.stock_user, cls.outsider)
        }

    def _kwargs(self):
        return {
            "at": fields.Datetime.to_string(self._days_ago(30)),
            "location_id": self.stock.id,
            "package_id": "none",
            "limit": 2,
        }

    # XML-RPC is deprecated in 19 (it warns at each call).
    @mute_logger("odoo.addons.rpc.controllers.xmlrpc", "odoo.http")
    def test_xmlrpc(self):
        uid = self.xmlrpc_common.authenticate(
            get_db_name(), "explain_rpc_user", "explain_rpc_user", {}
        )
        answer = self.xmlrpc_object.execute_kw(
            get_db_name(),
            uid,
            "explain_rpc_user",
            "inventory.ledger.explain",
            "explain",
            [self.p1.id],
            self._kwargs(),
        )
        expected = (
            self.env["inventory.ledger.explain"]
            .with_user(self.stock_user)
            .explain(self.p1.id, **self._kwargs())
        )
        self.assertEqual(answer, json.loads(json.dumps(expected)))
        self.assertEqual(len(answer["lines"]), 2)
        self.assertGreater(answer["count"], 2)

    @mute_logger("odoo.http")
    def test_json2(self):
        def call(login, payload):
            return self.url_open(
                "/json/2/inventory.ledger.explain/explain",
                data=json.dumps(payload),
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {self.keys[login]}",
                    "X-Odoo-Database": get_db_name(),
                },
            )

        response = call(
            "explain_rpc_user", {"product_id": self.p1.id, **self._kwargs()}
        )
        self.assertEqual(response.status_code, 200, response.text)
        expected = (
            self.env["inventory.ledger.explain"]
            .with_user(self.stock_user)
            .explain(self.p1.id, **self._kwargs())
        )
        self.assertEqual(response.json(), json.loads(json.dumps(expected)))
        refused = call("explain_rpc_outsider", {"product_id": self.p1.id})
        self.assertEqual(refused.status_code, 403, refused.text)
