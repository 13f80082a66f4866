# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    stock_lock_date = fields.Date(
        readonly=True,
        help="No stock move can be done, re-dated or changed on or before this "
        "date, except by the group 'Post in closed inventory periods'. Set by "
        "closing an inventory period.",
    )
    inventory_period_length = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")],
        string="Inventory period",
        required=True,
        default="month",
    )
    inventory_period_keep = fields.Integer(
        string="Opening balances kept",
        default=12,
        help="How many closed periods keep their closing checkpoint; older "
        "checkpoints are pruned at each close. 0 keeps them all.",
    )
