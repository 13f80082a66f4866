# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from unittest.mock import patch

from odoo.tests import TransactionCase, tagged

from odoo.addons.inventory_period_end.models import (
    inventory_balance_run_corrections as corrections_module,
)

from .common import BalanceRunCaseMixin


@tagged("post_install", "-at_install")
class TestBalanceRun(BalanceRunCaseMixin, TransactionCase):
    """The quantity rules on the ledger scenario: quants against the ledger
    (a), reservations (b), negative quants (c); a correcting run settles
    what a report-only run found, and the counted-stock policy posts an
    adjustment."""

    # ------------------------------------------------------- clean data
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

    def test_duplicate_in_virtual_location_from_checkpoint(self):
        """A second quant of a key at Customers (of no quantity: the quants
        still sum to the ledger there) is found from a checkpoint, where the
        run compares no virtual location with the ledger, as over the whole
        ledger."""
        self.Checkpoint.build_checkpoint(self._days_ago(12))
        self._sql(
            "INSERT INTO stock_quant (product_id, location_id, company_id, quantity, "
            "reserved_quantity, in_date) VALUES (%s, %s, %s, 0, 0, now())",
            self.p1.id,
            self.customer.id,
            self.company.id,
        )
        no_lot = self.lot_a.browse()
        expected = {("duplicate_quant", self.p1, self.customer, no_lot): (1, 2, 1)}
        from_checkpoint = self._report()
        self.assertEqual(from_checkpoint.method_used, "checkpoint")
        self.assertEqual(self._findings(from_checkpoint), expected)
        whole = self._report(ledger_method="ledger")
        self.assertEqual(self._findings(whole), expected)

    # ---------------------------------------------- (a) quant vs ledger
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

    # ------------------------------------------------- (b) reservations
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

    # ---------------------------------------------- (c) negative quants
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

    # ------------------------------------------- counted stock as truth
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
