# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import json
import xmlrpc.client
from datetime import datetime, timedelta

from odoo.tests import HttpCase, get_db_name, tagged
from odoo.tools import mute_logger

from .snapshot_scenario import SnapshotScenarioMixin


@tagged("post_install", "-at_install")
class TestInventorySnapshotExportHttp(SnapshotScenarioMixin, HttpCase):
    """The download routes (streamed files, rights) and the RPC methods over a
    real XML-RPC connection and Odoo 19's JSON-2 API."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_snapshot_scenario()

    def _url(self, snapshot_id, file_format):
        return f"/inventory_snapshot/{snapshot_id}/export/{file_format}"

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def test_routes_stream_the_lines(self):
        expected = self._expected_rows(self.snap_b)
        self.authenticate("cmp_reader", "cmp_reader")
        response = self._get(self._url(self.snap_b.id, "csv"))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("text/csv"))
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertIn(".csv", response.headers["Content-Disposition"])
        _header, rows = self._read_csv(response.content)
        self.assertRowsEqual(rows, expected, "csv route")

        response = self._get(self._url(self.snap_b.id, "xlsx"))
        self.assertEqual(response.status_code, 200)
        _header, rows, _info, sheet = self._read_xlsx(response.content, "Lines")
        self.assertRowsEqual(rows, expected, "xlsx route")
        self.assertEqual(sheet.freeze_panes, "A2")

        response = self._get(self._url(self.snap_b.id, "json"))
        self.assertEqual(response.status_code, 200)
        data = self._read_json(response.content)
        rows = [tuple(line[name] for name in data["fields"]) for line in data["lines"]]
        self.assertRowsEqual(rows, expected, "json route")
        # the same file as over RPC (but for the moment of the export)
        rpc = self.snap_b.with_user(self.reader).export_snapshot("json")
        from_rpc = json.loads(base64.b64decode(rpc["content"]))
        from_rpc.pop("exported_at")
        data.pop("exported_at")
        self.assertEqual(data, from_rpc)

        self.assertEqual(self._get(self._url(self.snap_b.id, "pdf")).status_code, 404)
        self.assertEqual(self._get(self._url(999999999, "csv")).status_code, 404)

    def test_route_refusals(self):
        # another company's snapshot: as if it did not exist
        self.authenticate("cmp_foreigner", "cmp_foreigner")
        response = self._get(self._url(self.snap_b.id, "csv"))
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(b"Compare", response.content)
        # no snapshot group at all
        self.authenticate("cmp_outsider", "cmp_outsider")
        self.assertEqual(self._get(self._url(self.snap_b.id, "csv")).status_code, 403)
        self.assertEqual(self._get(self._url(self.snap_b.id, "xlsx")).status_code, 403)
        # not logged in: to the login page
        self.authenticate(None, None)
        response = self._get(self._url(self.snap_b.id, "csv"))
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    def test_comparison_route(self):
        wizard = (
            self.env["inventory.snapshot.compare"]
            .with_user(self.reader)
            .create(
                {
                    "snapshot_ids": [(6, 0, (self.snap_a | self.snap_b).ids)],
                    "include_now": True,
                }
            )
        )
        wizard.action_compare()
        compared = self.Snapshot.compare_snapshots(
            [self.snap_a.id, self.snap_b.id], include_now=True
        )
        url = f"/inventory_snapshot/compare/{wizard.id}/export/"
        self.authenticate("cmp_reader", "cmp_reader")
        response = self._get(url + "json")
        self.assertEqual(response.status_code, 200)
        data = self._read_json(response.content)
        self.assertEqual(
            [row["quantities"] for row in data["rows"]],
            [row["quantities"] for row in compared["rows"]],
        )
        self.assertEqual(
            [row["status"] for row in data["rows"]],
            [row["status"] for row in compared["rows"]],
        )
        response = self._get(url + "xlsx")
        self.assertEqual(response.status_code, 200)
        _header, rows, _info, _sheet = self._read_xlsx(response.content, "Comparison")
        self.assertEqual(len(rows), len(compared["rows"]))
        response = self._get(url + "csv")
        self.assertEqual(response.status_code, 200)
        _header, rows = self._read_csv(response.content)
        self.assertEqual(len(rows), len(compared["rows"]))
        # a comparison belongs to the user who made it
        self.authenticate("cmp_reader2", "cmp_reader2")
        self.assertEqual(self._get(url + "csv").status_code, 404)
        self.authenticate("cmp_outsider", "cmp_outsider")
        self.assertEqual(self._get(url + "csv").status_code, 403)

    # XML-RPC is deprecated in 19 (it warns at each call); refused calls are
    # logged by odoo.http: both expected here.
    @mute_logger("odoo.addons.rpc.controllers.xmlrpc", "odoo.http")
    def test_xmlrpc(self):
        db = get_db_name()
        uid = self.xmlrpc_common.authenticate(db, "cmp_reader", "cmp_reader", {})
        self.assertEqual(uid, self.reader.id)
        result = self.xmlrpc_object.execute_kw(
            db,
            uid,
            "cmp_reader",
            "inventory.snapshot",
            "compare_snapshots",
            [[self.snap_a.id, self.snap_b.id]],
            {"include_now": True, "only_changes": True},
        )
        self.assertEqual(len(result["rows"]), 3)
        self.assertEqual(result["columns"][-1]["key"], "now")
        exported = self.xmlrpc_object.execute_kw(
            db,
            uid,
            "cmp_reader",
            "inventory.snapshot",
            "export_snapshot",
            [[self.snap_b.id]],
            {"file_format": "csv"},
        )
        _header, rows = self._read_csv(base64.b64decode(exported["content"]))
        self.assertRowsEqual(rows, self._expected_rows(self.snap_b), "csv xmlrpc")
        with self.assertRaises(xmlrpc.client.Fault):
            self.xmlrpc_object.execute_kw(
                db,
                uid,
                "cmp_reader",
                "inventory.snapshot",
                "take_snapshot",
                ["By reader"],
            )
        foreigner = self.xmlrpc_common.authenticate(
            db, "cmp_foreigner", "cmp_foreigner", {}
        )
        with self.assertRaises(xmlrpc.client.Fault):
            self.xmlrpc_object.execute_kw(
                db,
                foreigner,
                "cmp_foreigner",
                "inventory.snapshot",
                "export_snapshot",
                [[self.snap_b.id]],
                {"file_format": "csv"},
            )

    @mute_logger("odoo.http")
    def test_json2(self):
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.reader)
            ._generate(
                scope="rpc",
                name="test",
                expiration_date=datetime.now() + timedelta(days=1),
            )
        )

        def call(method, payload):
            return self.url_open(
                f"/json/2/inventory.snapshot/{method}",
                data=json.dumps(payload),
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {key}",
                    "X-Odoo-Database": get_db_name(),
                },
            )

        response = call(
            "export_snapshot", {"ids": [self.snap_b.id], "file_format": "xlsx"}
        )
        self.assertEqual(response.status_code, 200)
        result = response.json()
        self.assertTrue(result["filename"].endswith(".xlsx"))
        _header, rows, _info, _sheet = self._read_xlsx(
            base64.b64decode(result["content"]), "Lines"
        )
        self.assertRowsEqual(rows, self._expected_rows(self.snap_b), "xlsx json-2")
        response = call(
            "compare_snapshots",
            {"snapshot_ids": [self.snap_a.id, self.snap_b.id], "threshold": 4.5},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            {row["product_id"] for row in response.json()["rows"]},
            {self.p_change.id, self.p_vanish.id},
        )
        response = call("take_snapshot", {"name": "By reader"})
        self.assertEqual(response.status_code, 403)
