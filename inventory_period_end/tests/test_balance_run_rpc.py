# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import xmlrpc.client
from datetime import datetime, timedelta

from odoo.tests import HttpCase, get_db_name, new_test_user, tagged
from odoo.tools import mute_logger

from .common import BalanceRunMixin


@tagged("post_install", "-at_install")
class TestBalanceRunRpc(BalanceRunMixin, HttpCase):
    """Balance runs over a real XML-RPC connection and Odoo 19's JSON-2 API:
    start a report-only run, read its findings, correct them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_balance_run()
        cls.user = new_test_user(
            cls.env,
            login="rpc_balance_user",
            groups="stock.group_stock_user,"
            "inventory_period_end.group_inventory_period_end_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="rpc_balance_manager",
            groups="stock.group_stock_user,"
            "inventory_period_end.group_inventory_period_end_manager",
        )
        cls.keys = {
            user.login: cls.env["res.users.apikeys"]
            .with_user(user)
            ._generate(
                scope="rpc",
                name="test",
                expiration_date=datetime.now() + timedelta(days=1),
            )
            for user in (cls.user, cls.manager)
        }

    def _corrupt(self):
        self._sql(
            "UPDATE stock_quant SET quantity = quantity + 3 "
            "WHERE product_id = %s AND location_id = %s",
            self.p1.id,
            self.bin1.id,
        )

    def _call(self, login, method, args, kwargs=None, model="inventory.balance.run"):
        uid = self.xmlrpc_common.authenticate(get_db_name(), login, login, {})
        return self.xmlrpc_object.execute_kw(
            get_db_name(), uid, login, model, method, args, kwargs or {}
        )

    # XML-RPC is deprecated in 19 (it warns at each call); refused calls are
    # logged by odoo.http: both expected here.
    @mute_logger("odoo.addons.rpc.controllers.xmlrpc", "odoo.http")
    def test_xmlrpc(self):
        self._corrupt()
        before = self._checksums()
        run_id = self._call(
            "rpc_balance_user", "start_report", [{"product_ids": self.products.ids}]
        )
        self.assertEqual(self._checksums(), before)
        counts = self._call("rpc_balance_user", "get_counts", [[run_id]])
        self.assertEqual(counts["quant_ledger"], 1)
        self.assertEqual(sum(counts.values()), 1)
        lines = self._call(
            "rpc_balance_user",
            "search_read",
            [[("run_id", "=", run_id)]],
            {"fields": ["rule_code", "product_id", "expected", "found", "action"]},
            model="inventory.balance.run.line",
        )
        self.assertEqual(len(lines), 1)
        self.assertEqual(
            (lines[0]["rule_code"], lines[0]["product_id"][0]),
            ("quant_ledger", self.p1.id),
        )
        self.assertEqual((lines[0]["expected"], lines[0]["found"]), (53.0, 56.0))
        self._call("rpc_balance_user", "write", [[run_id], {"mode": "balance"}])
        self._call("rpc_balance_user", "action_run", [[run_id]])
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._call("rpc_balance_user", "apply_corrections", [[run_id]])
        self.assertIn("administrators", caught.exception.faultString)
        counts = self._call("rpc_balance_manager", "apply_corrections", [[run_id]])
        self.assertEqual(counts["corrected"]["quant_ledger"], 1)
        self.assertEqual(sum(counts["remaining"].values()), 0)
        self.assertEqual(counts["state"], "corrected")
        self.assertEqual(self._quant_total(self.p1, self.bin1), (53.0, 1))
        again = self._call(
            "rpc_balance_user", "start_report", [{"product_ids": self.products.ids}]
        )
        self.assertEqual(
            sum(self._call("rpc_balance_user", "get_counts", [[again]]).values()), 0
        )
        export = self._call("rpc_balance_user", "export_xlsx", [[run_id]])
        self.assertTrue(export["filename"].endswith(".xlsx"))
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._call("rpc_balance_user", "start_report", [{"date": "2999-01-01"}])
        self.assertIn("future", caught.exception.faultString)

    @mute_logger("odoo.addons.rpc.controllers.xmlrpc", "odoo.http")
    def test_close_period_xmlrpc(self):
        """Create the periods, check the last one's end, close it: the lock date
        follows; a user without the administrator group is refused."""
        today = datetime.now().date()
        end = today - timedelta(days=2)
        period = self.env["inventory.period"].create(
            {
                "name": "RPC period",
                "date_from": end - timedelta(days=27),
                "date_to": end,
            }
        )
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._call(
                "rpc_balance_manager",
                "close_period",
                [period.id],
                model="inventory.period",
            )
        self.assertIn("Run a balance run", caught.exception.faultString)
        self._call(
            "rpc_balance_manager",
            "start_report",
            [{"date": f"{end} 23:59:59"}],
        )
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._call(
                "rpc_balance_user",
                "close_period",
                [period.id],
                model="inventory.period",
            )
        self.assertIn("administrators", caught.exception.faultString)
        checkpoint_id = self._call(
            "rpc_balance_manager", "close_period", [period.id], model="inventory.period"
        )
        period.invalidate_recordset()
        self.assertEqual(period.state, "closed")
        self.assertEqual(period.checkpoint_id.id, checkpoint_id)
        self.assertEqual(self.env.company.stock_lock_date, end)

    def _json2(self, login, method, payload):
        return self.url_open(
            f"/json/2/inventory.balance.run/{method}",
            data=json.dumps(payload),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.keys[login]}",
                "X-Odoo-Database": get_db_name(),
            },
        )

    @mute_logger("odoo.http")
    def test_json2(self):
        self._corrupt()
        response = self._json2(
            "rpc_balance_user",
            "start_report",
            {"values": {"product_ids": self.products.ids}},
        )
        self.assertEqual(response.status_code, 200, response.text)
        run_id = response.json()
        response = self._json2("rpc_balance_user", "get_counts", {"ids": [run_id]})
        self.assertEqual(response.json()["quant_ledger"], 1)
        denied = self._json2("rpc_balance_user", "apply_corrections", {"ids": [run_id]})
        self.assertEqual(denied.status_code, 403, denied.text)
