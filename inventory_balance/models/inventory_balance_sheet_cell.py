# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class InventoryBalanceSheetCell(models.Model):
    """The computed flows of a sheet, as the Refresh stored them: per product,
    period and kind of flow (the ledger engine's kinds, plus ``beginning`` and
    ``actual``).  Written set-based by ``inventory.balance.sheet``, never by
    the ORM; the sheet's columns are derived from them when read."""

    _name = "inventory.balance.sheet.cell"
    _description = "Inventory Balance Sheet Computed Flow"
    _log_access = False

    sheet_id = fields.Many2one(
        "inventory.balance.sheet", required=True, ondelete="cascade", readonly=True
    )
    product_id = fields.Many2one(
        "product.product", required=True, ondelete="cascade", readonly=True
    )
    period = fields.Integer(required=True, readonly=True)
    kind = fields.Char(required=True, readonly=True)
    quantity = fields.Float(readonly=True)
    quantity_in = fields.Float(readonly=True)
    quantity_out = fields.Float(readonly=True)

    _sheet_product_idx = models.Index("(sheet_id, product_id, period)")
