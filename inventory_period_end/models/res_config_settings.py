# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    stock_lock_date = fields.Date(related="company_id.stock_lock_date")
    inventory_period_length = fields.Selection(
        related="company_id.inventory_period_length", readonly=False
    )
    inventory_period_keep = fields.Integer(
        related="company_id.inventory_period_keep", readonly=False
    )
