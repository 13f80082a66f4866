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

    def activate_stock_keeping(self):
        """Activate stock keeping (*Track Inventory*) for these variants.

        *Track Inventory* is a field of the product template: activating a
        variant activates every variant of its template. Same rules and answer
        as ``product.template.activate_stock_keeping``, with variant ids.

        :return: ``{"activated": [ids], "already_active": [ids], "refused":
            [{"id": int, "name": str, "reason": str}, ...]}``
        """
        existing = self.exists()
        Template = self.env["product.template"]
        activated, already, refused = existing.product_tmpl_id._activate_stock_keeping()
        return Template._stock_keeping_result(
            existing.filtered(lambda p: p.product_tmpl_id in activated),
            existing.filtered(lambda p: p.product_tmpl_id in already),
            {
                product: refused[product.product_tmpl_id]
                for product in existing
                if product.product_tmpl_id in refused
            },
            missing=set(self.ids) - set(existing.ids),
        )

    def action_activate_stock_keeping(self):
        """Server action of the variant list: activate stock keeping for the
        selected variants and tell what was refused."""
        return self.env["product.template"]._stock_keeping_notification(
            self.activate_stock_keeping()
        )
