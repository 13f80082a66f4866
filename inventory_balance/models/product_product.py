# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.fields import Domain


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _compute_quantities_dict(
        self, lot_id, owner_id, package_id, from_date=False, to_date=False
    ):
        """Free quantity leaves out the stock of locations whose condition is not
        available (it stays in the on-hand quantity)."""
        res = super()._compute_quantities_dict(
            lot_id, owner_id, package_id, from_date=from_date, to_date=to_date
        )
        if to_date or not self.ids:
            return res
        domain_quant_loc = self._get_domain_locations()[0]
        domain = (
            Domain("product_id", "in", self.ids)
            & Domain(domain_quant_loc)
            & Domain("location_id.inventory_unavailable", "=", True)
        )
        if lot_id:
            domain &= Domain("lot_id", "=", lot_id)
        if owner_id:
            domain &= Domain("owner_id", "=", owner_id)
        if package_id:
            domain &= Domain("package_id", "=", package_id)
        groups = self.env["stock.quant"]._read_group(
            domain, ["product_id"], ["quantity:sum", "reserved_quantity:sum"]
        )
        for product, quantity, reserved in groups:
            if product.id in res:
                values = res[product.id]
                values["free_qty"] = product.uom_id.round(
                    values["free_qty"] - (quantity - reserved)
                )
        return res
