# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    inventory_adjustment_allow_negative = fields.Boolean(
        related="company_id.inventory_adjustment_allow_negative", readonly=False
    )
