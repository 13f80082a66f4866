# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import BalanceRunMixin


@tagged("post_install", "-at_install")
class TestBalanceRunValuation(BalanceRunMixin, TransactionCase):
    """Rule g per product (``valuation_remaining``, ``valuation_fifo``,
    ``valuation_avco``) on a FIFO and an AVCO product received twice at
    different values and delivered once, through Odoo's own flows (moves done,
    receipts valued with Odoo's *Adjust Valuation*), then corrupted by SQL as
    broken databases are."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_balance_run()
        cls.manager = new_test_user(
            cls.env,
            login="valuation_manager",
            groups="stock.group_stock_user,"
            "inventory_period_end.group_inventory_period_end_manager",
        )
        Category = cls.env["product.category"].with_company(cls.company)
        cls.fifo_categ = Category.create(
            {"name": "Balance FIFO", "property_cost_method": "fifo"}
        )
        cls.avco_categ = Category.create(
            {"name": "Balance AVCO", "property_cost_method": "average"}
        )
        Product = cls.env["product.product"]
        cls.fifo = Product.create(
            {"name": "Balance FIFO", "is_storable": True, "categ_id": cls.fifo_categ.id}
        )
        cls.avco = Product.create(
            {"name": "Balance AVCO", "is_storable": True, "categ_id": cls.avco_categ.id}
        )
        cls.valued = cls.fifo | cls.avco
        cls.receipts = {}
        for product in cls.valued:
            first = cls._move(product, cls.supplier, cls.bin1, 10, cls._days_ago(30))
            first.value_manual = 100.0
            second = cls._move(product, cls.supplier, cls.bin1, 10, cls._days_ago(20))
            second.value_manual = 140.0
            cls._move(product, cls.bin1, cls.customer, 5, cls._days_ago(10))
            cls.receipts[product] = first | second

    def _vrun(self, **values):
        values.setdefault("product_ids", [(6, 0, self.valued.ids)])
        values.setdefault("check_valuation", True)
        return self._report(**values)

    def _cost(self, product):
        product.invalidate_recordset(["standard_price"])
        return product.with_company(self.company).standard_price

    def _lines(self, run):
        return {
            (line.rule_code, line.product_id): (
                line.expected,
                line.found,
                line.value_impact,
                line.action,
            )
            for line in run.line_ids
        }

    def test_clean_valuation_agrees_with_odoo(self):
        """On Odoo's own data the rules find nothing, and the figures they
        read are Odoo's: FIFO 5 left of the first receipt (50) and the second
        (140), cost 190 / 15; AVCO (100 + 140) / 20 = 12 after both receipts,
        unchanged by the delivery."""
        self.assertEqual(self.fifo.cost_method, "fifo")
        self.assertEqual(self.avco.cost_method, "average")
        fifo_moves = self.receipts[self.fifo]
        self.assertEqual(fifo_moves.mapped("remaining_qty"), [5.0, 10.0])
        self.assertEqual(sum(fifo_moves.mapped("remaining_value")), 190.0)
        self.assertAlmostEqual(self.fifo.with_company(self.company).total_value, 190)
        # Odoo stores the FIFO cost unrounded: the value per unit on hand.
        self.assertAlmostEqual(self._cost(self.fifo), 190 / 15)
        self.assertEqual(self._cost(self.avco), 12.0)
        replayed = self.avco._run_average_batch(force_recompute=True)[0]
        self.assertEqual(replayed[self.avco.id], 12.0)
        run = self._vrun(recalculate_costs=True)
        self.assertEqual(run.line_count, 0, run.counts_summary)

    def test_avco_cost_recalculated(self):
        """The AVCO cost overwritten by SQL (15 instead of 12): reported with
        the replayed cost and the impact on the 15 on hand; a report-only run
        changes nothing; without the option nothing is proposed; the
        correcting run sets the cost as Odoo records a cost change; a second
        run finds nothing."""
        self._sql(
            "UPDATE product_product SET standard_price = jsonb_set("
            "COALESCE(standard_price, '{}'), %s, '15') WHERE id = %s",
            [str(self.company.id)],
            self.avco.id,
        )
        self.assertEqual(self._cost(self.avco), 15.0)
        # The valuation checks are an option (they read every valued move).
        self.assertEqual(self._vrun(check_valuation=False).line_count, 0)
        plain = self._vrun()
        self.assertEqual(
            self._lines(plain),
            {("valuation_avco", self.avco): (12.0, 15.0, 45.0, "reported")},
        )
        self.assertEqual(
            plain.line_ids.message,
            "The average cost differs from the cost replayed from the valued moves",
        )
        run = self._vrun(recalculate_costs=True, mode="balance")
        self.assertEqual(
            self._lines(run),
            {("valuation_avco", self.avco): (12.0, 15.0, 45.0, "proposed")},
        )
        self.assertEqual(self._cost(self.avco), 15.0, "a check changed the cost")
        history = self.env["product.value"].search_count(
            [("product_id", "=", self.avco.id)]
        )
        run.with_user(self.manager).action_apply_corrections()
        self.assertEqual(self._cost(self.avco), 12.0)
        self.assertEqual(run.line_ids.action, "taken")
        self.assertEqual(
            run.line_ids.message,
            "Cost recalculated from the valued moves (Odoo's cost change, recorded "
            "in the product's value history)",
        )
        change = self.env["product.value"].search(
            [("product_id", "=", self.avco.id), ("move_id", "=", False)],
            order="date desc, id desc",
            limit=1,
        )
        self.assertEqual(
            self.env["product.value"].search_count([("product_id", "=", self.avco.id)]),
            history + 1,
        )
        self.assertEqual(change.value, 12.0)
        self.assertIn("Price update from 15.0 to 12.0", change.description)
        self.assertIn("Balance AVCO: 15.0 → 12.0", run.message_ids[1].body)
        # Odoo agrees and values the stock at the recalculated cost.
        replayed = self.avco._run_average_batch(force_recompute=True)[0]
        self.assertEqual(replayed[self.avco.id], 12.0)
        self.assertEqual(self.avco.with_company(self.company).total_value, 180.0)
        again = self._vrun(recalculate_costs=True)
        self.assertEqual(again.line_count, 0, again.counts_summary)

    def test_avco_move_value_corrupted(self):
        """The second receipt's value overwritten by SQL (200 for 140): the
        moves give (100 + 200) / 20 = 15, the cost says 12."""
        second = self.receipts[self.avco][1]
        self._sql("UPDATE stock_move SET value = 200 WHERE id = %s", second.id)
        run = self._vrun(recalculate_costs=True, mode="balance")
        self.assertEqual(
            self._lines(run),
            {("valuation_avco", self.avco): (15.0, 12.0, -45.0, "proposed")},
        )
        run.with_user(self.manager).action_apply_corrections()
        self.assertEqual(self._cost(self.avco), 15.0)
        self.assertEqual(self._vrun(recalculate_costs=True).line_count, 0)

    def test_fifo_reported_not_corrected(self):
        """The FIFO cost overwritten by SQL, and the newest receipt's value:
        the cost the remaining receipts give per unit on hand is reported,
        never corrected, saying why."""
        self._sql(
            "UPDATE product_product SET standard_price = jsonb_set("
            "COALESCE(standard_price, '{}'), %s, '11') WHERE id = %s",
            [str(self.company.id)],
            self.fifo.id,
        )
        second = self.receipts[self.fifo][1]
        self._sql("UPDATE stock_move SET value = 170 WHERE id = %s", second.id)
        run = self._vrun(recalculate_costs=True, mode="balance")
        # (5 x 10 + 170) / 15 = 14.666667; 15 x 11 - 220 = -55.
        self.assertEqual(
            self._lines(run),
            {("valuation_fifo", self.fifo): (14.666667, 11.0, -55.0, "reported")},
        )
        self.assertIn("Not corrected: a FIFO value is", run.line_ids.message)
        before = self._checksums()
        run.with_user(self.manager).action_apply_corrections()
        self.assertEqual(self._checksums(), before)
        self.assertEqual(self._cost(self.fifo), 11.0)
        self.assertEqual(run.line_ids.action, "reported")

    def test_stock_without_valued_receipt(self):
        """Stock pushed into the FIFO product's bin by SQL (10 more than its
        receipts): the receipts cover 20 of the 25 on hand, Odoo values the
        other 5 at the newest receipt's price (14): (240 + 70) / 25 = 12.4.
        The ledger wins: the quant goes back to 15 and nothing is left."""
        self._sql(
            "UPDATE stock_quant SET quantity = quantity + 10 "
            "WHERE product_id = %s AND location_id = %s",
            self.fifo.id,
            self.bin1.id,
        )
        run = self._vrun(mode="balance")
        lines = {
            line.rule_code: (
                line.expected,
                line.found,
                line.value_impact,
                line.action,
            )
            for line in run.line_ids
        }
        # The cost (190 / 15) on the 25 on hand less Odoo's value 310.
        self.assertEqual(
            lines,
            {
                "quant_ledger": (15.0, 25.0, 126.67, "proposed"),
                "valuation_remaining": (25.0, 20.0, 0.0, "reported"),
                "valuation_fifo": (12.4, 12.666667, 6.67, "reported"),
            },
        )
        run.with_user(self.manager).action_apply_corrections()
        self.assertEqual(self._quant_total(self.fifo, self.bin1), (15.0, 1))
        self.assertEqual(self._vrun().line_count, 0)

    def test_scoped_to_locations_skips_valuation(self):
        self._sql(
            "UPDATE product_product SET standard_price = jsonb_set("
            "COALESCE(standard_price, '{}'), %s, '15') WHERE id = %s",
            [str(self.company.id)],
            self.avco.id,
        )
        run = self._vrun(location_ids=[(6, 0, self.bin1.ids)])
        self.assertEqual(run.line_count, 0)
        self.assertEqual(self._vrun().line_count, 1)

    def test_avco_perpetual_no_journal_entry(self):
        """In perpetual valuation too, Odoo 19 records a cost change in the
        product's value history only, with no journal entry: the correction
        does the same (the accounts follow at the stock closing entry)."""
        self.avco_categ.with_company(self.company).property_valuation = "real_time"
        self.assertEqual(self.avco.with_company(self.company).valuation, "real_time")
        self._sql(
            "UPDATE product_product SET standard_price = jsonb_set("
            "COALESCE(standard_price, '{}'), %s, '15') WHERE id = %s",
            [str(self.company.id)],
            self.avco.id,
        )
        entries = self.env["account.move"].search_count([])
        run = self._vrun(recalculate_costs=True, mode="balance")
        run.with_user(self.manager).action_apply_corrections()
        self.assertEqual(self._cost(self.avco), 12.0)
        self.assertEqual(self.env["account.move"].search_count([]), entries)
        self.assertEqual(self._vrun(recalculate_costs=True).line_count, 0)

    def test_valuation_flags_of_a_standard_product(self):
        """(g) ``valuation_flags``: done moves of a standard-cost product whose
        stored flags disagree with their lines' locations (a receipt not
        incoming, a delivery not outgoing, an internal transfer valued) are
        reported naming the move and what should be; a correcting run changes
        no stock row and leaves them for a person."""
        categ = (
            self.env["product.category"]
            .with_company(self.company)
            .create({"name": "Balance standard", "property_cost_method": "standard"})
        )
        product = self.env["product.product"].create(
            {
                "name": "Balance standard",
                "is_storable": True,
                "categ_id": categ.id,
                "standard_price": 4.0,
            }
        )
        receipt = self._move(product, self.supplier, self.bin1, 10, self._days_ago(9))
        transfer = self._move(product, self.bin1, self.bin2, 3, self._days_ago(8))
        delivery = self._move(product, self.bin2, self.customer, 2, self._days_ago(7))
        self.assertEqual(
            [(m.is_in, m.is_out) for m in receipt | transfer | delivery],
            [(True, False), (False, False), (False, True)],
        )
        scope = {"product_ids": [(6, 0, product.ids)]}
        clean = self._vrun(**scope)
        self.assertFalse(
            clean.line_ids.filtered(lambda line: line.rule_code == "valuation_flags")
        )
        self._sql("UPDATE stock_move SET is_in = FALSE WHERE id = %s", receipt.id)
        self._sql("UPDATE stock_move SET value = 7 WHERE id = %s", transfer.id)
        self._sql("UPDATE stock_move SET is_out = FALSE WHERE id = %s", delivery.id)
        run = self._vrun(mode="balance", **scope)
        lines = run.line_ids.filtered(lambda line: line.rule_code == "valuation_flags")
        self.assertEqual(
            {line.move_id: line.location_id for line in lines},
            {
                receipt: self.bin1,
                transfer: self.bin2,
                delivery: self.customer,
            },
        )
        messages = {line.move_id: line.message for line in lines}
        self.assertIn("incoming should be true", messages[receipt])
        self.assertIn("valued while neither incoming nor outgoing", messages[transfer])
        self.assertIn("outgoing should be true", messages[delivery])
        self.assertEqual(set(lines.mapped("action")), {"reported"})
        self.assertEqual(lines[0].product_id, product)
        before = self._checksums()
        outcome = run.apply_corrections()
        self.assertEqual(self._checksums(), before)
        self.assertEqual(outcome["remaining"]["valuation_flags"], 3)
        self.assertEqual(outcome["corrected"]["valuation_flags"], 0)
        self.assertEqual(
            self._vrun(**scope)
            .line_ids.filtered(lambda line: line.rule_code == "valuation_flags")
            .move_id,
            receipt | transfer | delivery,
        )
