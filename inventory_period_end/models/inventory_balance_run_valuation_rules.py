# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The valuation rules of the period-end balance run (g): the FIFO and AVCO
products' valued moves replayed in SQL, the stock value against the
valuation accounts (Odoo's own computation), the valuation summary, and
their corrections (Odoo's cost change, Odoo's stock closing entry).  A mixin
of ``inventory.balance.run``: ``self`` is the run."""

from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..tools.balance_rules import (
    get_rule,
    line_message,
)
from ..tools.workflow_guard import workflow

ACCOUNT_MANAGER_GROUP = "account.group_account_manager"


class InventoryBalanceRunValuationRules(models.AbstractModel):
    _name = "inventory.balance.run.valuation.rules"
    _description = "Inventory Balance Run: valuation rules"

    def _valuation_categories(self, cost_method):
        """Ids of the product categories whose products the company values
        with ``cost_method`` (``fifo`` or ``average``): the category's cost
        method at the company, else the company's (as Odoo 19 decides it)."""
        company = self.company_id
        categories = (
            self.env["product.category"]
            .with_company(company)
            .sudo()
            .with_context(active_test=False)
            .search([])
        )
        return categories.filtered(
            lambda c: (c.property_cost_method or company.cost_method) == cost_method
        ).ids

    def _valuation_ctes(self, ctx, cost_methods):
        """The CTEs of the valuation rules (g), for the products of the scope
        valued with ``cost_methods`` (not by lot): ``val_products``;
        ``on_hand``, their quantity in the company's valued locations (internal
        and transit, owned by nobody else), as Odoo's FIFO stack counts it; and
        ``valued_moves``, their done incoming and outgoing valued moves, read
        from the run's temporary table (see ``_create_valued_moves_table``).
        None unless the run checks the valuation or recalculates costs, when
        the run is limited to locations (the valuation is the product's,
        company-wide) or when stock_account's fields are missing."""
        products = self._valued_products_ctes(cost_methods)
        if products is None:
            return None
        return SQL(
            """
            %(products)s,
            valued_moves AS (
                SELECT * FROM balance_run_valued_moves
                 WHERE product_id IN (SELECT id FROM val_products)
            )
            """,
            products=products,
        )

    def _create_valued_moves_table(self, ctx):
        """The temporary table ``balance_run_valued_moves`` the three
        per-product valuation rules read (computed once for them: it reads
        every valued move of the FIFO and AVCO products), dropped at the end
        of the transaction: the done incoming and outgoing valued moves
        (stored ``is_in`` / ``is_out``) of those products, with their value
        and the quantity of their lines entering or leaving the valued
        locations, in the product's unit (Odoo's ``_get_valued_qty``).
        Nothing when no valuation rule applies (see ``_valuation_ctes``)."""
        products = self._valued_products_ctes(("fifo", "average"))
        if products is None:
            return
        cr = self.env.cr
        cr.execute("DROP TABLE IF EXISTS pg_temp.balance_run_valued_moves")
        cr.execute(
            SQL(
                """
            CREATE TEMPORARY TABLE balance_run_valued_moves ON COMMIT DROP AS
            WITH %(context)s, %(products)s
            SELECT m.id, m.product_id, m.date, m.is_in,
                   COALESCE(m.value, 0)::float8 AS value,
                   m.quantity::float8 AS move_quantity,
                   COALESCE(SUM(ml.quantity_product_uom) FILTER (
                       WHERE m.is_in AND NOT (s.company_id IS NOT NULL
                             AND s.usage IN ('internal', 'transit'))
                         AND d.company_id IS NOT NULL
                         AND d.usage IN ('internal', 'transit')
                          OR NOT m.is_in AND s.company_id IS NOT NULL
                         AND s.usage IN ('internal', 'transit')
                         AND NOT (d.company_id IS NOT NULL
                             AND d.usage IN ('internal', 'transit'))
                   ), 0)::float8 AS quantity
              FROM stock_move m
              LEFT JOIN stock_move_line ml
                ON ml.move_id = m.id AND ml.picked
               AND (ml.owner_id IS NULL OR ml.owner_id = %(partner)s)
              LEFT JOIN stock_location s ON s.id = ml.location_id
              LEFT JOIN stock_location d ON d.id = ml.location_dest_id
             WHERE m.state = 'done' AND m.company_id = %(company)s
               AND (m.is_in OR m.is_out)
               AND m.product_id IN (SELECT id FROM val_products)
             GROUP BY m.id
            """,
                context=ctx["context"],
                products=products,
                company=self.company_id.id,
                partner=self.company_id.partner_id.id,
            )
        )
        cr.execute("ANALYZE balance_run_valued_moves")

    def _valued_products_ctes(self, cost_methods):
        """``val_products`` and ``on_hand`` of ``_valuation_ctes``."""
        if not (self.check_valuation or self.recalculate_costs):
            return None
        if self.warehouse_ids or self.location_ids:
            return None
        if "is_in" not in self.env["stock.move"]._fields:
            return None
        categ_ids = []
        for cost_method in cost_methods:
            categ_ids += self._valuation_categories(cost_method)
        if not categ_ids:
            return None
        return SQL(
            """
            val_products AS MATERIALIZED (
                SELECT p.id, p.cost
                  FROM run_products p
                  JOIN product_product pp ON pp.id = p.id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE pt.categ_id = ANY(%(categs)s)
                   AND NOT COALESCE(pt.lot_valuated, FALSE)
            ),
            on_hand AS (
                SELECT q.product_id, SUM(q.quantity)::float8 AS quantity
                  FROM stock_quant q
                  JOIN stock_location l ON l.id = q.location_id
                 WHERE l.company_id = %(company)s
                   AND l.usage IN ('internal', 'transit')
                   AND (q.owner_id IS NULL OR q.owner_id = %(partner)s)
                   AND q.product_id IN (SELECT id FROM val_products)
                 GROUP BY q.product_id
            )
            """,
            categs=categ_ids,
            company=self.company_id.id,
            partner=self.company_id.partner_id.id,
        )

    def _rule_valuation_remaining_sql(self, ctx):
        """(g) FIFO and AVCO products: the remaining quantity of their valued
        receipts (Odoo 19 computes it by walking the receipts back from the
        newest until they cover the quantity on hand) against the quantity on
        hand.  They differ where the receipts do not cover it: stock that came
        without a valued receipt, which Odoo values at the last receipt's
        price."""
        ctes = self._valuation_ctes(ctx, ("fifo", "average"))
        if ctes is None:
            return None
        return SQL(
            """
            WITH %(ctes)s
            SELECT h.product_id, NULL::int, NULL::int, NULL::int, NULL::int,
                   NULL::int, h.quantity,
                   LEAST(h.quantity, COALESCE(r.received, 0)), 0::float8
              FROM on_hand h
              LEFT JOIN (
                SELECT product_id, SUM(quantity) AS received
                  FROM valued_moves WHERE is_in GROUP BY product_id
              ) r ON r.product_id = h.product_id
             WHERE h.quantity > COALESCE(r.received, 0) + %(tolerance)s
            """,
            ctes=ctes,
            tolerance=ctx["tolerance"],
        )

    def _rule_valuation_fifo_sql(self, ctx):
        """(g) FIFO products with stock: the cost per unit on hand that the
        remaining receipts give, as Odoo 19 computes the FIFO value
        (``_run_fifo``: the receipts from the newest back until they cover the
        quantity on hand, the oldest one partly; what they do not cover at the
        newest receipt's price per unit), against the product's cost, which
        Odoo sets to it at every move.  The value impact is the stock at the
        cost less that value."""
        ctes = self._valuation_ctes(ctx, ("fifo",))
        if ctes is None:
            return None
        return SQL(
            """
            WITH %(ctes)s,
            stack AS (
                SELECT v.product_id, v.value, v.quantity, v.move_quantity,
                       h.quantity AS on_hand,
                       SUM(v.quantity) OVER w - v.quantity AS newer,
                       ROW_NUMBER() OVER w AS recency
                  FROM valued_moves v
                  JOIN on_hand h ON h.product_id = v.product_id
                 WHERE v.is_in AND h.quantity > %(tolerance)s
                WINDOW w AS (PARTITION BY v.product_id
                             ORDER BY v.date DESC, v.id DESC
                             ROWS UNBOUNDED PRECEDING)
            ),
            fifo AS (
                SELECT s.product_id, MAX(s.on_hand) AS on_hand,
                       SUM(CASE WHEN s.newer < s.on_hand AND s.quantity <> 0
                                THEN s.value * LEAST(s.quantity, s.on_hand - s.newer)
                                     / s.quantity
                                ELSE 0 END)
                       + GREATEST(MAX(s.on_hand) - SUM(s.quantity), 0)
                         * COALESCE(MAX(CASE WHEN s.recency = 1 AND s.move_quantity <> 0
                                             THEN s.value / s.move_quantity END),
                                    MAX(p.cost)) AS value
                  FROM stack s JOIN val_products p ON p.id = s.product_id
                 GROUP BY s.product_id
            )
            SELECT f.product_id, NULL::int, NULL::int, NULL::int, NULL::int,
                   NULL::int, f.value / f.on_hand, p.cost,
                   f.on_hand * p.cost - f.value
              FROM fifo f JOIN val_products p ON p.id = f.product_id
             WHERE ABS(f.value / f.on_hand - p.cost) > %(price_tolerance)s
            """,
            ctes=ctes,
            tolerance=ctx["tolerance"],
            price_tolerance=ctx["price_tolerance"],
        )

    def _rule_valuation_avco_sql(self, ctx):
        """(g) AVCO products: the average cost replayed from their valued
        moves as Odoo 19 recomputes it (``_run_average_batch``), against the
        product's cost.  From the last cost change recorded in the product's
        value history (its cost, on the quantity in the valued locations then:
        today's less the valued moves since), else from the first valued move's
        price; then move by move in date order: a receipt adds its value (or
        sets the average to its price when there was no stock), an outgoing
        move takes its quantity at the average.  One recursive statement, all
        products in step.  Products with dropshipped moves are left out (Odoo
        values those at the running average in Python).  The value impact is
        the difference on the stock on hand."""
        ctes = self._valuation_ctes(ctx, ("average",))
        if ctes is None:
            return None
        return SQL(
            """
            WITH RECURSIVE %(ctes)s,
            manual AS (
                SELECT DISTINCT ON (pv.product_id) pv.product_id, pv.date,
                       pv.value::float8 AS value
                  FROM product_value pv
                 WHERE pv.move_id IS NULL AND pv.lot_id IS NULL
                   AND pv.company_id = %(company)s
                   AND pv.product_id IN (SELECT id FROM val_products)
                 ORDER BY pv.product_id, pv.date DESC, pv.id DESC
            ),
            moves AS MATERIALIZED (
                SELECT v.product_id, v.is_in, v.quantity, v.value,
                       ROW_NUMBER() OVER (PARTITION BY v.product_id
                                          ORDER BY v.date, v.id) AS rn
                  FROM valued_moves v
                  LEFT JOIN manual mv ON mv.product_id = v.product_id
                 WHERE mv.date IS NULL OR v.date > mv.date
            ),
            start AS (
                SELECT p.id AS product_id,
                       CASE WHEN mv.product_id IS NULL THEN 0
                            ELSE COALESCE(h.quantity, 0) - COALESCE(d.delta, 0)
                       END AS qty,
                       CASE WHEN mv.product_id IS NULL THEN 0
                            ELSE mv.value * (COALESCE(h.quantity, 0)
                                             - COALESCE(d.delta, 0))
                       END AS value,
                       CASE WHEN mv.product_id IS NOT NULL THEN mv.value
                            WHEN f.quantity <> 0 THEN f.value / f.quantity
                            ELSE 0 END AS avg
                  FROM val_products p
                  LEFT JOIN manual mv ON mv.product_id = p.id
                  LEFT JOIN on_hand h ON h.product_id = p.id
                  LEFT JOIN (
                    SELECT product_id,
                           SUM(CASE WHEN is_in THEN quantity ELSE -quantity END)
                               AS delta
                      FROM moves GROUP BY product_id
                  ) d ON d.product_id = p.id
                  LEFT JOIN moves f ON f.product_id = p.id AND f.rn = 1
                 WHERE (mv.product_id IS NOT NULL OR f.product_id IS NOT NULL)
                   AND NOT EXISTS (
                       SELECT 1 FROM stock_move m
                        WHERE m.product_id = p.id AND m.is_dropship
                          AND m.company_id = %(company)s)
            ),
            replay (product_id, rn, qty, value, avg) AS (
                SELECT product_id, 0::bigint, qty, value, avg FROM start
              UNION ALL
                SELECT r.product_id, m.rn,
                       CASE WHEN m.is_in THEN r.qty + m.quantity
                            ELSE r.qty - m.quantity END,
                       CASE WHEN NOT m.is_in THEN r.value - m.quantity * r.avg
                            WHEN r.qty > 0 THEN r.value + m.value
                            WHEN m.quantity <> 0
                            THEN m.value / m.quantity * (r.qty + m.quantity)
                            ELSE r.avg * (r.qty + m.quantity) END,
                       CASE WHEN NOT m.is_in THEN r.avg
                            WHEN r.qty > 0
                            THEN (r.value + m.value) / (r.qty + m.quantity)
                            WHEN m.quantity <> 0 THEN m.value / m.quantity
                            ELSE r.avg END
                  FROM replay r
                  JOIN moves m ON m.product_id = r.product_id AND m.rn = r.rn + 1
            ),
            replayed AS (
                SELECT DISTINCT ON (product_id) product_id, avg
                  FROM replay ORDER BY product_id, rn DESC
            )
            SELECT r.product_id, NULL::int, NULL::int, NULL::int, NULL::int,
                   NULL::int, r.avg, p.cost,
                   (p.cost - r.avg) * GREATEST(COALESCE(h.quantity, 0), 0)
              FROM replayed r
              JOIN val_products p ON p.id = r.product_id
              LEFT JOIN on_hand h ON h.product_id = r.product_id
             WHERE ABS(r.avg - p.cost) > %(price_tolerance)s
            """,
            ctes=ctes,
            company=self.company_id.id,
            price_tolerance=ctx["price_tolerance"],
        )

    def _checks_valuation(self):
        """Whether the run compares the stock value with the accounts: asked,
        and over the whole company."""
        self.ensure_one()
        return self.check_valuation and not (
            self.warehouse_ids
            or self.location_ids
            or self.categ_ids
            or self.product_ids
        )

    def _rule_valuation_account(self):
        """(g) The stock value per stock valuation account against the balance
        of the account at the end of the period's day, both as Odoo 19 computes
        them (``res.company.stock_value``, ``stock_accounting_value``); one
        finding per account that differs.  Not a SQL statement: Odoo values
        FIFO and AVCO products in Python."""
        self.ensure_one()
        company = self.company_id.sudo()
        at_date = self.date.date()
        inventory = company.stock_value(at_date=at_date)
        accounting = company.stock_accounting_value(at_date=at_date)
        options = self._options()
        values = []
        for account in inventory.keys() | accounting.keys():
            if not account:
                continue
            expected = inventory.get(account, 0.0)
            found = accounting.get(account, 0.0)
            if company.currency_id.is_zero(found - expected):
                continue
            values.append(
                {
                    "run_id": self.id,
                    "company_id": self.company_id.id,
                    "rule_code": "valuation_account",
                    "severity": get_rule("valuation_account").severity,
                    "account_id": account.id,
                    "expected": expected,
                    "found": found,
                    "difference": found - expected,
                    "value_impact": company.currency_id.round(found - expected),
                    "action": "proposed",
                    "correction": "post_closing_entry",
                    "message": line_message(
                        "valuation_account", self.truth_policy, options
                    ),
                }
            )
        workflow(self.env["inventory.balance.run.line"]).create(values)
        return len(values)

    def _compute_valuation_summary(self):
        """Quantity and value per warehouse and category at the period end:
        the engine's balances per product and location at ``date``, valued at
        the product's standard cost at that date (the last standard-price
        change Odoo 19 records in ``product.value`` at or before it, else the
        current cost).  The balances into a temporary table, then one
        INSERT ... SELECT grouping them."""
        self.ensure_one()
        ledger = self.env["inventory.ledger"]
        self.env.cr.execute(
            SQL(
                "DELETE FROM inventory_balance_run_valuation WHERE run_id = %s", self.id
            )
        )
        product_ids = self._scope_product_ids()
        balances, method = ledger._balance_sql(
            self.date,
            ("product", "location"),
            [self.company_id.id],
            location_ids=self._scope_location_ids(),
            product_ids=product_ids,
        )
        # The balances on their own first, as the engine plans them: summed
        # from a checkpoint, grouped by sorting (see the engine); from the
        # quants, with the nested loop that crosses each line after the
        # moment with its two sides (with nested loops off, PostgreSQL read
        # every line through the product index to find those after the
        # moment: 35 s at 10M lines instead of nothing).  Then their rows
        # joined to products, locations and costs with hash joins (the
        # planner guesses a hundred times fewer balances than there are),
        # each product joined once (not again through ``run_products``).
        cr = self.env.cr
        cr.execute("DROP TABLE IF EXISTS pg_temp.balance_run_summary_balances")
        with ledger._aggregation_settings(
            balances=method == "checkpoint", hash_joins=method != "quants"
        ):
            cr.execute(
                SQL(
                    "CREATE TEMPORARY TABLE balance_run_summary_balances "
                    "ON COMMIT DROP AS %s",
                    balances,
                )
            )
        with ledger._aggregation_settings(
            balances=method == "checkpoint", hash_joins=True
        ):
            self.env.cr.execute(
                SQL(
                    """
                WITH %(context)s,
                costs AS (
                    SELECT DISTINCT ON (pv.product_id) pv.product_id,
                           pv.value::float8 AS cost
                      FROM product_value pv
                     WHERE pv.move_id IS NULL AND pv.lot_id IS NULL
                       AND pv.product_id IS NOT NULL
                       AND pv.company_id = %(company)s AND pv.date <= %(at)s
                     ORDER BY pv.product_id, pv.date DESC, pv.id DESC
                ), inserted AS (
                    INSERT INTO inventory_balance_run_valuation
                        (run_id, company_id, warehouse_id, categ_id, quantity, value,
                         create_uid, write_uid, create_date, write_date)
                    SELECT %(run)s, %(company)s, loc.warehouse_id, pt.categ_id,
                           ROUND(SUM(b.quantity)::numeric, 6),
                           ROUND(SUM(b.quantity * COALESCE(
                               c.cost, (pp.standard_price ->> %(company_key)s)::float8,
                               0))::numeric, 2),
                           %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC',
                           now() AT TIME ZONE 'UTC'
                      FROM balance_run_summary_balances b
                      JOIN product_product pp ON pp.id = b.product_id
                      JOIN product_template pt ON pt.id = pp.product_tmpl_id
                      JOIN stock_location loc ON loc.id = b.location_id
                      LEFT JOIN costs c ON c.product_id = b.product_id
                     WHERE b.location_id IN (SELECT id FROM run_locations)
                       AND pt.is_storable %(products)s
                     GROUP BY loc.warehouse_id, pt.categ_id
                    RETURNING value
                )
                SELECT COALESCE(SUM(value), 0) FROM inserted
                """,
                    context=self._context_sql(product_ids),
                    company=self.company_id.id,
                    company_key=str(self.company_id.id),
                    products=SQL("AND pp.id = ANY(%s)", product_ids)
                    if product_ids is not None
                    else SQL(),
                    at=self.date,
                    run=self.id,
                    uid=self.env.uid,
                )
            )
            total = self.env.cr.fetchone()[0]
        cr.execute("DROP TABLE balance_run_summary_balances")
        self.invalidate_recordset(["valuation_ids"])
        self._write_workflow({"total_value": float(total)})
        return method

    def _correct_valuation(self):
        """Check the valuation accounts again; where they differ from the
        stock value, post Odoo's own stock closing entry at the period end's
        day (it moves each valuation account to the stock value).  Needs
        Accounting / Administrator."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM inventory_balance_run_line WHERE run_id = %s "
                "AND rule_code = 'valuation_account'",
                self.id,
            )
        )
        self.env["inventory.balance.run.line"].invalidate_model()
        if not self._rule_valuation_account():
            return 0
        if not self.env.su and not self.env.user.has_group(ACCOUNT_MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Posting the stock closing entry of %s needs the Accounting "
                    "Administrator right.",
                    self.name,
                )
            )
        action = self.company_id.sudo().action_close_stock_valuation(
            at_date=self.date.date(), auto_post=True
        )
        entry = self.env["account.move"].browse(action["res_id"])
        self._write_workflow({"account_move_ids": [fields.Command.link(entry.id)]})
        lines = self.sudo().line_ids.filtered(
            lambda line: line.rule_code == "valuation_account"
        )
        workflow(lines).write(
            {
                "action": "taken",
                "message": line_message(
                    "valuation_account", self.truth_policy, self._options(), True
                ),
            }
        )
        return len(lines)

    def _correct_recalculate_cost(self, targets):
        """AVCO products: set the cost to the one replayed from the valued
        moves the way Odoo 19 records a cost change, by writing the product's
        cost: Odoo adds a dated entry (*Price update from ... to ...*) to the
        product's value history, which the next replay starts from, and
        re-values the remaining receipts valued at the cost.  Odoo 19 posts no
        journal entry for a cost change (not even in perpetual valuation): the
        stock valuation account follows at Odoo's stock closing entry (rule
        ``valuation_account``).  A message on the run lists the changes."""
        if not self.recalculate_costs:
            return
        self.env.cr.execute(
            SQL(
                "WITH t AS (%s) SELECT t.product_id, t.expected, t.found FROM t "
                "ORDER BY t.product_id",
                targets,
            )
        )
        rows = self.env.cr.fetchall()
        if not rows:
            return
        self.env.invalidate_all()
        products = self.env["product.product"].with_company(self.company_id).sudo()
        changes = []
        for product_id, expected, found in rows:
            product = products.browse(product_id)
            product.write({"standard_price": float(expected)})
            changes.append(
                self.env._(
                    "%(product)s: %(old)s → %(new)s",
                    product=product.display_name,
                    old=float(found),
                    new=product.standard_price,
                )
            )
        self.message_post(
            body=self.env._(
                "Costs recalculated from the valued moves (AVCO): %s",
                "; ".join(changes),
            )
        )

    def _rule_valuation_flags_sql(self, ctx):
        """(g) Done moves of standard-cost products whose stored valuation
        flags disagree with their lines' locations: ``is_in`` where a line
        enters the company's valued locations (internal or transit) from
        outside them, ``is_out`` where one leaves them, and a value on a move
        that is neither.  From a checkpoint, the moves after it.  With the
        option *Check valuation* only (it reads every done move's lines)."""
        if not self.check_valuation or "is_in" not in self.env["stock.move"]._fields:
            return None
        standard = self._valuation_categories("standard")
        if not standard:
            return None
        return SQL(
            """
            SELECT m.product_id, m.location_dest_id, NULL::int, NULL::int, NULL::int,
                   m.id, 0::float8, COALESCE(m.value, 0)::float8,
                   CONCAT_WS(', ',
                       CASE WHEN m.is_in IS DISTINCT FROM f.enters
                            THEN %(is_in)s || f.enters::text END,
                       CASE WHEN m.is_out IS DISTINCT FROM f.leaves
                            THEN %(is_out)s || f.leaves::text END,
                       CASE WHEN NOT f.enters AND NOT f.leaves
                                 AND COALESCE(m.value, 0) <> 0
                            THEN %(value)s END)
              FROM stock_move m
              JOIN run_products p ON p.id = m.product_id
              JOIN product_product pp ON pp.id = m.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             CROSS JOIN LATERAL (
                SELECT COALESCE(BOOL_OR(NOT sv AND dv), FALSE) AS enters,
                       COALESCE(BOOL_OR(sv AND NOT dv), FALSE) AS leaves
                  FROM (
                    SELECT (s.company_id = %(company)s
                            AND s.usage IN ('internal', 'transit')) AS sv,
                           (d.company_id = %(company)s
                            AND d.usage IN ('internal', 'transit')) AS dv
                      FROM stock_move_line ml
                      JOIN stock_location s ON s.id = ml.location_id
                      JOIN stock_location d ON d.id = ml.location_dest_id
                     WHERE ml.move_id = m.id AND ml.state = 'done'
                       AND (ml.owner_id IS NULL OR ml.owner_id = %(partner)s)
                  ) sides
             ) f
             WHERE m.state = 'done' AND m.company_id = %(company)s %(since)s
               AND pt.categ_id = ANY(%(categs)s)
               AND NOT COALESCE(m.is_dropship, FALSE)
               AND (m.is_in IS DISTINCT FROM f.enters
                    OR m.is_out IS DISTINCT FROM f.leaves
                    OR NOT f.enters AND NOT f.leaves AND COALESCE(m.value, 0) <> 0)
            """,
            company=self.company_id.id,
            partner=self.company_id.partner_id.id,
            since=SQL("AND m.date > %s", ctx["since"]) if ctx["since"] else SQL(),
            categs=standard,
            is_in=self.env._("incoming should be "),
            is_out=self.env._("outgoing should be "),
            value=self.env._("valued while neither incoming nor outgoing"),
        )
