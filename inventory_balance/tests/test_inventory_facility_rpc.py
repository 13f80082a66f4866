# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
from datetime import datetime, timedelta

from odoo.tests import HttpCase, get_db_name, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestInventoryFacilityRpc(HttpCase):
    """Generating inventory locations and activating stock keeping over
    XML-RPC and Odoo 19's JSON-2 API: plain, JSON-safe answers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "RPC facilities"})
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)]
        )
        cls.manager = new_test_user(
            cls.env,
            login="rpc_facility_manager",
            groups="stock.group_stock_manager,product.group_product_manager",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.manager)
            ._generate(
                scope="rpc",
                name="test",
                expiration_date=datetime.now() + timedelta(days=1),
            )
        )
        Template = cls.env["product.template"]
        cls.consu = Template.create({"name": "RPC consu", "type": "consu"})
        cls.consu2 = Template.create({"name": "RPC consu 2", "type": "consu"})
        cls.service = Template.create({"name": "RPC service", "type": "service"})

    def _json2(self, model, method, payload):
        response = self.url_open(
            f"/json/2/{model}/{method}",
            data=json.dumps(payload),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.key}",
                "X-Odoo-Database": get_db_name(),
            },
        )
        self.assertEqual(response.status_code, 200, response.text)
        return response.json()

    def test_json2(self):
        result = self._json2("stock.warehouse", "generate_inventory_locations", {})
        self.assertEqual(len(result), 1)
        self.assertEqual(result[0]["warehouse_id"], self.warehouse.id)
        self.assertEqual(result[0]["warehouse"], self.warehouse.name)
        locations = self.env["stock.location"].browse(result[0]["location_ids"])
        self.assertEqual(
            sorted(locations.mapped("condition_id.code")), ["damaged", "quarantine"]
        )
        self.assertEqual(
            self._json2("stock.warehouse", "generate_inventory_locations", {}), []
        )
        result = self._json2(
            "product.template",
            "activate_stock_keeping",
            {"ids": (self.consu | self.service).ids},
        )
        self.assertEqual(result["activated"], self.consu.ids)
        self.assertEqual(result["already_active"], [])
        self.assertEqual(
            [(row["id"], row["name"]) for row in result["refused"]],
            [(self.service.id, "RPC service")],
        )

    # XML-RPC is deprecated in 19 and warns at each call.
    @mute_logger("odoo.addons.rpc.controllers.xmlrpc")
    def test_xmlrpc(self):
        db = get_db_name()
        uid = self.xmlrpc_common.authenticate(
            db, "rpc_facility_manager", "rpc_facility_manager", {}
        )
        result = self.xmlrpc_object.execute_kw(
            db,
            uid,
            "rpc_facility_manager",
            "stock.warehouse",
            "generate_inventory_locations",
            [],
            {"company_ids": self.company.ids},
        )
        self.assertEqual([row["warehouse_id"] for row in result], self.warehouse.ids)
        self.assertEqual(len(result[0]["location_ids"]), 2)
        result = self.xmlrpc_object.execute_kw(
            db,
            uid,
            "rpc_facility_manager",
            "product.product",
            "activate_stock_keeping",
            [(self.consu2 | self.service).product_variant_ids.ids],
        )
        self.assertEqual(result["activated"], self.consu2.product_variant_ids.ids)
        self.assertEqual(
            [row["id"] for row in result["refused"]],
            self.service.product_variant_ids.ids,
        )
        self.assertTrue(self.consu2.is_storable)
