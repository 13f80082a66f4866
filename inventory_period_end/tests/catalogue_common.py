# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The catalogue of disagreement classes of the balance run tests: the
generated stock history, the classes written with SQL into it and the
helpers that compare stock rows, quants and ledger (see
``test_balance_catalogue``)."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase
from odoo.tools import SQL

from odoo.addons.inventory_balance.tools import GeneratorSpec, StockHistoryGenerator

from .catalogue_more import OPTIONS, WHOLE, CatalogueMoreMixin

TABLES = (
    "stock_quant",
    "stock_move",
    "stock_move_line",
    "stock_lot",
    "stock_package",
    "stock_location",
)
# Tables whose rows carry a product: a row of a touched product may change.
PRODUCT_TABLES = ("stock_quant", "stock_move", "stock_move_line", "stock_lot")


class BalanceCatalogueCase(CatalogueMoreMixin, TransactionCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.customers = cls.env.ref("stock.stock_location_customers")
        result = StockHistoryGenerator(
            cls.env,
            GeneratorSpec(
                products=16, locations=3, move_lines=960, lot_share=0.25, days=60
            ),
        ).run()
        Product = cls.env["product.product"]
        generated = Product.browse(result["product_ids"])
        cls.bins = cls.env["stock.location"].browse(result["bin_ids"])
        cls.lot_products = generated.filtered(lambda p: p.tracking == "lot")
        cls.plain = generated - cls.lot_products
        unit = cls.env.ref("uom.product_uom_unit")
        cls.serial_product = Product.create(
            {"name": "Catalogue serial", "is_storable": True, "tracking": "serial"}
        )
        cls.serials = cls.env["stock.lot"].create(
            [
                {"name": f"CAT-SN-{n}", "product_id": cls.serial_product.id}
                for n in range(3)
            ]
        )
        cls.packaged = Product.create(
            {"name": "Catalogue packaged", "is_storable": True}
        )
        cls.package = cls.env["stock.package"].create({"name": "CAT-PACK"})
        cls.expiry = "use_expiration_date" in Product._fields
        expiry_vals = {"name": "Catalogue expiry", "is_storable": True}
        expiry_vals["tracking"] = "lot"
        if cls.expiry:
            expiry_vals["use_expiration_date"] = True
        cls.expiry_product = Product.create(expiry_vals)
        lot_vals = {"name": "CAT-EXP-1", "product_id": cls.expiry_product.id}
        if cls.expiry:
            lot_vals["expiration_date"] = fields.Datetime.now() + timedelta(days=40)
        cls.expiry_lot = cls.env["stock.lot"].create(lot_vals)
        Quant = cls.env["stock.quant"].with_context(inventory_mode=True)
        quants = Quant.create(
            [
                {
                    "product_id": cls.serial_product.id,
                    "location_id": cls.bins[0].id,
                    "lot_id": serial.id,
                    "inventory_quantity": 1,
                }
                for serial in cls.serials
            ]
            + [
                {
                    "product_id": cls.packaged.id,
                    "location_id": cls.bins[1].id,
                    "package_id": cls.package.id,
                    "inventory_quantity": 12,
                },
                {
                    "product_id": cls.expiry_product.id,
                    "location_id": cls.bins[2].id,
                    "lot_id": cls.expiry_lot.id,
                    "inventory_quantity": 9,
                },
            ]
        )
        quants.action_apply_inventory()
        # Reservations: a delivery reserving from the package and from a bin.
        reserved_plain = cls.plain[0]
        stock = cls.warehouse.lot_stock_id
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": cls.warehouse.out_type_id.id,
                "location_id": stock.id,
                "location_dest_id": cls.customers.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom": unit.id,
                            "product_uom_qty": qty,
                            "location_id": stock.id,
                            "location_dest_id": cls.customers.id,
                        }
                    )
                    for product, qty in ((cls.packaged, 4), (reserved_plain, 3))
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        # A second package, reserved by nothing (after the reservations).
        cls.package2 = cls.env["stock.package"].create({"name": "CAT-PACK-2"})
        Quant.create(
            {
                "product_id": cls.packaged.id,
                "location_id": cls.bins[2].id,
                "package_id": cls.package2.id,
                "inventory_quantity": 5,
            }
        ).action_apply_inventory()
        # The generated FIFO (even index) and AVCO (odd) categories.
        cls._setup_more(cls.lot_products[0].categ_id, cls.lot_products[1].categ_id)
        cls.products = (
            generated
            | cls.serial_product
            | cls.packaged
            | cls.expiry_product
            | cls.valued
        )
        cls.env.flush_all()

    # -------------------------------------------------------------- helpers
    def _sql(self, query, *args):
        self.env.flush_all()
        self.env.cr.execute(query, args)
        self.env.invalidate_all()

    def _one(self, query, *args):
        self.env.flush_all()
        self.env.cr.execute(query, args)
        return self.env.cr.fetchone()

    def _quant(self, product, lot=False, internal=True, exclude_reserved=True):
        """A quant of ``product`` holding stock, in a bin (id, location)."""
        return self._one(
            """
            SELECT q.id, q.location_id FROM stock_quant q
              JOIN stock_location l ON l.id = q.location_id
             WHERE q.product_id = %s AND q.quantity > 0
               AND (l.usage = 'internal') = %s
               AND (NOT %s OR q.reserved_quantity = 0)
               AND (q.lot_id IS NOT NULL) = %s
             ORDER BY q.quantity DESC, q.id LIMIT 1
            """,
            product.id,
            internal,
            exclude_reserved,
            bool(lot),
        )

    def _run(self, **values):
        values.setdefault("product_ids", [Command.set(self.products.ids)])
        run = self.env["inventory.balance.run"].create(values)
        run.action_run()
        return run

    def _keys(self, run, code=None):
        return {
            (line.rule_code, line.product_id.id, line.location_id.id, line.lot_id.id)
            for line in run.line_ids
            if not code or line.rule_code == code
        }

    def _rows(self):
        """Per stock table, ``{id: (product id or None, md5 of the row)}``."""
        self.env.flush_all()
        rows = {}
        for table in TABLES:
            product = (
                SQL("t.product_id") if table in PRODUCT_TABLES else SQL("NULL::int")
            )
            self.env.cr.execute(
                SQL(
                    "SELECT t.id, %s, md5(t::text) FROM %s t",
                    product,
                    SQL.identifier(table),
                )
            )
            rows[table] = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        return rows

    def _changed(self, before, after, products, ids):
        """Rows changed, added or removed outside the touched products (and
        the touched ids of the tables without a product)."""
        changed = []
        for table in TABLES:
            old, new = before[table], after[table]
            for row_id in old.keys() | new.keys():
                if old.get(row_id) == new.get(row_id):
                    continue
                product = (old.get(row_id) or new.get(row_id))[0]
                if product in products or row_id in ids.get(table, ()):
                    continue
                changed.append((table, row_id))
        return changed

    def _on_hand(self):
        """Odoo's on hand per product (internal locations)."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT q.product_id, ROUND(SUM(q.quantity)::numeric, 4)
              FROM stock_quant q JOIN stock_location l ON l.id = q.location_id
             WHERE l.usage = 'internal' AND q.product_id = ANY(%s)
             GROUP BY q.product_id
            """,
            [self.products.ids],
        )
        return dict(self.env.cr.fetchall())

    def _quants_vs_ledger(self):
        """Keys, in every location, where the quants differ from the ledger
        of done lines (each line's quantity in its unit, the truth)."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT product_id, location_id, lot_id, package_id, owner_id,
                   ROUND(SUM(qty)::numeric, 4)
              FROM (
                SELECT ml.product_id, side.location_id, ml.lot_id,
                       side.package_id, ml.owner_id,
                       side.sign * ml.quantity * lu.factor / pu.factor AS qty
                  FROM stock_move_line ml
                  JOIN uom_uom lu ON lu.id = ml.product_uom_id
                  JOIN product_product pp ON pp.id = ml.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN uom_uom pu ON pu.id = pt.uom_id
                 CROSS JOIN LATERAL (
                    VALUES (ml.location_dest_id, ml.result_package_id, 1),
                           (ml.location_id, ml.package_id, -1)
                 ) side (location_id, package_id, sign)
                 WHERE ml.state = 'done'
                UNION ALL
                SELECT product_id, location_id, lot_id, package_id, owner_id,
                       -quantity
                  FROM stock_quant
              ) x
             WHERE product_id = ANY(%s)
             GROUP BY 1, 2, 3, 4, 5
            HAVING ABS(SUM(qty)) > 0.0001
            """,
            [self.products.ids],
        )
        return self.env.cr.fetchall()

    # ------------------------------------------------------------ the classes
    def _classes(self):  # noqa: C901 (one small function per class)
        """``[(name, apply, whether a correcting run settles it)]``:
        ``apply()`` corrupts the database and returns ``(rule code, key
        (product, location, lot), touched products[, touched ids per table[,
        the values of the runs that find it]])``, or None when the class
        does not apply (an addon missing)."""
        plain, lots = self.plain, self.lot_products
        view = self.warehouse.view_location_id

        def quant_surplus():
            quant_id, location_id = self._quant(plain[1])
            self._sql(
                "UPDATE stock_quant SET quantity = quantity + 7 WHERE id = %s",
                quant_id,
            )
            return "quant_ledger", (plain[1].id, location_id, False), plain[1]

        def quant_missing():
            quant_id, location_id = self._quant(plain[2])
            self._sql("DELETE FROM stock_quant WHERE id = %s", quant_id)
            return "quant_ledger", (plain[2].id, location_id, False), plain[2]

        def phantom_quant():
            (location_id,) = self._one(
                "SELECT id FROM stock_location WHERE id = ANY(%s) AND id NOT IN "
                "(SELECT location_id FROM stock_quant WHERE product_id = %s) "
                "ORDER BY id LIMIT 1",
                self.bins.ids,
                plain[3].id,
            ) or (self.warehouse.lot_stock_id.id,)
            self._sql(
                "INSERT INTO stock_quant (product_id, location_id, company_id, "
                "quantity, reserved_quantity, in_date) "
                "VALUES (%s, %s, %s, 4, 0, now())",
                plain[3].id,
                location_id,
                self.company.id,
            )
            return "quant_ledger", (plain[3].id, location_id, False), plain[3]

        def duplicate_quant():
            quant_id, location_id = self._quant(plain[4])
            self._sql(
                "UPDATE stock_quant SET quantity = quantity - 3 WHERE id = %s",
                quant_id,
            )
            self._sql(
                "INSERT INTO stock_quant (product_id, location_id, company_id, "
                "quantity, reserved_quantity, in_date) SELECT product_id, "
                "location_id, company_id, 3, 0, in_date FROM stock_quant "
                "WHERE id = %s",
                quant_id,
            )
            return "duplicate_quant", (plain[4].id, location_id, False), plain[4]

        def reserved_vs_lines():
            quant_id, location_id = self._quant(plain[5])
            self._sql(
                "UPDATE stock_quant SET reserved_quantity = 2 WHERE id = %s", quant_id
            )
            return "reserved", (plain[5].id, location_id, False), plain[5]

        def reserved_above_in_package():
            quant_id, location_id = self._one(
                "SELECT id, location_id FROM stock_quant WHERE package_id = %s",
                self.package.id,
            )
            self._sql(
                "UPDATE stock_quant SET reserved_quantity = quantity + 5 WHERE id = %s",
                quant_id,
            )
            key = (self.packaged.id, location_id, False)
            return "reserved_above_on_hand", key, self.packaged

        def reserved_above_plain():
            # The delivery's reserved quant (no package), reserving more than
            # it holds.
            quant_id, location_id = self._one(
                "SELECT q.id, q.location_id FROM stock_quant q "
                "JOIN stock_location l ON l.id = q.location_id "
                "WHERE q.product_id = %s AND q.reserved_quantity > 0 "
                "AND q.package_id IS NULL AND l.usage = 'internal' "
                "ORDER BY q.id LIMIT 1",
                self.plain[0].id,
            )
            self._sql(
                "UPDATE stock_quant SET reserved_quantity = quantity + 5 WHERE id = %s",
                quant_id,
            )
            key = (self.plain[0].id, location_id, False)
            return "reserved_above_on_hand", key, self.plain[0]

        def negative():
            quant_id, location_id = self._quant(plain[6])
            self._sql("UPDATE stock_quant SET quantity = -4 WHERE id = %s", quant_id)
            return "negative", (plain[6].id, location_id, False), plain[6]

        def lot_missing():
            quant_id, location_id = self._quant(lots[0], lot=True)
            self._sql("UPDATE stock_quant SET lot_id = NULL WHERE id = %s", quant_id)
            return "lot_missing", (lots[0].id, location_id, False), lots[0]

        def serial_in_two_places():
            self._sql(
                "INSERT INTO stock_quant (product_id, location_id, lot_id, "
                "company_id, quantity, reserved_quantity, in_date) "
                "VALUES (%s, %s, %s, %s, 1, 0, now())",
                self.serial_product.id,
                self.bins[1].id,
                self.serials[0].id,
                self.company.id,
            )
            key = (
                self.serial_product.id,
                min(self.bins[0].id, self.bins[1].id),
                self.serials[0].id,
            )
            return "serial_quantity", key, self.serial_product

        def view_stray():
            # The case: a quant moved by hand into the view location.
            quant_id, _location_id = self._quant(plain[7])
            self._sql(
                "UPDATE stock_quant SET location_id = %s WHERE id = %s",
                view.id,
                quant_id,
            )
            return "view_location", (plain[7].id, view.id, False), plain[7]

        def customer_stray():
            quant_id, _location_id = self._quant(plain[8])
            self._sql(
                "UPDATE stock_quant SET location_id = %s, company_id = NULL "
                "WHERE id = %s",
                self.customers.id,
                quant_id,
            )
            key = (plain[8].id, self.customers.id, False)
            return "virtual_quant_ledger", key, plain[8]

        def virtual_differs():
            (quant_id,) = self._one(
                "SELECT id FROM stock_quant WHERE product_id = %s "
                "AND location_id = %s AND lot_id IS NULL ORDER BY id LIMIT 1",
                plain[1].id,
                self.customers.id,
            )
            self._sql(
                "UPDATE stock_quant SET quantity = quantity + 3 WHERE id = %s",
                quant_id,
            )
            key = (plain[1].id, self.customers.id, False)
            return "virtual_quant_ledger", key, plain[1]

        def line_product_qty():
            # The case: the stored quantity in the product's unit
            # off by one; the line's quantity is right, so are the quants.
            (line_id, location_id) = self._one(
                "SELECT ml.id, ml.location_dest_id FROM stock_move_line ml "
                "JOIN stock_location l ON l.id = ml.location_dest_id "
                "WHERE ml.product_id = %s AND ml.state = 'done' "
                "AND l.usage = 'internal' ORDER BY ml.id DESC LIMIT 1",
                plain[9].id,
            )
            self._sql(
                "UPDATE stock_move_line SET quantity_product_uom = "
                "quantity_product_uom + 1 WHERE id = %s",
                line_id,
            )
            key = (plain[9].id, location_id, False)
            return "line_product_qty", key, plain[9]

        def lot_dates():
            if not self.expiry:
                return None
            self._sql(
                "UPDATE stock_quant SET expiration_date = expiration_date "
                "+ interval '3 days', removal_date = NULL WHERE lot_id = %s",
                self.expiry_lot.id,
            )
            key = (self.expiry_product.id, self.bins[2].id, self.expiry_lot.id)
            return "lot_dates", key, self.expiry_product

        # Reported for a person: a correcting run changes no stock row.
        def package_location():
            self._sql(
                "UPDATE stock_package SET location_id = %s WHERE id = %s",
                self.bins[0].id,
                self.package2.id,
            )
            key = (self.packaged.id, self.bins[2].id, False)
            return (
                "package_location",
                key,
                self.packaged,
                {"stock_package": self.package2.ids},
            )

        def archived_location():
            quant_id, location_id = self._quant(plain[10])
            self._sql(
                "UPDATE stock_location SET active = FALSE WHERE id = %s", location_id
            )
            return (
                "archived_location",
                (plain[10].id, location_id, False),
                plain[10],
                {"stock_location": [location_id]},
            )

        def lot_of_another_product():
            quant_id, location_id = self._quant(lots[1], lot=True)
            (lot_id,) = self._one(
                "SELECT lot_id FROM stock_quant WHERE id = %s", quant_id
            )
            self._sql(
                "UPDATE stock_lot SET product_id = %s WHERE id = %s",
                lots[2].id,
                lot_id,
            )
            return (
                "lot_product",
                (lots[1].id, location_id, lot_id),
                lots[1] | lots[2],
                {"stock_lot": [lot_id]},
            )

        def not_storable():
            quant_id, location_id = self._quant(plain[11])
            self._sql(
                "UPDATE product_template SET is_storable = FALSE WHERE id = %s",
                plain[11].product_tmpl_id.id,
            )
            return "not_storable", (plain[11].id, location_id, False), plain[11], {}

        def move_lines_sum():
            (move_id, location_id) = self._one(
                "SELECT id, location_dest_id FROM stock_move WHERE product_id = %s "
                "AND state = 'done' ORDER BY id LIMIT 1",
                lots[2].id,
            )
            self._sql(
                "UPDATE stock_move SET quantity = quantity + 2 WHERE id = %s", move_id
            )
            return "move_lines_sum", (lots[2].id, location_id, False), lots[2], {}

        more_corrected, more_reported = self._more_classes()
        corrected = [
            quant_surplus,
            quant_missing,
            phantom_quant,
            duplicate_quant,
            reserved_vs_lines,
            reserved_above_in_package,
            reserved_above_plain,
            negative,
            lot_missing,
            serial_in_two_places,
            view_stray,
            customer_stray,
            virtual_differs,
            line_product_qty,
            lot_dates,
            *more_corrected,
        ]
        reported = [
            package_location,
            archived_location,
            lot_of_another_product,
            not_storable,
            move_lines_sum,
            *more_reported,
        ]
        return [(f.__name__, f, True) for f in corrected] + [
            (f.__name__, f, False) for f in reported
        ]

    def _apply(self, apply):
        """Apply one class; ``(code, key, product ids, ids per table, run
        values)``."""
        result = apply()
        if result is None:
            return None
        code, key, products = result[:3]
        ids = result[3] if len(result) > 3 else {}
        values = result[4] if len(result) > 4 else {}
        key = (code, key[0], key[1], key[2])
        return code, key, set(products.ids), ids, values

    @staticmethod
    def _all_values():
        """The values of a run that finds every class: the whole company,
        every option."""
        return dict(WHOLE, **OPTIONS)

    def _check_clean(self, **values):
        run = self._run(**values)
        self.assertEqual(run.line_count, 0, run.counts_summary)
        return run
