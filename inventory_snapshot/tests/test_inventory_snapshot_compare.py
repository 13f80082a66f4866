# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from .snapshot_scenario import SnapshotScenarioMixin


@tagged("post_install", "-at_install")
class TestInventorySnapshotCompare(SnapshotScenarioMixin, TransactionCase):
    """Comparisons (numbers, filters, wizard) and the RPC exports."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_snapshot_scenario()

    def _rows_by_product(self, result):
        return {row["product_id"]: row for row in result["rows"]}

    # ---------------------------------------------------------- comparison
    def test_compare_two_snapshots(self):
        # given in the wrong order: the columns follow the moments
        result = self.Snapshot.with_user(self.reader).compare_snapshots(
            [self.snap_b.id, self.snap_a.id]
        )
        self.assertEqual(result["quantity"], "on_hand + in_transit")
        self.assertEqual(
            [column["snapshot_id"] for column in result["columns"]],
            [self.snap_a.id, self.snap_b.id],
        )
        self.assertEqual(result["columns"][0]["name"], "Compare A")
        self.assertTrue(result["columns"][0]["moment"].endswith("Z"))
        rows = self._rows_by_product(result)
        self.assertEqual(len(result["rows"]), 5)
        change = rows[self.p_change.id]
        self.assertEqual(change["quantities"], [10.0, 15.0])
        self.assertEqual(change["changes"], [5.0])
        self.assertEqual(change["change_percents"], [50.0])
        self.assertEqual(change["status"], "changed")
        self.assertEqual(change["location_id"], self.stock.id)
        self.assertEqual(change["default_code"], "CMP-CHG")
        vanish = rows[self.p_vanish.id]
        self.assertEqual(vanish["quantities"], [7.0, 0.0])
        self.assertEqual(vanish["change"], -7.0)
        self.assertEqual(vanish["change_percent"], -100.0)
        self.assertEqual(vanish["status"], "vanished")
        appear = rows[self.p_appear.id]
        self.assertEqual(appear["quantities"], [0.0, 4.0])
        self.assertEqual(appear["change_percents"], [False])
        self.assertIs(appear["change_percent"], False)
        self.assertEqual(appear["status"], "appeared")
        self.assertEqual(appear["location_id"], self.bin.id)
        self.assertEqual(rows[self.p_same.id]["status"], "same")
        lot_row = rows[self.p_lot.id]
        self.assertEqual((lot_row["lot_id"], lot_row["lot"]), (self.lot.id, "CMP-L1"))
        self.assertEqual(lot_row["status"], "same")
        self.assertEqual(
            result["counts"], {"appeared": 1, "vanished": 1, "changed": 1, "same": 2}
        )
        self.assertEqual(result["totals"], [25.0, 27.0])
        self.assertNotIn(
            None, [value for row in result["rows"] for value in row.values()]
        )

    def test_compare_with_now_and_filters(self):
        result = self.Snapshot.with_user(self.reader).compare_snapshots(
            [self.snap_a.id, self.snap_b.id], include_now=True, only_changes=True
        )
        self.assertEqual(len(result["columns"]), 3)
        self.assertEqual(result["columns"][2]["key"], "now")
        self.assertIs(result["columns"][2]["snapshot_id"], False)
        rows = self._rows_by_product(result)
        self.assertEqual(
            set(rows), {self.p_change.id, self.p_vanish.id, self.p_appear.id}
        )
        change = rows[self.p_change.id]
        self.assertEqual(change["quantities"], [10.0, 15.0, 18.0])
        self.assertEqual(change["changes"], [5.0, 3.0])
        self.assertEqual(change["change_percents"], [50.0, 20.0])
        self.assertEqual(change["change"], 8.0)
        self.assertEqual(change["change_percent"], 80.0)
        self.assertEqual(change["max_change"], 5.0)
        # the threshold applies to the largest step between two columns
        result = self.Snapshot.compare_snapshots(
            [self.snap_a.id, self.snap_b.id], include_now=True, threshold=4.5
        )
        self.assertEqual(
            {row["product_id"] for row in result["rows"]},
            {self.p_change.id, self.p_vanish.id},
        )
        # one snapshot and now
        result = self.Snapshot.compare_snapshots([self.snap_b.id], include_now=True)
        rows = self._rows_by_product(result)
        self.assertEqual(rows[self.p_change.id]["quantities"], [15.0, 18.0])
        self.assertEqual(rows[self.p_appear.id]["status"], "same")

    def test_decimal_quantities_compare_without_float_residue(self):
        """Quantities are summed in float8: 0.1 + 0.2 must still equal 0.3,
        and a change of exactly the threshold must pass it."""
        Product = self.env["product.product"]
        p_sum = Product.create({"name": "Residue sum", "is_storable": True})
        p_step = Product.create({"name": "Residue step", "is_storable": True})
        # Written by SQL (snapshot lines are immutable through the ORM).
        self.env.flush_all()
        for snapshot, product, on_hand, in_transit in (
            (self.snap_a, p_sum, 0.1, 0.2),
            (self.snap_b, p_sum, 0.3, 0.0),
            (self.snap_a, p_step, 0.1, 0.0),
            (self.snap_b, p_step, 0.3, 0.0),
        ):
            self.env.cr.execute(
                "INSERT INTO inventory_snapshot_line "
                "(snapshot_id, company_id, product_id, location_id, on_hand, "
                "in_transit) VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    snapshot.id,
                    snapshot.company_id.id,
                    product.id,
                    self.stock.id,
                    on_hand,
                    in_transit,
                ],
            )
        result = self.Snapshot.compare_snapshots([self.snap_a.id, self.snap_b.id])
        rows = self._rows_by_product(result)
        same = rows[p_sum.id]
        self.assertEqual(same["status"], "same")
        self.assertEqual((same["change"], same["max_change"]), (0.0, 0.0))
        self.assertEqual(same["quantities"], [0.3, 0.3])
        step = rows[p_step.id]
        self.assertEqual(step["status"], "changed")
        self.assertEqual((step["change"], step["changes"]), (0.2, [0.2]))
        self.assertEqual(step["change_percent"], 200.0)
        result = self.Snapshot.compare_snapshots(
            [self.snap_a.id, self.snap_b.id], threshold=0.2
        )
        self.assertIn(p_step.id, self._rows_by_product(result))
        self.assertNotIn(p_sum.id, self._rows_by_product(result))
        result = self.Snapshot.compare_snapshots(
            [self.snap_a.id, self.snap_b.id], only_changes=True
        )
        self.assertNotIn(p_sum.id, self._rows_by_product(result))

    def test_now_column_is_the_live_stock(self):
        """The column "now" equals a snapshot of now taken at the same time."""
        snap_now = self.Snapshot.browse(
            self.Snapshot.take_snapshot("Compare Now", categ_ids=self.categ.ids)
        )
        result = self.Snapshot.compare_snapshots([snap_now.id], include_now=True)
        self.assertTrue(result["rows"])
        for row in result["rows"]:
            self.assertEqual(row["status"], "same", row)

    def test_compare_by_product(self):
        result = self.Snapshot.compare_snapshots(
            [self.snap_a.id, self.snap_b.id], group_by=["product"]
        )
        row = self._rows_by_product(result)[self.p_lot.id]
        self.assertIs(row["location_id"], False)
        self.assertIs(row["lot_id"], False)
        self.assertEqual(row["quantities"], [5.0, 5.0])

    def test_compare_one_page(self):
        """A page of a comparison: the same rows in the same order as the whole
        comparison, and totals and counts of every row."""
        ids = [self.snap_a.id, self.snap_b.id]
        whole = self.Snapshot.compare_snapshots(ids)
        self.assertEqual(whole["row_count"], 5)
        for limit, offset in ((2, 0), (2, 1), (3, 3), (10, 0), (0, 0), (2, 9)):
            page = self.Snapshot.compare_snapshots(ids, limit=limit, offset=offset)
            self.assertEqual(
                page["rows"], whole["rows"][offset : offset + limit], (limit, offset)
            )
            self.assertEqual(page["totals"], whole["totals"])
            self.assertEqual(page["counts"], whole["counts"])
            self.assertEqual(page["row_count"], 5)
            self.assertEqual((page["limit"], page["offset"]), (limit, offset))
        for bad in (-1, 1.5, "10", True):
            with self.assertRaises(UserError):
                self.Snapshot.compare_snapshots(ids, limit=bad)
        with self.assertRaises(UserError):
            self.Snapshot.compare_snapshots(ids, limit=2, offset=-3)

    def test_compare_refusals(self):
        with self.assertRaises(UserError):
            self.Snapshot.compare_snapshots([self.snap_a.id])
        with self.assertRaises(UserError):
            self.Snapshot.compare_snapshots(
                [self.snap_a.id, self.snap_b.id], threshold=-1
            )
        with self.assertRaises(UserError):
            self.Snapshot.compare_snapshots(
                [self.snap_a.id, self.snap_b.id], group_by=["package"]
            )
        with self.assertRaises(AccessError):
            self.Snapshot.with_user(self.foreigner).compare_snapshots(
                [self.snap_a.id, self.snap_b.id]
            )
        with self.assertRaises(AccessError):
            self.Snapshot.with_user(self.outsider).compare_snapshots(
                [self.snap_a.id, self.snap_b.id]
            )

    def test_wizard(self):
        Compare = self.env["inventory.snapshot.compare"].with_user(self.reader)
        wizard = Compare.with_context(
            active_model="inventory.snapshot",
            active_ids=[self.snap_b.id, self.snap_a.id],
        ).create({"include_now": True})
        self.assertEqual(wizard.snapshot_ids, self.snap_a | self.snap_b)
        action = wizard.action_compare()
        self.assertEqual(action["res_model"], "inventory.snapshot.compare.line")
        self.assertEqual(wizard.line_count, 5)
        self.assertEqual(wizard.column_names, "Compare A → Compare B → Now")
        lines = self.env["inventory.snapshot.compare.line"].with_user(self.reader)
        lines = lines.search(action["domain"])
        self.assertEqual(len(lines), 5)
        by_product = {line.product_id: line for line in lines}
        change = by_product[self.p_change]
        self.assertEqual(
            (change.quantity_first, change.quantity_last, change.change),
            (10.0, 18.0, 8.0),
        )
        self.assertEqual(change.quantities, [10.0, 15.0, 18.0])
        self.assertEqual(change.trail, "10 → 15 → 18")
        self.assertEqual(by_product[self.p_vanish].status, "vanished")
        self.assertEqual(by_product[self.p_appear].status, "appeared")
        # the same numbers as the RPC method
        result = self.Snapshot.compare_snapshots(
            [self.snap_a.id, self.snap_b.id], include_now=True
        )
        self.assertEqual(
            [line.quantities for line in lines],
            [row["quantities"] for row in result["rows"]],
        )
        # filters of the list: status and change
        self.assertEqual(
            lines.search(action["domain"] + [("change", ">", 0)]).product_id,
            self.p_change | self.p_appear,
        )
        # the trend: the selected snapshots in a graph
        trend = wizard.action_open_trend()
        self.assertEqual(trend["res_model"], "inventory.snapshot")
        self.assertEqual(trend["views"][0][1], "graph")
        self.assertEqual(
            self.Snapshot.search(trend["domain"]), self.snap_a | self.snap_b
        )
        export = wizard.with_context(export_format="csv").action_export()
        self.assertEqual(
            export["url"], f"/inventory_snapshot/compare/{wizard.id}/export/csv"
        )
        # someone else's comparison is not visible
        self.assertFalse(
            self.env["inventory.snapshot.compare.line"]
            .with_user(self.reader2)
            .search([("wizard_id", "=", wizard.id)])
        )
        with self.assertRaises(UserError):
            Compare.create({"snapshot_ids": [(6, 0, self.snap_a.ids)]}).action_compare()

    # --------------------------------------------------------------- rights
    def test_reader_exports_and_compares_but_cannot_take(self):
        snapshot = self.snap_b.with_user(self.reader)
        self.assertTrue(snapshot.export_snapshot("csv")["content"])
        self.assertTrue(
            self.Snapshot.with_user(self.reader).compare_snapshots(
                [self.snap_a.id, self.snap_b.id]
            )["rows"]
        )
        with self.assertRaises(AccessError):
            self.Snapshot.with_user(self.reader).take_snapshot("Reader's")

    def test_other_company_and_no_group_refused(self):
        for user in (self.foreigner, self.outsider):
            with self.assertRaises(AccessError):
                self.snap_b.with_user(user).export_snapshot("csv")
            with self.assertRaises(AccessError):
                self.Snapshot.with_user(user).export_comparison(
                    [self.snap_a.id, self.snap_b.id], "csv"
                )

    # -------------------------------------------------------------- exports
    def _export(self, snapshot, file_format):
        result = snapshot.with_user(self.reader).export_snapshot(file_format)
        self.assertTrue(result["filename"].endswith(f".{file_format}"))
        return result, base64.b64decode(result["content"])

    def test_export_snapshot_csv(self):
        expected = self._expected_rows(self.snap_b)
        result, content = self._export(self.snap_b, "csv")
        self.assertEqual(result["mimetype"], "text/csv; charset=utf-8")
        header, rows = self._read_csv(content)
        self.assertEqual(header[:3], ["product_id", "product", "default_code"])
        self.assertEqual(
            header[-5:], ["on_hand", "reserved", "available", "in_transit", "value"]
        )
        self.assertRowsEqual(rows, expected, "csv")

    def test_export_snapshot_xlsx(self):
        expected = self._expected_rows(self.snap_b)
        _result, content = self._export(self.snap_b, "xlsx")
        header, rows, info, sheet = self._read_xlsx(content, "Lines")
        self.assertEqual(header[0], "product_id")
        self.assertRowsEqual(rows, expected, "xlsx")
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertEqual(sheet.auto_filter.ref, f"A1:U{len(expected) + 1}")
        self.assertEqual(info["name"], "Compare B")
        self.assertEqual(info["line_count"], len(expected))

    def test_export_snapshot_json(self):
        expected = self._expected_rows(self.snap_b)
        _result, content = self._export(self.snap_b, "json")
        data = self._read_json(content)
        self.assertEqual(data["snapshot"]["id"], self.snap_b.id)
        self.assertTrue(data["snapshot"]["moment"].endswith("Z"))
        self.assertEqual(data["snapshot"]["line_count"], len(expected))
        self.assertEqual(data["units"]["value"], self.company.currency_id.name)
        rows = [tuple(line[name] for name in data["fields"]) for line in data["lines"]]
        self.assertRowsEqual(rows, expected, "json")
        if self.expiry:
            lot_line = next(line for line in data["lines"] if line["lot_id"])
            self.assertEqual(lot_line["expiration_date"], "2031-05-31T12:30:15Z")

    def test_export_in_pages(self):
        """Pages smaller than the snapshot give the same rows in the same order."""
        exporter = self.env["inventory.snapshot.export"]
        whole = [
            row
            for batch in exporter._snapshot_line_batches(self.snap_b)
            for row in batch
        ]
        self.assertEqual(len(whole), 4)
        for size, sizes in ((2, [2, 2]), (3, [3, 1])):
            batches = list(exporter._snapshot_line_batches(self.snap_b, size))
            self.assertEqual([len(batch) for batch in batches], sizes)
            self.assertEqual([row for batch in batches for row in batch], whole)

    def test_export_comparison(self):
        compared = self.Snapshot.compare_snapshots(
            [self.snap_a.id, self.snap_b.id], include_now=True
        )
        Snapshot = self.Snapshot.with_user(self.reader)
        args = ([self.snap_a.id, self.snap_b.id],)
        result = Snapshot.export_comparison(*args, file_format="json", include_now=True)
        data = self._read_json(base64.b64decode(result["content"]))
        self.assertEqual(data["comparison"]["quantity"], "on_hand + in_transit")
        self.assertEqual(
            [(c["key"], c["name"]) for c in data["columns"]],
            [(c["key"], c["name"]) for c in compared["columns"]],
        )
        self.assertEqual(data["rows"], _false_to_none(compared["rows"]))
        result = Snapshot.export_comparison(*args, file_format="csv", include_now=True)
        header, rows = self._read_csv(base64.b64decode(result["content"]))
        self.assertEqual(
            header[:7],
            [
                "product_id",
                "product",
                "default_code",
                "uom_id",
                "uom",
                "location_id",
                "location",
            ],
        )
        self.assertEqual(header[9:12], ["qty Compare A", "qty Compare B", "qty Now"])
        self.assertEqual(
            [[float(cell) for cell in row[9:12]] for row in rows],
            [row["quantities"] for row in compared["rows"]],
        )
        self.assertEqual(
            [row[-1] for row in rows], [row["status"] for row in compared["rows"]]
        )
        result = Snapshot.export_comparison(*args, file_format="xlsx", include_now=True)
        header, rows, _info, sheet = self._read_xlsx(
            base64.b64decode(result["content"]), "Comparison"
        )
        self.assertEqual(len(rows), len(compared["rows"]))
        self.assertEqual(
            [list(row[9:12]) for row in rows],
            [row["quantities"] for row in compared["rows"]],
        )
        self.assertEqual(sheet.freeze_panes, "A2")
        # nothing left behind
        self.assertFalse(
            self.env["inventory.snapshot.compare"].search(
                [("create_uid", "=", self.reader.id)]
            )
        )
        with self.assertRaises(UserError):
            Snapshot.export_comparison(*args, file_format="pdf")


def _false_to_none(value):
    """The RPC result's ``False`` for missing values is ``null`` in a file."""
    if isinstance(value, dict):
        return {key: _false_to_none(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_false_to_none(item) for item in value]
    return None if value is False else value
