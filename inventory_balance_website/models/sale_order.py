# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools import float_round


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _verify_updated_quantity(
        self, order_line, product_id, new_qty, uom_id, **kwargs
    ):
        """In hidden mode the cart still refuses to sell more than is
        available, but never says nor gives away how much is: a request that
        does not fit leaves the line as it was (nothing is added) instead of
        being cut down to the available quantity, and the message holds no
        number. Only when the stock fell below what the cart already holds is
        the line cut down (or removed), as Odoo does, so nothing is oversold.

        A cart holds at most the website's cart limit of a product
        (``website._inventory_cart_cap``): asking for more is refused first,
        with the same message whatever the stock, so that asking the cart
        quantity after quantity (a binary search) teaches nothing beyond "at
        least the limit"."""
        self.ensure_one()
        product = self.env["product.product"].browse(product_id)
        if not (
            self.website_id
            and self.website_id._inventory_stock_hidden()
            and product.is_storable
            and not product.allow_out_of_stock_order
        ):
            return super()._verify_updated_quantity(
                order_line, product_id, new_qty, uom_id, **kwargs
            )
        uom = self.env["uom.uom"].browse(uom_id)
        product_uom = product.uom_id
        cart_qty, available_qty = self._get_cart_and_free_qty(product)
        cart_qty = product_uom._compute_quantity(cart_qty, uom)
        available_qty = float_round(
            product_uom._compute_quantity(available_qty, uom, round=False),
            precision_digits=0,
            rounding_method="DOWN",
        )
        old_qty = order_line.product_uom_qty if order_line else 0
        cap = product_uom._compute_quantity(
            self.website_id._inventory_cart_cap(), uom, round=False
        )
        if new_qty > old_qty and cart_qty - old_qty + new_qty > cap:
            # Above the limit: refused before the stock is even looked at.
            return old_qty, self.env._(
                "A cart holds at most %(limit)s %(uom)s of %(product)s on this "
                "shop: your cart was not changed.",
                limit=self.website_id._inventory_cart_cap(),
                uom=product_uom.name,
                product=product.display_name,
            )
        if cart_qty - old_qty + new_qty <= available_qty:
            return super()._verify_updated_quantity(
                order_line, product_id, new_qty, uom_id, **kwargs
            )
        if new_qty > old_qty and cart_qty <= available_qty:
            # The cart as it is fits: refuse the increase, keep the line.
            if order_line:
                warning = self.env._(
                    "The quantity you asked for of %(product)s is not available: "
                    "your cart was not changed.",
                    product=product.display_name,
                )
            else:
                warning = self.env._(
                    "%(product)s has not been added to your cart: the quantity you "
                    "asked for is not available.",
                    product=product.display_name,
                )
            return old_qty, warning
        # The stock fell below what the cart holds: cut the line down.
        allowed_qty = max(available_qty - (cart_qty - old_qty), 0)
        if allowed_qty > 0:
            warning = self.env._(
                "Only part of the quantity of %(product)s in your cart is still "
                "available: your cart has been updated.",
                product=product.display_name,
            )
        else:
            warning = self.env._(
                "%(product)s is no longer available and has been removed from "
                "your cart.",
                product=product.display_name,
            )
        return allowed_qty, warning
