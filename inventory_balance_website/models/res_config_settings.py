# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    website_inventory_stock_display = fields.Selection(
        related="website_id.inventory_stock_display", readonly=False
    )
    website_inventory_low_stock_threshold = fields.Integer(
        related="website_id.inventory_low_stock_threshold", readonly=False
    )
    website_inventory_cart_max_qty = fields.Integer(
        related="website_id.inventory_cart_max_qty", readonly=False
    )
