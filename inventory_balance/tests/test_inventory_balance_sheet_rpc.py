# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import xmlrpc.client
from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import HttpCase, get_db_name, new_test_user, tagged
from odoo.tools import mute_logger

from .test_inventory_balance_sheet import SheetScenarioMixin


@tagged("post_install", "-at_install")
class TestInventoryBalanceSheetRpc(SheetScenarioMixin, HttpCase):
    """Create, refresh, read and override a sheet over XML-RPC and JSON-2."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_sheet_scenario()
        cls.planner = new_test_user(
            cls.env,
            login="sheet_rpc_planner",
            groups="inventory_balance.group_inventory_balance_user",
        )
        cls.key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.planner)
            ._generate(
                scope="rpc",
                name="test",
                expiration_date=datetime.now() + timedelta(days=1),
            )
        )

    # XML-RPC is deprecated in 19 and warns at each call; refused calls are
    # logged by odoo.http: both expected here.
    @mute_logger("odoo.addons.rpc.controllers.xmlrpc", "odoo.http")
    def test_xmlrpc_and_json2(self):
        db, login = get_db_name(), "sheet_rpc_planner"
        uid = self.xmlrpc_common.authenticate(db, login, login, {})

        def call(method, args, kwargs=None):
            return self.xmlrpc_object.execute_kw(
                db, uid, login, "inventory.balance.sheet", method, args, kwargs or {}
            )

        sheet_id = call(
            "create",
            [
                {
                    "name": "RPC sheet",
                    "category_ids": [[6, 0, self.group.ids]],
                    "date_from": fields.Date.to_string(self.m0),
                    "date_to": fields.Date.to_string(self.m3 - timedelta(days=1)),
                    "formula": "beginning + production - sales - scrap",
                }
            ],
        )
        self.assertTrue(call("refresh", [[sheet_id]]))
        data = call("get_sheet_data", [[sheet_id]])
        self.assertEqual(
            [c["code"] for c in data["columns"]],
            ["beginning", "production", "sales", "end", "actual", "variance"],
        )
        rows = {(r["product_id"], r["period"]): r for r in data["rows"]}
        self.assertEqual(rows[self.pa.id, 0]["end"], 85)
        self.assertEqual(rows[self.pa.id, 1]["beginning"], 85)
        self.assertTrue(call("set_override", [[sheet_id], self.pa.id, 1, "sales", 30]))
        data = call("get_sheet_data", [[sheet_id]], {"limit": 1})
        self.assertEqual({r["product_id"] for r in data["rows"]}, {self.pa.id})
        self.assertEqual(data["rows"][1]["sales"], 30)
        self.assertEqual(data["rows"][1]["overrides"], ["sales"])
        with self.assertRaises(xmlrpc.client.Fault):  # administrators only
            call("set_override", [[sheet_id], self.pa.id, 1, "end_value", 1])
        response = self.url_open(
            "/json/2/inventory.balance.sheet/get_sheet_data",
            data=json.dumps({"ids": [sheet_id], "category_id": self.group.id}),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.key}",
                "X-Odoo-Database": db,
            },
        )
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        self.assertEqual(len(body["rows"]), 6)
        self.assertNotIn("end_value", body["rows"][0])
        grid = call("get_grid_data", [[sheet_id]], {"limit": 1})
        self.assertEqual(
            grid["tabs"], [{"id": self.group.id, "name": "Sheet goods", "count": 2}]
        )
        self.assertEqual(grid["total"], 2)
        self.assertEqual([r["product_id"] for r in grid["rows"]], [self.pa.id])
        self.assertEqual(grid["rows"][0]["values"][1]["sales"], 30)
        self.assertEqual(
            grid["rows"][0]["overrides"][1]["sales"]["user"], self.planner.name
        )
        self.assertTrue(
            call(
                "set_grid_columns",
                [[sheet_id], ["sales", "beginning"], ["sales", "beginning"]],
            )
        )
        response = self.url_open(
            "/json/2/inventory.balance.sheet/get_grid_data",
            data=json.dumps({"ids": [sheet_id], "offset": 1}),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.key}",
                "X-Odoo-Database": db,
            },
        )
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        self.assertEqual([r["product_id"] for r in body["rows"]], [self.pb.id])
        self.assertEqual(
            [c["code"] for c in body["columns"] if c["visible"]][:2],
            ["sales", "production"],
        )
        export = call("export_xlsx", [[sheet_id]])
        self.assertTrue(export["content"])

    def test_grid_tour(self):
        """Chromium, as a planner: the sheet's grid in its form, one tab per
        product group; a number typed over a cell is saved as an override
        and End follows; emptied, the computed value is back; columns hidden,
        shown and moved."""
        sheet = self._sheet(
            category_ids=[fields.Command.set((self.group | self.other_group).ids)]
        )
        # the columns the tour walks through with Tab (Actual on hand and
        # Variance, shown by default, hidden here)
        sheet.column_ids.filtered(
            lambda c: c.code in ("actual", "variance")
        ).visible = False
        sheet.refresh()
        self.start_tour(
            f"/odoo/action-inventory_balance.inventory_balance_sheet_action/{sheet.id}",
            "inventory_balance_sheet_grid",
            login="sheet_rpc_planner",
        )
        self.assertFalse(sheet.override_ids)
        self.assertEqual(
            sheet._visible_columns(), ["beginning", "sales", "production", "end"]
        )
        # the row moved in the grid: kept on the sheet, for its data and exports
        data = sheet.get_sheet_data(category_id=self.group.id)
        self.assertEqual(
            list(dict.fromkeys(row["product_id"] for row in data["rows"])),
            [self.pb.id, self.pa.id],
        )
