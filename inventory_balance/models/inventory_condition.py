# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class InventoryCondition(models.Model):
    """Condition of the stock kept in a location (Good, Damaged, Quarantine, ...).

    Stock in a location whose condition is not *available* counts as on hand
    but is never available for reservation or sale.
    """

    _name = "inventory.condition"
    _description = "Stock Condition"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Short technical code, unique, used in exports and over RPC.",
    )
    sequence = fields.Integer(default=10)
    is_available = fields.Boolean(
        string="Available",
        default=False,
        help="Stock in this condition can be reserved, delivered and sold.",
    )
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)

    _code_unique = models.Constraint(
        "UNIQUE(code)",
        "The code of a stock condition must be unique.",
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_good(self):
        good = self.env.ref(
            "inventory_balance.inventory_condition_good", raise_if_not_found=False
        )
        if good and good in self:
            raise UserError(
                self.env._(
                    "The condition %(name)s is the default condition of every "
                    "location and cannot be deleted; archive other conditions "
                    "instead.",
                    name=good.name,
                )
            )
