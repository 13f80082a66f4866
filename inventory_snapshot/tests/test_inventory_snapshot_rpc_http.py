# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Snapshots as an integrator makes them over a real XML-RPC connection (the
readme's USAGE): ``create`` is refused with a message naming
``take_snapshot``, ``take_snapshot`` fills the lines, ``verify`` answers
string keys (XML-RPC refuses others), and a comparison names each variant as
Odoo does."""

import base64
import xmlrpc.client

from odoo.exceptions import UserError
from odoo.tests import HttpCase, get_db_name, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestInventorySnapshotRpcHttp(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.stock = (
            env["stock.warehouse"]
            .search([("company_id", "=", env.company.id)], limit=1)
            .lot_stock_id
        )
        cls.categ = env["product.category"].create({"name": "Snapshot RPC"})
        color = env["product.attribute"].create(
            {
                "name": "Snapshot RPC Color",
                "value_ids": [
                    (0, 0, {"name": "Blue", "sequence": 1}),
                    (0, 0, {"name": "Red", "sequence": 2}),
                ],
            }
        )
        # one value only: left out of the name, as Odoo does
        material = env["product.attribute"].create(
            {"name": "Snapshot RPC Material", "value_ids": [(0, 0, {"name": "Oak"})]}
        )
        cls.template = env["product.template"].create(
            {
                "name": "Storage Box",
                "is_storable": True,
                "categ_id": cls.categ.id,
                "attribute_line_ids": [
                    (
                        0,
                        0,
                        {"attribute_id": a.id, "value_ids": [(6, 0, a.value_ids.ids)]},
                    )
                    for a in color | material
                ],
            }
        )
        cls.variants = cls.template.product_variant_ids
        assert len(cls.variants) == 2, cls.variants
        for qty, variant in enumerate(cls.variants, start=3):
            env["stock.quant"]._update_available_quantity(variant, cls.stock, qty)
        cls.taker = new_test_user(
            env,
            login="snap_rpc_taker",
            groups="stock.group_stock_user,"
            "inventory_snapshot.group_inventory_snapshot_create",
        )

    def _call(self, method, args, kwargs=None):
        db = get_db_name()
        uid = self.xmlrpc_common.authenticate(
            db, "snap_rpc_taker", "snap_rpc_taker", {}
        )
        return self.xmlrpc_object.execute_kw(
            db, uid, "snap_rpc_taker", "inventory.snapshot", method, args, kwargs or {}
        )

    # XML-RPC is deprecated in 19 (it warns at each call); the refused create
    # is logged by odoo.http: both expected here.
    @mute_logger("odoo.addons.rpc.controllers.xmlrpc", "odoo.http")
    def test_readme_flow_over_xmlrpc(self):
        with self.assertRaises(xmlrpc.client.Fault) as refused:
            self._call("create", [{"name": "Made by create"}])
        self.assertIn("take_snapshot", refused.exception.faultString)
        self.assertFalse(
            self.env["inventory.snapshot"].search([("name", "=", "Made by create")])
        )

        # the readme's call: the snapshot is taken, its lines written
        first = self._call(
            "take_snapshot", ["RPC first"], {"categ_ids": self.categ.ids}
        )
        snapshot = self.env["inventory.snapshot"].browse(first)
        self.assertEqual(snapshot.line_count, 2)
        self.assertEqual(snapshot.total_on_hand, 7)

        # verify: string keys, over the wire
        self.assertEqual(self._call("verify", [[first]]), {str(first): True})

        self.env["stock.quant"]._update_available_quantity(
            self.variants[0], self.stock, 10
        )
        second = self._call(
            "take_snapshot", ["RPC second"], {"categ_ids": self.categ.ids}
        )
        result = self._call(
            "compare_snapshots",
            [[first, second]],
            {"group_by": ["product", "location"]},
        )
        names = {row["product_id"]: row["product"] for row in result["rows"]}
        expected = {
            variant.id: variant.with_context(display_default_code=False).display_name
            for variant in self.variants
        }
        self.assertEqual(names, expected)
        self.assertEqual(
            sorted(names.values()),
            ["Storage Box (Blue)", "Storage Box (Red)"],
        )
        # the exports name them so too (batches named in Python, CSV by SQL)
        for file_format in ("csv", "json"):
            exported = self._call(
                "export_snapshot", [[second]], {"file_format": file_format}
            )
            content = base64.b64decode(exported["content"]).decode()
            self.assertIn("Storage Box (Blue)", content, file_format)
            self.assertIn("Storage Box (Red)", content, file_format)
        exported = self._call(
            "export_comparison", [[first, second]], {"file_format": "json"}
        )
        content = base64.b64decode(exported["content"]).decode()
        self.assertIn("Storage Box (Blue)", content)

    def test_ids_that_do_not_exist(self):
        Snapshot = self.env["inventory.snapshot"]
        for argument in ("company_id", "warehouse_ids", "location_ids", "categ_ids"):
            with self.assertRaisesRegex(
                UserError, f"^{argument}: no .* with id 987654321 exists"
            ):
                Snapshot.take_snapshot("Missing", **{argument: 987654321})
        with self.assertRaisesRegex(UserError, "^snapshot_ids: no .* 987654321"):
            Snapshot.compare_snapshots([987654321], include_now=True)
        with self.assertRaisesRegex(UserError, "^snapshot_ids: no .* 987654321"):
            Snapshot.export_comparison([987654321], file_format="csv")
        self.assertFalse(Snapshot.search([("name", "=", "Missing")]))
        # a schedule made or changed with ids that do not exist
        Schedule = self.env["inventory.snapshot.schedule"]
        for field, value in (
            ("warehouse_ids", [(6, 0, [987654321])]),
            ("location_ids", [(4, 987654321)]),
            ("categ_ids", [987654321]),
            ("company_id", 987654321),
        ):
            with self.assertRaisesRegex(
                UserError, f"^{field}: no .* with id 987654321 exists"
            ):
                Schedule.create({"name": "Missing", field: value})
        schedule = Schedule.create({"name": "Missing ids schedule"})
        with self.assertRaisesRegex(UserError, "^categ_ids: no .* 987654321"):
            schedule.write({"categ_ids": [(4, 987654321)]})

    def test_comparison_opens_on_changes(self):
        Snapshot = self.env["inventory.snapshot"]
        first = Snapshot.take_snapshot("Open first", categ_ids=self.categ.ids)
        second = Snapshot.take_snapshot("Open second", categ_ids=self.categ.ids)
        wizard = self.env["inventory.snapshot.compare"].create(
            {"snapshot_ids": [(6, 0, [first, second])]}
        )
        # nothing changed: every row shown
        action = wizard.action_compare()
        self.assertNotIn("search_default_any_change", action["context"])
        self.env["stock.quant"]._update_available_quantity(
            self.variants[1], self.stock, 2
        )
        third = Snapshot.take_snapshot("Open third", categ_ids=self.categ.ids)
        wizard = self.env["inventory.snapshot.compare"].create(
            {"snapshot_ids": [(6, 0, [first, third])]}
        )
        action = wizard.action_compare()
        self.assertEqual(action["context"]["search_default_any_change"], 1)
        changed = self.env["inventory.snapshot.compare.line"].search(
            action["domain"] + [("max_change", ">", 0)]
        )
        self.assertEqual(changed.product_id, self.variants[1])

    def test_compare_tour(self):
        """Chromium: two snapshots compared from their list open on the
        changed rows, named by variant."""
        Snapshot = self.env["inventory.snapshot"]
        Snapshot.take_snapshot("Tour first", categ_ids=self.categ.ids)
        self.env["stock.quant"]._update_available_quantity(
            self.variants.filtered(
                lambda v: v.product_template_attribute_value_ids.filtered(
                    lambda ptav: ptav.name == "Blue"
                )
            ),
            self.stock,
            4,
        )
        Snapshot.take_snapshot("Tour second", categ_ids=self.categ.ids)
        self.start_tour(
            "/odoo/action-inventory_snapshot.inventory_snapshot_action",
            "inventory_snapshot_compare",
            login="snap_rpc_taker",
        )
