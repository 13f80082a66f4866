# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.sheet_columns import COLUMNS


class InventoryBalanceSheetOverride(models.Model):
    """A number a user typed over a computed cell.  Kept apart from the
    computed values, so that a Refresh keeps it."""

    _name = "inventory.balance.sheet.override"
    _description = "Inventory Balance Sheet Override"
    _order = "sheet_id, product_id, period, id"

    sheet_id = fields.Many2one(
        "inventory.balance.sheet", required=True, index=True, ondelete="cascade"
    )
    product_id = fields.Many2one(
        "product.product", required=True, index=True, ondelete="cascade"
    )
    period = fields.Integer(
        required=True, help="Index of the period in the sheet, from 0."
    )
    code = fields.Selection(
        [(code, spec[0]) for code, spec in COLUMNS.items()],
        string="Column",
        required=True,
    )
    value = fields.Float(required=True, digits="Product Unit of Measure")
    user_id = fields.Many2one(
        "res.users",
        string="Overridden by",
        required=True,
        default=lambda self: self.env.user,
        readonly=True,
    )
    date = fields.Datetime(
        string="Overridden on",
        required=True,
        default=fields.Datetime.now,
        readonly=True,
    )

    _cell_unique = models.Constraint(
        "UNIQUE(sheet_id, product_id, period, code)",
        "A cell has one override.",
    )

    @api.constrains("period", "sheet_id")
    def _check_period(self):
        for override in self:
            if not 0 <= override.period < len(override.sheet_id._periods()):
                raise ValidationError(
                    self.env._(
                        "The sheet %(sheet)s has no period %(period)s.",
                        sheet=override.sheet_id.name,
                        period=override.period,
                    )
                )

    def write(self, vals):
        if "value" in vals:
            vals = dict(vals, user_id=self.env.uid, date=fields.Datetime.now())
        return super().write(vals)
