# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import HttpCase

# Stock figures chosen so that they cannot appear by chance in a page.
THRESHOLD = 48611
# The cart limit of hidden mode (a setting, shown as the inputs' maximum):
# above every stock figure of these tests, and without them in its digits.
CART_LIMIT = 900000


class WebsiteStockCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.website = cls.env.ref("website.default_website")
        cls.website.write(
            {
                "inventory_stock_display": "label",
                "inventory_low_stock_threshold": THRESHOLD,
                "inventory_cart_max_qty": CART_LIMIT,
            }
        )
        cls.env["delivery.carrier"].search([]).is_published = False
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.website.company_id.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.damaged = cls.env["stock.location"].create(
            {
                "name": "Damaged (web test)",
                "usage": "internal",
                "location_id": cls.warehouse.view_location_id.id,
                "condition_id": cls.env.ref(
                    "inventory_balance.inventory_condition_damaged"
                ).id,
            }
        )
        # Per-product settings that the website's setting must override.
        cls.widget = cls.env["product.product"].create(
            {
                "name": "Boundary Widget",
                "is_storable": True,
                "list_price": 10.0,
                "website_published": True,
                "allow_out_of_stock_order": False,
                "show_availability": True,
                "available_threshold": 99999,
            }
        )
        color = cls.env["product.attribute"].create(
            {
                "name": "Color",
                "create_variant": "always",
                "value_ids": [
                    Command.create({"name": "Red", "sequence": 1}),
                    Command.create({"name": "Blue", "sequence": 2}),
                    Command.create({"name": "Green", "sequence": 3}),
                ],
            }
        )
        cls.chair = cls.env["product.template"].create(
            {
                "name": "Label Test Chair",
                "is_storable": True,
                "list_price": 25.0,
                "website_published": True,
                "allow_out_of_stock_order": False,
                "show_availability": False,
                "attribute_line_ids": [
                    Command.create(
                        {
                            "attribute_id": color.id,
                            "value_ids": [Command.set(color.value_ids.ids)],
                        }
                    )
                ],
            }
        )
        variants = {
            variant.product_template_attribute_value_ids.name: variant
            for variant in cls.chair.product_variant_ids
        }
        cls.red, cls.blue, cls.green = (
            variants["Red"],
            variants["Blue"],
            variants["Green"],
        )

    @classmethod
    def _set_stock(cls, product, quantity, location=None):
        """Set the quantity of ``product`` in ``location`` (default: Stock)."""
        location = location or cls.stock
        Quant = cls.env["stock.quant"]
        current = Quant._get_available_quantity(product, location, strict=True)
        if quantity != current:
            Quant._update_available_quantity(product, location, quantity - current)
        # free_qty is not stored: forget what the ORM computed before.
        cls.env.invalidate_all()
