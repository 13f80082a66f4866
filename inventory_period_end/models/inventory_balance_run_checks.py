# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The checks of the period-end balance run: one SQL statement per rule,
``_rule_<code>_sql``, each selecting its findings (key, move, expected,
found), and the machinery that runs them over a scope and stores the
findings as run lines.  A mixin of ``inventory.balance.run``: ``self`` is the
run."""

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.balance_rules import (
    COMPANY_CORRECTIONS,
    RULES,
    VALUATION_RULES,
    counts_by_rule,
    get_rule,
    line_action,
    line_message,
)

LINE_COLUMNS = (
    "product_id",
    "location_id",
    "lot_id",
    "package_id",
    "owner_id",
    "move_id",
    "expected",
    "found",
)
KEY = ("product_id", "location_id", "lot_id", "package_id", "owner_id")
# Valued findings: their difference is stock that appears or disappears.
VALUED_RULES = ("quant_ledger", "negative", "transit_open_moves")


class InventoryBalanceRunChecks(models.AbstractModel):
    _name = "inventory.balance.run.checks"
    _description = "Inventory Balance Run: checks"

    def _resolve_ledger_method(self, at):
        """``checkpoint`` or ``ledger`` (a run never compares the quants with
        balances rolled back from those same quants), and the checkpoints."""
        self.ensure_one()
        checkpoints = self.env["inventory.ledger.checkpoint"]._latest_valid(
            at, [self.company_id.id]
        )
        if self.ledger_method == "checkpoint" and not checkpoints:
            raise UserError(
                self.env._(
                    "The company %(company)s has no valid checkpoint.",
                    company=self.company_id.name,
                )
            )
        if self.ledger_method == "ledger" or not checkpoints:
            return "ledger", checkpoints.browse()
        return "checkpoint", checkpoints

    def _context_sql(self, product_ids):
        """The CTEs every check starts from: ``run_locations`` (the scope's
        internal, and with the transit option transit, locations) and
        ``run_products`` (the scope's stock-kept products; not materialized,
        so that the planner knows how many there are: it guesses 200 rows for
        a materialized CTE and then probes the quants product by product)."""
        self.ensure_one()
        scope = self.env["inventory.ledger"]._scope_locations_sql(
            [self.company_id.id], self._scope_location_ids()
        )
        usages = ["internal", "transit"] if self.balance_transit else ["internal"]
        product_filter = (
            SQL("AND pp.id = ANY(%s)", product_ids)
            if product_ids is not None
            else SQL()
        )
        return SQL(
            """
            run_locations AS MATERIALIZED (
                SELECT s.id FROM (%(scope)s) s
                  JOIN stock_location l ON l.id = s.id
                 WHERE l.usage = ANY(%(usages)s)
            ),
            run_products AS NOT MATERIALIZED (
                SELECT pp.id,
                       COALESCE((pp.standard_price ->> %(company)s)::float8, 0) AS cost,
                       u.factor AS uom_factor
                  FROM product_product pp
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN uom_uom u ON u.id = pt.uom_id
                 WHERE pt.is_storable %(product_filter)s
            )
            """,
            scope=scope,
            usages=usages,
            company=str(self.company_id.id),
            product_filter=product_filter,
        )

    def _tolerance(self, precision="Product Unit"):
        digits = self.env["decimal.precision"].precision_get(precision)
        return 0.5 * 10**-digits

    def _ledger_rows_sql(self, ctx):
        """The engine's rows summing to the ledger balances now, per key
        (product, location, lot, package, owner), and the CTEs they read:
        the engine's rows seam (``inventory.ledger._balance_rows_sql``)."""
        ctes, rows, _method = self.env["inventory.ledger"]._balance_rows_sql(
            ctx["now"],
            [self.company_id.id],
            self._scope_location_ids(),
            ctx["product_ids"],
            ctx["method"],
        )
        return ctes, rows

    def _rule_quant_ledger_sql(self, ctx):
        """(a) Quants against the ledger, per (product, location, lot, package,
        owner): the engine's rows summed per key (in parallel), then with the
        quants."""
        ctes, base = self._ledger_rows_sql(ctx)
        return SQL(
            """
            WITH %(ctes)s
            SELECT product_id, location_id, lot_id, package_id, owner_id,
                   NULL::int AS move_id, SUM(ledger) AS expected, SUM(quant) AS found
              FROM (
                SELECT product_id, location_id, lot_id, package_id, owner_id,
                       SUM(quantity::float8) AS ledger, 0::float8 AS quant
                  FROM (%(base)s) ledger
                 GROUP BY product_id, location_id, lot_id, package_id, owner_id
                UNION ALL
                SELECT product_id, location_id, lot_id, package_id, owner_id,
                       0::float8, quantity::float8
                  FROM stock_quant
              ) rows
             WHERE location_id IN (SELECT id FROM run_locations)
               AND product_id IN (SELECT id FROM run_products)
             GROUP BY product_id, location_id, lot_id, package_id, owner_id
            HAVING ABS(SUM(ledger) - SUM(quant)) > %(tolerance)s
            """,
            ctes=ctes,
            base=base,
            tolerance=ctx["tolerance"],
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
               AND q.product_id IN (SELECT id FROM run_products)
               AND q.lot_id IS NULL AND pt.tracking <> 'none'
             GROUP BY q.product_id, q.location_id, q.package_id, q.owner_id
            HAVING ABS(SUM(q.quantity)) > %(tolerance)s
            """,
            tolerance=ctx["tolerance"],
        )

    def _rule_serial_quantity_sql(self, ctx):
        """(d) Serial numbers whose stock in the scope is not one unit in one
        place (the location is the first one holding it)."""
        return SQL(
            """
            SELECT q.product_id, MIN(q.location_id), q.lot_id, NULL::int, NULL::int,
                   NULL::int, 1::float8, SUM(q.quantity)::float8
              FROM stock_quant q
              JOIN product_product pp ON pp.id = q.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE q.location_id IN (SELECT id FROM run_locations)
               AND q.product_id IN (SELECT id FROM run_products)
               AND q.lot_id IS NOT NULL AND pt.tracking = 'serial'
               AND q.quantity <> 0
             GROUP BY q.product_id, q.lot_id
            HAVING ABS(SUM(q.quantity) - 1) > %(tolerance)s
                AND ABS(SUM(q.quantity)) > %(tolerance)s
                OR COUNT(DISTINCT q.location_id) FILTER (WHERE q.quantity > 0) > 1
            """,
            tolerance=ctx["tolerance"],
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

    def _rule_move_lines_sum_sql(self, ctx):
        """(h) Done moves touching the scope whose done lines do not add up to
        the move's quantity (both in the product's unit).

        From a checkpoint: the moves after it, their lines looked up move by
        move, both from covering indexes (the done moves by date, the done
        lines by move).  Over the whole ledger, in two steps within the
        statement: per product, the totals of the done moves less those of
        their lines in their own units (exact numeric sums, one aggregation
        over both covering indexes, which parallel workers share out), plain
        and weighted by the move's id modulo a prime, read from the indexes
        alone and with no join (of every
        company: a product shared by companies sums their moves and lines
        alike, the move-by-move step keeps the run's company; filtering on the
        company would read the tables instead, 5 s instead of 1 s per table at
        10M lines); then, move by
        move in the product's unit, only the products whose totals differ (a
        line in another unit than its move's makes its product differ there,
        and is then compared exactly).  A move whose lines differ changes its
        product's plain total; differences on several moves of one product
        that cancel out in both totals would go unseen."""
        moves = SQL(
            """
            SELECT m.product_id, m.location_dest_id, NULL::int, NULL::int, NULL::int,
                   m.id, m.quantity::float8 * mu.factor / p.uom_factor AS expected,
                   COALESCE(l.quantity, 0) AS found
              FROM stock_move m
              JOIN uom_uom mu ON mu.id = m.product_uom
              JOIN run_products p ON p.id = m.product_id
              LEFT JOIN LATERAL (
                  SELECT SUM(ml.quantity_product_uom)::float8 AS quantity
                    FROM stock_move_line ml
                   WHERE ml.move_id = m.id AND ml.state = 'done'
              ) l ON TRUE
             WHERE m.state = 'done' AND m.company_id = %(company)s %(where)s
               AND (m.location_id IN (SELECT id FROM run_locations)
                    OR m.location_dest_id IN (SELECT id FROM run_locations))
               AND ABS(m.quantity::float8 * mu.factor / p.uom_factor
                       - COALESCE(l.quantity, 0)) > %(tolerance)s
            """,
            company=self.company_id.id,
            where=SQL("AND m.date > %s", ctx["since"])
            if ctx["since"]
            else SQL("AND m.product_id IN (SELECT id FROM suspects)"),
            tolerance=ctx["tolerance"],
        )
        if ctx["since"]:
            return moves
        return SQL(
            """
            WITH suspects AS (
                SELECT product_id AS id
                  FROM (
                    SELECT product_id, quantity AS units,
                           (id %% %(prime)s) * quantity AS weighted
                      FROM stock_move
                     WHERE state = 'done' %(products)s
                     UNION ALL
                    SELECT product_id, -quantity, -(move_id %% %(prime)s) * quantity
                      FROM stock_move_line
                     WHERE state = 'done' AND move_id IS NOT NULL %(products)s
                  ) totals
                 GROUP BY product_id
                HAVING SUM(units) <> 0 OR SUM(weighted) <> 0
            )
            %(moves)s
            """,
            products=SQL("AND product_id = ANY(%s)", ctx["product_ids"])
            if ctx["product_ids"] is not None
            else SQL(),
            prime=65521,
            company=self.company_id.id,
            moves=moves,
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
        if not self.check_ageing or has_scope or ctx["product_ids"] is not None:
            return None
        company_ids = [self.company_id.id]
        # On hand from the ledger (never rolled back from the quants): the
        # quants are what it is compared with.
        layers = self.env["inventory.ageing"]._layers_sql(
            ctx["now"],
            company_ids,
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

    def _insert_findings(self, code, check_sql, ctx, parallel=False):
        """Run one rule's statement and insert its findings; return their
        number.  With ``parallel``, the rule's SELECT runs first on its own
        (see below): for the rules that read the whole ledger."""
        rule = get_rule(code)
        options = self._options()
        # A report-only run shows what a correcting run would do; a rule that
        # corrects only surpluses reports its shortfalls (found < expected).
        action, correction = line_action(code, self.truth_policy, options)
        short_action, short_correction = line_action(
            code, self.truth_policy, options, shortfall=True
        )
        shortfall = SQL("f.found < f.expected")
        columns = LINE_COLUMNS
        if code in VALUATION_RULES:
            # The valuation rules value their findings themselves.
            columns += ("impact",)
            impact = SQL("ROUND(COALESCE(f.impact, 0)::numeric, 2)")
        elif code in VALUED_RULES:
            impact = SQL("ROUND(((f.found - f.expected) * f.cost)::numeric, 2)")
        else:
            impact = SQL("0")
        cr = self.env.cr
        findings = SQL(
            """
            WITH %(context)s, findings (%(columns)s) AS (%(check)s)
            SELECT f.*, p.cost
              FROM findings f
              LEFT JOIN run_products p ON p.id = f.product_id
            """,
            context=ctx["context"],
            columns=SQL(", ").join(SQL.identifier(c) for c in columns),
            check=check_sql,
        )
        if parallel:
            # The rule's SELECT on its own statement, into a temporary table:
            # PostgreSQL plans no parallel workers for a statement that
            # inserts into a table, but does for the SELECT of a CREATE TABLE
            # ... AS (at 10M lines, rules a and h over the whole ledger: 7.4
            # and 4.6 s instead of 9.6 and 7.1 s).
            cr.execute("DROP TABLE IF EXISTS pg_temp.balance_run_findings")
            cr.execute(
                SQL(
                    "CREATE TEMPORARY TABLE balance_run_findings ON COMMIT DROP AS %s",
                    findings,
                )
            )
            findings = SQL("balance_run_findings")
        else:
            findings = SQL("(%s)", findings)
        cr.execute(
            SQL(
                """
            INSERT INTO inventory_balance_run_line
                (run_id, company_id, rule_code, severity, product_id, location_id,
                 lot_id, package_id, owner_id, move_id, expected, found, difference,
                 value_impact, action, correction, message, create_uid, write_uid,
                 create_date, write_date)
            SELECT %(run)s, %(company)s, %(code)s, %(severity)s, f.product_id,
                   f.location_id, f.lot_id, f.package_id, f.owner_id, f.move_id,
                   ROUND(f.expected::numeric, 6), ROUND(f.found::numeric, 6),
                   ROUND((f.found - f.expected)::numeric, 6), %(impact)s,
                   CASE WHEN %(shortfall)s THEN %(short_action)s ELSE %(action)s END,
                   CASE WHEN %(shortfall)s THEN %(short_correction)s
                        ELSE %(correction)s END,
                   CASE WHEN %(shortfall)s THEN %(short_message)s ELSE %(message)s END,
                   %(uid)s, %(uid)s,
                   now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM %(findings)s f
            """,
                findings=findings,
                run=self.id,
                company=self.company_id.id,
                code=code,
                severity=rule.severity,
                impact=impact,
                shortfall=shortfall,
                action=action,
                correction=correction,
                message=line_message(code, self.truth_policy, options),
                short_action=short_action,
                short_correction=short_correction,
                short_message=line_message(
                    code, self.truth_policy, options, shortfall=True
                ),
                uid=self.env.uid,
            )
        )
        count = cr.rowcount
        if parallel:
            cr.execute("DROP TABLE balance_run_findings")
        return count

    def _run_checks(self, product_ids=None, codes=None):
        """Run every rule (or the rules ``codes``) over the scope (or
        ``product_ids`` within it), after deleting their previous findings
        there; return ``{code: count}`` and the ledger method used."""
        self.ensure_one()
        self.env["inventory.ledger"]._check_ledger_access()
        self.env.flush_all()
        batch = product_ids is not None
        now = fields.Datetime.now()
        method, checkpoints = self._resolve_ledger_method(now)
        scope_products = self._scope_product_ids()
        if product_ids is not None:
            product_ids = (
                list(product_ids)
                if scope_products is None
                else sorted(set(product_ids) & set(scope_products))
            )
        else:
            product_ids = scope_products
        delete = SQL(
            "DELETE FROM inventory_balance_run_line WHERE run_id = %s", self.id
        )
        if batch:
            delete = SQL("%s AND product_id = ANY(%s)", delete, product_ids)
        if codes is not None:
            delete = SQL("%s AND rule_code = ANY(%s)", delete, list(codes))
        self.env.cr.execute(delete)
        ctx = {
            "now": now,
            "method": method,
            "since": checkpoints.moment if method == "checkpoint" else None,
            "product_ids": product_ids,
            "tolerance": self._tolerance(),
            "price_tolerance": self._tolerance("Product Price"),
            "context": self._context_sql(product_ids),
        }
        counts = {}
        ledger = self.env["inventory.ledger"]
        if codes is None or set(codes).intersection(VALUATION_RULES):
            self._create_valued_moves_table(ctx)
        for rule in RULES:
            if codes is not None and rule.code not in codes:
                continue
            if rule.code in COMPANY_CORRECTIONS:
                counts[rule.code] = (
                    self._rule_valuation_account()
                    if not batch and self._checks_valuation()
                    else 0
                )
                continue
            check_sql = getattr(self, f"_rule_{rule.code}_sql")(ctx)
            if check_sql is None:
                counts[rule.code] = 0
                continue
            # The engine's memory and parallel settings; the planner's own
            # joins (forcing hash joins makes rule a ten times slower).  Rule h
            # over the whole ledger reads its covering indexes rather than the
            # tables (at 10M lines: 1 s instead of 5 s per table).  Rule a over
            # the whole ledger hashes each side's keys in memory (at 10M lines,
            # 340,000 keys per side: 7 s instead of 10.5 s spilling to disk).
            index_only = rule.code == "move_lines_sum" and not ctx["since"]
            whole_ledger = rule.code == "quant_ledger" and ctx["method"] == "ledger"
            with ledger._aggregation_settings(
                work_mem="256MB" if whole_ledger else None
            ):
                if index_only:
                    self.env.cr.execute("SET LOCAL enable_seqscan = off")
                try:
                    counts[rule.code] = self._insert_findings(
                        rule.code, check_sql, ctx, parallel=index_only or whole_ledger
                    )
                finally:
                    if index_only:
                        self.env.cr.execute("RESET enable_seqscan")
        self.env["inventory.balance.run.line"].invalidate_model()
        self.invalidate_recordset(["line_ids"])
        return counts, method

    def _store_counts(self):
        """Counts per rule and of proposed corrections, from the lines (every
        line: the valuation findings count for users without accounting
        rights too)."""
        self.ensure_one()
        groups = (
            self.env["inventory.balance.run.line"]
            .sudo()
            ._read_group(
                [("run_id", "=", self.id)], ["rule_code", "action"], ["__count"]
            )
        )
        codes = []
        proposed = 0
        for code, action, count in groups:
            codes.extend([code] * count)
            if action == "proposed":
                proposed += count
        counts = counts_by_rule(codes)
        self._write_workflow(
            {
                "line_count": len(codes),
                "proposed_count": proposed,
                "counts_summary": "\n".join(
                    f"{get_rule(code).letter}. {get_rule(code).name}: {count}"
                    for code, count in counts.items()
                ),
            }
        )
        return counts
