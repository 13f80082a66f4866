# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_round

STOCK_STATES = ("in", "low", "out")


class Website(models.Model):
    _inherit = "website"

    inventory_stock_display = fields.Selection(
        [("exact", "Exact amounts"), ("label", "In stock / Low in stock")],
        string="Stock Display",
        default="exact",
        required=True,
        help="How the shop shows the stock of every stock-kept product, whatever "
        "the product's own settings say. Exact amounts: the available quantity "
        "is shown. In stock / Low in stock: only a label is shown, and no stock "
        "figure ever reaches the customer's browser.",
    )
    inventory_low_stock_threshold = fields.Integer(
        string="Low-Stock Threshold",
        default=5,
        help="A product with this available quantity or less is low in stock. It "
        "replaces the threshold of every stock-kept product on this website.",
    )

    inventory_cart_max_qty = fields.Integer(
        string="Cart Limit per Product",
        default=0,
        help="In stock / Low in stock mode: the most a cart may hold of one "
        "product, whatever the stock, so that a cart cannot be used to learn "
        "the available quantity (asking for more is refused with the same "
        "message at any stock). 0: ten times the low-stock threshold.",
    )

    _inventory_low_stock_threshold_positive = models.Constraint(
        "CHECK(inventory_low_stock_threshold >= 0)",
        "The low-stock threshold cannot be negative.",
    )

    _inventory_cart_max_qty_positive = models.Constraint(
        "CHECK(inventory_cart_max_qty >= 0)",
        "The cart limit per product cannot be negative.",
    )

    @api.constrains("inventory_cart_max_qty")
    def _check_inventory_cart_max_qty(self):
        for website in self:
            if website.inventory_cart_max_qty < 0:
                raise ValidationError(
                    self.env._(
                        "The cart limit per product of the website %(website)s "
                        "cannot be negative (%(limit)s).",
                        website=website.name,
                        limit=website.inventory_cart_max_qty,
                    )
                )

    @api.constrains("inventory_low_stock_threshold")
    def _check_inventory_low_stock_threshold(self):
        for website in self:
            if website.inventory_low_stock_threshold < 0:
                raise ValidationError(
                    self.env._(
                        "The low-stock threshold of the website %(website)s cannot "
                        "be negative (%(threshold)s).",
                        website=website.name,
                        threshold=website.inventory_low_stock_threshold,
                    )
                )

    def _inventory_stock_hidden(self):
        """Whether this website hides stock figures (labels only)."""
        return self.inventory_stock_display == "label"

    def _inventory_available_qty(self, product):
        """Available quantity of ``product`` (a variant) for this website: the
        free quantity of its warehouse, in the product's unit, rounded down to a
        whole number as Odoo's shop does. Stock in locations whose condition is
        not available (Damaged, Quarantine, ...) is left out by
        ``inventory_balance``."""
        return float_round(
            self._get_product_available_qty(product.sudo()),
            precision_digits=0,
            rounding_method="DOWN",
        )

    def _inventory_cart_cap(self):
        """The most a cart may hold of one product in hidden mode (in the
        product's unit): the website's limit, or ten times the low-stock
        threshold (at least 1)."""
        self.ensure_one()
        return self.inventory_cart_max_qty or max(
            10 * self.inventory_low_stock_threshold, 1
        )

    def _inventory_stock_state(self, product, cart_qty=0.0):
        """``'in'``, ``'low'`` or ``'out'``: the stock state of ``product`` (a
        stock-kept variant) on this website, once ``cart_qty`` (in the product's
        unit) is taken out of what is available.

        In hidden mode, a product with at least the cart limit available is
        *In stock* whatever the cart holds (a cart never holds more than the
        limit): the label then tells the same at any stock above the limit, so
        that filling a cart and watching the label teaches nothing more than
        "at least the limit"."""
        self.ensure_one()
        available = self._inventory_available_qty(product)
        if self._inventory_stock_hidden() and available >= self._inventory_cart_cap():
            return "in"
        available -= cart_qty
        if available <= 0:
            return "out"
        if available <= self.inventory_low_stock_threshold:
            return "low"
        return "in"

    def _inventory_stock_label(self, state):
        """The customer-facing text of a stock state."""
        return {
            "in": self.env._("In stock"),
            "low": self.env._("Low in stock"),
            "out": self.env._("Out of stock"),
        }[state]

    def _inventory_stock_badge(self, product, cart_qty=0.0):
        """What the shop's templates need to show the label of ``product`` in
        hidden mode, or ``False`` when nothing is to be shown (exact mode, a
        product not kept in stock, or a website that shows no price).

        :return: ``{"state": str, "label": str, "allow_out_of_stock_order": bool,
            "out_of_stock_message": markup or False}``
        """
        self.ensure_one()
        if not (self._inventory_stock_hidden() and product and product.is_storable):
            return False
        state = self._inventory_stock_state(product, cart_qty=cart_qty)
        return {
            "state": state,
            "label": self._inventory_stock_label(state),
            "allow_out_of_stock_order": product.allow_out_of_stock_order,
            "out_of_stock_message": product.sudo().out_of_stock_message or False,
        }
