# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.flow_rules import FLOW_KINDS
from .inventory_ledger_report_mixin import LEDGER_DEPENDS

# The longest period the report reads (parameter
# inventory_balance.transaction_report_max_days): its running balances are
# computed over every line of the period, whatever page is shown.
MAX_DAYS = 366


class InventoryTransactionReport(models.Model):
    """Every change to a balance in a period (``inventory_date_from`` /
    ``inventory_date_to`` in the context; default: this month), one row per
    location a done move line touches, with the running balance."""

    _name = "inventory.transaction.report"
    _description = "Inventory Transactions Report"
    _inherit = ["inventory.ledger.report.mixin"]
    _auto = False
    _order = "date desc, id desc"

    _depends = LEDGER_DEPENDS

    date = fields.Datetime(readonly=True)
    move_line_id = fields.Many2one("stock.move.line", readonly=True)
    move_id = fields.Many2one("stock.move", readonly=True)
    picking_id = fields.Many2one("stock.picking", string="Transfer", readonly=True)
    reference = fields.Char(string="Document", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial", readonly=True)
    location_id = fields.Many2one(
        "stock.location", readonly=True, help="The location whose balance changed."
    )
    warehouse_id = fields.Many2one("stock.warehouse", string="Facility", readonly=True)
    location_from_id = fields.Many2one("stock.location", string="From", readonly=True)
    location_to_id = fields.Many2one("stock.location", string="To", readonly=True)
    quantity = fields.Float(digits="Product Unit", readonly=True)
    running_balance = fields.Float(digits="Product Unit", readonly=True)
    uom_id = fields.Many2one("uom.uom", string="Unit", readonly=True)
    kind = fields.Selection(
        [(kind, kind.replace("_", " ").title()) for kind in FLOW_KINDS], readonly=True
    )
    user_id = fields.Many2one("res.users", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    @api.model
    def _report_period(self):
        ledger = self.env["inventory.ledger"]
        context = self.env.context
        date_to = ledger._parse_moment(context.get("inventory_date_to"), "date_to")
        if context.get("inventory_date_from"):
            date_from = ledger._parse_moment(
                context["inventory_date_from"], "date_from"
            )
        else:
            date_from = fields.Datetime.to_datetime(
                fields.Date.context_today(self).replace(day=1)
            )
        self._check_span(date_from, date_to)
        return date_from, date_to

    @api.model
    def _check_span(self, date_from, date_to):
        """Refuse a period that ends before it starts or is longer than the
        report reads at once."""
        if date_from > date_to:
            raise UserError(self.env._("The period ends before it starts."))
        max_days = self.env["inventory.ledger"]._limit_param(
            "inventory_balance.transaction_report_max_days", MAX_DAYS
        )
        if (date_to - date_from).days > max_days:
            raise UserError(
                self.env._(
                    "The transactions report reads at most %(days)s days at a "
                    "time: choose a shorter period.",
                    days=max_days,
                )
            )

    @property
    def _table_query(self):
        ledger = self.env["inventory.ledger"]
        date_from, date_to = self._report_period()
        company_ids = self.env.companies.ids
        opening, _method = ledger._balance_sql(
            date_from, ("product", "location", "lot"), company_ids
        )
        return SQL(
            """
            WITH scope AS MATERIALIZED (%(scope)s),
            lines AS (
                SELECT ml.id, ml.move_id, ml.picking_id, ml.date, ml.product_id,
                       ml.lot_id, ml.location_id AS src_id,
                       ml.location_dest_id AS dst_id,
                       ml.quantity_product_uom AS qty, ml.create_uid AS user_id,
                       mv.reference, %(kind)s AS kind
                  FROM stock_move_line ml
                  JOIN stock_move mv ON mv.id = ml.move_id
                  JOIN stock_location src ON src.id = ml.location_id
                  JOIN stock_location dst ON dst.id = ml.location_dest_id
                 WHERE ml.state = 'done' AND ml.date > %(date_from)s
                   AND ml.date <= %(date_to)s
                   AND (ml.location_id IN (SELECT id FROM scope)
                        OR ml.location_dest_id IN (SELECT id FROM scope))
            ), sides AS (
                SELECT id * 2 AS id, id AS move_line_id, move_id, picking_id, date,
                       product_id, lot_id, dst_id AS location_id, src_id, dst_id,
                       qty AS quantity, user_id, reference, kind
                  FROM lines WHERE dst_id IN (SELECT id FROM scope)
                UNION ALL
                SELECT id * 2 + 1, id, move_id, picking_id, date, product_id, lot_id,
                       src_id, src_id, dst_id, -qty, user_id, reference, kind
                  FROM lines WHERE src_id IN (SELECT id FROM scope)
            )
            SELECT s.id, s.move_line_id, s.move_id, s.picking_id, s.date,
                   s.reference, s.product_id, pt.categ_id, s.lot_id, s.location_id,
                   loc.warehouse_id, s.src_id AS location_from_id,
                   s.dst_id AS location_to_id, s.quantity, pt.uom_id, s.kind,
                   s.user_id, loc.company_id,
                   COALESCE(o.quantity, 0) + SUM(s.quantity) OVER (
                       PARTITION BY s.product_id, s.location_id, s.lot_id
                       ORDER BY s.date, s.id
                   ) AS running_balance
              FROM sides s
              JOIN stock_location loc ON loc.id = s.location_id
              JOIN product_product pp ON pp.id = s.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN (%(opening)s) o
                     ON o.product_id = s.product_id AND o.location_id = s.location_id
                    AND o.lot_id IS NOT DISTINCT FROM s.lot_id
            """,
            scope=ledger._scope_locations_sql(company_ids),
            kind=ledger._flow_kind_sql(),
            date_from=date_from,
            date_to=date_to,
            opening=opening,
        )
