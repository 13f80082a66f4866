# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The catalogue of disagreement classes, each written with SQL into a
generated stock history (the scale generator of inventory_balance, small,
plus serials, a package, an expiry lot and reservations made through Odoo's
own flows), as a broken database holds them.  Repairing corrupted data is
what these tests are about: that is why they write stock rows by SQL.

For every class: report-only finds it with the right rule and key and
changes nothing; a correcting run then a report-only run finds nothing (the
classes only a person can settle stay reported, the correcting run changing
no stock row); the quants equal the ledger for every key in every location;
Odoo's on hand of every product the class did not touch is unchanged, and
of every product for a class the run corrects; no row outside the touched
ones changed.  The classes of the valuation rules, the aged inventory and
goods in transit need an option or a run of the whole company: each class
says which run values find it.  Then all classes together on one database,
found by one run of the whole company with every option."""

from odoo import Command
from odoo.tests import tagged

from odoo.addons.inventory_period_end.tools.balance_rules import RULES

from .catalogue_common import BalanceCatalogueCase


@tagged("post_install", "-at_install")
class TestBalanceCatalogue(BalanceCatalogueCase):
    def test_clean_generated_data(self):
        """The generated history with its serials, package, expiry lot,
        reservations, valued products and closing entry holds no
        disagreement, for a run of its products and for one of the whole
        company with every option: quants equal the ledger, and the valuation
        summary (the ledger at the run's moment) the quants."""
        self._check_clean()
        run = self._check_clean(**self._all_values())
        self.assertTrue(run.valuation_ids)
        self.assertEqual(self._summary_vs_quants(run), {})
        self.assertEqual(self._quants_vs_ledger(), [])

    def test_each_class(self):
        """Each class alone, on the same generated database."""
        for name, apply, correctable in self._classes():
            with self.subTest(disagreement=name):
                self.env.cr.execute("SAVEPOINT catalogue_class")
                try:
                    self._check_class(apply, correctable)
                finally:
                    self.env.cr.execute("ROLLBACK TO SAVEPOINT catalogue_class")
                    self.env.invalidate_all()
                    self.env.registry.clear_cache()

    def _check_class(self, apply, correctable):
        on_hand_clean = self._on_hand()
        applied = self._apply(apply)
        if applied is None:
            self.skipTest("product_expiry is not installed")
        code, key, products, ids, values = applied
        before = self._rows()
        report = self._run(**values)
        self.assertEqual(self._rows(), before, "report-only changed a stock row")
        self.assertIn(key, self._keys(report, code), report.counts_summary)
        run = self._run(mode="balance", **values)
        outcome = run.apply_corrections()
        after_correction = self._rows()
        again = self._run(**values)
        if correctable:
            self.assertEqual(again.line_count, 0, again.counts_summary)
            self.assertEqual(run.state, "corrected")
            self.assertGreater(outcome["corrected"][code], 0)
            self.assertEqual(outcome["remaining"][code], 0)
            self.assertEqual(self._on_hand(), on_hand_clean)
        else:
            self.assertEqual(after_correction, before, "a manual class was changed")
            self.assertEqual(run.state, "done")
            self.assertEqual(outcome["remaining"][code], len(self._keys(report, code)))
            self.assertEqual(self._keys(again), self._keys(report))
            lines = again.line_ids.filtered(lambda line: line.rule_code == code)
            self.assertEqual(set(lines.mapped("action")), {"reported"})
            on_hand = self._on_hand()
            for product_id, quantity in on_hand_clean.items():
                if product_id not in products:
                    self.assertEqual(on_hand.get(product_id), quantity)
        self.assertEqual(self._quants_vs_ledger(), [])
        self.assertEqual(self._changed(before, after_correction, products, ids), [])

    def test_issue_cases(self):
        """The two cases that made stock worse, looked at closely: the quant
        moved into the view location goes back with its incoming date and on
        hand stays; the line off by one is corrected and the quant keeps 42
        (the right figure)."""
        product = self.plain[7]
        on_hand = product.qty_available
        quant_id, location_id = self._quant(product)
        in_date = self._one("SELECT in_date FROM stock_quant WHERE id = %s", quant_id)
        self._sql(
            "UPDATE stock_quant SET location_id = %s WHERE id = %s",
            self.warehouse.view_location_id.id,
            quant_id,
        )
        report = self._run()
        line = report.line_ids.filtered(lambda line: line.rule_code == "quant_ledger")
        self.assertEqual(line.correction, "move_stray_quant")
        self.assertIn("moved back", line.message)
        run = self._run(mode="balance")
        run.apply_corrections()
        self.assertEqual(
            self._one(
                "SELECT location_id, in_date FROM stock_quant WHERE id = %s", quant_id
            ),
            (location_id, in_date[0]),
        )
        product.invalidate_recordset()
        self.assertEqual(product.qty_available, on_hand)

        product = self.plain[9]
        (line_id, location_id) = self._one(
            "SELECT ml.id, ml.location_dest_id FROM stock_move_line ml "
            "JOIN stock_location l ON l.id = ml.location_dest_id "
            "WHERE ml.product_id = %s AND ml.state = 'done' "
            "AND l.usage = 'internal' ORDER BY ml.id DESC LIMIT 1",
            product.id,
        )
        quants = self._one(
            "SELECT SUM(quantity) FROM stock_quant WHERE product_id = %s "
            "AND location_id = %s",
            product.id,
            location_id,
        )
        right = self._one(
            "SELECT quantity_product_uom FROM stock_move_line WHERE id = %s", line_id
        )
        self._sql(
            "UPDATE stock_move_line SET quantity_product_uom = "
            "quantity_product_uom + 1 WHERE id = %s",
            line_id,
        )
        report = self._run()
        self.assertEqual(
            {line.rule_code for line in report.line_ids}, {"line_product_qty"}
        )
        self._run(mode="balance").apply_corrections()
        self.assertEqual(
            self._one(
                "SELECT quantity_product_uom FROM stock_move_line WHERE id = %s",
                line_id,
            ),
            right,
        )
        self.assertEqual(
            self._one(
                "SELECT SUM(quantity) FROM stock_quant WHERE product_id = %s "
                "AND location_id = %s",
                product.id,
                location_id,
            ),
            quants,
        )

    def test_recreated_quant_as_odoo_holds_it(self):
        """A quant the correction re-creates: its incoming date is the key's
        last incoming line, its lot's dates, no count set."""
        # The lot's quant in stock (its vendor quant, -9, exists too).
        quant_id, location_id = self._one(
            "SELECT q.id, q.location_id FROM stock_quant q "
            "JOIN stock_location l ON l.id = q.location_id "
            "WHERE q.lot_id = %s AND l.usage = 'internal'",
            self.expiry_lot.id,
        )
        self._sql("DELETE FROM stock_quant WHERE id = %s", quant_id)
        self._run(mode="balance").apply_corrections()
        quant = self.env["stock.quant"].search(
            [("lot_id", "=", self.expiry_lot.id), ("location_id", "=", location_id)]
        )
        self.assertEqual(quant.quantity, 9)
        last_in = self._one(
            "SELECT MAX(date) FROM stock_move_line WHERE state = 'done' "
            "AND lot_id = %s AND location_dest_id = %s",
            self.expiry_lot.id,
            location_id,
        )[0]
        self.assertEqual(quant.in_date, last_in)
        self.assertFalse(quant.inventory_quantity_set)
        self.assertEqual(quant.inventory_diff_quantity, 0)
        if self.expiry:
            self.assertEqual(quant.expiration_date, self.expiry_lot.expiration_date)
            self.assertEqual(quant.removal_date, self.expiry_lot.removal_date)

    def test_serial_names_every_location(self):
        self._sql(
            "INSERT INTO stock_quant (product_id, location_id, lot_id, company_id, "
            "quantity, reserved_quantity, in_date) "
            "VALUES (%s, %s, %s, %s, 1, 0, now())",
            self.serial_product.id,
            self.bins[1].id,
            self.serials[0].id,
            self.company.id,
        )
        line = self._run().line_ids.filtered(
            lambda line: line.rule_code == "serial_quantity"
        )
        self.assertIn("in several locations", line.message)
        for location in self.bins[:2]:
            self.assertIn(location.complete_name, line.message)

    def test_all_classes_together(self):
        """Every class on one database, found by one run of the whole company
        with every option; corrected, then only the manual ones remain; the
        quants equal the ledger, and the valuation summary the quants."""
        on_hand_clean = self._on_hand()
        applied = []
        for _name, apply, correctable in self._classes():
            result = self._apply(apply)
            if result:
                applied.append((result, correctable))
        # The catalogue has a class for every rule of the run (the lots'
        # dates with product_expiry only).
        codes = {rule.code for rule in RULES}
        if not self.expiry:
            codes.discard("lot_dates")
        self.assertEqual({result[0] for result, _c in applied}, codes)
        values = self._all_values()
        report = self._run(**values)
        keys = self._keys(report)
        for (_code, key, _products, _ids, _values), _correctable in applied:
            self.assertIn(key, keys)
        run = self._run(mode="balance", **values)
        outcome = run.apply_corrections()
        self.assertEqual(run.state, "corrected")
        again = self._run(**values)
        manual = {
            key for (_c, key, _p, _i, _v), correctable in applied if not correctable
        }
        manual_codes = {key[0] for key in manual}
        self.assertLessEqual(manual, self._keys(again))
        self.assertFalse(
            {key[0] for key in self._keys(again)} - manual_codes, again.counts_summary
        )
        for code in manual_codes:
            self.assertEqual(outcome["remaining"][code], len(self._keys(again, code)))
        self.assertEqual(self._quants_vs_ledger(), [])
        self.assertEqual(self._summary_vs_quants(again), {})
        touched = set()
        for (_c, _k, products, _i, _v), correctable in applied:
            if not correctable:
                touched |= products
        on_hand = self._on_hand()
        for product_id, quantity in on_hand_clean.items():
            if product_id not in touched:
                self.assertEqual(on_hand.get(product_id), quantity, product_id)

    def test_findings_name_package_and_move(self):
        """A finding names what disagrees: the package of its key (reserved
        above on hand in a package: expected the quantity on hand, found the
        reservation) and the move whose lines do not add up to it."""
        quant_id, location_id, quantity = self._one(
            "SELECT id, location_id, quantity FROM stock_quant WHERE package_id = %s",
            self.package.id,
        )
        self._sql(
            "UPDATE stock_quant SET reserved_quantity = quantity + 5 WHERE id = %s",
            quant_id,
        )
        (move_id,) = self._one(
            "SELECT id FROM stock_move WHERE product_id = %s AND state = 'done' "
            "ORDER BY id LIMIT 1",
            self.lot_products[2].id,
        )
        self._sql(
            "UPDATE stock_move SET quantity = quantity + 2 WHERE id = %s", move_id
        )
        run = self._run()
        above = run.line_ids.filtered(
            lambda line: line.rule_code == "reserved_above_on_hand"
        )
        self.assertEqual(
            (above.product_id, above.location_id.id, above.package_id),
            (self.packaged, location_id, self.package),
        )
        self.assertEqual((above.expected, above.found), (quantity, quantity + 5))
        moved = run.line_ids.filtered(lambda line: line.rule_code == "move_lines_sum")
        self.assertEqual(moved.move_id.id, move_id)
        self.assertEqual(moved.product_id, self.lot_products[2])
        self.assertAlmostEqual(moved.difference, moved.found - moved.expected)

    def test_changed_quant_takes_ledger_in_date(self):
        """A quant whose quantity the correction changes takes the incoming
        date of its key's last incoming line (the ledger), in the same
        UPDATE; a quant the correction leaves alone keeps its own."""
        product = self.lot_products[3]
        quant_id, location_id = self._quant(product, lot=True)
        other_id, _other_location = self._one(
            "SELECT id, location_id FROM stock_quant WHERE product_id = %s "
            "AND quantity > 0 AND id <> %s ORDER BY id LIMIT 1",
            product.id,
            quant_id,
        )
        self._sql(
            "UPDATE stock_quant SET quantity = quantity + 3, "
            "in_date = '2001-02-03 04:05:06' WHERE id = %s",
            quant_id,
        )
        self._sql(
            "UPDATE stock_quant SET in_date = '2002-03-04 05:06:07' WHERE id = %s",
            other_id,
        )
        report = self._run()
        self.assertEqual(
            {(line.rule_code, line.location_id.id) for line in report.line_ids},
            {("quant_ledger", location_id)},
            report.counts_summary,
        )
        self._run(mode="balance").apply_corrections()
        (lot_id,) = self._one("SELECT lot_id FROM stock_quant WHERE id = %s", quant_id)
        last_in = self._one(
            "SELECT MAX(date) FROM stock_move_line WHERE state = 'done' "
            "AND product_id = %s AND location_dest_id = %s AND lot_id = %s "
            "AND result_package_id IS NULL AND owner_id IS NULL",
            product.id,
            location_id,
            lot_id,
        )[0]
        self.assertTrue(last_in)
        self.assertEqual(
            self._one("SELECT in_date FROM stock_quant WHERE id = %s", quant_id)[0],
            last_in,
        )
        self.assertEqual(
            str(
                self._one("SELECT in_date FROM stock_quant WHERE id = %s", other_id)[0]
            ),
            "2002-03-04 05:06:07",
        )
        self.assertEqual(self._quants_vs_ledger(), [])

    def _outcomes(self, run, actions, field="correction"):
        """The run's findings with the given actions: ``{(rule, product,
        location, lot, package, owner, move): correction}`` (or ``field``)."""
        return {
            (
                line.rule_code,
                line.product_id.id,
                line.location_id.id,
                line.lot_id.id,
                line.package_id.id,
                line.owner_id.id,
                line.move_id.id,
            ): line[field]
            for line in run.line_ids
            if line.action in actions
        }

    def test_report_proposes_what_correcting_does(self):
        """All classes together: what report-only proposes (with its
        correction) is exactly what the correcting run then corrects, per
        finding and per rule; what it marks manual (with why) stays, reported
        with the same why, after it."""
        for _name, apply, _correctable in self._classes():
            self._apply(apply)
        values = self._all_values()
        report = self._run(**values)
        proposed = self._outcomes(report, ("proposed",))
        manual = self._outcomes(report, ("reported",))
        self.assertTrue(proposed)
        self.assertTrue(manual)
        self.assertEqual(
            set(report.line_ids.mapped("action")), {"proposed", "reported"}
        )
        for line in report.line_ids.filtered(lambda line: line.action == "reported"):
            self.assertTrue(line.message, line.rule_code)
        run = self._run(mode="balance", **values)
        self.assertEqual(self._outcomes(run, ("proposed",)), proposed)
        outcome = run.apply_corrections()
        # Every correction taken was proposed, with that correction; the
        # proposed findings not among them were settled by an earlier stage's
        # correction (a stray quant moved back settles its key's shortfall
        # and duplicate) and are gone as well.
        taken = self._outcomes(run, ("taken",))
        self.assertLessEqual(taken.items(), proposed.items())
        per_rule = {}
        for key in proposed:
            per_rule[key[0]] = per_rule.get(key[0], 0) + 1
        self.assertEqual(
            {code: n for code, n in outcome["corrected"].items() if n}, per_rule
        )
        per_rule = {}
        for key in manual:
            per_rule[key[0]] = per_rule.get(key[0], 0) + 1
        self.assertEqual(
            {code: n for code, n in outcome["remaining"].items() if n}, per_rule
        )
        again = self._run(**values)
        self.assertEqual(self._outcomes(again, ("reported", "proposed")), manual)
        self.assertEqual(
            self._outcomes(again, ("reported",), "message"),
            self._outcomes(report, ("reported",), "message"),
        )
        self.assertEqual(self._quants_vs_ledger(), [])

    def test_narrowed_run_counts_only_its_scope(self):
        """A run narrowed to one bin proposes for a serial from the quants of
        that bin only: a serial held twice in the bin (two units where the
        ledger has one) and once in another bin, outside the run, is settled
        by setting the bin to the ledger, which the run proposes and the
        correcting run does; the quant outside it is neither counted nor
        touched."""
        serial = self.serials[1]
        inside, outside = self.bins[0], self.bins[1]
        (quant_id,) = self._one(
            "SELECT id FROM stock_quant WHERE lot_id = %s AND location_id = %s",
            serial.id,
            inside.id,
        )
        self._sql("UPDATE stock_quant SET quantity = 2 WHERE id = %s", quant_id)
        (stray_id,) = self._one(
            "INSERT INTO stock_quant (product_id, location_id, lot_id, company_id, "
            "quantity, reserved_quantity, in_date) "
            "VALUES (%s, %s, %s, %s, 1, 0, now()) RETURNING id",
            self.serial_product.id,
            outside.id,
            serial.id,
            self.company.id,
        )
        scope = {
            "location_ids": [Command.set(inside.ids)],
            "product_ids": [Command.set(self.serial_product.ids)],
        }
        report = self._run(**scope)
        self.assertEqual(
            {
                (line.rule_code, line.location_id, line.action, line.correction)
                for line in report.line_ids
            },
            {
                ("quant_ledger", inside, "proposed", "set_quant_to_ledger"),
                ("serial_quantity", inside, "proposed", "set_quant_to_ledger"),
            },
        )
        serial_line = report.line_ids.filtered(
            lambda line: line.rule_code == "serial_quantity"
        )
        self.assertNotIn(outside.complete_name, serial_line.message)
        run = self._run(mode="balance", **scope)
        outcome = run.apply_corrections()
        self.assertEqual(
            {code: n for code, n in outcome["corrected"].items() if n},
            {"quant_ledger": 1, "serial_quantity": 1},
        )
        self.assertFalse(any(outcome["remaining"].values()), outcome["remaining"])
        self.assertEqual(self._run(**scope).line_count, 0)
        self.assertEqual(
            self._one("SELECT quantity FROM stock_quant WHERE id = %s", quant_id),
            (1,),
        )
        self.assertEqual(
            self._one(
                "SELECT location_id, quantity FROM stock_quant WHERE id = %s",
                stray_id,
            ),
            (outside.id, 1),
        )
        # The run of the product everywhere sees the serial in both bins.
        whole = self._run(product_ids=[Command.set(self.serial_product.ids)])
        self.assertEqual(
            {(line.rule_code, line.location_id) for line in whole.line_ids},
            {("quant_ledger", outside), ("serial_quantity", inside)},
        )
