# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The catalogue's classes of the rules that need more than the quants and
the ledger of the generated history: the valuation rules (FIFO and AVCO
products received and delivered through Odoo's own flows, a standard-cost
product's valuation flags, the stock value against the valuation account
after Odoo's stock closing entry), goods left in transit, a zero quant and
the aged inventory.  Some need a run over the whole company (the valuation
account, the aged inventory) or an option: each class says which run
values it needs (see ``catalogue_common``)."""

from datetime import timedelta

from odoo import Command, fields

# Run values: a run over the whole company (no product scope), and every
# option that adds rules.
WHOLE = {"product_ids": [Command.clear()]}
OPTIONS = {"check_valuation": True, "check_ageing": True, "recalculate_costs": True}


class CatalogueMoreMixin:
    @classmethod
    def _setup_more(cls, fifo_categ, avco_categ):
        """FIFO and AVCO products received twice at different values and
        delivered once (FIFO 5 of the first receipt at 10 and 10 of the second
        at 14 left; AVCO (100 + 140) / 20 = 12), a transit location of the
        company, and Odoo's stock closing entry of the period, so that the
        valuation account holds the stock value."""
        Product = cls.env["product.product"]
        cls.supplier = cls.env.ref("stock.stock_location_suppliers")
        cls.fifo = Product.create(
            {"name": "Catalogue FIFO", "is_storable": True, "categ_id": fifo_categ.id}
        )
        cls.fifo_remaining = Product.create(
            {
                "name": "Catalogue FIFO remaining",
                "is_storable": True,
                "categ_id": fifo_categ.id,
            }
        )
        cls.avco = Product.create(
            {"name": "Catalogue AVCO", "is_storable": True, "categ_id": avco_categ.id}
        )
        cls.valued = cls.fifo | cls.fifo_remaining | cls.avco
        cls.receipts = {}
        now = fields.Datetime.now()
        for product in cls.valued:
            first = cls._done_move(
                product, cls.supplier, cls.bins[0], 10, now - timedelta(days=30)
            )
            first.value_manual = 100.0
            second = cls._done_move(
                product, cls.supplier, cls.bins[0], 10, now - timedelta(days=20)
            )
            second.value_manual = 140.0
            cls._done_move(
                product, cls.bins[0], cls.customers, 5, now - timedelta(days=10)
            )
            cls.receipts[product] = first | second
        cls.transit = cls.env["stock.location"].create(
            {
                "name": "Catalogue transit",
                "usage": "transit",
                "company_id": cls.company.id,
            }
        )
        cls.env.flush_all()
        action = cls.company.action_close_stock_valuation(
            at_date=fields.Date.today(), auto_post=True
        )
        cls.closing_entry = cls.env["account.move"].browse(action["res_id"])
        cls.env.flush_all()

    @classmethod
    def _done_move(cls, product, src, dst, qty, date):
        unit = cls.env.ref("uom.product_uom_unit")
        move = cls.env["stock.move"].create(
            {
                "product_id": product.id,
                "product_uom": unit.id,
                "product_uom_qty": qty,
                "location_id": src.id,
                "location_dest_id": dst.id,
                "company_id": cls.company.id,
                "move_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_id": unit.id,
                            "quantity": qty,
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

    def _set_cost(self, product, cost):
        self._sql(
            "UPDATE product_product SET standard_price = jsonb_set("
            "COALESCE(standard_price, '{}'), %s, %s::text::jsonb) WHERE id = %s",
            [str(self.company.id)],
            cost,
            product.id,
        )

    def _more_classes(self):  # noqa: C901 (one small function per class)
        """``(corrected, reported)``: the classes of this module, as
        ``_classes`` lists them."""
        plain, lots = self.plain, self.lot_products
        company = self.company

        def zero_quant():
            stock = self.warehouse.lot_stock_id
            self._sql(
                "INSERT INTO stock_quant (product_id, location_id, company_id, "
                "quantity, reserved_quantity, in_date) "
                "VALUES (%s, %s, %s, 0, 0, now())",
                plain[6].id,
                stock.id,
                company.id,
            )
            return "zero_quant", (plain[6].id, stock.id, False), plain[6]

        def transit_left():
            # Goods shipped into transit (the ledger and the quants agree),
            # the receiving leg never made: nothing open takes them out.
            product = plain[7]
            (cost,) = self._one(
                "SELECT COALESCE((standard_price ->> %s)::float8, 0) "
                "FROM product_product WHERE id = %s",
                str(company.id),
                product.id,
            )
            (move_id,) = self._one(
                """
                INSERT INTO stock_move
                    (company_id, product_id, product_uom, location_id,
                     location_dest_id, location_final_id, state, procure_method,
                     product_uom_qty, product_qty, quantity, picked, date,
                     reference, price_unit, value, is_in, is_out, is_dropship,
                     create_uid, write_uid, create_date, write_date)
                VALUES (%s, %s, %s, %s, %s, %s, 'done', 'make_to_stock', 6, 6, 6,
                        TRUE, now() AT TIME ZONE 'UTC' - interval '1 hour',
                        'CAT/TRANSIT', %s, %s, TRUE, FALSE, FALSE, 1, 1,
                        now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
                RETURNING id
                """,
                company.id,
                product.id,
                product.uom_id.id,
                self.supplier.id,
                self.transit.id,
                self.transit.id,
                cost,
                6 * cost,
            )
            self._sql(
                """
                INSERT INTO stock_move_line
                    (move_id, company_id, product_id, product_uom_id, location_id,
                     location_dest_id, state, quantity, quantity_product_uom,
                     picked, date, create_uid, write_uid, create_date, write_date)
                SELECT id, company_id, product_id, product_uom, location_id,
                       location_dest_id, 'done', 6, 6, TRUE, date, 1, 1,
                       create_date, write_date
                  FROM stock_move WHERE id = %s
                """,
                move_id,
            )
            self._sql(
                "INSERT INTO stock_quant (product_id, location_id, company_id, "
                "quantity, reserved_quantity, in_date) "
                "VALUES (%s, %s, %s, 6, 0, now() AT TIME ZONE 'UTC')",
                product.id,
                self.transit.id,
                company.id,
            )
            vendor_quant = self._one(
                "SELECT id FROM stock_quant WHERE product_id = %s "
                "AND location_id = %s AND lot_id IS NULL AND package_id IS NULL "
                "ORDER BY id LIMIT 1",
                product.id,
                self.supplier.id,
            )
            if vendor_quant:
                self._sql(
                    "UPDATE stock_quant SET quantity = quantity - 6 WHERE id = %s",
                    vendor_quant[0],
                )
            else:
                self._sql(
                    "INSERT INTO stock_quant (product_id, location_id, quantity, "
                    "reserved_quantity, in_date) VALUES (%s, %s, -6, 0, now())",
                    product.id,
                    self.supplier.id,
                )
            return "transit_open_moves", (product.id, self.transit.id, False), product

        def ageing_differs():
            # The quants of a lot above the ledger: the aged inventory (the
            # ledger's, per product, warehouse and lot) differs from them.
            quant_id, _location_id = self._quant(lots[3], lot=True)
            (lot_id,) = self._one(
                "SELECT lot_id FROM stock_quant WHERE id = %s", quant_id
            )
            self._sql(
                "UPDATE stock_quant SET quantity = quantity + 5 WHERE id = %s",
                quant_id,
            )
            key = (lots[3].id, self.warehouse.lot_stock_id.id, lot_id)
            return (
                "ageing_on_hand",
                key,
                lots[3],
                {},
                dict(WHOLE, check_ageing=True),
            )

        def valuation_avco():
            # The average cost overwritten (15 for the moves' 12).
            self._set_cost(self.avco, 15)
            key = (self.avco.id, False, False)
            options = {"check_valuation": True, "recalculate_costs": True}
            return "valuation_avco", key, self.avco, {}, options

        def valuation_account():
            # The closing entry's line on the valuation account altered: the
            # account's balance no longer is the stock value.
            account = company.account_stock_valuation_id
            (line_id,) = self._one(
                "SELECT id FROM account_move_line WHERE move_id = %s "
                "AND account_id = %s ORDER BY id LIMIT 1",
                self.closing_entry.id,
                account.id,
            )
            self._sql(
                "UPDATE account_move_line SET debit = debit + 50, "
                "balance = balance + 50, amount_currency = amount_currency + 50 "
                "WHERE id = %s AND credit = 0",
                line_id,
            )
            self._sql(
                "UPDATE account_move_line SET credit = credit - 50, "
                "balance = balance + 50, amount_currency = amount_currency + 50 "
                "WHERE id = %s AND credit >= 50",
                line_id,
            )
            return (
                "valuation_account",
                (False, False, False),
                self.env["product.product"],
                {},
                dict(WHOLE, check_valuation=True),
            )

        # Reported for a person: a correcting run changes no stock row.
        def valuation_fifo():
            # The FIFO cost overwritten (11 for the receipts' 190 / 15).
            self._set_cost(self.fifo, 11)
            key = (self.fifo.id, False, False)
            return "valuation_fifo", key, self.fifo, {}, {"check_valuation": True}

        def valuation_remaining():
            # A receipt no longer incoming: the valued receipts cover 10 of
            # the 15 on hand.
            self._sql(
                "UPDATE stock_move SET is_in = FALSE WHERE id = %s",
                self.receipts[self.fifo_remaining][0].id,
            )
            key = (self.fifo_remaining.id, False, False)
            return (
                "valuation_remaining",
                key,
                self.fifo_remaining,
                {},
                {"check_valuation": True},
            )

        def valuation_flags():
            # A standard-cost product's receipt no longer incoming.
            move_id, location_id = self._one(
                "SELECT id, location_dest_id FROM stock_move WHERE product_id = %s "
                "AND state = 'done' AND is_in ORDER BY id LIMIT 1",
                plain[5].id,
            )
            self._sql("UPDATE stock_move SET is_in = FALSE WHERE id = %s", move_id)
            key = (plain[5].id, location_id, False)
            return "valuation_flags", key, plain[5], {}, {"check_valuation": True}

        corrected = [
            zero_quant,
            transit_left,
            ageing_differs,
            valuation_avco,
            valuation_account,
        ]
        reported = [valuation_fifo, valuation_remaining, valuation_flags]
        return corrected, reported

    def _summary_vs_quants(self, run):
        """The run's valuation summary (the ledger at its moment) against the
        quants of its locations (internal and transit) and storable products,
        per warehouse: ``{warehouse id: (summary, quants)}`` where they
        differ."""
        self.env.flush_all()
        product_ids = run._scope_product_ids()
        self.env.cr.execute(
            """
            SELECT COALESCE(l.warehouse_id, 0), ROUND(SUM(q.quantity)::numeric, 4)
              FROM stock_quant q
              JOIN stock_location l ON l.id = q.location_id
              JOIN product_product pp ON pp.id = q.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE l.usage IN ('internal', 'transit') AND l.company_id = %s
               AND pt.is_storable AND (%s OR q.product_id = ANY(%s))
             GROUP BY 1
            """,
            (run.company_id.id, product_ids is None, product_ids or []),
        )
        quants = {key: float(qty) for key, qty in self.env.cr.fetchall()}
        summary = {}
        for row in run.valuation_ids:
            key = row.warehouse_id.id or 0
            summary[key] = summary.get(key, 0.0) + row.quantity
        return {
            key: (round(summary.get(key, 0.0), 4), round(quants.get(key, 0.0), 4))
            for key in summary.keys() | quants.keys()
            if abs(summary.get(key, 0.0) - quants.get(key, 0.0)) > 1e-4
        }
