# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class StockLocation(models.Model):
    _inherit = "stock.location"

    condition_id = fields.Many2one(
        "inventory.condition",
        compute="_compute_condition_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        ondelete="restrict",
        help="Condition of the stock kept here. Stock in a condition that is not "
        "available counts on hand but is never reserved, delivered or sold.",
    )
    inventory_unavailable = fields.Boolean(
        string="Stock Not Available",
        compute="_compute_inventory_unavailable",
        store=True,
        help="Internal location whose condition is not available (e.g. Damaged).",
    )

    @api.depends("usage")
    def _compute_condition_id(self):
        good = self.env.ref(
            "inventory_balance.inventory_condition_good", raise_if_not_found=False
        )
        for location in self:
            if location.usage != "internal":
                location.condition_id = False
            elif not location.condition_id:
                location.condition_id = good

    @api.depends("usage", "condition_id.is_available")
    def _compute_inventory_unavailable(self):
        for location in self:
            location.inventory_unavailable = bool(
                location.usage == "internal"
                and location.condition_id
                and not location.condition_id.is_available
            )
