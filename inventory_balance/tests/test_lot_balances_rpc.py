# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import xmlrpc.client
from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import HttpCase, get_db_name, new_test_user, tagged
from odoo.tools import mute_logger

from .test_lot_balances import LotBalanceScenarioMixin

MODEL = "inventory.lot.balance.report"


@tagged("post_install", "-at_install")
class TestLotBalancesRpc(LotBalanceScenarioMixin, HttpCase):
    """lot_balances over a real XML-RPC connection and Odoo 19's JSON-2 API,
    as readme/USAGE.md documents it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_lot_scenario()
        cls.stock_user = new_test_user(
            cls.env, login="lot_rpc_user", groups="stock.group_stock_user"
        )
        cls.outsider = new_test_user(
            cls.env, login="lot_rpc_outsider", groups="base.group_user"
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

    # XML-RPC is deprecated in 19 (it warns at each call); refused calls are
    # logged by odoo.http: both expected here.
    @mute_logger("odoo.addons.rpc.controllers.xmlrpc", "odoo.http")
    def test_xmlrpc(self):
        at = fields.Datetime.to_string(self._days_ago(25))
        db = get_db_name()
        uid = self.xmlrpc_common.authenticate(db, "lot_rpc_user", "lot_rpc_user", {})
        result = self.xmlrpc_object.execute_kw(
            db,
            uid,
            "lot_rpc_user",
            MODEL,
            "lot_balances",
            [],
            {"at": at, "product_ids": self.products.ids},
        )
        self.assertEqual(
            result, self.Report.lot_balances(at, product_ids=self.products.ids)
        )
        uab = [r for r in result["summary"] if r["product_id"] == self.uab.id]
        self.assertEqual([(r["units"], r["quantity"]) for r in uab], [(12, 1152.0)])
        export = self.xmlrpc_object.execute_kw(
            db,
            uid,
            "lot_rpc_user",
            MODEL,
            "export_lot_balances_xlsx",
            [],
            {"product_ids": self.cde.ids},
        )
        self.assertTrue(export["filename"].endswith(".xlsx"))
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.xmlrpc_object.execute_kw(
                db, uid, "lot_rpc_user", MODEL, "lot_balances", [], {"at": "2999-01-01"}
            )
        self.assertIn("future", caught.exception.faultString)

    @mute_logger("odoo.http")
    def test_json2(self):
        def call(login, payload):
            return self.url_open(
                f"/json/2/{MODEL}/lot_balances",
                data=json.dumps(payload),
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {self.keys[login]}",
                    "X-Odoo-Database": get_db_name(),
                },
            )

        response = call("lot_rpc_user", {"product_ids": self.cde.ids})
        self.assertEqual(response.status_code, 200, response.text)
        result = response.json()
        (summary,) = result["summary"]
        self.assertEqual((summary["units"], summary["odd_count"]), (22, 2))
        self.assertEqual(
            sorted(u["quantity"] for line in result["lots"] for u in line["odd_units"]),
            [46.0, 53.0],
        )
        denied = call("lot_rpc_outsider", {})
        self.assertEqual(denied.status_code, 403, denied.text)
        self.assertIn("AccessError", denied.text)
