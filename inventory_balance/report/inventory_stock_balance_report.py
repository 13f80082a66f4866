# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from .inventory_ledger_report_mixin import LEDGER_DEPENDS


class InventoryStockBalanceReport(models.Model):
    """Stock balance per product, location, lot and condition "as of" a moment
    (``inventory_at`` in the context, default now), answered by the ledger
    engine."""

    _name = "inventory.stock.balance.report"
    _description = "Stock Balance Report"
    _inherit = ["inventory.ledger.report.mixin"]
    _auto = False
    _order = "product_id, location_id, lot_id"
    _ledger_balances = True
    # Up to this many rows, "Last Changed" is looked up per row.
    _LAST_DATE_LOOKUP_LIMIT = 2000

    _depends = {**LEDGER_DEPENDS, "product.product": ["standard_price"]}

    at = fields.Datetime(string="As of", compute="_compute_at")
    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", readonly=True)
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    uom_id = fields.Many2one("uom.uom", string="Unit", readonly=True)
    location_id = fields.Many2one("stock.location", readonly=True)
    location_usage = fields.Selection(
        [("internal", "Internal"), ("transit", "Transit")], readonly=True
    )
    warehouse_id = fields.Many2one("stock.warehouse", string="Facility", readonly=True)
    condition_id = fields.Many2one("inventory.condition", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    quantity = fields.Float(string="Balance", digits="Product Unit", readonly=True)
    on_hand = fields.Float(digits="Product Unit", readonly=True)
    reserved = fields.Float(
        digits="Product Unit",
        readonly=True,
        help="Reserved now; not recorded for a past moment.",
    )
    available = fields.Float(
        digits="Product Unit",
        readonly=True,
        help="On hand in an available condition, less what is reserved.",
    )
    in_transit = fields.Float(digits="Product Unit", readonly=True)
    last_date = fields.Datetime(
        string="Last Changed",
        compute="_compute_last_date",
        help="Date of the last done move touching this balance, up to the moment.",
    )
    value = fields.Monetary(
        readonly=True,
        help="Balance at the product's current cost (with stock_account).",
    )

    @api.depends_context("inventory_at")
    def _compute_at(self):
        self.at = self._report_moment()

    @api.depends_context("inventory_at")
    def _compute_last_date(self):
        """Computed for the rows read only (a page of the list), which keeps
        the report's query free of the history before the nearest checkpoint.
        A page looks its keys up by product; many rows (an export) take the
        engine's last dates of all balances instead."""
        if not self:
            return
        at = self._report_moment()
        keys = [
            (row.product_id.id, row.location_id.id, row.lot_id.id or 0) for row in self
        ]
        ledger = self.env["inventory.ledger"]
        from_checkpoint = False
        if len(keys) > self._LAST_DATE_LOOKUP_LIMIT:
            balances, method = ledger._balance_sql(
                at,
                ("product", "location", "lot"),
                self.env.companies.ids,
                product_ids=list({k[0] for k in keys}),
                with_last_date=True,
            )
            query = SQL(
                "SELECT product_id, location_id, COALESCE(lot_id, 0), last_date "
                "FROM (%s) b",
                balances,
            )
            from_checkpoint = method == "checkpoint"
        else:
            query = SQL(
                """
                SELECT k.product_id, k.location_id, k.lot_id,
                       (SELECT MAX(ml.date) FROM stock_move_line ml
                         WHERE ml.product_id = k.product_id AND ml.state = 'done'
                           AND ml.date <= %(at)s
                           AND COALESCE(ml.lot_id, 0) = k.lot_id
                           AND k.location_id IN (ml.location_id, ml.location_dest_id))
                  FROM unnest(%(products)s::int[], %(locations)s::int[],
                              %(lots)s::int[]) AS k (product_id, location_id, lot_id)
                """,
                at=at,
                products=[k[0] for k in keys],
                locations=[k[1] for k in keys],
                lots=[k[2] for k in keys],
            )
        with ledger._aggregation_settings(balances=from_checkpoint):
            self.env.cr.execute(query)
            found = {tuple(row[:3]): row[3] for row in self.env.cr.fetchall()}
        for row, key in zip(self, keys, strict=True):
            row.last_date = found.get(key, False)

    def _ledger_from_checkpoint(self):
        return self.env["inventory.ledger"]._from_checkpoint(
            self._report_moment(), self.env.companies.ids
        )

    @api.model
    def _report_moment(self):
        ledger = self.env["inventory.ledger"]
        return ledger._parse_moment(self.env.context.get("inventory_at"))

    @property
    def _table_query(self):
        ledger = self.env["inventory.ledger"]
        at = self._report_moment()
        is_now = not self.env.context.get("inventory_at")
        company_ids = self.env.companies.ids
        balances, _method = ledger._balance_sql(
            at,
            ("product", "location", "lot"),
            company_ids,
        )
        if is_now:
            reserved_join = SQL(
                """
                LEFT JOIN (
                    SELECT product_id, location_id, lot_id,
                           SUM(reserved_quantity) AS reserved
                      FROM stock_quant
                     WHERE reserved_quantity <> 0 AND company_id = ANY(%s)
                     GROUP BY product_id, location_id, lot_id
                ) r ON r.product_id = b.product_id AND r.location_id = b.location_id
                   AND r.lot_id IS NOT DISTINCT FROM b.lot_id
                """,
                company_ids,
            )
            reserved = SQL("COALESCE(r.reserved, 0)")
        else:
            # What was reserved at a past moment is not recorded.
            reserved_join, reserved = SQL(), SQL("0")
        cost = ledger._product_cost_sql(SQL("loc.company_id"))
        return SQL(
            """
            SELECT row_number() OVER (ORDER BY b.product_id, b.location_id, b.lot_id)
                       AS id,
                   b.product_id, pp.product_tmpl_id, pt.categ_id, pt.uom_id,
                   b.location_id, loc.usage AS location_usage, loc.warehouse_id,
                   loc.condition_id, b.lot_id, loc.company_id,
                   b.quantity,
                   CASE WHEN loc.usage = 'internal' THEN b.quantity ELSE 0 END
                       AS on_hand,
                   %(reserved)s AS reserved,
                   CASE WHEN loc.usage = 'internal' AND NOT loc.inventory_unavailable
                        THEN b.quantity - %(reserved)s ELSE 0 END
                       AS available,
                   CASE WHEN loc.usage = 'transit' THEN b.quantity ELSE 0 END
                       AS in_transit,
                   b.quantity * %(cost)s AS value
              FROM (%(balances)s) b
              LEFT JOIN stock_location loc ON loc.id = b.location_id
              LEFT JOIN product_product pp ON pp.id = b.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
              %(reserved_join)s
            """,
            balances=balances,
            reserved=reserved,
            reserved_join=reserved_join,
            cost=cost,
        )

    def action_explain(self):
        """The lines behind this row's balance: the opening at the nearest
        checkpoint, then every done line on its product, location (not its
        children: a row is one location) and lot up to the moment."""
        self.ensure_one()
        return self.env["inventory.ledger.explain"]._explain_action(
            False,
            self.product_id.id,
            at=fields.Datetime.to_string(self._report_moment()),
            location_id=self.location_id.id,
            with_children=False,
            lot_id=self.lot_id.id or "none",
        )
