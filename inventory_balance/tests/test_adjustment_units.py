# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, TransactionCase, tagged

from ..tools.lot_balance_rules import lots_with_several_partial_units
from .test_lot_balances import LotBalanceScenarioMixin


@tagged("post_install", "-at_install")
class TestAdjustmentUnits(LotBalanceScenarioMixin, TransactionCase):
    """Adjustments by unit on the WARES example: a line names a package, or
    removes a number of whole units of a lot (the partial one first), or
    receives an odd-count bundle into its own lot code."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_lot_scenario()
        cls.Adjustment = cls.env["inventory.adjustment"]
        cls.reason = cls.env["inventory.adjustment.reason"].search(
            [("code", "=", "count")], limit=1
        )
        cls.lot_a, cls.lot_b = cls.cde_lots[0], cls.cde_lots[1]
        # A partial bundle of lot CDE-A (30 of 50) beside its 10 full ones.
        cls.partial = cls.env["stock.package"].create({"name": "CDE-A-partial"})
        cls._move(
            cls.cde, cls.supplier, cls.rack, 30, cls.now, cls.lot_a, None, cls.partial
        )

    def _adjustment(self, **line):
        line.setdefault("location_id", self.rack.id)
        return self.Adjustment.create(
            {
                "name": "By unit",
                "reason_id": self.reason.id,
                "line_ids": [(0, 0, line)],
            }
        )

    def _lot_line(self, lot, condition="good"):
        result = self._lot_balances(product_ids=lot.product_id.ids)
        lines = [
            line
            for line in result["lots"]
            if line["lot_id"] == lot.id
            and line["condition"] == condition
            and not line["loose"]
        ]
        self.assertEqual(len(lines), 1, lines)
        return lines[0], result

    def test_remove_two_units_takes_the_partial_one_first(self):
        before, _result = self._lot_line(self.lot_a)
        self.assertEqual((before["units"], before["partial_count"]), (11, 1))
        adjustment = self._adjustment(
            product_id=self.cde.id, lot_id=self.lot_a.id, unit_count=2
        )
        self.assertEqual(adjustment.state, "draft")
        moves = adjustment.action_confirm() and adjustment.move_ids
        self.assertEqual(adjustment.state, "done")
        move_lines = moves.move_line_ids.sorted("id")
        self.assertEqual(
            [(ml.package_id.name, ml.quantity) for ml in move_lines],
            [("CDE-A-partial", 30.0), ("CDE-A-B1", 50.0)],
        )
        self.assertFalse(move_lines.result_package_id)
        self.assertEqual(adjustment.line_ids.change, -80.0)
        after, result = self._lot_line(self.lot_a)
        self.assertEqual(
            (after["units"], after["quantity"], after["partial_count"]),
            (9, 450.0, 0),
        )
        self.assertEqual(after["odd_units"], [])
        self.assertEqual(lots_with_several_partial_units(result["lots"]), [])
        # The ledger keys the balances by package: the units taken are empty.
        balances = self.Ledger.balances_at(
            None,
            product_ids=self.cde.ids,
            location_ids=self.rack.ids,
            group_by=["package"],
        )
        packages = {row["package_id"] for row in balances if row["quantity"]}
        self.assertNotIn(self.partial.id, packages)
        self.assertIn(
            self.cde_lots.env["stock.package"].search([("name", "=", "CDE-A-B2")]).id,
            packages,
        )

    def test_removal_by_unit_keeps_at_most_one_partial_unit(self):
        # A package line leaves a partial unit (20 of 50 taken from B3); the
        # next removals by unit take it first, so never two partial units.
        bundle = self.env["stock.package"].search([("name", "=", "CDE-B-B3")])
        self._adjustment(
            product_id=self.cde.id,
            lot_id=self.lot_b.id,
            package_id=bundle.id,
            change=-20,
        ).action_confirm()
        line, _result = self._lot_line(self.lot_b)
        self.assertEqual((line["units"], line["partial_count"]), (10, 1))
        self.assertEqual(
            line["odd_units"],
            [{"package_id": bundle.id, "package": "CDE-B-B3", "quantity": 30.0}],
        )
        for count in (1, 3):
            adjustment = self._adjustment(
                product_id=self.cde.id, lot_id=self.lot_b.id, unit_count=count
            )
            adjustment.action_confirm()
            _line, result = self._lot_line(self.lot_b)
            self.assertEqual(lots_with_several_partial_units(result["lots"]), [])
        self.assertEqual(
            adjustment.move_ids.move_line_ids.package_id.mapped("name"),
            ["CDE-B-B1", "CDE-B-B2", "CDE-B-B4"],
        )
        line, _result = self._lot_line(self.lot_b)
        self.assertEqual(
            (line["units"], line["quantity"], line["partial_count"]), (6, 300.0, 0)
        )

    def test_reserved_units_are_not_removed(self):
        # Two pallets of the oldest UAB lot are reserved: one unit is left.
        oldest = self.uab_lots[0]
        adjustment = self._adjustment(
            product_id=self.uab.id, lot_id=oldest.id, unit_count=1
        )
        adjustment.action_confirm()
        self.assertEqual(
            adjustment.move_ids.move_line_ids.package_id,
            self.uab_pallets[oldest] - self.delivery.move_line_ids.package_id,
        )
        with self.assertRaisesRegex(UserError, "1 units cannot be removed"):
            self._adjustment(
                product_id=self.uab.id, lot_id=oldest.id, unit_count=1
            ).action_confirm()

    def test_empty_pallets_are_removed_by_the_piece(self):
        # PFG789 has no lots nor packages: 40 empty pallets, one unit each.
        adjustment = self._adjustment(product_id=self.pfg.id, unit_count=25)
        adjustment.action_confirm()
        self.assertEqual(adjustment.line_ids.change, -25.0)
        summary = self._lot_balances(product_ids=self.pfg.ids)["summary"]
        self.assertEqual(summary[0]["quantity"], 15.0)
        with self.assertRaises(UserError):
            self._adjustment(product_id=self.pfg.id, unit_count=16).action_confirm()

    def test_bad_input(self):
        bundle_b = self.env["stock.package"].search([("name", "=", "CDE-B-B1")])
        cases = {
            "more units than exist": {"lot_id": self.lot_a.id, "unit_count": 12},
            "a package of another lot": {
                "lot_id": self.lot_a.id,
                "package_id": bundle_b.id,
                "change": -10,
            },
            "a package of another product": {
                "product_id": self.uab.id,
                "lot_id": self.uab_lots[2].id,
                "package_id": bundle_b.id,
                "change": -10,
            },
            "a package at another location": {
                "lot_id": self.lot_b.id,
                "package_id": bundle_b.id,
                "change": -10,
                "location_id": self.damaged_bay.id,
            },
            "more than the package holds": {
                "lot_id": self.lot_b.id,
                "package_id": bundle_b.id,
                "change": -60,
            },
            "a receipt into a package of another lot": {
                "lot_id": self.lot_a.id,
                "package_id": bundle_b.id,
                "change": 5,
            },
        }
        expected = {
            "more units than exist": "12 units cannot be removed",
            "more than the package holds": "holds 50.0 Units free, 60",
        }
        for case, line in cases.items():
            line.setdefault("product_id", self.cde.id)
            adjustment = self._adjustment(**line)
            message = expected.get(case, "holds another product or lot")
            with self.subTest(case=case), self.assertRaisesRegex(UserError, message):
                adjustment.action_confirm()
            self.assertEqual(adjustment.state, "draft")
            self.assertFalse(adjustment.move_ids)
        with self.assertRaises(ValidationError):
            self._adjustment(
                product_id=self.cde.id, lot_id=self.lot_a.id, unit_count=-1
            )
        with self.assertRaises(ValidationError):
            self._adjustment(
                product_id=self.cde.id,
                lot_id=self.lot_b.id,
                unit_count=1,
                package_id=bundle_b.id,
            )

    def test_odd_count_receipt_lands_in_its_suffixed_lot(self):
        # CDE-B-1 exists (the overrun bundle): the next odd lot is CDE-B-2.
        bundle = self.env["stock.package"].create({"name": "CDE-B-odd"})
        adjustment = self._adjustment(
            product_id=self.cde.id,
            lot_id=self.lot_b.id,
            package_id=bundle.id,
            change=47,
            odd_lot=True,
        )
        adjustment.action_confirm()
        line = adjustment.line_ids
        self.assertEqual(line.lot_id.name, "CDE-B-2")
        self.assertEqual(adjustment.move_ids.move_line_ids.result_package_id, bundle)
        odd, _result = self._lot_line(line.lot_id)
        self.assertEqual(
            (odd["units"], odd["quantity"], odd["odd_count"]), (1, 47.0, 1)
        )
        self.assertEqual(
            odd["odd_units"],
            [{"package_id": bundle.id, "package": "CDE-B-odd", "quantity": 47.0}],
        )
        # A full bundle stays in its lot.
        full = self.env["stock.package"].create({"name": "CDE-B-full"})
        adjustment = self._adjustment(
            product_id=self.cde.id,
            lot_id=self.lot_b.id,
            package_id=full.id,
            change=50,
            odd_lot=True,
        )
        adjustment.action_confirm()
        self.assertEqual(adjustment.line_ids.lot_id, self.lot_b)
        line_b, _result = self._lot_line(self.lot_b)
        self.assertEqual((line_b["units"], line_b["odd_count"]), (11, 0))

    def test_confirmed_lines_are_immutable(self):
        adjustment = self._adjustment(
            product_id=self.cde.id, lot_id=self.lot_a.id, unit_count=1
        )
        adjustment.action_confirm()
        with self.assertRaises(UserError):
            adjustment.line_ids.write({"unit_count": 2})
        with self.assertRaises(UserError):
            adjustment.line_ids.write({"package_id": self.partial.id})
        # Confirming again does nothing.
        moves = adjustment.move_ids
        adjustment.action_confirm()
        self.assertEqual(adjustment.move_ids, moves)

    def test_form_shows_the_change_of_units_to_remove(self):
        self.env.user.group_ids += self.env.ref(
            "stock.group_tracking_lot"
        ) + self.env.ref("stock.group_production_lot")
        adjustment = self.Adjustment.create(
            {"name": "Form", "reason_id": self.reason.id}
        )
        with Form(adjustment) as form, form.line_ids.new() as line:
            line.product_id = self.cde
            line.location_id = self.rack
            line.lot_id = self.lot_a
            line.unit_count = 2
            self.assertEqual(line.change, -80.0)
            line.package_id = self.partial
            self.assertEqual(line.unit_count, 0)
            self.assertEqual(line.balance, 30.0)
        self.assertEqual(adjustment.state, "draft")

    def test_rpc_draft_by_unit(self):
        draft_id = self.Adjustment.create_draft(
            "RPC units",
            "count",
            lines=[
                {
                    "product_id": self.cde.id,
                    "location_id": self.rack.id,
                    "lot_id": self.lot_a.id,
                    "unit_count": 1,
                }
            ],
        )
        adjustment = self.Adjustment.browse(draft_id)
        adjustment.confirm()
        self.assertEqual(adjustment.move_ids.move_line_ids.package_id, self.partial)
        for bad in ({"unit_count": "2"}, {"unit_count": -1}, {"package_id": 10**9}):
            line = {"product_id": self.cde.id, "lot_id": self.lot_a.id, **bad}
            with self.assertRaises(UserError):
                self.Adjustment.create_draft("RPC bad", "count", lines=[line])
