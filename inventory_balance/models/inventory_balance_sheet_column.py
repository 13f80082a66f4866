# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..tools.sheet_columns import COLUMNS


class InventoryBalanceSheetColumn(models.Model):
    """A column of a sheet: its place and whether it is shown.  Which columns
    a user may see at all is decided by their groups, on the server."""

    _name = "inventory.balance.sheet.column"
    _description = "Inventory Balance Sheet Column"
    _order = "sheet_id, sequence, id"

    sheet_id = fields.Many2one(
        "inventory.balance.sheet", required=True, index=True, ondelete="cascade"
    )
    code = fields.Selection(
        [(code, spec[0]) for code, spec in COLUMNS.items()], required=True
    )
    name = fields.Char(compute="_compute_name")
    sequence = fields.Integer(default=10)
    visible = fields.Boolean(default=True)
    manager_only = fields.Boolean(compute="_compute_name")

    _sheet_code_unique = models.Constraint(
        "UNIQUE(sheet_id, code)", "A column appears once in a sheet."
    )

    @api.depends("code")
    def _compute_name(self):
        for column in self:
            spec = COLUMNS.get(column.code) or ("", False, False)
            column.name = spec[0]
            column.manager_only = spec[1]
