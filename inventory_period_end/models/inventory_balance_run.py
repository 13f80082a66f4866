# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The period-end balance run: find, and on request correct, disagreements
between the ledger, the quants, the reservations, the lots and the moves.

Each rule is one set-based SQL statement over the whole scope, inserting its
findings as run lines (except the optional valuation rule, which asks Odoo's
own valuation).  What a finding means and how it is corrected is
decided by ``tools/balance_rules.py`` (the source-of-truth matrix).
"""

import base64
import logging
import os
import tempfile
import time

from odoo import api, fields, models, modules
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, split_every
from odoo.tools.sql import index_exists

from ..tools.balance_rules import (
    COMPANY_CORRECTIONS,
    CORRECTION_STAGES,
    RULES,
    VALUATION_RULES,
    counts_by_rule,
    get_rule,
    line_action,
    line_message,
)
from ..tools.run_export import write_workbook
from ..tools.workflow_guard import refuse_workflow_fields, workflow

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "inventory_period_end.group_inventory_period_end_manager"
ACCOUNT_MANAGER_GROUP = "account.group_account_manager"
# Who sees stock-account figures (valuation findings and summary, values).
ACCOUNTING_GROUPS = "account.group_account_readonly,account.group_account_manager"
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
BATCH_SIZE = 1000
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
# Workflow fields of a run: written only by its actions (run, correct),
# through ``_write_workflow``; ``create`` and ``write`` refuse them otherwise.
RUN_WORKFLOW_FIELDS = frozenset(
    {
        "state",
        "method_used",
        "started_by",
        "started_at",
        "ended_at",
        "duration",
        "corrected_by",
        "corrected_at",
        "line_ids",
        "line_count",
        "proposed_count",
        "counts_summary",
        "valuation_ids",
        "total_value",
        "adjustment_ids",
        "account_move_ids",
    }
)
# What a run checks: changing it sends a checked run back to draft (its
# findings no longer answer for it); a corrected run keeps it.
RUN_PARAMETER_FIELDS = frozenset(
    {
        "company_id",
        "date",
        "warehouse_ids",
        "location_ids",
        "categ_ids",
        "product_ids",
        "mode",
        "truth_policy",
        "balance_transit",
        "recalculate_costs",
        "purge_zero_quants",
        "check_valuation",
        "check_ageing",
        "ledger_method",
    }
)


class InventoryBalanceRun(models.Model):
    _name = "inventory.balance.run"
    _description = "Inventory Balance Run"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        required=True, readonly=True, copy=False, default=lambda self: self.env._("New")
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date = fields.Datetime(
        string="Period end",
        required=True,
        default=fields.Datetime.now,
        tracking=True,
        help="The end of the period balanced.  The quantity checks compare the "
        "quants with the ledger; quants minus the lines after this moment against "
        "the ledger up to it is the same comparison.  Corrections under the "
        "counted-stock policy are dated on this day.",
    )
    warehouse_ids = fields.Many2many(
        "stock.warehouse", string="Warehouses", check_company=True
    )
    location_ids = fields.Many2many(
        "stock.location",
        string="Locations",
        check_company=True,
        domain="[('usage', 'in', ('internal', 'transit'))]",
        help="Children included.  Empty with no warehouse: every location.",
    )
    categ_ids = fields.Many2many(
        "product.category", string="Categories", help="Sub-categories included."
    )
    product_ids = fields.Many2many(
        "product.product",
        string="Products",
        check_company=True,
        domain="[('is_storable', '=', True)]",
    )
    mode = fields.Selection(
        [("report", "Report only"), ("balance", "Balance (correct)")],
        required=True,
        default="report",
        tracking=True,
    )
    truth_policy = fields.Selection(
        [
            ("ledger", "Ledger (recompute quants)"),
            ("counted", "Counted stock (post inventory moves)"),
        ],
        required=True,
        default="ledger",
        tracking=True,
        help="Which figure wins when a quant and the ledger disagree.",
    )
    balance_transit = fields.Boolean(
        string="Balance goods in transit",
        default=True,
        help="Check and correct the quants of transit locations too, and "
        "reconcile the stock in transit with the open moves out of it: a "
        "correcting run writes off what is in transit beyond those moves with a "
        "period-end adjustment; open moves expecting more than is in transit are "
        "reported.",
    )
    recalculate_costs = fields.Boolean(
        string="Recalculate costs where the valuation method allows",
        help="A correcting run sets the cost of AVCO products to the cost "
        "replayed from their valued moves, as Odoo records a cost change (a "
        "dated entry in the product's value history).  FIFO costs are the value "
        "of the remaining receipts and are only reported.",
    )
    purge_zero_quants = fields.Boolean(default=True)
    check_valuation = fields.Boolean(
        string="Check valuation",
        help="Check the FIFO and AVCO valuation of the products (remaining "
        "receipts against the stock on hand, FIFO value and average cost "
        "replayed from the valued moves against the product's cost; they read "
        "every valued move of those products: a minute and more at ten million "
        "moves), and compare the stock value with the balance of the stock "
        "valuation accounts at the end of the period's day, as Odoo's Stock "
        "Valuation report does (Odoo's own computation, product by product); a "
        "correcting run posts Odoo's stock closing entry.  The accounts: the "
        "whole company only, ignored when the run has a scope.",
    )
    check_ageing = fields.Boolean(
        string="Check the aged inventory",
        help="Compute the aged inventory at the run's moment and compare its "
        "buckets, per product, warehouse and lot, with the quantity on hand of "
        "the quants (reported only; the quantity rules correct the quants). The "
        "whole company only: ignored when the run has a scope.",
    )
    ledger_method = fields.Selection(
        [
            ("auto", "Latest checkpoint if any"),
            ("checkpoint", "Latest checkpoint"),
            ("ledger", "Whole ledger"),
        ],
        required=True,
        default="auto",
        help="Where the ledger side starts.  From a checkpoint, the done moves "
        "checked against their lines are those after it.",
    )
    method_used = fields.Char(readonly=True, copy=False)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("queued", "Queued"),
            ("done", "Checked"),
            ("corrected", "Corrected"),
        ],
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
    )
    started_by = fields.Many2one("res.users", readonly=True, copy=False)
    started_at = fields.Datetime(readonly=True, copy=False)
    ended_at = fields.Datetime(readonly=True, copy=False)
    duration = fields.Float(string="Duration (s)", readonly=True, copy=False)
    corrected_by = fields.Many2one("res.users", readonly=True, copy=False)
    corrected_at = fields.Datetime(readonly=True, copy=False)
    line_ids = fields.One2many("inventory.balance.run.line", "run_id", readonly=True)
    line_count = fields.Integer(string="Findings", readonly=True, copy=False)
    proposed_count = fields.Integer(
        string="Corrections proposed", readonly=True, copy=False
    )
    counts_summary = fields.Text(string="Findings per rule", readonly=True, copy=False)
    valuation_ids = fields.One2many(
        "inventory.balance.run.valuation",
        "run_id",
        readonly=True,
        groups="account.group_account_readonly,account.group_account_manager",
    )
    total_value = fields.Monetary(
        string="Stock value",
        readonly=True,
        copy=False,
        currency_field="currency_id",
        groups="account.group_account_readonly,account.group_account_manager",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    adjustment_ids = fields.Many2many(
        "inventory.adjustment",
        string="Adjustments posted",
        readonly=True,
        copy=False,
        check_company=True,
    )
    account_move_ids = fields.Many2many(
        "account.move",
        string="Closing entries",
        readonly=True,
        copy=False,
        check_company=True,
        groups="account.group_account_readonly,account.group_account_manager",
    )

    # ------------------------------------------------------ workflow guard
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            refuse_workflow_fields(self, vals, RUN_WORKFLOW_FIELDS)
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "inventory.balance.run"
                ) or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        """Workflow fields only through the actions; a new name never; a
        parameter of a checked run sends it back to draft, of a corrected or
        queued run is refused."""
        refuse_workflow_fields(self, vals, RUN_WORKFLOW_FIELDS | {"name"})
        checked = self.browse()
        if RUN_PARAMETER_FIELDS.intersection(vals):
            frozen = self.filtered(lambda run: run.state in ("corrected", "queued"))
            if frozen:
                raise UserError(
                    self.env._(
                        "The balance run %(name)s is %(state)s: what it checks "
                        "cannot change; start a new one.",
                        name=frozen[0].name,
                        state=dict(self._fields["state"].selection)[frozen[0].state],
                    )
                )
            checked = self.filtered(lambda run: run.state == "done")
        result = super().write(vals)
        if checked:
            checked._write_workflow({"state": "draft"})
        return result

    def _write_workflow(self, vals):
        """Write workflow fields: the actions call this after their checks."""
        return workflow(self).write(vals)

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

    @api.constrains("date")
    def _check_date(self):
        now = fields.Datetime.now()
        for run in self:
            if run.date > now:
                raise ValidationError(
                    self.env._(
                        "The balance run %(name)s ends in the future (%(date)s).",
                        name=run.name,
                        date=run.date,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_corrected(self):
        if any(run.state == "corrected" for run in self):
            raise UserError(self.env._("A corrected balance run cannot be deleted."))

    # ---------------------------------------------------------------- scope
    def _scope_product_ids(self):
        """Product ids of the scope, or None for every product."""
        self.ensure_one()
        if not self.categ_ids and not self.product_ids:
            return None
        domain = [("is_storable", "=", True)]
        if self.categ_ids:
            domain.append(("categ_id", "child_of", self.categ_ids.ids))
        if self.product_ids:
            domain.append(("id", "in", self.product_ids.ids))
        products = self.env["product.product"].with_context(active_test=False)
        return products.search(domain).ids

    def _scope_location_ids(self):
        """Roots of the scope's locations, or None for the whole company."""
        self.ensure_one()
        roots = self.warehouse_ids.view_location_id | self.location_ids
        return roots.ids or None

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

    # --------------------------------------------------------------- checks
    def _ledger_rows_sql(self, ctx):
        """The engine's rows summing to the ledger balances now, per key
        (product, location, lot, package, owner), from its latest checkpoint
        or from the whole ledger, and the CTEs they read: the pieces of the
        engine's ``_balance_sql`` before it groups, filters and sorts them."""
        ledger = self.env["inventory.ledger"]
        company_ids = [self.company_id.id]
        location_ids = self._scope_location_ids()
        product_ids = ctx["product_ids"]
        method, checkpoints = ledger._resolve_method(
            ctx["now"], company_ids, ctx["method"]
        )
        ctes = [
            SQL(
                "scope AS (%s)",
                ledger._scope_locations_sql(company_ids, location_ids),
            )
        ]
        if method == "checkpoint":
            filters = [SQL("location_id IN (SELECT id FROM scope)")]
            if product_ids is not None:
                filters.append(SQL("product_id = ANY(%s)", product_ids))
            base = ledger._checkpoint_base_sql(
                ctx["now"],
                checkpoints,
                company_ids,
                location_ids,
                product_ids,
                None,
                SQL(" AND ").join(filters),
                ctes,
            )
        else:
            base = ledger._signed_lines_sql(
                None, ctx["now"], product_ids, split=True, grouped=True
            )
        return SQL(", ").join(ctes), base

    def _check_quant_ledger_sql(self, ctx):
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

    def _check_reserved_sql(self, ctx):
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

    def _check_negative_sql(self, ctx):
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

    def _check_lot_missing_sql(self, ctx):
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

    def _check_serial_quantity_sql(self, ctx):
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

    def _check_package_location_sql(self, ctx):
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

    def _check_archived_location_sql(self, ctx):
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

    def _check_view_location_sql(self, ctx):
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

    def _check_transit_open_moves_sql(self, ctx):
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

    def _check_valuation_remaining_sql(self, ctx):
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

    def _check_valuation_fifo_sql(self, ctx):
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

    def _check_valuation_avco_sql(self, ctx):
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

    def _check_move_lines_sum_sql(self, ctx):
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

    def _check_ageing_on_hand_sql(self, ctx):
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

    def _check_zero_quant_sql(self, ctx):
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

    def _options(self):
        options = []
        if self.balance_transit:
            options.append("balance_transit")
        if self.recalculate_costs:
            options.append("recalculate_costs")
        if self.purge_zero_quants:
            options.append("purge_zero_quants")
        if self.check_valuation:
            options.append("check_valuation")
        if self.check_ageing:
            options.append("check_ageing")
        return tuple(options)

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

    def _check_valuation_account(self):
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
                    self._check_valuation_account()
                    if not batch and self._checks_valuation()
                    else 0
                )
                continue
            check_sql = getattr(self, f"_check_{rule.code}_sql")(ctx)
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

    def _compute_valuation_summary(self):
        """Quantity and value per warehouse and category at the period end:
        the engine's balances per product and location at ``date``, valued at
        the product's standard cost at that date (the last standard-price
        change Odoo 19 records in ``product.value`` at or before it, else the
        current cost).  One INSERT ... SELECT."""
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
        # Summed from a checkpoint: grouped by sorting (see the engine).
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
                           ROUND(SUM(b.quantity * COALESCE(c.cost, p.cost))::numeric,
                                 2),
                           %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC',
                           now() AT TIME ZONE 'UTC'
                      FROM (%(balances)s) b
                      JOIN run_products p ON p.id = b.product_id
                      JOIN product_product pp ON pp.id = b.product_id
                      JOIN product_template pt ON pt.id = pp.product_tmpl_id
                      JOIN stock_location loc ON loc.id = b.location_id
                      LEFT JOIN costs c ON c.product_id = b.product_id
                     WHERE b.location_id IN (SELECT id FROM run_locations)
                     GROUP BY loc.warehouse_id, pt.categ_id
                    RETURNING value
                )
                SELECT COALESCE(SUM(value), 0) FROM inserted
                """,
                    context=self._context_sql(product_ids),
                    company=self.company_id.id,
                    at=self.date,
                    run=self.id,
                    uid=self.env.uid,
                    balances=balances,
                )
            )
            total = self.env.cr.fetchone()[0]
        self.invalidate_recordset(["valuation_ids"])
        self._write_workflow({"total_value": float(total)})
        return method

    # -------------------------------------------------------------- actions
    def action_run(self):
        """Run every check over the scope and store the findings.  Changes no
        stock table, whatever the mode.  A run too big for one request (the
        valuation rules over many moves, or any run over a very big ledger;
        see ``_runs_in_background``) is queued: a background job runs it,
        reporting its progress, and says so on its chatter.

        :return: True
        """
        self.check_access("write")
        for run in self:
            run._check_runnable()
            if run._runs_in_background():
                run._queue()
            else:
                run._run_now()
        return True

    def _check_runnable(self):
        self.ensure_one()
        if self.state == "corrected":
            raise UserError(
                self.env._(
                    "The balance run %s is corrected already; start a new one.",
                    self.name,
                )
            )
        if self.state == "queued":
            raise UserError(
                self.env._(
                    "The balance run %s is queued: a background job runs it.",
                    self.name,
                )
            )
        if self.date > fields.Datetime.now():
            raise UserError(self.env._("A balance run cannot end in the future."))

    def _run_now(self):
        """Run the checks in this transaction."""
        self.ensure_one()
        started = time.monotonic()
        self._write_workflow(
            {
                "started_by": self.env.user.id,
                "started_at": fields.Datetime.now(),
                "ended_at": False,
            }
        )
        _counts, method = self._run_checks()
        self._compute_valuation_summary()
        counts = self._store_counts()
        self._write_workflow(
            {
                "state": "done",
                "method_used": method,
                "ended_at": fields.Datetime.now(),
                "duration": round(time.monotonic() - started, 3),
            }
        )
        self.message_post(
            body=self.env._(
                "Checked (%(mode)s, ledger from %(method)s): %(total)s findings. "
                "%(counts)s",
                mode=dict(self._fields["mode"].selection)[self.mode],
                method=method,
                total=sum(counts.values()),
                counts=", ".join(
                    f"{code}: {count}" for code, count in counts.items() if count
                )
                or self.env._("nothing to balance"),
            )
        )

    # ----------------------------------------------------------- background
    @api.model
    def _background_threshold(self, key, default):
        """A size threshold of the system parameters, a sane integer (the
        default when unset or not a whole number from 0)."""
        raw = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(f"inventory_period_end.{key}")
        )
        return self._parse_threshold(raw, default)

    @staticmethod
    def _parse_threshold(raw, default):
        if not isinstance(raw, str):
            return default
        try:
            value = int(raw.strip())
        except ValueError:
            return default
        return value if 0 <= value <= 10**12 else default

    @api.model
    def _estimated_rows(self, table):
        """PostgreSQL's estimate of a table's rows (free: no count)."""
        self.env.cr.execute(
            "SELECT GREATEST(reltuples, 0)::bigint FROM pg_class "
            "WHERE oid = to_regclass(%s)",
            [table],
        )
        row = self.env.cr.fetchone()
        return row[0] if row and row[0] is not None else 0

    def _runs_in_background(self):
        """Whether the run is too big for one request: the valuation rules
        (they read every valued move) above ``background_valuation_moves``
        done moves (default 100,000), any run above ``background_lines``
        move lines (default 5,000,000); estimated, not counted."""
        self.ensure_one()
        if self.check_valuation:
            limit = self._background_threshold("background_valuation_moves", 100000)
            if self._estimated_rows("stock_move") >= limit:
                return True
        limit = self._background_threshold("background_lines", 5000000)
        return self._estimated_rows("stock_move_line") >= limit

    def _queue(self):
        """Queue the run for the background job, as the user who asked."""
        self.ensure_one()
        self._write_workflow(
            {
                "state": "queued",
                "started_by": self.env.user.id,
                "started_at": False,
                "ended_at": False,
            }
        )
        self.env.ref("inventory_period_end.ir_cron_inventory_balance_run")._trigger()
        self.message_post(
            body=self.env._(
                "Queued: the run is too big for one request; a background job "
                "runs it and posts its findings here."
            )
        )

    @api.model
    def _cron_run_queued(self, commit=None):
        """Scheduled action: run the queued runs, one transaction each, as
        the user who queued them, reporting the progress."""
        if commit is None:
            commit = not modules.module.current_test
        runs = self.sudo().search([("state", "=", "queued")], order="id")
        Cron = self.env["ir.cron"]
        for done, run in enumerate(runs, start=1):
            user = run.started_by or self.env.user
            try:
                with self.env.cr.savepoint():
                    # Back to draft first: the run checks as a draft run would.
                    run._write_workflow({"state": "draft"})
                    run.with_user(user).with_company(run.company_id)._run_now()
            except (UserError, AccessError) as error:
                _logger.warning("Balance run %s failed: %s", run.name, error)
                run._write_workflow({"state": "draft"})
                run.message_post(
                    body=self.env._(
                        "The background run failed: %(error)s", error=str(error)
                    )
                )
            if commit:
                Cron._commit_progress(1, remaining=len(runs) - done)
        return True

    def action_apply_corrections(self):
        """Correct the proposed findings (Balance mode, managers only), one
        transaction per batch of products: the batch is checked again with its
        quants locked, then corrected as the truth policy says; the findings
        record what was done.

        :return: True
        """
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only inventory period-end administrators correct stock.")
            )
        self.check_access("write")
        for run in self:
            run._check_correctable()
            run._apply_corrections()
        return True

    def _check_correctable(self):
        self.ensure_one()
        if self.mode != "balance":
            raise UserError(
                self.env._(
                    "The balance run %s is report only; set it to Balance to correct.",
                    self.name,
                )
            )
        if self.state != "done":
            raise UserError(
                self.env._("Run the checks of %s before correcting.", self.name)
            )

    def _apply_corrections(self):
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT product_id FROM inventory_balance_run_line "
                "WHERE run_id = %s AND action = 'proposed' ORDER BY product_id",
                self.id,
            )
        )
        product_ids = [row[0] for row in self.env.cr.fetchall() if row[0]]
        taken = 0
        for batch in split_every(BATCH_SIZE, product_ids, list):
            taken += self._correct_batch(batch)
            if not modules.module.current_test:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        if self._checks_valuation():
            taken += self._correct_valuation()
        self._store_counts()
        self._write_workflow(
            {
                "state": "corrected",
                "corrected_by": self.env.user.id,
                "corrected_at": fields.Datetime.now(),
            }
        )
        self.message_post(
            body=self.env._(
                "Corrected (%(policy)s as truth): %(taken)s corrections taken on "
                "%(products)s products.%(documents)s",
                policy=dict(self._fields["truth_policy"].selection)[self.truth_policy],
                taken=taken,
                products=len(product_ids),
                documents="".join(
                    " " + self.env._("%(kind)s: %(names)s", kind=kind, names=names)
                    for kind, names in (
                        (
                            self.env._("Adjustments posted"),
                            ", ".join(self.adjustment_ids.mapped("name")),
                        ),
                        (
                            self.env._("Closing entries posted"),
                            ", ".join(self.sudo().account_move_ids.mapped("name")),
                        ),
                    )
                    if names
                ),
            )
        )

    def _correct_batch(self, product_ids):
        """Check the batch again with its quants locked, then correct it."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM stock_quant WHERE product_id = ANY(%s) "
                "ORDER BY id FOR UPDATE",
                product_ids,
            )
        )
        # Only the rules this run corrects are checked again, stage by stage,
        # each after the corrections it depends on: the others' findings do
        # not change with the corrections.
        options = self._options()
        targets = SQL(
            "SELECT * FROM inventory_balance_run_line WHERE run_id = %s "
            "AND action = 'proposed' AND product_id = ANY(%s)",
            self.id,
            product_ids,
        )
        lot_ids, package_ids = set(), set()
        for stage in CORRECTION_STAGES:
            codes = [
                code
                for code in stage
                if get_rule(code).corrects(self.truth_policy, options)
            ]
            if not codes:
                continue
            self._run_checks(product_ids, codes=codes)
            self.env.cr.execute(
                SQL(
                    "SELECT ARRAY_AGG(DISTINCT lot_id) FILTER "
                    "(WHERE lot_id IS NOT NULL), ARRAY_AGG(DISTINCT package_id) "
                    "FILTER (WHERE package_id IS NOT NULL) FROM (%s) t",
                    targets,
                )
            )
            lots_found, packages_found = self.env.cr.fetchone()
            lot_ids.update(lots_found or [])
            package_ids.update(packages_found or [])
            for code in codes:
                correction = get_rule(code).correction(self.truth_policy)
                getattr(self, f"_correct_{correction.action}")(
                    SQL("%s AND rule_code = %s", targets, code)
                )
            self.env.invalidate_all()
        # What Odoo stores from the quants follows them: the place of a lot
        # and of a package.
        self.env.invalidate_all()
        lots = self.env["stock.lot"].browse(list(lot_ids))
        packages = self.env["stock.package"].browse(list(package_ids))
        self.env.add_to_compute(lots._fields["location_id"], lots)
        self.env.add_to_compute(packages._fields["location_id"], packages)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            UPDATE inventory_balance_run_line
               SET action = 'taken', message = CASE rule_code %(messages)s END
             WHERE run_id = %(run)s AND action = 'proposed'
               AND product_id = ANY(%(products)s)
            """,
                messages=SQL(" ").join(
                    SQL(
                        "WHEN %s THEN %s",
                        rule.code,
                        line_message(
                            rule.code, self.truth_policy, self._options(), taken=True
                        ),
                    )
                    for rule in RULES
                ),
                run=self.id,
                products=product_ids,
            )
        )
        taken = self.env.cr.rowcount
        self.env.invalidate_all()
        return taken

    # ----------------------------------------------------------- corrections
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
        if not self._check_valuation_account():
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

    @staticmethod
    def _key_join(left, right):
        return SQL(" AND ").join(
            SQL(
                "%s IS NOT DISTINCT FROM %s",
                SQL.identifier(left, column),
                SQL.identifier(right, column),
            )
            for column in KEY
        )

    def _correct_set_quant_to_ledger(self, targets):
        """Ledger truth: one quant per key holding the ledger quantity (and
        the key's reservations); the others deleted; a quant created where the
        ledger has stock and none exists; keys whose ledger balance is zero
        and hold no reservation lose their quants."""
        join = self._key_join("q", "t")
        self.env.cr.execute(
            SQL(
                """
            WITH t AS (%(targets)s),
            keyed AS (
                SELECT q.id, t.expected,
                       ROW_NUMBER() OVER (PARTITION BY t.id ORDER BY q.id) AS rank,
                       SUM(q.reserved_quantity) OVER (PARTITION BY t.id) AS reserved
                  FROM t JOIN stock_quant q ON %(join)s
            ),
            kept AS (
                UPDATE stock_quant q
                   SET quantity = k.expected, reserved_quantity = k.reserved,
                       inventory_diff_quantity = CASE
                           WHEN q.inventory_quantity_set
                           THEN q.inventory_quantity - k.expected ELSE 0 END,
                       write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
                  FROM keyed k
                 WHERE q.id = k.id AND k.rank = 1
                RETURNING q.id
            )
            DELETE FROM stock_quant q USING keyed k
             WHERE q.id = k.id AND k.rank > 1
            """,
                targets=targets,
                join=join,
                uid=self.env.uid,
            )
        )
        self._insert_missing_quants(targets, join, "quantity")
        self.env.cr.execute(
            SQL(
                """
            WITH t AS (%(targets)s)
            DELETE FROM stock_quant q USING t
             WHERE %(join)s AND t.expected = 0 AND q.reserved_quantity = 0
               AND NOT COALESCE(q.inventory_quantity_set, FALSE)
            """,
                targets=targets,
                join=join,
            )
        )

    def _correct_post_inventory_move(self, targets):
        """Counted stock as truth: bring the quants to the ledger, then post
        an adjustment (reason *Period-end balance*) of the difference, which
        moves both ledger and quants to the counted quantity.  Keys an
        adjustment cannot hold (packages, owners, transit) follow the ledger;
        their lines say so."""
        self.env.cr.execute(
            SQL(
                """
            WITH t AS (%(targets)s)
            SELECT t.id, t.product_id, t.location_id, t.lot_id, t.found - t.expected
              FROM t JOIN stock_location l ON l.id = t.location_id
             WHERE t.package_id IS NULL AND t.owner_id IS NULL
               AND l.usage = 'internal'
             ORDER BY t.id
            """,
                targets=targets,
            )
        )
        postable = self.env.cr.fetchall()
        self._correct_set_quant_to_ledger(targets)
        fallback = self.env._("Quant adjusted to ledger quantity")
        self.env.cr.execute(
            SQL(
                """
            WITH t AS (%(targets)s)
            UPDATE inventory_balance_run_line l
               SET action = 'taken', correction = 'set_quant_to_ledger',
                   message = %(message)s
              FROM t WHERE l.id = t.id AND NOT (l.id = ANY(%(postable)s))
            """,
                targets=targets,
                message=self.env._(
                    "%s (an adjustment holds no package, owner or transit stock)",
                    fallback,
                ),
                postable=[row[0] for row in postable],
            )
        )
        self._post_balance_adjustment(
            postable,
            self.env._("%s (counted stock)", self.name),
            self.env._("the counted stock differed from the ledger"),
        )

    def _post_balance_adjustment(self, postable, name, why):
        """Post one adjustment (reason *Period-end balance*, dated on the
        period end's day) of the changes ``postable``, rows ``(line id,
        product id, location id, lot id, change)``, confirm it, link it to the
        run and to the findings, and say on its chatter which run posted it and
        ``why``.  Return the adjustment (none when nothing is to post)."""
        if not postable:
            return self.env["inventory.adjustment"]
        self.env.invalidate_all()
        reason = self.env.ref(
            "inventory_balance.inventory_adjustment_reason_period_end"
        )
        adjustment = (
            self.env["inventory.adjustment"]
            .sudo()
            .create(
                {
                    "name": name,
                    "reason_id": reason.id,
                    "company_id": self.company_id.id,
                    "date": fields.Date.context_today(self, self.date),
                    "line_ids": [
                        fields.Command.create(
                            {
                                "product_id": product_id,
                                "location_id": location_id,
                                "lot_id": lot_id or False,
                                "change": change,
                            }
                        )
                        for _id, product_id, location_id, lot_id, change in postable
                    ],
                }
            )
        )
        adjustment.action_confirm()
        adjustment.message_post(
            body=self.env._(
                "Posted by the balance run %(run)s: %(why)s.", run=self.name, why=why
            )
        )
        self._write_workflow({"adjustment_ids": [fields.Command.link(adjustment.id)]})
        self.env.cr.execute(
            SQL(
                "UPDATE inventory_balance_run_line SET adjustment_id = %s "
                "WHERE id = ANY(%s)",
                adjustment.id,
                [row[0] for row in postable],
            )
        )
        return adjustment

    def _correct_post_transit_surplus(self, targets):
        """The open moves out of transit are the truth: what a transit
        location holds beyond them (a receiving leg cancelled, the goods left
        in transit) is written off by a period-end adjustment.  Only the
        surpluses are proposed (no goods can be invented for a shortfall), and
        only where the stock in transit is held with no lot, package or owner,
        which an adjustment of the product's quantity can take; the others are
        reported, saying so."""
        self.env.cr.execute(
            SQL(
                """
            WITH t AS (%(targets)s)
            SELECT t.id, t.product_id, t.location_id, NULL::int,
                   t.expected - t.found
              FROM t
              JOIN product_product pp ON pp.id = t.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE t.found > t.expected AND pt.tracking = 'none'
               AND NOT EXISTS (
                   SELECT 1 FROM stock_quant q
                    WHERE q.product_id = t.product_id
                      AND q.location_id = t.location_id AND q.quantity <> 0
                      AND (q.lot_id IS NOT NULL OR q.package_id IS NOT NULL
                           OR q.owner_id IS NOT NULL))
             ORDER BY t.id
            """,
                targets=targets,
            )
        )
        postable = self.env.cr.fetchall()
        self.env.cr.execute(
            SQL(
                """
            WITH t AS (%(targets)s)
            UPDATE inventory_balance_run_line l
               SET action = 'reported', correction = 'none', message = %(message)s
              FROM t WHERE l.id = t.id AND NOT (l.id = ANY(%(postable)s))
            """,
                targets=targets,
                message=self.env._(
                    "Stock in transit beyond the open moves out of it, held in lots, "
                    "packages or for an owner: not written off automatically; "
                    "write it off by hand with an adjustment per lot or package"
                ),
                postable=[row[0] for row in postable],
            )
        )
        self._post_balance_adjustment(
            postable,
            self.env._("%s (goods in transit)", self.name),
            self.env._(
                "stock in transit beyond the open moves out of transit written off"
            ),
        )

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

    def _correct_set_reserved_to_move_lines(self, targets):
        """Reservations follow the move lines: the key's first quant holds the
        reserved quantity of its lines, the others none; a key reserved with
        no quant gets an empty one holding the reservation."""
        join = self._key_join("q", "t")
        self.env.cr.execute(
            SQL(
                """
            WITH t AS (%(targets)s),
            keyed AS (
                SELECT q.id, t.expected,
                       ROW_NUMBER() OVER (PARTITION BY t.id ORDER BY q.id) AS rank
                  FROM t JOIN stock_quant q ON %(join)s
            )
            UPDATE stock_quant q
               SET reserved_quantity = CASE WHEN k.rank = 1 THEN k.expected ELSE 0 END,
                   write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
              FROM keyed k WHERE q.id = k.id
            """,
                targets=targets,
                join=join,
                uid=self.env.uid,
            )
        )
        self._insert_missing_quants(targets, join, "reserved_quantity")

    def _insert_missing_quants(self, targets, join, column):
        """Create the quants the ``targets`` (rows with the key and
        ``expected``) need and that do not exist, with ``expected`` as their
        ``column`` (quantity or reserved_quantity) and 0 as the other."""
        expected = SQL("t.expected")
        zero = SQL("0")
        self.env.cr.execute(
            SQL(
                """
            WITH t AS (%(targets)s)
            INSERT INTO stock_quant
                (product_id, location_id, lot_id, package_id, owner_id, company_id,
                 quantity, reserved_quantity, in_date, create_uid, write_uid,
                 create_date, write_date)
            SELECT t.product_id, t.location_id, t.lot_id, t.package_id, t.owner_id,
                   l.company_id, %(quantity)s, %(reserved)s, now() AT TIME ZONE 'UTC',
                   %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM t JOIN stock_location l ON l.id = t.location_id
             WHERE t.expected <> 0
               AND NOT EXISTS (SELECT 1 FROM stock_quant q WHERE %(join)s)
            """,
                targets=targets,
                join=join,
                uid=self.env.uid,
                quantity=expected if column == "quantity" else zero,
                reserved=expected if column == "reserved_quantity" else zero,
            )
        )

    def _correct_purge_quant(self, targets):
        """Delete the zero quants found (still zero: the batch is locked)."""
        if not self.purge_zero_quants:
            return
        self.env.cr.execute(
            SQL(
                """
            WITH t AS (%(targets)s)
            DELETE FROM stock_quant q USING t
             WHERE %(join)s AND q.quantity = 0 AND q.reserved_quantity = 0
               AND NOT COALESCE(q.inventory_quantity_set, FALSE)
            """,
                targets=targets,
                join=self._key_join("q", "t"),
            )
        )

    def _correct_none(self, targets):
        """Reported-only rules are never proposed; nothing to do."""

    # ------------------------------------------------------------------ RPC
    @api.model
    def start_report(self, values=None):
        """Create a report-only run and run its checks.

        :param values: optional dict of fields: ``company_id``, ``date``,
            ``warehouse_ids``, ``location_ids``, ``categ_ids``, ``product_ids``
            (lists of ids), ``truth_policy``, ``balance_transit``,
            ``purge_zero_quants``, ``check_valuation``, ``check_ageing``,
            ``recalculate_costs``, ``ledger_method``, ``mode``
        :return: id of the run (queued, not yet checked, when too big for
            one request: see ``action_run``)
        """
        return self._start_report(values)

    @api.model
    def _start_report(self, values=None, inline=False):
        """``start_report``; with ``inline`` (background jobs), never queued."""
        values = dict(values or {})
        unknown = set(values) - {
            "company_id",
            "date",
            "warehouse_ids",
            "location_ids",
            "categ_ids",
            "product_ids",
            "truth_policy",
            "balance_transit",
            "purge_zero_quants",
            "check_valuation",
            "check_ageing",
            "recalculate_costs",
            "ledger_method",
            "mode",
        }
        if unknown:
            raise UserError(
                self.env._("Unknown fields: %s", ", ".join(sorted(unknown)))
            )
        for name in ("warehouse_ids", "location_ids", "categ_ids", "product_ids"):
            if name in values:
                values[name] = [fields.Command.set(values[name] or [])]
        run = self.create(values)
        if inline:
            run.check_access("write")
            run._check_runnable()
            run._run_now()
        else:
            run.action_run()
        return run.id

    def get_counts(self):
        """Findings per rule of one run.

        :return: dict ``{rule code: count}`` (every rule, zeros included)
        """
        self.ensure_one()
        # Every finding counts, the valuation ones too (a user without
        # accounting rights sees how many, not what).
        self.check_access("read")
        groups = (
            self.env["inventory.balance.run.line"]
            .sudo()
            ._read_group([("run_id", "=", self.id)], ["rule_code"], ["__count"])
        )
        counts = {rule.code: 0 for rule in RULES}
        counts.update(dict(groups))
        return counts

    def valuation_summary(self):
        """The warehouse valuation summary of one run.

        :return: list of dicts ``{"warehouse_id", "categ_id", "quantity",
            "value"}`` (ids, ``False`` outside any warehouse); an
            ``AccessError`` without an accounting right
        """
        self.ensure_one()
        return [
            {
                "warehouse_id": row.warehouse_id.id,
                "categ_id": row.categ_id.id,
                "quantity": row.quantity,
                "value": row.value,
            }
            for row in self.valuation_ids
        ]

    def apply_corrections(self):
        """Correct the proposed findings (see ``action_apply_corrections``).

        :return: dict ``{rule code: count}`` of the findings after correcting
        """
        self.action_apply_corrections()
        return self.get_counts()

    # --------------------------------------------------------------- export
    def _sees_accounting(self):
        """Whether the user sees stock-account figures (an accounting
        right): the valuation findings and summary, the values."""
        return self.env.su or self.env.user.has_groups(ACCOUNTING_GROUPS)

    def _export_rows(self):
        self.ensure_one()
        accounting = self._sees_accounting()
        self.env.cr.execute(
            SQL(
                """
            SELECT l.rule_code, l.severity, pp.default_code,
                   COALESCE(pt.name ->> %(lang)s, pt.name ->> 'en_US'),
                   COALESCE(loc.complete_name, acc.code_store ->> %(company)s),
                   lot.name, pk.name, l.expected, l.found,
                   l.difference, %(value_impact)s, l.action, l.message
              FROM inventory_balance_run_line l
              LEFT JOIN product_product pp ON pp.id = l.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN stock_location loc ON loc.id = l.location_id
              LEFT JOIN stock_lot lot ON lot.id = l.lot_id
              LEFT JOIN stock_package pk ON pk.id = l.package_id
              LEFT JOIN account_account acc ON acc.id = l.account_id
             WHERE l.run_id = %(run)s %(accounting)s
             ORDER BY l.rule_code, pp.default_code, loc.complete_name, l.id
            """,
                value_impact=SQL("l.value_impact") if accounting else SQL("NULL"),
                accounting=SQL()
                if accounting
                else SQL(
                    "AND l.rule_code <> ALL(%s)",
                    [*VALUATION_RULES, *COMPANY_CORRECTIONS],
                ),
                lang=self.env.lang or "en_US",
                company=str(self.company_id.id),
                run=self.id,
            )
        )
        return self.env.cr.fetchall()

    def export_xlsx(self):
        """The run's findings as an XLSX workbook (one row per finding, an
        *Info* sheet with the run and the counts per rule).

        :return: dict ``{"filename", "content"}`` (content base64)
        """
        self.ensure_one()
        self.check_access("read")
        header = [
            self.env._("Rule"),
            self.env._("Severity"),
            self.env._("Reference"),
            self.env._("Product"),
            self.env._("Location or account"),
            self.env._("Lot/Serial"),
            self.env._("Package"),
            self.env._("Expected"),
            self.env._("Found"),
            self.env._("Difference"),
            self.env._("Value impact"),
            self.env._("Action"),
            self.env._("Message"),
        ]
        info = [
            (self.env._("Run"), self.name),
            (self.env._("Company"), self.company_id.name),
            (self.env._("Period end"), self.date),
            (self.env._("Mode"), dict(self._fields["mode"].selection)[self.mode]),
            (self.env._("State"), dict(self._fields["state"].selection)[self.state]),
        ] + [(get_rule(code).name, count) for code, count in self.get_counts().items()]
        valuation_header = [
            self.env._("Warehouse"),
            self.env._("Category"),
            self.env._("Quantity"),
            self.env._("Value"),
        ]
        # Stock-account figures: for the users with an accounting right.
        valuation_rows = [
            (
                row.warehouse_id.name or "",
                row.categ_id.complete_name or "",
                row.quantity,
                row.value,
            )
            for row in (self.valuation_ids if self._sees_accounting() else ())
        ]
        handle, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(handle)
        try:
            write_workbook(
                path,
                [
                    (self.env._("Findings"), header, self._export_rows()),
                    (self.env._("Valuation"), valuation_header, valuation_rows),
                ],
                info=info,
            )
            with open(path, "rb") as workbook:
                content = base64.b64encode(workbook.read()).decode()
        finally:
            os.unlink(path)
        return {"filename": f"{self.name.replace('/', '-')}.xlsx", "content": content}

    def action_export_xlsx(self):
        self.ensure_one()
        export = self.export_xlsx()
        attachment = self.env["ir.attachment"].create(
            {
                "name": export["filename"],
                "datas": export["content"],
                "mimetype": "application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
