# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class InventoryAdjustmentReason(models.Model):
    """Why stock is adjusted, and which way it may go."""

    _name = "inventory.adjustment.reason"
    _description = "Inventory Adjustment Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    sign = fields.Selection(
        [
            ("both", "Increase or decrease"),
            ("increase", "Only increase"),
            ("decrease", "Only decrease"),
        ],
        required=True,
        default="both",
        help="Theft and breakage only reduce stock; a top-up only adds to it.",
    )
    active = fields.Boolean(default=True)

    _code_unique = models.Constraint(
        "UNIQUE(code)", "The code of an adjustment reason must be unique."
    )

    def _allows(self, change):
        """Whether a change of ``change`` units respects the sign rule."""
        self.ensure_one()
        if self.sign == "increase":
            return change > 0
        if self.sign == "decrease":
            return change < 0
        return True
