# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


from odoo.tests import TransactionCase, tagged

from .common import BalanceRunCaseMixin


@tagged("post_install", "-at_install")
class TestBalanceRunTransit(BalanceRunCaseMixin, TransactionCase):
    """Stock in transit: the open moves of a transit location against its
    stock, a surplus written off, a shortfall or a surplus in lots reported."""

    # ---------------------------------------------------------- transit
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
