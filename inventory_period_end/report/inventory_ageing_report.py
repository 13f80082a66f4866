# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.inventory_balance.report.inventory_ledger_report_mixin import (
    LEDGER_DEPENDS,
)


class InventoryAgeingReport(models.Model):
    """Aged inventory "as of" a moment (``inventory_at`` in the context,
    default now): the on-hand quantity and value of every product, warehouse
    and lot per layer of incoming stock, with its age bucket and year."""

    _name = "inventory.ageing.report"
    _description = "Aged Inventory Report"
    _inherit = ["inventory.ledger.report.mixin"]
    _auto = False
    _order = "product_id, warehouse_id, lot_id, incoming_date desc"
    _ledger_balances = True

    _depends = {
        **LEDGER_DEPENDS,
        "product.product": ["standard_price"],
        "inventory.ageing.bucket": ["days_from", "days_to", "active"],
    }

    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", readonly=True)
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    uom_id = fields.Many2one("uom.uom", string="Unit", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Facility", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    bucket_id = fields.Many2one("inventory.ageing.bucket", string="Age", readonly=True)
    incoming_date = fields.Datetime(
        string="Came in",
        readonly=True,
        help="Date of the incoming move of this layer; empty: older than the "
        "ledger or not explained by an incoming move.",
    )
    incoming_year = fields.Integer(string="Year in", readonly=True, aggregator=None)
    age_days = fields.Integer(string="Age (days)", readonly=True, aggregator="max")
    days_without_outgoing = fields.Integer(
        string="Days without outgoing",
        readonly=True,
        aggregator="min",
        help="Days since the last move of the product out of the warehouse, up "
        "to the moment; empty when it never left.",
    )
    quantity = fields.Float(
        digits="Product Unit",
        readonly=True,
        help="What is left on hand of the incoming line (FIFO: the oldest "
        "stock left first).",
    )
    move_line_id = fields.Many2one(
        "stock.move.line",
        string="Incoming line",
        readonly=True,
        help="The incoming move line of this layer; empty for stock older than "
        "the ledger or not explained by an incoming line.",
    )
    incoming_quantity = fields.Float(
        digits="Product Unit",
        readonly=True,
        help="The quantity the incoming line brought in (in the product's unit).",
    )
    value = fields.Monetary(
        readonly=True, help="Quantity at the product's current cost (stock_account)."
    )

    def _ledger_from_checkpoint(self):
        return self.env["inventory.ledger"]._from_checkpoint(
            self._report_moment(), self.env.companies.ids
        )

    @api.model
    def _report_moment(self):
        return self.env["inventory.ledger"]._parse_moment(
            self.env.context.get("inventory_at")
        )

    @property
    def _table_query(self):
        Ageing = self.env["inventory.ageing"]
        at = self._report_moment()
        company_ids = self.env.companies.ids
        buckets = self.env["inventory.ageing.bucket"].search([])
        bucket_index = Ageing._bucket_case_sql(
            at, buckets._buckets(), SQL("l.incoming_date")
        )
        return SQL(
            """
            SELECT row_number() OVER (
                       ORDER BY l.product_id, l.warehouse_id, l.lot_id, l.line_id
                   ) AS id,
                   l.product_id, pp.product_tmpl_id, pt.categ_id, pt.uom_id,
                   l.warehouse_id, l.lot_id, l.company_id,
                   (%(bucket_ids)s::int[])[%(bucket_index)s + 1] AS bucket_id,
                   l.incoming_date,
                   EXTRACT(YEAR FROM l.incoming_date)::int AS incoming_year,
                   (%(at)s::date - l.incoming_date::date) AS age_days,
                   (%(at)s::date - o.last_out::date) AS days_without_outgoing,
                   l.quantity, l.quantity * %(cost)s AS value,
                   l.line_id AS move_line_id,
                   ml.quantity_product_uom AS incoming_quantity
              FROM (%(layers)s) l
              LEFT JOIN stock_move_line ml ON ml.id = l.line_id
              LEFT JOIN product_product pp ON pp.id = l.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN (%(outgoing)s) o ON o.product_id = l.product_id
               AND o.warehouse_id IS NOT DISTINCT FROM l.warehouse_id
            """,
            bucket_ids=buckets.ids or [0],
            bucket_index=bucket_index,
            at=at,
            cost=self.env["inventory.ledger"]._product_cost_sql(SQL("l.company_id")),
            layers=Ageing._layers_sql(at, company_ids, with_lines=True),
            outgoing=Ageing._last_outgoing_sql(at, company_ids),
        )

    def action_explain_bucket(self):
        """The incoming lines the FIFO rule kept in this row's age bucket for
        its product, warehouse and lot, with their dates and what is left of
        each (their sum is the bucket's quantity)."""
        self.ensure_one()
        at = self._report_moment()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "%(bucket)s of %(product)s%(where)s%(lot)s as of %(at)s: the "
                "incoming lines left",
                bucket=self.bucket_id.name,
                product=self.product_id.display_name,
                where=f" @ {self.warehouse_id.name}" if self.warehouse_id else "",
                lot=f", {self.lot_id.name}" if self.lot_id else "",
                at=fields.Datetime.to_string(at),
            ),
            "res_model": self._name,
            "view_mode": "list",
            "views": [
                (
                    self.env.ref(
                        "inventory_period_end.inventory_ageing_report_view_list_explain"
                    ).id,
                    "list",
                )
            ],
            "domain": [
                ("product_id", "=", self.product_id.id),
                ("warehouse_id", "=", self.warehouse_id.id),
                ("lot_id", "=", self.lot_id.id),
                ("bucket_id", "=", self.bucket_id.id),
            ],
            "context": {
                "inventory_at": fields.Datetime.to_string(at),
                "create": False,
            },
        }
