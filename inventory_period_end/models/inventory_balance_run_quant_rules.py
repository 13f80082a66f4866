# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The rules of the period-end balance run that read the quants, lots,
packages and open moves (not the ledger's history): one SQL statement per
rule, ``_rule_<code>_sql``.  A mixin of ``inventory.balance.run``: ``self``
is the run."""

from odoo import models
from odoo.tools import SQL


class InventoryBalanceRunQuantRules(models.AbstractModel):
    _name = "inventory.balance.run.quant.rules"
    _description = "Inventory Balance Run: rules on quants"

    def _rule_duplicate_quant_sql(self, ctx):
        """(a) Keys held by several quants (Odoo keeps one per key), in every
        location of the scope, view and virtual ones included: read from the
        comparison of the ledger with the quants, which counts them
        (``_create_compare_table``)."""
        return SQL(
            """
            SELECT product_id, location_id, lot_id, package_id, owner_id,
                   NULL::int, 1::float8, quants::float8
              FROM balance_run_compare
             WHERE quants > 1
            """
        )

    def _rule_reserved_above_on_hand_sql(self, ctx):
        """(b) Keys whose quants reserve more than they hold (packages
        included: a package's key is its own)."""
        return SQL(
            """
            SELECT product_id, location_id, lot_id, package_id, owner_id,
                   NULL::int, SUM(quantity)::float8, SUM(reserved_quantity)::float8
              FROM stock_quant
             WHERE location_id IN (SELECT id FROM run_locations)
               AND product_id IN (SELECT id FROM run_products)
               AND reserved_quantity > 0
             GROUP BY product_id, location_id, lot_id, package_id, owner_id
            HAVING SUM(reserved_quantity) - GREATEST(SUM(quantity), 0)
                   > %(tolerance)s
            """,
            tolerance=ctx["tolerance"],
        )

    def _rule_lot_product_sql(self, ctx):
        """(d) Quants whose lot belongs to another product, naming it."""
        return SQL(
            """
            SELECT q.product_id, q.location_id, q.lot_id, q.package_id, q.owner_id,
                   NULL::int, 0::float8, SUM(q.quantity)::float8,
                   %(detail)s || MIN(COALESCE(lp.default_code, lt.name ->> 'en_US'))
              FROM stock_quant q
              JOIN stock_lot lot ON lot.id = q.lot_id
              JOIN product_product lp ON lp.id = lot.product_id
              JOIN product_template lt ON lt.id = lp.product_tmpl_id
             WHERE q.location_id IN (SELECT id FROM run_locations)
               AND q.product_id IN (SELECT id FROM run_products)
               AND lot.product_id <> q.product_id
             GROUP BY q.product_id, q.location_id, q.lot_id, q.package_id, q.owner_id
            """,
            detail=self.env._("the lot belongs to "),
        )

    def _rule_not_storable_sql(self, ctx):
        """(d) Stock held by products that are not storable (any more):
        outside ``run_products``, which holds storable products only."""
        # A batch of a correcting run: its products (storable ones, so none
        # is found); a run: its products, whether storable or not.
        product_ids = (
            ctx["product_ids"]
            if ctx.get("batch")
            else (self.product_ids.ids if self.product_ids else None)
        )
        products = (
            SQL("AND q.product_id = ANY(%s)", product_ids)
            if product_ids is not None
            else SQL()
        )
        return SQL(
            """
            SELECT q.product_id, q.location_id, q.lot_id, q.package_id, q.owner_id,
                   NULL::int, 0::float8, SUM(q.quantity)::float8
              FROM stock_quant q
              JOIN product_product pp ON pp.id = q.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE q.location_id IN (SELECT id FROM run_locations)
               AND NOT COALESCE(pt.is_storable, FALSE) %(products)s
             GROUP BY q.product_id, q.location_id, q.lot_id, q.package_id, q.owner_id
            HAVING ABS(SUM(q.quantity)) > %(tolerance)s
            """,
            products=products,
            tolerance=ctx["tolerance"],
        )

    def _rule_lot_dates_sql(self, ctx):
        """(d) Quants whose expiration or removal date differs from their
        lot's (``product_expiry``'s stored related fields, when installed)."""
        quant_fields = self.env["stock.quant"]._fields
        names = [
            name
            for name in ("expiration_date", "removal_date")
            if name in quant_fields and quant_fields[name].store
        ]
        if not names:
            return None
        differs = SQL(" OR ").join(
            SQL(
                "q.%s IS DISTINCT FROM lot.%s",
                SQL.identifier(name),
                SQL.identifier(name),
            )
            for name in names
        )
        return SQL(
            """
            SELECT q.product_id, q.location_id, q.lot_id, q.package_id, q.owner_id,
                   NULL::int, 0::float8, COUNT(*)::float8
              FROM stock_quant q
              JOIN stock_lot lot ON lot.id = q.lot_id
             WHERE q.location_id IN (SELECT id FROM run_locations)
               AND q.product_id IN (SELECT id FROM run_products)
               AND (%(differs)s)
             GROUP BY q.product_id, q.location_id, q.lot_id, q.package_id, q.owner_id
            """,
            differs=differs,
        )

    def _rule_reserved_sql(self, ctx):
        """(b) Reserved quantity of the quants against the move lines not done
        (those are what Odoo 19 reserves), per key; quants reserving nothing
        only matter where lines are reserved, which the lines side brings."""
        return SQL(
            """
            SELECT product_id, location_id, lot_id, package_id, owner_id,
                   NULL::int AS move_id, SUM(lines) AS expected, SUM(quant) AS found
              FROM (
                SELECT product_id, location_id, lot_id, package_id, owner_id,
                       0::float8 AS lines, reserved_quantity::float8 AS quant
                  FROM stock_quant
                 WHERE reserved_quantity <> 0
                UNION ALL
                SELECT product_id, location_id, lot_id, package_id, owner_id,
                       quantity_product_uom::float8, 0::float8
                  FROM stock_move_line
                 WHERE state NOT IN ('done', 'cancel')
              ) rows
             WHERE location_id IN (SELECT id FROM run_locations)
               AND product_id IN (SELECT id FROM run_products)
             GROUP BY product_id, location_id, lot_id, package_id, owner_id
            HAVING ABS(SUM(lines) - SUM(quant)) > %(tolerance)s
            """,
            tolerance=ctx["tolerance"],
        )

    def _rule_negative_sql(self, ctx):
        """(c) Negative stock per key where the company does not allow it,
        with the last done move out of that place (the likely cause)."""
        if self.company_id.inventory_adjustment_allow_negative:
            return None
        return SQL(
            """
            SELECT n.product_id, n.location_id, n.lot_id, n.package_id, n.owner_id,
                   (SELECT ml.move_id FROM stock_move_line ml
                     WHERE ml.state = 'done' AND ml.product_id = n.product_id
                       AND ml.location_id = n.location_id
                       AND ml.lot_id IS NOT DISTINCT FROM n.lot_id
                     ORDER BY ml.date DESC, ml.id DESC LIMIT 1) AS move_id,
                   0::float8 AS expected, n.quantity AS found
              FROM (
                SELECT product_id, location_id, lot_id, package_id, owner_id,
                       SUM(quantity)::float8 AS quantity
                  FROM stock_quant
                 WHERE location_id IN (SELECT id FROM run_locations)
                   AND product_id IN (SELECT id FROM run_products)
                   AND quantity < 0
                 GROUP BY product_id, location_id, lot_id, package_id, owner_id
                HAVING SUM(quantity) < -%(tolerance)s
              ) n
            """,
            tolerance=ctx["tolerance"],
        )

    def _rule_lot_missing_sql(self, ctx):
        """(d) Stock of lot- or serial-tracked products held without a lot."""
        return SQL(
            """
            SELECT q.product_id, q.location_id, NULL::int, q.package_id, q.owner_id,
                   NULL::int, 0::float8, SUM(q.quantity)::float8
              FROM stock_quant q
              JOIN product_product pp ON pp.id = q.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE q.location_id IN (SELECT id FROM run_locations)
               AND pt.is_storable %(products)s
               AND q.lot_id IS NULL AND pt.tracking <> 'none'
             GROUP BY q.product_id, q.location_id, q.package_id, q.owner_id
            HAVING ABS(SUM(q.quantity)) > %(tolerance)s
            """,
            products=self._run_products_filter_sql(ctx),
            tolerance=ctx["tolerance"],
        )

    def _run_products_filter_sql(self, ctx, product="pp"):
        """The condition of ``run_products`` on a product row already joined
        with its template ``pt`` (the template's storable flag tested by the
        caller): the scope's products, without joining the products again."""
        if ctx["product_ids"] is None:
            return SQL()
        return SQL("AND %s.id = ANY(%s)", SQL.identifier(product), ctx["product_ids"])

    def _rule_serial_quantity_sql(self, ctx):
        """(d) Serial numbers whose stock in the scope is not one unit in one
        place (the location is the first one holding it; the message names
        every location and its quantity)."""
        return SQL(
            """
            SELECT q.product_id, MIN(q.location_id), q.lot_id, NULL::int, NULL::int,
                   NULL::int, 1::float8, SUM(q.quantity)::float8,
                   CASE WHEN COUNT(DISTINCT q.location_id)
                             FILTER (WHERE q.quantity > 0) > 1
                        THEN %(several)s ELSE %(held)s END
                   || STRING_AGG(l.complete_name || ' (' || q.quantity::float8 || ')',
                                 ', ' ORDER BY l.complete_name)
              FROM stock_quant q
              JOIN stock_location l ON l.id = q.location_id
              JOIN product_product pp ON pp.id = q.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE q.location_id IN (SELECT id FROM run_locations)
               AND pt.is_storable %(products)s
               AND q.lot_id IS NOT NULL AND pt.tracking = 'serial'
               AND q.quantity <> 0
             GROUP BY q.product_id, q.lot_id
            HAVING ABS(SUM(q.quantity) - 1) > %(tolerance)s
                AND ABS(SUM(q.quantity)) > %(tolerance)s
                OR COUNT(DISTINCT q.location_id) FILTER (WHERE q.quantity > 0) > 1
            """,
            products=self._run_products_filter_sql(ctx),
            tolerance=ctx["tolerance"],
            several=self.env._("in several locations: "),
            held=self.env._("held in: "),
        )

    def _rule_package_location_sql(self, ctx):
        """(e) Quants in a package that Odoo places elsewhere."""
        return SQL(
            """
            SELECT q.product_id, q.location_id, q.lot_id, q.package_id, q.owner_id,
                   NULL::int, 0::float8, SUM(q.quantity)::float8
              FROM stock_quant q
              JOIN stock_package pk ON pk.id = q.package_id
             WHERE q.location_id IN (SELECT id FROM run_locations)
               AND q.product_id IN (SELECT id FROM run_products)
               AND pk.location_id IS DISTINCT FROM q.location_id
               AND q.quantity <> 0
             GROUP BY q.product_id, q.location_id, q.lot_id, q.package_id, q.owner_id
            """
        )

    def _rule_archived_location_sql(self, ctx):
        """(e) Stock left in archived locations of the scope."""
        return SQL(
            """
            SELECT q.product_id, q.location_id, q.lot_id, q.package_id, q.owner_id,
                   NULL::int, 0::float8, SUM(q.quantity)::float8
              FROM stock_quant q
              JOIN stock_location l ON l.id = q.location_id
             WHERE q.location_id IN (SELECT id FROM run_locations)
               AND q.product_id IN (SELECT id FROM run_products)
               AND NOT l.active
             GROUP BY q.product_id, q.location_id, q.lot_id, q.package_id, q.owner_id
            HAVING ABS(SUM(q.quantity)) > %(tolerance)s
            """,
            tolerance=ctx["tolerance"],
        )

    def _rule_view_location_sql(self, ctx):
        """(e) Stock in view locations (the warehouses' own, or under the
        scope's locations), which Odoo refuses to hold stock."""
        roots = self._scope_location_ids()
        under = (
            SQL(
                "AND l.parent_path LIKE ANY(ARRAY(SELECT parent_path || '%%' "
                "FROM stock_location WHERE id = ANY(%s)))",
                roots,
            )
            if roots
            else SQL()
        )
        return SQL(
            """
            SELECT q.product_id, q.location_id, q.lot_id, q.package_id, q.owner_id,
                   NULL::int, 0::float8, SUM(q.quantity)::float8
              FROM stock_quant q
              JOIN stock_location l ON l.id = q.location_id
             WHERE l.usage = 'view' AND l.company_id = %(company)s %(under)s
               AND q.product_id IN (SELECT id FROM run_products)
             GROUP BY q.product_id, q.location_id, q.lot_id, q.package_id, q.owner_id
            HAVING ABS(SUM(q.quantity)) > %(tolerance)s
            """,
            company=self.company_id.id,
            under=under,
            tolerance=ctx["tolerance"],
        )

    def _rule_transit_open_moves_sql(self, ctx):
        """(f) Stock in each transit location of the scope against the open
        moves leaving it (the receiving legs of inter-warehouse transfers),
        per product, in the product's unit."""
        return SQL(
            """
            SELECT product_id, location_id, NULL::int, NULL::int, NULL::int,
                   NULL::int, SUM(open_moves), SUM(quant)
              FROM (
                SELECT q.product_id, q.location_id, 0::float8 AS open_moves,
                       q.quantity::float8 AS quant
                  FROM stock_quant q
                UNION ALL
                SELECT m.product_id, m.location_id, m.product_qty::float8, 0::float8
                  FROM stock_move m
                 WHERE m.state NOT IN ('draft', 'done', 'cancel')
                   AND m.company_id = %(company)s
              ) rows
             WHERE location_id IN (
                    SELECT r.id FROM run_locations r
                      JOIN stock_location l ON l.id = r.id
                     WHERE l.usage = 'transit')
               AND product_id IN (SELECT id FROM run_products)
             GROUP BY product_id, location_id
            HAVING ABS(SUM(open_moves) - SUM(quant)) > %(tolerance)s
            """,
            company=self.company_id.id,
            tolerance=ctx["tolerance"],
        )

    def _rule_ageing_on_hand_sql(self, ctx):
        """(Aged inventory) The buckets of every product, warehouse and lot
        (from the ledger, FIFO) against the quants' quantity on hand there."""
        has_scope = (
            self.warehouse_ids
            or self.location_ids
            or self.categ_ids
            or self.product_ids
        )
        # The whole company only; a batch of its correcting run checks its
        # products again (the quantity corrections settle what they explain).
        if not self.check_ageing or has_scope:
            return None
        company_ids = [self.company_id.id]
        # On hand from the ledger (never rolled back from the quants): the
        # quants are what it is compared with.
        layers = self.env["inventory.ageing"]._layers_sql(
            ctx["now"],
            company_ids,
            product_ids=ctx["product_ids"],
            method="checkpoint" if ctx["method"] == "checkpoint" else "ledger",
        )
        return SQL(
            """
            SELECT COALESCE(q.product_id, a.product_id),
                   w.lot_stock_id, NULLIF(COALESCE(q.lot_key, a.lot_key), 0),
                   NULL::int, NULL::int, NULL::int,
                   COALESCE(q.quantity, 0)::float8, COALESCE(a.quantity, 0)::float8
              FROM (
                SELECT sq.product_id, COALESCE(loc.warehouse_id, 0) AS warehouse_key,
                       COALESCE(sq.lot_id, 0) AS lot_key, SUM(sq.quantity) AS quantity
                  FROM stock_quant sq
                  JOIN stock_location loc ON loc.id = sq.location_id
                 WHERE loc.usage = 'internal' AND loc.company_id = ANY(%(companies)s)
                   AND sq.product_id IN (SELECT id FROM run_products)
                 GROUP BY 1, 2, 3
              ) q
              FULL JOIN (
                SELECT l.product_id, COALESCE(l.warehouse_id, 0) AS warehouse_key,
                       COALESCE(l.lot_id, 0) AS lot_key, SUM(l.quantity) AS quantity
                  FROM (%(layers)s) l
                 WHERE l.product_id IN (SELECT id FROM run_products)
                 GROUP BY 1, 2, 3
              ) a ON a.product_id = q.product_id
                 AND a.warehouse_key = q.warehouse_key AND a.lot_key = q.lot_key
              LEFT JOIN stock_warehouse w
                ON w.id = NULLIF(COALESCE(q.warehouse_key, a.warehouse_key), 0)
             WHERE ABS(COALESCE(q.quantity, 0) - COALESCE(a.quantity, 0))
                   > %(tolerance)s
            """,
            companies=company_ids,
            layers=layers,
            tolerance=ctx["tolerance"],
        )

    def _rule_zero_quant_sql(self, ctx):
        """(i) Quants with neither quantity nor reservation nor a count set."""
        return SQL(
            """
            SELECT product_id, location_id, lot_id, package_id, owner_id,
                   NULL::int, 0::float8, 0::float8
              FROM stock_quant
             WHERE location_id IN (SELECT id FROM run_locations)
               AND product_id IN (SELECT id FROM run_products)
               AND ABS(quantity) <= %(tolerance)s
               AND ABS(reserved_quantity) <= %(tolerance)s
               AND NOT COALESCE(inventory_quantity_set, FALSE)
            """,
            tolerance=ctx["tolerance"],
        )
