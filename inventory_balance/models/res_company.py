# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    inventory_adjustment_allow_negative = fields.Boolean(
        string="Adjustments may go below available",
        help="Let inventory adjustments reduce stock below the available quantity.",
    )
