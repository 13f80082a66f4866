# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A small scenario for comparisons and exports: two snapshots of now, taken
before and after a product changes, one vanishes and one appears, then one
more change (for the column "now"); users of every level and of another
company."""

import csv
import io
import json
from datetime import datetime, timedelta

import openpyxl
from freezegun import freeze_time

from odoo import fields
from odoo.tests import new_test_user


class SnapshotScenarioMixin:
    @classmethod
    def _setup_snapshot_scenario(cls):
        env = cls.env
        cls.Snapshot = env["inventory.snapshot"]
        Quant = env["stock.quant"]
        cls.company = env.company
        cls.warehouse = env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.bin = env["stock.location"].create(
            {"name": "Compare Bin", "location_id": cls.stock.id}
        )
        cls.categ = env["product.category"].create({"name": "Snapshot Compare"})
        Product = env["product.product"]

        def product(name, **vals):
            return Product.create(
                {
                    "name": name,
                    "is_storable": True,
                    "categ_id": cls.categ.id,
                    "standard_price": 2.5,
                    **vals,
                }
            )

        cls.p_change = product("Compare Change", default_code="CMP-CHG")
        cls.p_vanish = product("Compare Vanish")
        cls.p_appear = product("Compare Appear")
        cls.p_same = product("Compare Same")
        cls.p_lot = product("Compare Lot", tracking="lot")
        lot_vals = {"name": "CMP-L1", "product_id": cls.p_lot.id}
        cls.expiry = None
        if "expiration_date" in env["stock.lot"]._fields:
            cls.expiry = datetime(2031, 5, 31, 12, 30, 15)
            lot_vals["expiration_date"] = cls.expiry
        cls.lot = env["stock.lot"].create(lot_vals)

        Quant._update_available_quantity(cls.p_change, cls.stock, 10)
        Quant._update_available_quantity(cls.p_vanish, cls.bin, 7)
        Quant._update_available_quantity(cls.p_same, cls.stock, 3)
        Quant._update_available_quantity(cls.p_lot, cls.stock, 5, lot_id=cls.lot)
        # the first snapshot a minute earlier than the second one
        with freeze_time(fields.Datetime.now() - timedelta(minutes=1)):
            cls.snap_a = cls.Snapshot.browse(
                cls.Snapshot.take_snapshot("Compare A", categ_ids=cls.categ.ids)
            )
        Quant._update_available_quantity(cls.p_change, cls.stock, 5)
        Quant._update_available_quantity(cls.p_vanish, cls.bin, -7)
        Quant._update_available_quantity(cls.p_appear, cls.bin, 4)
        cls.snap_b = cls.Snapshot.browse(
            cls.Snapshot.take_snapshot("Compare B", categ_ids=cls.categ.ids)
        )
        Quant._update_available_quantity(cls.p_change, cls.stock, 3)

        cls.company_b = env["res.company"].create({"name": "Compare Company B"})
        read = "inventory_snapshot.group_inventory_snapshot_read"
        cls.reader = new_test_user(env, login="cmp_reader", groups=read)
        cls.reader2 = new_test_user(env, login="cmp_reader2", groups=read)
        cls.foreigner = new_test_user(
            env,
            login="cmp_foreigner",
            groups="inventory_snapshot.group_inventory_snapshot_manager",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.outsider = new_test_user(
            env, login="cmp_outsider", groups="stock.group_stock_user"
        )

    # ------------------------------------------------------------ helpers
    def _expected_rows(self, snapshot):
        """The lines as the exports show them (``LINE_FIELDS`` order), read
        through the ORM, by product, location and lot."""
        lines = snapshot.line_ids.sorted(
            lambda line: (line.product_id.id, line.location_id.id, line.lot_id.id or 0)
        )
        self.assertTrue(lines)

        def m2o(record, name="name"):
            return (record.id, record[name]) if record else (None, None)

        return [
            (
                line.product_id.id,
                line.product_id.name,
                line.product_id.default_code or None,
                *m2o(line.categ_id, "complete_name"),
                *m2o(line.warehouse_id),
                *m2o(line.location_id, "complete_name"),
                *m2o(line.condition_id),
                *m2o(line.lot_id),
                line.expiration_date or None,
                *m2o(line.uom_id),
                line.on_hand,
                line.reserved,
                line.available,
                line.in_transit,
                line.value,
            )
            for line in lines
        ]

    def assertRowsEqual(self, got, expected, source):
        """Compare exported rows (CSV text, XLSX cells or JSON values) with the
        expected Python values, row by row and cell by cell."""
        self.assertEqual(len(got), len(expected), f"{source}: number of rows")
        for index, (row, want) in enumerate(zip(got, expected, strict=True)):
            self.assertEqual(len(row), len(want), f"{source} row {index}")
            for cell, value in zip(row, want, strict=True):
                where = f"{source} row {index}: {cell!r} != {value!r}"
                if value is None or value is False:
                    self.assertIn(cell, (None, "", False), where)
                elif isinstance(value, datetime):
                    if isinstance(cell, str):
                        self.assertEqual(cell, value.isoformat() + "Z", where)
                    else:  # a date cell, read back as a float of days
                        self.assertLess(abs(cell - value), timedelta(seconds=1), where)
                elif isinstance(value, bool):
                    self.assertEqual(cell, value, where)
                elif isinstance(value, int | float):
                    self.assertAlmostEqual(float(cell), value, places=6, msg=where)
                else:
                    self.assertEqual(cell, value, where)

    @staticmethod
    def _read_csv(content):
        rows = list(csv.reader(io.StringIO(content.decode())))
        return rows[0], rows[1:]

    @staticmethod
    def _read_xlsx(content, sheet):
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        worksheet = workbook[sheet]
        rows = [tuple(row) for row in worksheet.iter_rows(values_only=True)]
        info = (
            {row[0]: row[1] for row in workbook["Info"].iter_rows(values_only=True)}
            if "Info" in workbook.sheetnames
            else {}
        )
        return rows[0], rows[1:], info, worksheet

    @staticmethod
    def _read_json(content):
        return json.loads(content.decode())
