# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.fields import Domain


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def _get_gather_domain(
        self,
        product_id,
        location_id,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=False,
    ):
        """Never gather (reserve, count as available) stock from a child location
        whose condition is not available; the location asked for itself still
        counts, so damaged stock can be moved out of a Damaged location."""
        domain = super()._get_gather_domain(
            product_id, location_id, lot_id, package_id, owner_id, strict
        )
        if strict:
            return domain
        return domain & (
            Domain("location_id.inventory_unavailable", "=", False)
            | Domain("location_id", "=", location_id.id)
        )
