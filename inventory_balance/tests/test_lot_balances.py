# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
from datetime import timedelta

import openpyxl

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from ..tools.lot_balance_rules import NUMBERS, sum_lot_lines


class LotBalanceScenarioMixin:
    """The WARES balances posting's example, made through done moves (then
    backdated): UAB123 in 4 lots of 3 pallets of 96 cases, two pallets of one
    lot moved to a Damaged location, one lot in transit, two pallets of the
    oldest lot reserved; CDE456 in 22 bundles of 50, two odd ones under their
    own lot code; PFG789 (empty pallets) loose, without lots."""

    @classmethod
    def _setup_lot_scenario(cls):
        cls.Report = cls.env["inventory.lot.balance.report"]
        cls.Ledger = cls.env["inventory.ledger"]
        cls.now = fields.Datetime.now()
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.good = cls.env.ref("inventory_balance.inventory_condition_good")
        cls.damaged = cls.env.ref("inventory_balance.inventory_condition_damaged")
        Location = cls.env["stock.location"]
        cls.rack = Location.create({"name": "Lot Rack", "location_id": cls.stock.id})
        cls.damaged_bay = Location.create(
            {
                "name": "Lot Damaged Bay",
                "location_id": cls.stock.id,
                "condition_id": cls.damaged.id,
            }
        )
        cls.transit = Location.create(
            {"name": "Lot transit", "usage": "transit", "company_id": cls.company.id}
        )
        cls.supplier = cls.env.ref("stock.stock_location_suppliers")
        cls.unit = cls.env.ref("uom.product_uom_unit")
        UoM = cls.env["uom.uom"]
        cls.pallet_uom = UoM.create(
            {
                "name": "Lot Pallet (96)",
                "relative_factor": 96,
                "relative_uom_id": cls.unit.id,
            }
        )
        cls.bundle_uom = UoM.create(
            {
                "name": "Lot Bundle (50)",
                "relative_factor": 50,
                "relative_uom_id": cls.unit.id,
            }
        )
        Product = cls.env["product.product"]
        cls.uab = Product.create(
            {
                "name": "Lot UAB",
                "default_code": "UAB123",
                "is_storable": True,
                "tracking": "lot",
                "uom_ids": [Command.set(cls.pallet_uom.ids)],
            }
        )
        cls.cde = Product.create(
            {
                "name": "Lot CDE",
                "default_code": "CDE456",
                "is_storable": True,
                "tracking": "lot",
                "uom_ids": [Command.set(cls.bundle_uom.ids)],
            }
        )
        cls.pfg = Product.create(
            {
                "name": "Lot PFG empty pallet",
                "default_code": "PFG789",
                "is_storable": True,
            }
        )
        cls.products = cls.uab | cls.cde | cls.pfg
        Lot = cls.env["stock.lot"]
        Package = cls.env["stock.package"]
        d = cls._days_ago
        cls.uab_lots = Lot.create(
            [{"name": f"UAB-L{i}", "product_id": cls.uab.id} for i in range(1, 5)]
        )
        cls.uab_pallets = {}
        for index, lot in enumerate(cls.uab_lots):
            pallets = Package.create(
                [{"name": f"{lot.name}-P{n}"} for n in range(1, 4)]
            )
            cls.uab_pallets[lot] = pallets
            for pallet in pallets:
                cls._move(
                    cls.uab,
                    cls.supplier,
                    cls.rack,
                    96,
                    d(40 - index),
                    lot,
                    None,
                    pallet,
                )
        # Two pallets of the second lot damaged, the newest lot in transit.
        lot2, lot4 = cls.uab_lots[1], cls.uab_lots[3]
        for pallet in cls.uab_pallets[lot2][:2]:
            cls._move(
                cls.uab, cls.rack, cls.damaged_bay, 96, d(20), lot2, pallet, pallet
            )
        for pallet in cls.uab_pallets[lot4]:
            cls._move(cls.uab, cls.rack, cls.transit, 96, d(10), lot4, pallet, pallet)
        # CDE456: 10 bundles of 50 in each of two lots, and an underrun and an
        # overrun bundle under their own lot code (suffix).
        cls.cde_lots = Lot.create(
            [
                {"name": name, "product_id": cls.cde.id}
                for name in ("CDE-A", "CDE-B", "CDE-A-1", "CDE-B-1")
            ]
        )
        counts = {
            "CDE-A": [50] * 10,
            "CDE-B": [50] * 10,
            "CDE-A-1": [46],
            "CDE-B-1": [53],
        }
        cls.odd_bundles = Package
        for lot in cls.cde_lots:
            for n, count in enumerate(counts[lot.name], start=1):
                bundle = Package.create({"name": f"{lot.name}-B{n}"})
                if count != 50:
                    cls.odd_bundles |= bundle
                cls._move(
                    cls.cde, cls.supplier, cls.rack, count, d(30), lot, None, bundle
                )
        # PFG789: 40 empty pallets, loose.
        cls._move(cls.pfg, cls.supplier, cls.rack, 40, d(30))
        # Two pallets of the oldest lot reserved by a delivery.
        cls.delivery = cls.env["stock.move"].create(
            {
                "product_id": cls.uab.id,
                "product_uom": cls.unit.id,
                "product_uom_qty": 192,
                "location_id": cls.stock.id,
                "location_dest_id": cls.env.ref("stock.stock_location_customers").id,
                "company_id": cls.company.id,
            }
        )
        cls.delivery._action_confirm()
        cls.delivery._action_assign()

    @classmethod
    def _days_ago(cls, days):
        return cls.now - timedelta(days=days)

    @classmethod
    def _move(cls, product, src, dst, qty, date, lot=None, package=None, result=None):
        move = cls.env["stock.move"].create(
            {
                "product_id": product.id,
                "product_uom": cls.unit.id,
                "product_uom_qty": qty,
                "location_id": src.id,
                "location_dest_id": dst.id,
                "company_id": cls.company.id,
                "move_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_id": cls.unit.id,
                            "quantity": qty,
                            "lot_id": lot.id if lot else False,
                            "package_id": package.id if package else False,
                            "result_package_id": result.id if result else False,
                            "location_id": src.id,
                            "location_dest_id": dst.id,
                        }
                    )
                ],
            }
        )
        move._action_confirm()
        move.picked = True
        move._action_done()
        move.write({"date": date})
        move.move_line_ids.write({"date": date})
        return move

    def _lot_balances(self, at=None, **kwargs):
        kwargs.setdefault("product_ids", self.products.ids)
        return self.Report.lot_balances(at, **kwargs)


@tagged("post_install", "-at_install")
class TestLotBalances(LotBalanceScenarioMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_lot_scenario()

    def _lines(self, result):
        return {
            (line["product_id"], line["lot_id"], line["condition"], line["loose"]): line
            for line in result["lots"]
        }

    def _summary(self, result):
        return {
            (line["product_id"], line["condition"]): line for line in result["summary"]
        }

    def test_reservation_took_two_pallets_of_the_oldest_lot(self):
        lines = self.delivery.move_line_ids
        self.assertEqual(lines.lot_id, self.uab_lots[0])
        self.assertEqual(len(lines.package_id), 2)
        self.assertEqual(sum(lines.mapped("quantity")), 192)

    def test_document_example(self):
        result = self._lot_balances()
        lines = self._lines(result)
        l1, l2, l3, l4 = self.uab_lots
        uab = self.uab.id
        # Every UAB line: 96 cases a unit, no odd unit.
        for lot in self.uab_lots:
            line = lines[uab, lot.id, "good", False]
            self.assertEqual(line["standard_count"], 96.0)
            self.assertEqual(line["odd_units"], [])
        oldest = lines[uab, l1.id, "good", False]
        self.assertEqual(
            (oldest["units"], oldest["quantity"], oldest["reserved"]), (3, 288.0, 192.0)
        )
        self.assertEqual(oldest["available"], 96.0)
        # The lot with two damaged units: two lines, the damaged one unavailable.
        damaged = lines[uab, l2.id, "damaged", False]
        self.assertEqual((damaged["units"], damaged["quantity"]), (2, 192.0))
        self.assertEqual(damaged["available"], 0.0)
        self.assertEqual(damaged["on_hand"], 192.0)
        self.assertEqual(lines[uab, l2.id, "good", False]["units"], 1)
        self.assertEqual(lines[uab, l2.id, "good", False]["available"], 96.0)
        self.assertEqual(lines[uab, l3.id, "good", False]["available"], 288.0)
        in_transit = lines[uab, l4.id, "good", False]
        self.assertEqual((in_transit["units"], in_transit["in_transit"]), (3, 288.0))
        self.assertEqual(in_transit["available"], 0.0)
        self.assertEqual(oldest["product"], self.uab.display_name)
        self.assertEqual(oldest["lot"], "UAB-L1")
        self.assertEqual((oldest["default_code"], oldest["uom"]), ("UAB123", "Units"))
        summary = self._summary(result)
        self.assertEqual(summary[uab, "good"]["units"], 10)
        self.assertEqual(summary[uab, "good"]["quantity"], 960.0)
        self.assertEqual(summary[uab, "good"]["available"], 480.0)
        self.assertEqual(summary[uab, "good"]["in_transit"], 288.0)
        self.assertEqual(summary[uab, "good"]["lots"], 4)
        self.assertEqual(summary[uab, "damaged"]["units"], 2)
        self.assertEqual(summary[uab, "damaged"]["available"], 0.0)
        # CDE456: 22 bundles, the two odd ones listed under their own lots.
        cde = summary[self.cde.id, "good"]
        self.assertEqual((cde["units"], cde["odd_count"]), (22, 2))
        self.assertEqual(cde["quantity"], 1099.0)
        odd = [u for line in result["lots"] for u in line["odd_units"]]
        self.assertEqual(
            sorted((u["package"], u["quantity"]) for u in odd),
            [("CDE-A-1-B1", 46.0), ("CDE-B-1-B1", 53.0)],
        )
        self.assertEqual(
            lines[self.cde.id, self.cde_lots[2].id, "good", False]["partial_count"], 1
        )
        # PFG789 has no lots: in the summary only, as loose stock.
        self.assertNotIn(self.pfg.id, {line["product_id"] for line in result["lots"]})
        pfg = summary[self.pfg.id, "good"]
        self.assertEqual((pfg["quantity"], pfg["loose_quantity"]), (40.0, 40.0))
        self.assertEqual((pfg["units"], pfg["lots"]), (0, 0))
        self.assertFalse(pfg["standard_count"])

    def test_summary_is_the_sum_of_the_lot_lines(self):
        result = self._lot_balances()
        sums = sum_lot_lines(result["lots"])
        for row in result["summary"]:
            key = (row["product_id"], row["condition_id"])
            if row["product_id"] == self.pfg.id:
                self.assertNotIn(key, sums)
                continue
            for name in NUMBERS:
                self.assertAlmostEqual(row[name], sums[key][name], msg=name)

    def test_non_good_condition_is_never_available(self):
        result = self._lot_balances()
        bad = [
            line
            for line in result["lots"] + result["summary"]
            if line["condition"] != "good"
        ]
        self.assertTrue(bad)
        for line in bad:
            self.assertEqual(line["available"], 0.0)
            self.assertGreater(line["on_hand"], 0.0)

    def test_moving_a_unit_changes_its_condition(self):
        """A package moved into a location of another condition changes
        condition as a whole: units, quantity and availability follow."""
        l3 = self.uab_lots[2]
        pallet = self.uab_pallets[l3][0]
        self._move(
            self.uab, self.rack, self.damaged_bay, 96, self.now, l3, pallet, pallet
        )
        lines = self._lines(self._lot_balances())
        self.assertEqual(lines[self.uab.id, l3.id, "damaged", False]["units"], 1)
        self.assertEqual(lines[self.uab.id, l3.id, "damaged", False]["available"], 0.0)
        self.assertEqual(lines[self.uab.id, l3.id, "good", False]["units"], 2)
        self.assertEqual(lines[self.uab.id, l3.id, "good", False]["available"], 192.0)

    def test_loose_stock_is_its_own_line(self):
        l3 = self.uab_lots[2]
        self._move(self.uab, self.supplier, self.rack, 7, self.now, l3)
        lines = self._lines(self._lot_balances())
        loose = lines[self.uab.id, l3.id, "good", True]
        self.assertEqual((loose["units"], loose["quantity"]), (0, 7.0))
        self.assertEqual(loose["odd_units"], [])
        self.assertEqual(lines[self.uab.id, l3.id, "good", False]["units"], 3)

    def test_past_date_equals_the_ledger(self):
        """At a past moment, before the damage and the transit: every lot line
        sums the engine's balances by package, and the lot of the damaged
        units was all Good then."""
        at = fields.Datetime.to_string(self._days_ago(25))
        result = self._lot_balances(at)
        self.assertEqual(result["at"], at)
        ledger = self.Ledger.balances_at(
            at,
            group_by=["product", "lot", "package"],
            product_ids=self.products.ids,
        )
        expected = {}
        for row in ledger:
            key = (row["product_id"], row["lot_id"])
            qty, units = expected.get(key, (0.0, 0))
            expected[key] = (qty + row["quantity"], units + bool(row["package_id"]))
        found = {}
        for line in result["lots"]:
            key = (line["product_id"], line["lot_id"])
            qty, units = found.get(key, (0.0, 0))
            found[key] = (qty + line["quantity"], units + line["units"])
        found[self.pfg.id, False] = (40.0, 0)
        self.assertEqual(found, expected)
        lines = self._lines(result)
        lot2 = lines[self.uab.id, self.uab_lots[1].id, "good", False]
        self.assertEqual((lot2["units"], lot2["available"]), (3, 288.0))
        self.assertEqual(lot2["reserved"], 0.0)
        self.assertNotIn("damaged", {line["condition"] for line in result["lots"]})
        # Before the newest lot was received, it has no line.
        older = self._lot_balances(fields.Datetime.to_string(self._days_ago(38)))
        self.assertEqual(
            {
                line["lot_id"]
                for line in older["lots"]
                if line["product_id"] == self.uab.id
            },
            set(self.uab_lots[:3].ids),
        )

    def test_same_from_a_checkpoint(self):
        """From a checkpoint between the damage and the transit, before and
        after a moment, the lot balances equal the ones from the whole
        ledger."""
        moments = [
            fields.Datetime.to_string(self._days_ago(days)) for days in (25, 15, 5)
        ]
        expected = [self._lot_balances(at) for at in moments]
        self.env["inventory.ledger.checkpoint"].build_checkpoint(
            self._days_ago(15), self.company.id
        )
        self.assertTrue(
            self.Ledger._from_checkpoint(self._days_ago(5), [self.company.id])
        )
        self.assertEqual([self._lot_balances(at) for at in moments], expected)

    def test_unit_removal_plan_takes_the_partial_unit_first(self):
        lot_a = self.cde_lots[0]
        partial = self.env["stock.package"].create({"name": "CDE-A-partial"})
        self._move(
            self.cde, self.supplier, self.rack, 30, self.now, lot_a, None, partial
        )
        plan = self.Report.unit_removal_plan(self.cde.id, lot_a.id, 2)
        self.assertEqual(
            [(u["package"], u["quantity"]) for u in plan["units"]],
            [("CDE-A-partial", 30.0), ("CDE-A-B1", 50.0)],
        )
        self.assertEqual(plan["quantity"], 80.0)
        self.assertEqual(plan["units"][0]["location_id"], self.rack.id)
        # Units in transit are not at hand to remove.
        lot4 = self.uab_lots[3]
        with self.assertRaises(UserError):
            self.Report.unit_removal_plan(self.uab.id, lot4.id, 1)
        with self.assertRaises(UserError):
            self.Report.unit_removal_plan(self.uab.id, self.uab_lots[0].id, 4)
        with self.assertRaises(UserError):
            self.Report.unit_removal_plan(self.uab.id, self.uab_lots[0].id, -1)

    def test_filters(self):
        result = self._lot_balances(
            product_ids=self.uab.ids, condition_ids=self.damaged.ids
        )
        self.assertEqual(len(result["lots"]), 1)
        self.assertEqual(result["summary"][0]["units"], 2)
        result = self._lot_balances(location_ids=self.transit.ids)
        self.assertEqual(
            [line["lot_id"] for line in result["lots"]], self.uab_lots[3].ids
        )
        result = self._lot_balances(warehouse_ids=self.warehouse.ids)
        self.assertNotIn(
            self.uab_lots[3].id, [line["lot_id"] for line in result["lots"]]
        )
        result = self._lot_balances(lot_ids=self.cde_lots[3].ids)
        self.assertEqual(result["lots"][0]["odd_units"][0]["quantity"], 53.0)
        with self.assertRaises(UserError):
            self._lot_balances(product_ids="UAB123")
        with self.assertRaises(UserError):
            self._lot_balances(fields.Datetime.to_string(self.now + timedelta(days=2)))

    def test_report_screen_groups_as_the_rpc(self):
        """The list's groups by product, condition and lot give the RPC's lot
        lines."""
        domain = [("product_id", "in", self.products.ids), ("lot_id", "!=", False)]
        groups = self.Report.formatted_read_group(
            domain,
            ["product_id", "condition_id", "lot_id"],
            ["units:sum", "quantity:sum", "available:sum", "odd_units:sum"],
        )
        found = {
            (g["product_id"][0], g["condition_id"][0], g["lot_id"][0]): (
                g["units:sum"],
                g["quantity:sum"],
                g["available:sum"],
                g["odd_units:sum"],
            )
            for g in groups
        }
        expected = {}
        for line in self._lot_balances()["lots"]:
            key = (line["product_id"], line["condition_id"], line["lot_id"])
            units, qty, available, odd = expected.get(key, (0, 0.0, 0.0, 0))
            expected[key] = (
                units + line["units"],
                qty + line["quantity"],
                available + line["available"],
                odd + line["odd_count"],
            )
        self.assertEqual(found, expected)
        odd = self.Report.search(
            [("product_id", "in", self.products.ids), ("is_odd", "=", True)]
        )
        self.assertEqual(odd.package_id, self.odd_bundles)
        # A past moment in the context: the damage had not happened.
        past = self.Report.with_context(
            inventory_at=fields.Datetime.to_string(self._days_ago(25))
        ).search([("product_id", "=", self.uab.id)])
        self.assertEqual(set(past.condition_id.mapped("code")), {"good"})
        self.assertEqual(sum(past.mapped("units")), 12)

    def test_wizard_and_xlsx_export(self):
        wizard = self.env["inventory.lot.balance.wizard"].create(
            {"product_ids": [Command.set(self.products.ids)]}
        )
        action = wizard.action_open_report()
        self.assertEqual(action["res_model"], "inventory.lot.balance.report")
        self.assertIn(("product_id", "in", self.products.ids), action["domain"])
        action = wizard.action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        export = self.Report.export_lot_balances_xlsx(product_ids=self.products.ids)
        workbook = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(export["content"]))
        )
        self.assertEqual(workbook.sheetnames, ["Summary", "Lots"])
        summary = list(workbook["Summary"].iter_rows(values_only=True))
        header = summary[0]
        rows = {
            (row[header.index("Reference")], row[header.index("Condition")]): row
            for row in summary[1:]
        }
        uab = rows["UAB123", "Good"]
        self.assertEqual(uab[header.index("Units")], 10)
        self.assertEqual(uab[header.index("Quantity")], 960)
        self.assertEqual(rows["UAB123", "Damaged"][header.index("Available")], 0)
        self.assertEqual(rows["PFG789", "Good"][header.index("Loose Quantity")], 40)
        lots = list(workbook["Lots"].iter_rows(values_only=True))
        header = lots[0]
        odd = {
            row[header.index("Lot")]: row[header.index("Odd Units (package: count)")]
            for row in lots[1:]
            if row[header.index("Odd Units")]
        }
        self.assertEqual(
            odd, {"CDE-A-1": "CDE-A-1-B1: 46", "CDE-B-1": "CDE-B-1-B1: 53"}
        )
        self.assertEqual(len(lots) - 1, 9)

    def test_only_inventory_users(self):
        user = self.env["res.users"].create(
            {"name": "Lot outsider", "login": "lot_outsider", "group_ids": []}
        )
        with self.assertRaises(AccessError):
            self.Report.with_user(user).lot_balances()
