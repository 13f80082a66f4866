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
from odoo.tools.sql import index_exists

from ..tools.balance_rules import (
    COMPANY_CORRECTIONS,
    DETAILED_RULES,
    RULES,
    VALUATION_RULES,
    counts_by_rule,
    get_rule,
    line_action,
    line_message,
)
from .inventory_balance_run_passes import MOVE_WEIGHT_PRIME

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
# Indexes on Odoo's stock tables for the rules that read them whole: the
# open move lines and moves (few, for rules b and f) and, for rule h, the done
# lines by move and the done moves, with the columns read included, so that
# their totals per product come from the indexes alone.
STOCK_INDEXES = (
    (
        "stock_move_line_balance_run_open_lines_index",
        "stock_move_line",
        "(product_id, location_id) INCLUDE (lot_id, package_id, owner_id, "
        "quantity_product_uom) WHERE state NOT IN ('done', 'cancel')",
    ),
    (
        "stock_move_balance_run_open_moves_index",
        "stock_move",
        "(location_id) INCLUDE (product_id, product_qty, company_id) "
        "WHERE state NOT IN ('draft', 'done', 'cancel')",
    ),
    (
        "stock_move_line_balance_run_move_lines_index",
        "stock_move_line",
        "(move_id) INCLUDE (product_id, company_id, quantity, quantity_product_uom) "
        "WHERE state = 'done'",
    ),
    (
        "stock_move_balance_run_dated_index",
        "stock_move",
        "(date) INCLUDE (id, product_id, product_uom, quantity, company_id, "
        "location_id, location_dest_id) WHERE state = 'done'",
    ),
)
# Earlier versions' indexes, replaced by those above (the done moves keyed by
# date, for the moves after a checkpoint; the lines' quantity in the
# product's unit, for the lines of those moves).
OLD_STOCK_INDEXES = (
    "stock_move_line_balance_run_done_moves_index",
    "stock_move_line_balance_run_done_lines_index",
    "stock_move_balance_run_done_index",
)
# Rules whose findings are stray quants of view and virtual locations, moved
# back where the ledger lacks their stock (checked before rule a).
STRAY_RULES = ("view_location", "virtual_quant_ledger")
# Checked first, in this order: the others read their findings (rule a
# reads the lines' corrected quantities and the stray quants).
CHECKED_FIRST = ("line_product_qty", *STRAY_RULES)
# Valued findings: their difference is stock that appears or disappears.
VALUED_RULES = ("quant_ledger", "negative", "transit_open_moves")


class InventoryBalanceRunChecks(models.AbstractModel):
    _name = "inventory.balance.run.checks"
    _description = "Inventory Balance Run: checks"

    def init(self):
        res = super().init()
        for name in OLD_STOCK_INDEXES:
            self.env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
        for name, table, definition in STOCK_INDEXES:
            if not index_exists(self.env.cr, name):
                self.env.cr.execute(
                    SQL(
                        "CREATE INDEX %s ON %s %s",
                        SQL.identifier(name),
                        SQL.identifier(table),
                        SQL(definition),
                    )
                )
        return res

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
        product_filter = (
            SQL("AND pp.id = ANY(%s)", product_ids)
            if product_ids is not None
            else SQL()
        )
        return SQL(
            """
            run_locations AS MATERIALIZED (%(locations)s),
            run_products AS NOT MATERIALIZED (
                SELECT pp.id,
                       COALESCE((pp.standard_price ->> %(company)s)::float8, 0) AS cost,
                       u.factor AS uom_factor, u.id AS uom_id
                  FROM product_product pp
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN uom_uom u ON u.id = pt.uom_id
                 WHERE pt.is_storable %(product_filter)s
            )
            """,
            locations=self._run_locations_sql(),
            company=str(self.company_id.id),
            product_filter=product_filter,
        )

    def _run_locations_sql(self):
        """The SELECT of the scope's locations the checks look at (the CTE
        ``run_locations``): its internal ones, and with the transit option its
        transit ones.  Also read where a proposal counts quants beyond the
        finding's own key, so that it counts only those of the scope."""
        self.ensure_one()
        scope = self.env["inventory.ledger"]._scope_locations_sql(
            [self.company_id.id], self._scope_location_ids()
        )
        usages = ["internal", "transit"] if self.balance_transit else ["internal"]
        return SQL(
            "SELECT s.id FROM (%s) s JOIN stock_location l ON l.id = s.id "
            "WHERE l.usage = ANY(%s)",
            scope,
            usages,
        )

    def _tolerance(self, precision="Product Unit"):
        digits = self.env["decimal.precision"].precision_get(precision)
        return 0.5 * 10**-digits

    def _rule_quant_ledger_sql(self, ctx):
        """(a) Quants against the ledger, per (product, location, lot, package,
        owner), in the scope's locations: read from the comparison of the
        ledger with the quants (``_create_compare_table``)."""
        return SQL(
            """
            SELECT product_id, location_id, lot_id, package_id, owner_id,
                   NULL::int AS move_id, expected, found
              FROM balance_run_compare
             WHERE location_id IN (SELECT id FROM run_locations)
               AND ABS(expected - found) > %(tolerance)s
            """,
            tolerance=ctx["tolerance"],
        )

    def _line_product_qty_sql(self, line="ml", product_uom="pu"):
        """A done line's quantity in the product's unit, from its quantity
        in its own unit (the truth; ``quantity_product_uom`` is derived from
        it), rounded as Odoo rounds it; needs ``uom_uom lu`` (the line's
        unit) and ``product_uom`` (the product's) joined."""
        digits = self.env["decimal.precision"].precision_get("Product Unit")
        return SQL(
            "ROUND((%s.quantity * lu.factor / %s.factor)::numeric, %s)",
            SQL.identifier(line),
            SQL.identifier(product_uom),
            digits,
        )

    def _line_fixes_sql(self):
        """Signed rows per key (as the engine's) that bring the ledger from
        the done lines' stored quantity in the product's unit to the one their
        quantity in their own unit gives, for the lines rule
        ``line_product_qty`` found in this run (their moves): what the ledger
        is once that rule corrected them.  Read from the run's findings, so
        that the whole ledger is not read twice."""
        product_qty = self._line_product_qty_sql()
        return SQL(
            """
            SELECT ml.product_id, side.location_id, ml.lot_id, side.package_id,
                   ml.owner_id, (side.sign * (%(product_qty)s
                                  - ml.quantity_product_uom))::float8 AS quantity
              FROM stock_move_line ml
              JOIN uom_uom lu ON lu.id = ml.product_uom_id
              JOIN product_product pp ON pp.id = ml.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              JOIN uom_uom pu ON pu.id = pt.uom_id
             CROSS JOIN LATERAL (
                VALUES (ml.location_dest_id, ml.result_package_id, 1),
                       (ml.location_id, ml.package_id, -1)
             ) AS side (location_id, package_id, sign)
             WHERE ml.state = 'done'
               AND ml.move_id IN (
                   SELECT move_id FROM inventory_balance_run_line
                    WHERE run_id = %(run)s AND rule_code = 'line_product_qty')
               AND %(product_qty)s <> ml.quantity_product_uom
            """,
            product_qty=product_qty,
            run=self.id,
        )

    def _rule_line_product_qty_sql(self, ctx):
        """(h) Done lines touching the scope whose quantity in the product's
        unit (``quantity_product_uom``, what the ledger sums) is not their
        quantity in their own unit converted: the line's quantity is the
        truth.  The line's destination key is the finding's.  From a
        checkpoint, the lines after it (the engine takes the checkpoint's
        sums for the lines before, as rule h does).  Over the whole ledger,
        the lines of the products that the line totals show may have such
        lines (``_line_qty_suspects``): nothing more to read when none."""
        product_qty = self._line_product_qty_sql(product_uom="pu")
        product_ids = ctx["product_ids"]
        if not ctx["since"]:
            product_ids = self._line_qty_suspects(ctx)
            if not product_ids:
                return None
        products = (
            SQL("AND pp.id = ANY(%s)", product_ids)
            if product_ids is not None
            else SQL()
        )
        # Every done line is read once (over the whole ledger in parallel:
        # the scope's locations, a materialized CTE that parallel workers
        # cannot read, are tested on the few lines found, above the fence).
        # Most lines are in the product's unit with both figures equal: that
        # cheap test comes first, on the product's row; only the other lines
        # are joined to their units and converted (the units are left joins
        # so that the planner cannot move the cheap test above them).
        return SQL(
            """
            SELECT product_id, location_dest_id, lot_id, result_package_id,
                   owner_id, move_id, expected, found
              FROM (
                SELECT ml.product_id, ml.location_id, ml.location_dest_id, ml.lot_id,
                       ml.result_package_id, ml.owner_id, ml.move_id,
                       %(product_qty)s::float8 AS expected,
                       ml.quantity_product_uom::float8 AS found
                  FROM stock_move_line ml
                  JOIN product_product pp ON pp.id = ml.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  LEFT JOIN uom_uom lu ON lu.id = ml.product_uom_id
                  LEFT JOIN uom_uom pu ON pu.id = pt.uom_id
                 WHERE ml.state = 'done' AND pt.is_storable %(products)s %(since)s
                   AND (ml.product_uom_id <> pt.uom_id
                        OR ml.quantity <> ml.quantity_product_uom)
                   AND ABS(%(product_qty)s - ml.quantity_product_uom) > %(tolerance)s
                OFFSET 0
              ) lines
             WHERE location_id IN (SELECT id FROM run_locations)
                OR location_dest_id IN (SELECT id FROM run_locations)
            """,
            product_qty=product_qty,
            products=products,
            since=SQL("AND ml.date > %s", ctx["since"]) if ctx["since"] else SQL(),
            tolerance=ctx["tolerance"],
        )

    def _virtual_scope_sql(self):
        """The view and virtual locations a run compares with the ledger:
        every one of the company's or shared (vendors, customers, inventory,
        production; views) for a run of the whole company; the views under the
        scope's locations otherwise (nothing else of a virtual location
        belongs to a part of a warehouse)."""
        roots = self._scope_location_ids()
        if roots:
            return SQL(
                "SELECT l.id, NULL::timestamp AS since, NULL::timestamp AS until "
                "FROM stock_location l WHERE l.usage = 'view' "
                "AND l.company_id = %s AND l.parent_path LIKE ANY(ARRAY("
                "SELECT parent_path || '%%' FROM stock_location WHERE id = ANY(%s)))",
                self.company_id.id,
                roots,
            )
        return SQL(
            "SELECT l.id, NULL::timestamp AS since, NULL::timestamp AS until "
            "FROM stock_location l WHERE l.usage NOT IN ('internal', 'transit') "
            "AND (l.company_id = %s OR l.company_id IS NULL)",
            self.company_id.id,
        )

    def _rule_virtual_quant_ledger_sql(self, ctx):
        """(a) Quants against the ledger in view and virtual locations (Odoo
        19 keeps quants there: negative at vendors, positive at customers):
        the done lines into and out of them summed per key, against the
        quants, read from the comparison (``_create_compare_table``); a view
        location's ledger is nothing (Odoo moves nothing there), which rule
        ``view_location`` reports on its own.  Over the whole ledger only:
        checkpoints hold internal and transit locations, and summing every
        line into and out of the virtual locations would cost a run from a
        checkpoint what rule a costs over the whole ledger (a run with
        *Whole ledger* checks them)."""
        if ctx["since"]:
            return None
        return SQL(
            """
            SELECT product_id, location_id, lot_id, package_id, owner_id,
                   NULL::int AS move_id, expected, found
              FROM balance_run_compare
             WHERE location_id NOT IN (SELECT id FROM run_locations)
               AND location_id NOT IN (SELECT id FROM stock_location
                                        WHERE usage = 'view')
               AND ABS(expected - found) > %(tolerance)s
            """,
            tolerance=ctx["tolerance"],
        )

    def _rule_move_lines_sum_sql(self, ctx):
        """(h) Done moves touching the scope whose done lines do not add up to
        the move's quantity (both in the product's unit).

        From a checkpoint: the moves after it, their lines looked up move by
        move, both from covering indexes (the done moves by date, the done
        lines by move).  Over the whole ledger, in two steps within the
        statement: per product, the totals of the done moves less those of
        their lines in their own units (the moves' from their covering index
        alone, summed per product by parallel workers; the lines' from the
        line totals the run read once for this rule and rule
        ``line_product_qty``), plain (an exact numeric sum: any move whose
        lines differ from it changes it) and weighted by the move's id modulo
        a prime (in float8, compared within the tolerance: a numeric product
        per move cost twice the plain sum; it tells moves whose differences
        cancel out in the plain sum) (of every
        company: a product shared by companies sums their moves and lines
        alike, the move-by-move step keeps the run's company; filtering on the
        company would read the table instead, 5 s instead of 1 s at 10M
        lines); then, move by
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
                    SELECT product_id, SUM(quantity) AS units,
                           SUM((id %% %(prime)s) * quantity::float8) AS weighted
                      FROM stock_move
                     WHERE state = 'done' %(products)s
                     GROUP BY product_id
                     UNION ALL
                    SELECT product_id, -units, -weighted
                      FROM balance_run_line_totals
                  ) totals
                 GROUP BY product_id
                HAVING SUM(units) <> 0 OR ABS(SUM(weighted)) > %(tolerance)s
            )
            %(moves)s
            """,
            products=SQL("AND product_id = ANY(%s)", ctx["product_ids"])
            if ctx["product_ids"] is not None
            else SQL(),
            prime=MOVE_WEIGHT_PRIME,
            company=self.company_id.id,
            moves=moves,
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
        if code in DETAILED_RULES:
            columns += ("detail",)
        overrides = self._finding_overrides(code, options)
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
                   CASE %(override_action)s
                        WHEN %(shortfall)s THEN %(short_action)s ELSE %(action)s END,
                   CASE %(override_correction)s WHEN %(shortfall)s
                        THEN %(short_correction)s ELSE %(correction)s END,
                   CASE %(override_message)s
                        WHEN %(shortfall)s THEN %(short_message)s ELSE %(message)s END
                   %(detail)s,
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
                override_action=SQL(" ").join(
                    SQL("WHEN %s THEN %s", cond, o_action)
                    for cond, o_action, _c, _m in overrides
                ),
                override_correction=SQL(" ").join(
                    SQL("WHEN %s THEN %s", cond, o_correction)
                    for cond, _a, o_correction, _m in overrides
                ),
                override_message=SQL(" ").join(
                    SQL("WHEN %s THEN %s", cond, o_message)
                    for cond, _a, _c, o_message in overrides
                ),
                detail=SQL("|| COALESCE(' (' || NULLIF(f.detail, '') || ')', '')")
                if code in DETAILED_RULES
                else SQL(),
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
            "batch": batch,
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
        self._drop_pass_tables()
        if codes is None or set(codes).intersection(VALUATION_RULES):
            self._create_valued_moves_table(ctx)
        ordered = sorted(
            RULES,
            key=lambda rule: (
                CHECKED_FIRST.index(rule.code)
                if rule.code in CHECKED_FIRST
                else len(CHECKED_FIRST)
            ),
        )
        for rule in ordered:
            if codes is not None and rule.code not in codes:
                continue
            if rule.code in COMPANY_CORRECTIONS:
                counts[rule.code] = (
                    self._rule_valuation_account()
                    if not batch and self._checks_valuation()
                    else 0
                )
                continue
            self._prepare_passes(rule.code, ctx)
            check_sql = getattr(self, f"_rule_{rule.code}_sql")(ctx)
            if check_sql is None:
                counts[rule.code] = 0
                continue
            # The engine's memory and parallel settings; the planner's own
            # joins (forcing hash joins makes rule a ten times slower).  Rule h
            # over the whole ledger reads the moves' covering index rather
            # than the table (at 10M lines: 1 s instead of 5 s).
            index_only = rule.code == "move_lines_sum" and not ctx["since"]
            whole_ledger = ctx["method"] == "ledger" and rule.code == "line_product_qty"
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
        self._drop_pass_tables()
        self.env["inventory.balance.run.line"].invalidate_model()
        self.invalidate_recordset(["line_ids"])
        return counts, method

    def _remaining_counts(self):
        """``{code: count}`` of the findings not corrected (every rule)."""
        self.ensure_one()
        groups = (
            self.env["inventory.balance.run.line"]
            .sudo()
            ._read_group(
                [("run_id", "=", self.id), ("action", "!=", "taken")],
                ["rule_code"],
                ["__count"],
            )
        )
        counts = {rule.code: 0 for rule in RULES}
        counts.update(dict(groups))
        return counts

    def _store_counts(self, corrected=None):
        """Counts per rule and of proposed corrections, from the lines (every
        line: the valuation findings count for users without accounting
        rights too); after correcting, ``corrected`` (``{code: count}``) and
        the findings that remain, per rule."""
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
                    + (
                        self.env._(
                            " (corrected %(corrected)s, remaining %(remaining)s)",
                            corrected=corrected.get(code, 0),
                            remaining=self._remaining_counts().get(code, 0),
                        )
                        if corrected is not None
                        else ""
                    )
                    for code, count in counts.items()
                ),
            }
        )
        return counts
