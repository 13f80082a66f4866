# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import xmlrpc.client
from datetime import datetime, timedelta

from odoo.tests import HttpCase, get_db_name, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestInventoryAdjustmentRpc(HttpCase):
    """Adjustments from another program: create a draft with lines, load
    products, confirm (twice: applied once), over a real XML-RPC connection
    and Odoo 19's JSON-2 API; a user outside the adjustment group is refused
    with an access error and nothing is applied."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.category = cls.env["product.category"].create({"name": "RPC adjusted"})
        Product = cls.env["product.product"]
        cls.plum = Product.create(
            {"name": "RPC Plum", "is_storable": True, "categ_id": cls.category.id}
        )
        cls.fig = Product.create(
            {"name": "RPC Fig", "is_storable": True, "categ_id": cls.category.id}
        )
        cls.env["stock.quant"]._update_available_quantity(cls.fig, cls.stock, 6)
        cls.clerk = new_test_user(
            cls.env,
            login="rpc_adj_clerk",
            groups="inventory_balance.group_inventory_adjustment",
        )
        cls.outsider = new_test_user(
            cls.env,
            login="rpc_adj_outsider",
            groups="stock.group_stock_user",
        )
        cls.key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.clerk)
            ._generate(
                scope="rpc",
                name="test",
                expiration_date=datetime.now() + timedelta(days=1),
            )
        )

    def _call(self, login, model, method, args, kwargs=None):
        uid = self.xmlrpc_common.authenticate(get_db_name(), login, login, {})
        return self.xmlrpc_object.execute_kw(
            get_db_name(), uid, login, model, method, args, kwargs or {}
        )

    # XML-RPC is deprecated in 19 and warns at each call.
    @mute_logger("odoo.addons.rpc.controllers.xmlrpc", "odoo.http")
    def test_xmlrpc(self):
        adjustment_id = self._call(
            "rpc_adj_clerk",
            "inventory.adjustment",
            "create_draft",
            ["Delivery top-up", "top_up"],
            {
                "lines": [
                    {
                        "product_id": self.plum.id,
                        "location_id": self.stock.id,
                        "change": 5,
                    }
                ]
            },
        )
        self.assertIsInstance(adjustment_id, int)
        count = self._call(
            "rpc_adj_clerk", "inventory.adjustment", "load_products", [[adjustment_id]]
        )
        adjustment = self.env["inventory.adjustment"].browse(adjustment_id)
        self.assertEqual(count, adjustment.line_count)
        self.assertIn(self.fig, adjustment.line_ids.product_id, "loaded")
        fig_line = adjustment.line_ids.filtered(
            lambda line: line.product_id == self.fig
        )
        self.assertEqual(fig_line.balance, 6)

        # Outside the adjustment group: an access error, nothing applied.
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._call(
                "rpc_adj_outsider", "inventory.adjustment", "confirm", [[adjustment_id]]
            )
        self.assertEqual(caught.exception.faultCode, 4, "an access error")
        self.assertIn("not allowed to modify", caught.exception.faultString)
        adjustment.invalidate_recordset()
        self.assertEqual(adjustment.state, "draft")
        self.assertEqual(self.plum.with_context(warehouse_id=False).qty_available, 0)

        move_ids = self._call(
            "rpc_adj_clerk", "inventory.adjustment", "confirm", [[adjustment_id]]
        )
        self.assertEqual(len(move_ids), 1, "only the non-zero change is applied")
        again = self._call(
            "rpc_adj_clerk", "inventory.adjustment", "confirm", [[adjustment_id]]
        )
        self.assertEqual(again, move_ids, "a replayed confirmation applies nothing")
        self.plum.invalidate_recordset()
        self.assertEqual(self.plum.qty_available, 5)
        move = self.env["stock.move"].browse(move_ids)
        self.assertEqual(move.inventory_adjustment_id, adjustment)

        # Bad input is a clear error, not a traceback of the server.
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._call(
                "rpc_adj_clerk",
                "inventory.adjustment",
                "create_draft",
                ["Bad", "no_such_reason"],
            )
        self.assertEqual(caught.exception.faultCode, 2, "a user error")
        self.assertIn("Unknown adjustment reason", caught.exception.faultString)

    @mute_logger("odoo.http")
    def test_json2(self):
        def post(method, payload):
            return self.url_open(
                f"/json/2/inventory.adjustment/{method}",
                data=json.dumps(payload),
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {self.key}",
                    "X-Odoo-Database": get_db_name(),
                },
            )

        response = post(
            "create_draft",
            {
                "name": "JSON-2 breakage",
                "reason_code": "breakage",
                "lines": [
                    {
                        "product_id": self.fig.id,
                        "location_id": self.stock.id,
                        "change": -2,
                    }
                ],
            },
        )
        self.assertEqual(response.status_code, 200, response.text)
        adjustment_id = response.json()
        response = post("confirm", {"ids": [adjustment_id]})
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(len(response.json()), 1)
        self.fig.invalidate_recordset()
        self.assertEqual(self.fig.qty_available, 4)
        # Breakage only reduces: a positive change is refused, nothing applied.
        response = post(
            "create_draft",
            {
                "name": "JSON-2 wrong sign",
                "reason_code": "breakage",
                "lines": [
                    {
                        "product_id": self.fig.id,
                        "location_id": self.stock.id,
                        "change": 3,
                    }
                ],
            },
        )
        refused = post("confirm", {"ids": [response.json()]})
        self.assertEqual(refused.status_code, 422, refused.text)
        self.assertIn("UserError", refused.text)
        self.fig.invalidate_recordset()
        self.assertEqual(self.fig.qty_available, 4)
