# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class InventoryStockBalanceReport(models.Model):
    _inherit = "inventory.stock.balance.report"

    expiration_date = fields.Datetime(related="lot_id.expiration_date")
