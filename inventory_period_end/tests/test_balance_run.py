# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
from datetime import timedelta
from unittest.mock import patch

import openpyxl

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.inventory_period_end import uninstall_hook
from odoo.addons.inventory_period_end.models import (
    inventory_balance_run_checks as checks_module,
)
from odoo.addons.inventory_period_end.models import (
    inventory_balance_run_corrections as corrections_module,
)

from .common import BalanceRunMixin


@tagged("post_install", "-at_install")
class TestBalanceRun(BalanceRunMixin, TransactionCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_balance_run()
        cls.user = new_test_user(
            cls.env,
            login="balance_user",
            groups="stock.group_stock_user,"
            "inventory_period_end.group_inventory_period_end_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="balance_manager",
            groups="stock.group_stock_user,"
            "inventory_period_end.group_inventory_period_end_manager",
        )

    def _period_end_adjustment(self, run):
        """The one adjustment the correcting run posted: done, with the
        reason *Period-end balance*."""
        adjustment = run.adjustment_ids
        self.assertEqual(len(adjustment), 1)
        self.assertEqual(adjustment.state, "done")
        self.assertEqual(
            adjustment.reason_id,
            self.env.ref("inventory_balance.inventory_adjustment_reason_period_end"),
        )
        return adjustment

    def _correct_and_recheck(self, run):
        """Correct a run in Balance mode, then a report-only run finds nothing."""
        run.mode = "balance"
        run.action_run()
        run.with_user(self.manager).action_apply_corrections()
        self.assertEqual(run.state, "corrected")
        self.assertFalse(run.line_ids.filtered(lambda line: line.action == "proposed"))
        again = self._report()
        self.assertEqual(again.line_count, 0, again.counts_summary)
        return run

    # ------------------------------------------------------------ clean data
    def test_clean_data_finds_nothing(self):
        for method in ("auto", "ledger"):
            run = self._report(ledger_method=method)
            self.assertEqual(run.state, "done")
            self.assertEqual(run.line_count, 0, run.counts_summary)
            self.assertEqual(run.method_used, "ledger")
        self.assertTrue(run.name.startswith("BAL/"))
        self.assertTrue(run.started_by and run.ended_at)

    def test_from_checkpoint_same_findings(self):
        self.Checkpoint.build_checkpoint(self._days_ago(12))
        self._sql(
            "UPDATE stock_quant SET quantity = quantity + 7 "
            "WHERE product_id = %s AND location_id = %s",
            self.p1.id,
            self.bin1.id,
        )
        from_checkpoint = self._report()
        self.assertEqual(from_checkpoint.method_used, "checkpoint")
        whole = self._report(ledger_method="ledger")
        self.assertEqual(whole.method_used, "ledger")
        self.assertEqual(self._findings(from_checkpoint), self._findings(whole))
        self.assertEqual(
            self._findings(whole),
            {("quant_ledger", self.p1, self.bin1, self.lot_a.browse()): (53, 60, 7)},
        )

    # ------------------------------------------------- (a) quant vs ledger
    def test_quant_ledger(self):
        self._sql(
            "UPDATE stock_quant SET quantity = quantity + 7 "
            "WHERE product_id = %s AND location_id = %s",
            self.p1.id,
            self.bin1.id,
        )
        self._sql(
            "DELETE FROM stock_quant WHERE product_id = %s AND location_id = %s",
            self.p3.id,
            self.bin1.id,
        )
        # A phantom quant with no ledger behind it.
        self._sql(
            "INSERT INTO stock_quant (product_id, location_id, company_id, quantity, "
            "reserved_quantity, in_date) VALUES (%s, %s, %s, 4, 0, now())",
            self.p1.id,
            self.bin2.id,
            self.company.id,
        )
        run = self._report()
        no_lot = self.lot_a.browse()
        self.assertEqual(
            self._findings(run),
            {
                ("quant_ledger", self.p1, self.bin1, no_lot): (53, 60, 7),
                ("quant_ledger", self.p1, self.bin2, no_lot): (15, 19, 4),
                ("quant_ledger", self.p3, self.bin1, no_lot): (19, 0, -19),
                # The phantom is a second quant of the key.
                ("duplicate_quant", self.p1, self.bin2, no_lot): (1, 2, 1),
            },
        )
        impacts = {
            line.product_id: line.value_impact
            for line in run.line_ids
            if line.location_id == self.bin1
        }
        self.assertEqual(impacts, {self.p1: 70.0, self.p3: -47.5})
        self.assertEqual(set(run.line_ids.mapped("action")), {"proposed"})
        self.assertIn("a. Quant quantity vs ledger: 3", run.counts_summary)
        self.assertEqual(run.get_counts()["quant_ledger"], 3)

        self._correct_and_recheck(run)
        self.assertEqual(self._quant_total(self.p1, self.bin1), (53.0, 1))
        self.assertEqual(self._quant_total(self.p1, self.bin2), (15.0, 1))
        self.assertEqual(self._quant_total(self.p3, self.bin1), (19.0, 1))
        self.assertEqual(
            set(run.line_ids.mapped("message")),
            {
                "Quant adjusted to ledger quantity",
                "Quants of the key merged into one (quantities and reservations "
                "summed)",
            },
        )
        self.assertEqual(set(run.line_ids.mapped("action")), {"taken"})
        self.assertIn("4 findings corrected", run.message_ids[0].body)
        self.assertIn(
            "a. Quant quantity vs ledger: 3 (corrected 3, remaining 0)",
            run.counts_summary,
        )
        # The stock read by Odoo follows (internal locations only).
        self.assertEqual(self.p1.qty_available, 53 + 15 + 38)

    def test_corrections_in_batches(self):
        """One batch per product: each is checked again and corrected."""
        self._sql(
            "UPDATE stock_quant SET quantity = quantity + 1 WHERE product_id IN %s "
            "AND location_id = %s",
            tuple(self.products.ids),
            self.bin1.id,
        )
        move = (
            self.env["stock.move.line"]
            .search(
                [
                    ("product_id", "=", self.p3.id),
                    ("location_id", "=", self.supplier.id),
                ]
            )
            .move_id
        )
        self._sql("UPDATE stock_move SET quantity = 3 WHERE id = %s", move.id)
        run = self._report(mode="balance")
        self.assertEqual(run.get_counts()["quant_ledger"], 3)
        with patch.object(corrections_module, "BATCH_SIZE", 1):
            run.with_user(self.manager).action_apply_corrections()
        self.assertEqual(
            {(line.rule_code, line.product_id, line.action) for line in run.line_ids},
            {
                ("quant_ledger", self.p1, "taken"),
                ("quant_ledger", self.p2, "taken"),
                ("quant_ledger", self.p3, "taken"),
                ("move_lines_sum", self.p3, "reported"),
            },
        )
        self.assertEqual(run.proposed_count, 0)
        self.assertEqual(run.line_count, 4)
        again = self._report()
        self.assertEqual(again.get_counts()["quant_ledger"], 0)
        self.assertEqual(again.get_counts()["move_lines_sum"], 1)

    def test_duplicate_quants_merged(self):
        quant = self.env["stock.quant"].search(
            [("product_id", "=", self.p1.id), ("location_id", "=", self.bin1.id)]
        )
        self._sql(
            "INSERT INTO stock_quant (product_id, location_id, company_id, quantity, "
            "reserved_quantity, in_date) SELECT product_id, location_id, company_id, "
            "quantity, 0, in_date FROM stock_quant WHERE id = %s",
            quant.id,
        )
        run = self._report()
        no_lot = self.lot_a.browse()
        self.assertEqual(
            self._findings(run),
            {
                ("quant_ledger", self.p1, self.bin1, no_lot): (53, 106, 53),
                ("duplicate_quant", self.p1, self.bin1, no_lot): (1, 2, 1),
            },
        )
        self._correct_and_recheck(run)
        self.assertEqual(self._quant_total(self.p1, self.bin1), (53.0, 1))

    # ---------------------------------------------------- (b) reservations
    def test_reserved(self):
        customer_move = self.env["stock.move"].create(
            {
                "product_id": self.p3.id,
                "product_uom": self.unit.id,
                "product_uom_qty": 4,
                "location_id": self.bin1.id,
                "location_dest_id": self.customer.id,
                "company_id": self.company.id,
            }
        )
        customer_move._action_confirm()
        customer_move._action_assign()
        self.assertEqual(customer_move.state, "assigned")
        self.assertEqual(self._report().line_count, 0)
        # Reservation lost on the p3 quant; a stray one on p1 with no line.
        self._sql(
            "UPDATE stock_quant SET reserved_quantity = 0 "
            "WHERE product_id = %s AND location_id = %s",
            self.p3.id,
            self.bin1.id,
        )
        self._sql(
            "UPDATE stock_quant SET reserved_quantity = 5 "
            "WHERE product_id = %s AND location_id = %s",
            self.p1.id,
            self.bin2a.id,
        )
        run = self._report()
        no_lot = self.lot_a.browse()
        self.assertEqual(
            self._findings(run),
            {
                ("reserved", self.p3, self.bin1, no_lot): (4, 0, -4),
                ("reserved", self.p1, self.bin2a, no_lot): (0, 5, 5),
            },
        )
        self.assertEqual(set(run.line_ids.mapped("value_impact")), {0.0})
        self._correct_and_recheck(run)
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "in", (self.p1 | self.p3).ids),
                ("location_id", "in", (self.bin1 | self.bin2a).ids),
            ]
        )
        self.assertEqual(
            {
                (q.product_id, q.location_id): q.reserved_quantity
                for q in quants
                if q.quantity
            },
            {
                (self.p1, self.bin1): 0,
                (self.p1, self.bin2a): 0,
                (self.p3, self.bin1): 4,
            },
        )
        # Odoo can now deliver the reservation.
        customer_move.picked = True
        customer_move._action_done()
        self.assertEqual(self._quant_total(self.p3, self.bin1)[0], 15.0)

    def test_reserved_quant_lost(self):
        """The quant holding a reservation deleted: both the quantity and the
        reservation come back."""
        customer_move = self.env["stock.move"].create(
            {
                "product_id": self.p3.id,
                "product_uom": self.unit.id,
                "product_uom_qty": 4,
                "location_id": self.bin1.id,
                "location_dest_id": self.customer.id,
                "company_id": self.company.id,
            }
        )
        customer_move._action_confirm()
        customer_move._action_assign()
        self._sql(
            "DELETE FROM stock_quant WHERE product_id = %s AND location_id = %s",
            self.p3.id,
            self.bin1.id,
        )
        run = self._report()
        no_lot = self.lot_a.browse()
        self.assertEqual(
            self._findings(run),
            {
                ("quant_ledger", self.p3, self.bin1, no_lot): (19, 0, -19),
                ("reserved", self.p3, self.bin1, no_lot): (4, 0, -4),
            },
        )
        self._correct_and_recheck(run)
        quant = self.env["stock.quant"].search(
            [("product_id", "=", self.p3.id), ("location_id", "=", self.bin1.id)]
        )
        self.assertEqual((quant.quantity, quant.reserved_quantity), (19, 4))

    # -------------------------------------------------- (c) negative quants
    def test_negative(self):
        self._sql(
            "UPDATE stock_quant SET quantity = -3 "
            "WHERE product_id = %s AND location_id = %s",
            self.p3.id,
            self.bin1.id,
        )
        run = self._report()
        no_lot = self.lot_a.browse()
        self.assertEqual(
            self._findings(run),
            {
                ("quant_ledger", self.p3, self.bin1, no_lot): (19, -3, -22),
                ("negative", self.p3, self.bin1, no_lot): (0, -3, -3),
            },
        )
        negative = run.line_ids.filtered(lambda line: line.rule_code == "negative")
        # The last move out of that place is named as the likely cause.
        self.assertEqual(negative.move_id.location_dest_id, self.customer)
        self.assertEqual(negative.value_impact, -7.5)
        # The quantity rule sets the key to the ledger (19): report-only
        # proposes what the correcting run will do.
        self.assertEqual(
            (negative.action, negative.correction), ("proposed", "set_quant_to_ledger")
        )
        self._correct_and_recheck(run)
        # Settled by the quantity's correction: checked again, gone.
        self.assertFalse(
            run.line_ids.filtered(lambda line: line.rule_code == "negative")
        )
        self.assertEqual(run.state, "corrected")
        self.assertEqual(self._quant_total(self.p3, self.bin1), (19.0, 1))

    def test_negative_allowed(self):
        self.company.inventory_adjustment_allow_negative = True
        self._sql(
            "UPDATE stock_quant SET quantity = -3 "
            "WHERE product_id = %s AND location_id = %s",
            self.p3.id,
            self.bin1.id,
        )
        run = self._report()
        self.assertEqual(run.get_counts()["negative"], 0)
        self.assertEqual(run.get_counts()["quant_ledger"], 1)

    # ------------------------------------------------------------ (d) lots
    def test_lot_missing(self):
        self._sql(
            "UPDATE stock_quant SET lot_id = NULL "
            "WHERE product_id = %s AND lot_id = %s AND location_id = %s",
            self.p2.id,
            self.lot_b.id,
            self.bin2.id,
        )
        run = self._report()
        self.assertEqual(
            self._findings(run),
            {
                ("quant_ledger", self.p2, self.bin2, self.lot_b): (20, 0, -20),
                ("quant_ledger", self.p2, self.bin2, self.lot_a.browse()): (0, 20, 20),
                ("lot_missing", self.p2, self.bin2, self.lot_a.browse()): (0, 20, 20),
            },
        )
        self._correct_and_recheck(run)
        self.assertEqual(self._quant_total(self.p2, self.bin2, self.lot_b), (20.0, 1))
        self.assertEqual(self._quant_total(self.p2, self.bin2), (0.0, 0))

    def test_serial_quantity(self):
        serial_product = self.env["product.product"].create(
            {"name": "Balance serial", "is_storable": True, "tracking": "serial"}
        )
        serial = self.env["stock.lot"].create(
            {"name": "SN-1", "product_id": serial_product.id}
        )
        self._move(serial_product, self.supplier, self.bin1, 1, self.now, lot=serial)
        products = self.products | serial_product
        run = self._report(product_ids=[(6, 0, products.ids)])
        self.assertEqual(run.line_count, 0)
        self._sql(
            "UPDATE stock_quant SET quantity = 2 WHERE lot_id = %s",
            serial.id,
        )
        run = self._report(product_ids=[(6, 0, products.ids)])
        self.assertEqual(
            self._findings(run, "serial_quantity"),
            {("serial_quantity", serial_product, self.bin1, serial): (1, 2, 1)},
        )

    # ---------------------------------------------------- (e) places
    def test_archived_location_and_package(self):
        package = self.env["stock.package"].create({"name": "Balance pack"})
        self.env["stock.quant"]._update_available_quantity(
            self.p3, self.bin2, 6, package_id=package
        )
        self.assertEqual(package.location_id, self.bin2)
        ledger_run = self._report()
        # Quants made without moves are what rule (a) is for.
        self.assertEqual(
            set(self._findings(ledger_run)),
            {("quant_ledger", self.p3, self.bin2, self.lot_a.browse())},
        )
        self._sql(
            "UPDATE stock_quant SET location_id = %s WHERE package_id = %s",
            self.bin1.id,
            package.id,
        )
        self._sql(
            "UPDATE stock_location SET active = FALSE WHERE id = %s", self.bin2a.id
        )
        run = self._report()
        no_lot = self.lot_a.browse()
        self.assertEqual(
            self._findings(run, "package_location"),
            {("package_location", self.p3, self.bin1, no_lot): (0, 6, 6)},
        )
        self.assertEqual(
            self._findings(run, "archived_location"),
            {("archived_location", self.p1, self.bin2a, no_lot): (0, 38, 38)},
        )
        # Stock pushed into the warehouse's view location by a broken script.
        view = self.warehouse.view_location_id
        self._sql(
            "INSERT INTO stock_quant (product_id, location_id, company_id, quantity, "
            "reserved_quantity, in_date) VALUES (%s, %s, %s, 2, 0, now())",
            self.p3.id,
            view.id,
            self.company.id,
        )
        for scope in ({}, {"warehouse_ids": [(6, 0, self.warehouse.ids)]}):
            run = self._report(**scope)
            self.assertEqual(
                self._findings(run, "view_location"),
                {("view_location", self.p3, view, no_lot): (0, 2, 2)},
            )
        run = self._report(location_ids=[(6, 0, self.bin1.ids)])
        self.assertFalse(self._findings(run, "view_location"))

    def test_lot_and_package_places_follow(self):
        """Quants made without moves (as imports and broken scripts do) are
        removed; the lot's and the package's stored place follow."""
        package = self.env["stock.package"].create({"name": "Balance pack"})
        lot = self.env["stock.lot"].create({"name": "LC", "product_id": self.p2.id})
        Quant = self.env["stock.quant"]
        Quant._update_available_quantity(self.p3, self.bin2, 6, package_id=package)
        Quant._update_available_quantity(self.p2, self.bin1, 5, lot_id=lot)
        self.assertEqual((package.location_id, lot.location_id), (self.bin2, self.bin1))
        run = self._report()
        self.assertEqual(
            self._findings(run),
            {
                ("quant_ledger", self.p3, self.bin2, self.lot_a.browse()): (0, 6, 6),
                ("quant_ledger", self.p2, self.bin1, lot): (0, 5, 5),
            },
        )
        self._correct_and_recheck(run)
        self.assertFalse(package.location_id)
        self.assertFalse(lot.location_id)

    def test_counting_in_progress_kept(self):
        quant = self.env["stock.quant"].search(
            [("product_id", "=", self.p1.id), ("location_id", "=", self.bin1.id)]
        )
        quant.inventory_quantity = 50
        self.assertEqual(quant.inventory_diff_quantity, -3)
        self._sql(
            "UPDATE stock_quant SET quantity = 60 WHERE id = %s",
            quant.id,
        )
        self._correct_and_recheck(self._report())
        self.assertEqual(
            (quant.quantity, quant.inventory_quantity, quant.inventory_diff_quantity),
            (53, 50, -3),
        )

    # -------------------------------------------- (h) moves vs their lines
    def test_move_lines_sum(self):
        move = (
            self.env["stock.move.line"]
            .search(
                [
                    ("product_id", "=", self.p3.id),
                    ("location_id", "=", self.supplier.id),
                ]
            )
            .move_id
        )
        self.assertEqual(move.product_uom, self.dozen)
        self.assertEqual(self._report().line_count, 0)
        self._sql("UPDATE stock_move SET quantity = 3 WHERE id = %s", move.id)
        run = self._report()
        line = run.line_ids
        self.assertEqual(line.rule_code, "move_lines_sum")
        self.assertEqual(line.move_id, move)
        # In the product's unit: 3 dozen expected, 2 dozen in the lines.
        self.assertEqual((line.expected, line.found, line.difference), (36, 24, -12))
        self.assertEqual(line.action, "reported")

    def test_move_lines_sum_compensating(self):
        """Two moves of one product wrong by +2 and -2: the product's plain
        totals agree, its id-weighted totals do not; both moves are found."""
        receipts = (
            self.env["stock.move.line"]
            .search(
                [
                    ("product_id", "=", self.p1.id),
                    ("location_id", "=", self.supplier.id),
                ]
            )
            .move_id
        )
        self.assertEqual(sorted(receipts.mapped("quantity")), [40, 100])
        for move in receipts:
            self._sql(
                "UPDATE stock_move SET quantity = quantity + %s WHERE id = %s",
                2 if move.quantity == 100 else -2,
                move.id,
            )
        for method in ("ledger", "auto"):
            run = self._report(ledger_method=method)
            self.assertEqual(
                {(line.move_id, line.expected, line.found) for line in run.line_ids},
                {
                    (
                        receipts.filtered(lambda m: m.location_dest_id == self.bin1),
                        102,
                        100,
                    ),
                    (
                        receipts.filtered(lambda m: m.location_dest_id == self.bin2a),
                        38,
                        40,
                    ),
                },
            )

    # ------------------------------------------------------ (i) zero quants
    def test_zero_quant(self):
        self._sql(
            "INSERT INTO stock_quant (product_id, location_id, company_id, quantity, "
            "reserved_quantity, in_date) VALUES (%s, %s, %s, 0, 0, now())",
            self.p3.id,
            self.bin2.id,
            self.company.id,
        )
        kept = self._report(purge_zero_quants=False, mode="balance")
        self.assertEqual(
            self._findings(kept),
            {("zero_quant", self.p3, self.bin2, self.lot_a.browse()): (0, 0, 0)},
        )
        self.assertEqual(kept.line_ids.action, "reported")
        run = self._report()
        self.assertEqual(
            run.line_ids.message,
            "Quant with no quantity and no reservation; proposed: zero quant purged",
        )
        self._correct_and_recheck(run)
        self.assertEqual(run.line_ids.message, "Zero quant purged")
        self.assertEqual(self._quant_total(self.p3, self.bin2), (0.0, 0))

    # ------------------------------------------------ counted stock as truth
    def test_counted_policy_posts_adjustment(self):
        self._sql(
            "UPDATE stock_quant SET quantity = 60 "
            "WHERE product_id = %s AND location_id = %s",
            self.p1.id,
            self.bin1.id,
        )
        self._sql(
            "UPDATE stock_quant SET quantity = 16 WHERE lot_id = %s",
            self.lot_a.id,
        )
        # Transit stock cannot be counted by an adjustment: it follows the ledger.
        self._sql(
            "UPDATE stock_quant SET quantity = 11 WHERE product_id = %s "
            "AND location_id = %s",
            self.p1.id,
            self.transit.id,
        )
        run = self._report(truth_policy="counted")
        self.assertEqual(run.get_counts()["quant_ledger"], 3)
        self.assertEqual(run.get_counts()["transit_open_moves"], 1)
        self._correct_and_recheck(run)
        self.assertEqual(self._quant_total(self.p1, self.bin1), (60.0, 1))
        self.assertEqual(self._quant_total(self.p2, self.bin1, self.lot_a), (16.0, 1))
        self.assertEqual(self._quant_total(self.p1, self.transit), (10.0, 1))
        adjustment = self._period_end_adjustment(run)
        self.assertEqual(
            {
                (line.product_id, line.lot_id, line.change)
                for line in adjustment.line_ids
            },
            {(self.p1, self.lot_a.browse(), 7.0), (self.p2, self.lot_a, -2.0)},
        )
        by_location = {
            line.location_id: line
            for line in run.line_ids
            if line.rule_code == "quant_ledger"
        }
        self.assertEqual(by_location[self.bin1].adjustment_id, adjustment)
        self.assertIn("Inventory move posted", by_location[self.bin1].message)
        self.assertIn("Quant adjusted to ledger", by_location[self.transit].message)
        balances = self._balances(group_by=["product", "location"])
        self.assertEqual(balances[self.p1.id, self.bin1.id], 60)

    # ------------------------------------------------- valuation summary
    def test_valuation_summary(self):
        category = self.p1.categ_id
        self.assertEqual(self.products.categ_id, category)
        run = self._report()
        # Internal: P1 53 + 15 + 38 at 10, P2 18 + 20 at 0, P3 19 at 2.5;
        # transit (outside any warehouse): P1 10 at 10.
        self.assertEqual(
            run.valuation_summary(),
            [
                {
                    "warehouse_id": self.warehouse.id,
                    "categ_id": category.id,
                    "quantity": 163.0,
                    "value": 1107.5,
                },
                {
                    "warehouse_id": False,
                    "categ_id": category.id,
                    "quantity": 10.0,
                    "value": 100.0,
                },
            ],
        )
        self.assertEqual(run.total_value, 1207.5)
        # At a past period end (P1 100 + 40, P2 30 + 20 received), at the
        # costs of then: Odoo records the initial cost (0) at creation and
        # the change to 10 now; a cost of 8 recorded 59 days ago.
        past = self._report(date=self._days_ago(48))
        self.assertEqual(
            [(row["quantity"], row["value"]) for row in past.valuation_summary()],
            [(190.0, 0.0)],
        )
        self.env["product.value"].create(
            {
                "product_id": self.p1.id,
                "company_id": self.company.id,
                "value": 8,
                "date": self._days_ago(59),
            }
        )
        past = self._report(date=self._days_ago(48))
        self.assertEqual(
            [(row["quantity"], row["value"]) for row in past.valuation_summary()],
            [(190.0, 1120.0)],
        )

    # ------------------------------------------- (g) valuation vs accounts
    def test_valuation_account(self):
        self.assertEqual(self.company.inventory_valuation, "periodic")
        account = self.company.account_stock_valuation_id
        before = self._checksums()
        run = self.Run.create({"check_valuation": True, "mode": "balance"})
        run.action_run()
        self.assertEqual(self._checksums(), before)
        # Nothing is posted in periodic valuation until Odoo's closing: the
        # account holds nothing, the stock is worth P1 (106 + 10 in transit)
        # x 10 + P3 19 x 2.5 (Odoo values the company's transit locations).
        line = run.line_ids
        self.assertEqual(line.rule_code, "valuation_account")
        self.assertEqual(line.account_id, account)
        self.assertEqual((line.expected, line.found), (1207.5, 0))
        self.assertEqual(line.value_impact, -1207.5)
        self.assertEqual(line.action, "proposed")
        # A scoped run does not look at the company's accounts.
        scoped = self._report(check_valuation=True)
        self.assertEqual(scoped.line_count, 0)
        with self.assertRaises(AccessError):
            run.with_user(self.manager).action_apply_corrections()
        self.manager.group_ids += self.env.ref("account.group_account_manager")
        run.with_user(self.manager).action_apply_corrections()
        entry = run.sudo().account_move_ids
        self.assertEqual(entry.state, "posted")
        self.assertEqual(run.line_ids.action, "taken")
        self.assertEqual(
            run.line_ids.message, "Closing entry posted to the stock valuation account"
        )
        self.assertAlmostEqual(
            self.company.stock_accounting_value()[account], 1207.5, places=2
        )
        again = self.Run.create({"check_valuation": True})
        again.action_run()
        self.assertEqual(again.line_count, 0, again.counts_summary)

    # ------------------------------------------------ scope, rights, input
    def test_scope(self):
        self._sql(
            "UPDATE stock_quant SET quantity = quantity + 1 WHERE product_id IN %s "
            "AND location_id IN %s",
            tuple(self.products.ids),
            (self.bin1.id, self.bin2.id),
        )
        everything = self._report()
        # p1, p2 (lot A) and p3 in bin 1; p1 and p2 (lot B) in bin 2.
        self.assertEqual(everything.line_count, 5)
        only_bin2 = self._report(location_ids=[(6, 0, self.bin2.ids)])
        self.assertEqual(only_bin2.line_ids.location_id, self.bin2)
        self.assertEqual(only_bin2.line_count, 2)
        only_p3 = self._report(product_ids=[(6, 0, self.p3.ids)])
        self.assertEqual(only_p3.line_ids.product_id, self.p3)
        category = self.env["product.category"].create({"name": "Balance category"})
        self.p2.categ_id = category
        by_category = self._report(categ_ids=[(6, 0, category.ids)])
        self.assertEqual(by_category.line_ids.product_id, self.p2)
        warehouse = self._report(warehouse_ids=[(6, 0, self.warehouse.ids)])
        self.assertEqual(warehouse.line_count, 5)
        elsewhere = self.env["stock.warehouse"].create(
            {"name": "Balance elsewhere", "code": "BALW"}
        )
        self.assertEqual(
            self._report(warehouse_ids=[(6, 0, elsewhere.ids)]).line_count, 0
        )

    def test_companies_apart(self):
        company_b = self.env["res.company"].create({"name": "Balance Company B"})
        stock_b = (
            self.env["stock.warehouse"]
            .search([("company_id", "=", company_b.id)], limit=1)
            .lot_stock_id
        )
        self.env["stock.quant"].sudo()._update_available_quantity(self.p1, stock_b, 4)
        self.assertEqual(self._report().line_count, 0)
        run_b = self._report(company_id=company_b.id)
        self.assertEqual(
            self._findings(run_b),
            {("quant_ledger", self.p1, stock_b, self.lot_a.browse()): (0, 4, 4)},
        )
        self.assertEqual(run_b.line_ids.company_id, company_b)
        # Rule h sums the moves and lines of a shared product over every
        # company first: a move of company B that its lines do not add up
        # to is company B's finding only.
        move = (
            self.env["stock.move"]
            .with_company(company_b)
            .create(
                {
                    "product_id": self.p1.id,
                    "product_uom_qty": 5,
                    "location_id": self.supplier.id,
                    "location_dest_id": stock_b.id,
                    "company_id": company_b.id,
                }
            )
        )
        move._action_confirm()
        move.quantity = 5
        move.picked = True
        move._action_done()
        self.assertEqual(move.state, "done")
        self._sql("UPDATE stock_move SET quantity = 7 WHERE id = %s", move.id)
        for method in ("ledger", "auto"):
            self.assertEqual(self._report(ledger_method=method).line_count, 0)
            run_b = self._report(company_id=company_b.id, ledger_method=method)
            self.assertEqual(
                {
                    (line.rule_code, line.move_id, line.expected, line.found)
                    for line in run_b.line_ids
                    if line.rule_code == "move_lines_sum"
                },
                {("move_lines_sum", move, 7, 5)},
            )

    def test_transit(self):
        self.assertEqual(self.transit_receipt.state, "confirmed")
        self._sql(
            "UPDATE stock_quant SET quantity = 11 WHERE product_id = %s "
            "AND location_id = %s",
            self.p1.id,
            self.transit.id,
        )
        run = self._report()
        no_lot = self.lot_a.browse()
        self.assertEqual(
            self._findings(run),
            {
                ("quant_ledger", self.p1, self.transit, no_lot): (10, 11, 1),
                ("transit_open_moves", self.p1, self.transit, no_lot): (10, 11, 1),
            },
        )
        self.assertEqual(self._report(balance_transit=False).line_count, 0)
        # A transit leftover: the receiving leg cancelled, the stock still there.
        self._sql(
            "UPDATE stock_quant SET quantity = 10 WHERE product_id = %s "
            "AND location_id = %s",
            self.p1.id,
            self.transit.id,
        )
        self.transit_receipt._action_cancel()
        run = self._report()
        self.assertEqual(
            self._findings(run),
            {("transit_open_moves", self.p1, self.transit, no_lot): (0, 10, 10)},
        )
        self.assertEqual(run.line_ids.action, "proposed")
        self.assertEqual(run.line_ids.value_impact, 100.0)
        self.assertEqual(
            self._report(balance_transit=False).line_count, 0, "transit left out"
        )

    def test_transit_surplus_written_off(self):
        """The receiving leg cancelled by a broken script (the goods stay in
        transit with nothing to receive them), and a phantom quant in transit:
        the leftover is written off by a period-end adjustment; the phantom
        quant, which the ledger does not know, is corrected to the ledger and
        leaves nothing to write off."""
        self._sql(
            "UPDATE stock_move SET state = 'cancel' WHERE id = %s",
            self.transit_receipt.id,
        )
        self._sql(
            "INSERT INTO stock_quant (product_id, location_id, company_id, quantity, "
            "reserved_quantity, in_date) VALUES (%s, %s, %s, 5, 0, now())",
            self.p3.id,
            self.transit.id,
            self.company.id,
        )
        run = self._report()
        no_lot = self.lot_a.browse()
        self.assertEqual(
            self._findings(run),
            {
                ("transit_open_moves", self.p1, self.transit, no_lot): (0, 10, 10),
                ("transit_open_moves", self.p3, self.transit, no_lot): (0, 5, 5),
                ("quant_ledger", self.p3, self.transit, no_lot): (0, 5, 5),
            },
        )
        transit_line = run.line_ids.filtered(
            lambda line: (
                line.rule_code == "transit_open_moves" and line.product_id == self.p1
            )
        )
        self.assertEqual(
            (transit_line.action, transit_line.correction),
            ("proposed", "post_transit_surplus"),
        )
        self.assertEqual(
            transit_line.message,
            "Stock in transit differs from the open moves out of transit; proposed: "
            "stock in transit beyond the open moves written off by a period-end "
            "adjustment",
        )
        self.assertEqual(transit_line.value_impact, 100.0)
        self._correct_and_recheck(run)
        self.assertEqual(self._quant_total(self.p1, self.transit), (0.0, 0))
        self.assertEqual(self._quant_total(self.p3, self.transit), (0.0, 0))
        adjustment = self._period_end_adjustment(run)
        self.assertEqual(
            [
                (line.product_id, line.location_id, line.change)
                for line in adjustment.line_ids
            ],
            [(self.p1, self.transit, -10.0)],
        )
        self.assertIn("goods in transit", adjustment.name)
        self.assertIn(
            f"Posted by the balance run {run.name}",
            "".join(adjustment.message_ids.mapped("body")),
        )
        self.assertIn(adjustment.name, run.message_ids[0].body)
        taken = run.line_ids.filtered(
            lambda line: line.rule_code == "transit_open_moves"
        )
        self.assertEqual(taken.product_id, self.p1)
        self.assertEqual(taken.action, "taken")
        self.assertEqual(taken.adjustment_id, adjustment)
        self.assertEqual(
            taken.message,
            "Stock in transit beyond the open moves written off by a period-end "
            "adjustment",
        )
        # The ledger follows: nothing left in transit, the write-off is an
        # inventory move out of it.
        balances = self._balances(group_by=["product", "location"])
        self.assertFalse(balances.get((self.p1.id, self.transit.id)))
        move = adjustment.line_ids.move_id
        self.assertEqual(
            (move.location_id, move.location_dest_id.usage, move.state),
            (self.transit, "inventory", "done"),
        )

    def test_transit_shortfall_reported(self):
        """The receiving leg expects more than was shipped (15 for 10 in
        transit): no goods can be invented; the finding stays reported and
        says what to do, before and after a correcting run."""
        self._sql(
            "UPDATE stock_move SET product_uom_qty = 15, product_qty = 15 "
            "WHERE id = %s",
            self.transit_receipt.id,
        )
        run = self._report()
        self.assertEqual(
            self._findings(run),
            {
                (
                    "transit_open_moves",
                    self.p1,
                    self.transit,
                    self.lot_a.browse(),
                ): (15, 10, -5),
            },
        )
        line = run.line_ids
        self.assertEqual((line.action, line.correction), ("reported", "none"))
        self.assertIn("no goods can be invented", line.message)
        self.assertIn("cancel or reduce the rest of the open moves", line.message)
        run.mode = "balance"
        run.action_run()
        before = self._checksums()
        run.with_user(self.manager).action_apply_corrections()
        self.assertEqual(self._checksums(), before)
        self.assertFalse(run.adjustment_ids)
        self.assertEqual(run.line_ids.action, "reported")
        self.assertEqual(self._report().line_count, 1)

    def test_transit_surplus_in_lots_reported(self):
        """Lot-tracked stock left in transit with no open move to receive it:
        an adjustment of the product's quantity cannot take a lot's stock, so
        the report-only run already reports it for a person, saying so (it
        proposes only what a correcting run does), and the correcting run
        posts nothing and stays checked."""
        self._move(self.p2, self.bin2, self.transit, 5, self._days_ago(3), self.lot_b)
        run = self._report()
        self.assertEqual(
            self._findings(run),
            {
                (
                    "transit_open_moves",
                    self.p2,
                    self.transit,
                    self.lot_a.browse(),
                ): (0, 5, 5),
            },
        )
        self.assertEqual(
            (run.line_ids.action, run.line_ids.correction), ("reported", "none")
        )
        self.assertIn("held in lots, packages or for an owner", run.line_ids.message)
        run.mode = "balance"
        run.action_run()
        before = self._checksums()
        outcome = run.with_user(self.manager).apply_corrections()
        self.assertEqual(self._checksums(), before)
        self.assertFalse(run.adjustment_ids)
        self.assertEqual(run.state, "done")
        self.assertEqual(sum(outcome["corrected"].values()), 0)
        self.assertEqual(outcome["remaining"]["transit_open_moves"], 1)
        self.assertEqual(
            (run.line_ids.action, run.line_ids.correction), ("reported", "none")
        )
        self.assertIn("held in lots, packages or for an owner", run.line_ids.message)
        self.assertEqual(self._report().line_count, 1)

    def test_ids_that_do_not_exist(self):
        """Every public way in names the id that does not exist, never a
        foreign-key error."""
        for field, label in (
            ("company_id", "company"),
            ("warehouse_ids", "warehouse"),
            ("location_ids", "location"),
            ("categ_ids", "product category"),
            ("product_ids", "product"),
        ):
            value = 987654321 if field == "company_id" else [987654321]
            with self.subTest(field=field):
                # the scope resolver's message, naming the field and the id
                with self.assertRaisesRegex(
                    UserError, f"^{field}: no {label} with id 987654321 exists"
                ):
                    self.Run.start_report({field: value})
                if field != "company_id":
                    # a single id is a list of one
                    with self.assertRaisesRegex(
                        UserError, f"^{field}: no {label} with id 987654321"
                    ):
                        self.Run.start_report({field: 987654321})
                    with self.assertRaisesRegex(UserError, f"{field} must be an id"):
                        self.Run.start_report({field: ["7"]})
                    run = self.Run.create({})
                    with self.assertRaisesRegex(UserError, "987654321"):
                        run.write({field: [(6, 0, [987654321])]})
                    with self.assertRaisesRegex(UserError, "987654321"):
                        run.write({field: [(4, 987654321)]})
        with self.assertRaisesRegex(UserError, "company_id must be an id"):
            self.Run.start_report({"company_id": [self.company.id]})

    def test_rights_and_modes(self):
        self._sql(
            "UPDATE stock_quant SET quantity = 1 WHERE product_id = %s "
            "AND location_id = %s",
            self.p3.id,
            self.bin1.id,
        )
        run = self.Run.with_user(self.user).create(
            {"product_ids": [(6, 0, self.products.ids)], "mode": "balance"}
        )
        run.action_run()
        self.assertEqual(run.line_count, 1)
        with self.assertRaises(AccessError):
            run.action_apply_corrections()
        report = self._report()
        with self.assertRaises(UserError):
            report.with_user(self.manager).action_apply_corrections()
        with self.assertRaises(ValidationError):
            self.Run.create({"date": fields.Datetime.now() + timedelta(days=1)})
        run.with_user(self.manager).action_apply_corrections()
        with self.assertRaises(UserError):
            run.action_run()
        with self.assertRaises(UserError):
            run.unlink()
        company_b = self.env["res.company"].create({"name": "Balance Company B"})
        other = self.Run.create({"company_id": company_b.id})
        visible = self.Run.with_user(self.user).search([])
        self.assertIn(run, visible)
        self.assertNotIn(other, visible)

    def test_stock_indexes_and_uninstall(self):
        names = [name for name, _table, _sql in checks_module.STOCK_INDEXES]
        query = "SELECT COUNT(*) FROM pg_indexes WHERE indexname = ANY(%s)"
        self.env.cr.execute(query, [names])
        self.assertEqual(self.env.cr.fetchone()[0], 4)
        uninstall_hook(self.env)  # DDL in the test's transaction: rolled back
        self.env.cr.execute(query, [names])
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_form_opens_for_users(self):
        """What the form and the findings list show is readable by a plain
        period-end user (no accounting right)."""
        self._sql(
            "UPDATE stock_quant SET quantity = 1 WHERE product_id = %s", self.p3.id
        )
        run = self._report()
        for model, view in (
            ("inventory.balance.run", "form"),
            ("inventory.balance.run.line", "list"),
        ):
            views = self.env[model].with_user(self.user).get_views([(False, view)])
            names = list(views["models"][model]["fields"])
            records = run if model == "inventory.balance.run" else run.line_ids
            self.assertTrue(records.with_user(self.user).read(names))
            self.assertNotIn("account_id", names)

    def test_rpc_methods_and_export(self):
        self._sql(
            "UPDATE stock_quant SET quantity = quantity + 2 "
            "WHERE product_id = %s AND location_id = %s",
            self.p1.id,
            self.bin1.id,
        )
        before = self._checksums()
        run_id = self.Run.with_user(self.user).start_report(
            {"product_ids": self.products.ids}
        )
        self.assertEqual(self._checksums(), before)
        run = self.Run.browse(run_id)
        counts = run.get_counts()
        self.assertEqual(counts["quant_ledger"], 1)
        self.assertEqual(sum(counts.values()), 1)
        with self.assertRaises(UserError):
            self.Run.start_report({"nonsense": 1})
        export = run.export_xlsx()
        workbook = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(export["content"]))
        )
        rows = list(workbook["Findings"].values)
        self.assertEqual(rows[0][:2], ("Rule", "Severity"))
        self.assertEqual(rows[1][0], "quant_ledger")
        self.assertEqual(rows[1][7:10], (53, 55, 2))
        self.assertEqual(
            list(workbook["Valuation"].values)[0],
            ("Warehouse", "Category", "Quantity", "Value"),
        )
        self.assertEqual(len(list(workbook["Valuation"].values)), 3)
        action = run.action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        run.mode = "balance"
        run.action_run()
        counts = run.with_user(self.manager).apply_corrections()
        self.assertEqual(counts["corrected"]["quant_ledger"], 1)
        self.assertEqual(sum(counts["remaining"].values()), 0)
        self.assertEqual(run.line_ids.action, "taken")
        self.assertEqual(
            self.Run.browse(
                self.Run.start_report({"product_ids": self.products.ids})
            ).line_count,
            0,
        )
