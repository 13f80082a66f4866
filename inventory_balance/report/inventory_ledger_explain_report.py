# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

from ..tools.flow_rules import FLOW_KINDS
from .inventory_ledger_report_mixin import LEDGER_DEPENDS


class InventoryLedgerExplainReport(models.Model):
    """The lines behind one figure (``inventory_explain`` in the context: the
    arguments of ``inventory.ledger.explain.explain``): the transactions of
    its key, the opening balance as the first row, each line signed for the
    key, with the running balance; the last running balance is the figure.
    Read-only rows of one statement (``inventory.ledger.explain._explain_sql``),
    paged by the list."""

    _name = "inventory.ledger.explain.report"
    _description = "Lines behind a figure"
    _inherit = ["inventory.ledger.report.mixin"]
    _auto = False
    _order = "sequence, date, id"

    _depends = LEDGER_DEPENDS

    sequence = fields.Integer(readonly=True)
    is_opening = fields.Boolean(compute="_compute_is_opening")
    date = fields.Datetime(readonly=True)
    move_line_id = fields.Many2one("stock.move.line", readonly=True)
    move_id = fields.Many2one("stock.move", readonly=True)
    picking_id = fields.Many2one("stock.picking", string="Transfer", readonly=True)
    reference = fields.Char(string="Document", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial", readonly=True)
    package_id = fields.Many2one("stock.package", readonly=True)
    owner_id = fields.Many2one("res.partner", readonly=True)
    location_id = fields.Many2one(
        "stock.location", readonly=True, help="The location whose balance changed."
    )
    warehouse_id = fields.Many2one("stock.warehouse", string="Facility", readonly=True)
    location_from_id = fields.Many2one("stock.location", string="From", readonly=True)
    location_to_id = fields.Many2one("stock.location", string="To", readonly=True)
    kind = fields.Selection(
        [("opening", "Opening balance")]
        + [(kind, kind.replace("_", " ").title()) for kind in FLOW_KINDS],
        readonly=True,
    )
    quantity = fields.Float(digits="Product Unit", readonly=True)
    running_balance = fields.Float(digits="Product Unit", readonly=True)
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    user_id = fields.Many2one("res.users", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    def _compute_is_opening(self):
        for row in self:
            row.is_opening = row.sequence == 0

    @property
    def _table_query(self):
        explain = self.env["inventory.ledger.explain"]
        if not self.env.context.get("inventory_explain"):
            # Outside an explain action (e.g. while its views load): no rows.
            return explain._explain_empty_sql()
        params = explain._explain_params_from_context()
        return SQL("SELECT * FROM (%s) e", explain._explain_sql(params))
