# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _set_shop_warning_stock(self, desired_qty, new_qty, save=True):
        """The stock warning of a cart line, without quantities in hidden mode."""
        self.ensure_one()
        website = self.order_id.website_id
        if not (website and website._inventory_stock_hidden()):
            return super()._set_shop_warning_stock(desired_qty, new_qty, save=save)
        warning = self.env._(
            "The quantity of %(product_name)s in your cart is not available.",
            product_name=self.product_id.display_name,
        )
        if save:
            self.shop_warning = warning
        return warning

    def _inventory_cart_max_qty(self):
        """``data-max`` of the cart's quantity input: in hidden mode the
        website's cart limit (not a stock figure; the cart refuses what is
        not available), Odoo's figure otherwise."""
        self.ensure_one()
        website = self.order_id.website_id
        if website and website._inventory_stock_hidden():
            if not self.product_id.is_storable or (
                self.product_id.allow_out_of_stock_order
            ):
                return None
            return website._inventory_cart_cap()
        return self._get_max_line_qty()
