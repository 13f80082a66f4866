# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.http import request

from odoo.addons.website.models import ir_http

# Keys of website_sale_stock's combination info that carry stock figures (or
# figures derived from them): never sent to the browser in hidden mode.
STOCK_FIGURE_KEYS = (
    "free_qty",
    "cart_qty",
    "available_threshold",
    "max_combo_quantity",
)


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def _get_additionnal_combination_info(
        self, product_or_template, quantity, uom, date, website
    ):
        """Every stock-kept product follows the website's stock display, not
        its own *Show availability* and threshold. In hidden mode the stock
        figures are replaced by a state and its label."""
        res = super()._get_additionnal_combination_info(
            product_or_template, quantity, uom, date, website
        )
        if not self.env.context.get("website_sale_stock_get_quantity") or not website:
            return res
        if not website._inventory_stock_hidden():
            if res.get("is_storable"):
                res["show_availability"] = True
                res["available_threshold"] = website.inventory_low_stock_threshold
                res["inventory_stock_display"] = "exact"
            return res
        for key in STOCK_FIGURE_KEYS:
            res.pop(key, None)
        if not res.get("is_storable"):
            return res
        res["show_availability"] = False
        res["inventory_stock_display"] = "label"
        # The cart's limit (a setting, not a stock figure): the most the
        # quantity input offers.
        if not product_or_template.allow_out_of_stock_order:
            res["inventory_cart_max_qty"] = website._inventory_cart_cap()
        if product_or_template.is_product_variant:
            product = product_or_template
            cart_qty = 0.0
            if not product.allow_out_of_stock_order and request:
                cart_qty = request.cart._get_cart_qty(product.id)
            state = website._inventory_stock_state(product, cart_qty=cart_qty)
            res["inventory_stock_state"] = state
            res["inventory_stock_label"] = website._inventory_stock_label(state)
        return res

    @api.model
    def _get_additional_configurator_data(
        self, product_or_template, date, currency, pricelist, *, uom=None, **kwargs
    ):
        """No free quantity in the product configurators in hidden mode: the
        cart refuses what is not available."""
        data = super()._get_additional_configurator_data(
            product_or_template, date, currency, pricelist, uom=uom, **kwargs
        )
        website = ir_http.get_request_website()
        if website and website._inventory_stock_hidden():
            data.pop("free_qty", None)
        return data
