# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


from odoo.tests import TransactionCase, tagged

from .common import BalanceRunCaseMixin


@tagged("post_install", "-at_install")
class TestBalanceRunPlaces(BalanceRunCaseMixin, TransactionCase):
    """The rules on lots (d), places (e), moves against their lines (h) and
    zero quants (i), and their corrections."""

    # --------------------------------------------------------- (d) lots
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

    # ------------------------------------------------------- (e) places
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

    # ----------------------------------------- (h) moves vs their lines
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

    # -------------------------------------------------- (i) zero quants
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
