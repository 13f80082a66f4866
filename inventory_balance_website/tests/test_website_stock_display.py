# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import xmlrpc.client
from datetime import timedelta

from lxml import html

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import get_db_name, new_test_user, tagged
from odoo.tools import mute_logger

from .common import CART_LIMIT, THRESHOLD, WebsiteStockCase

STOCK_KEYS = {"free_qty", "cart_qty", "available_threshold", "max_combo_quantity"}


@tagged("post_install", "-at_install")
class TestWebsiteStockDisplay(WebsiteStockCase):
    # ------------------------------------------------------------ helpers
    def _page(self, url):
        self.env.flush_all()
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return response.text

    def _product_page_label(self, page):
        """Text of the stock label the product page renders, or None."""
        nodes = html.fromstring(page).xpath("//div[@id='inventory_stock_availability']")
        self.assertLessEqual(len(nodes), 1)
        return " ".join(nodes[0].text_content().split()) if nodes else None

    def assertNoFigure(self, text, *figures):
        for figure in figures:
            for form in {str(figure), f"{figure:,}", f"{figure:,}".replace(",", ".")}:
                self.assertNotIn(form, text, f"stock figure {figure} leaked")

    def _all_keys(self, value):
        if isinstance(value, dict):
            for key, item in value.items():
                yield key
                yield from self._all_keys(item)
        elif isinstance(value, list):
            for item in value:
                yield from self._all_keys(item)

    def _all_numbers(self, value):
        if isinstance(value, dict):
            for item in value.values():
                yield from self._all_numbers(item)
        elif isinstance(value, list):
            for item in value:
                yield from self._all_numbers(item)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            yield value

    def assertNoStockInJson(self, result, *figures):
        self.assertFalse(STOCK_KEYS & set(self._all_keys(result)))
        numbers = set(self._all_numbers(result))
        for figure in figures:
            self.assertNotIn(figure, numbers)
        self.assertNoFigure(json.dumps(result), *figures)

    def _combination_info(self, product):
        self.env.flush_all()
        return self.make_jsonrpc_request(
            "/website_sale/get_combination_info",
            {
                "product_template_id": product.product_tmpl_id.id,
                "product_id": product.id,
                "combination": product.product_template_attribute_value_ids.ids,
                "add_qty": 1,
            },
        )

    # ------------------------------------------------------------ settings
    def test_threshold_cannot_be_negative(self):
        with self.assertRaises(ValidationError):
            self.website.inventory_low_stock_threshold = -1

    def test_settings_write_the_website(self):
        settings = self.env["res.config.settings"].create(
            {
                "website_id": self.website.id,
                "website_inventory_stock_display": "exact",
                "website_inventory_low_stock_threshold": 12,
            }
        )
        settings.execute()
        self.assertEqual(self.website.inventory_stock_display, "exact")
        self.assertEqual(self.website.inventory_low_stock_threshold, 12)
        settings = self.env["res.config.settings"].create(
            {"website_id": self.website.id, "website_inventory_cart_max_qty": 30}
        )
        settings.execute()
        self.assertEqual(self.website.inventory_cart_max_qty, 30)
        with self.assertRaises(ValidationError):
            self.website.inventory_cart_max_qty = -1

    def test_one_setting_on_the_settings_page(self):
        """Odoo's Show Available Quantity gives way to Stock Display, which
        says it takes it over; the cart limit sits beside it."""
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        tree = html.fromstring(arch)
        (show,) = tree.xpath("//field[@name='default_show_availability']/..")
        self.assertEqual(show.get("invisible"), "1")
        self.assertTrue(tree.xpath("//*[@id='inventory_stock_display_pointer']"))
        (ours,) = tree.xpath("//setting[@id='inventory_stock_display_setting']")
        self.assertIn("Show Available Quantity", ours.get("help"))
        self.assertTrue(ours.xpath(".//field[@name='website_inventory_cart_max_qty']"))

    # XML-RPC is deprecated in 19 and warns at each call.
    @mute_logger("odoo.addons.rpc.controllers.xmlrpc", "odoo.http")
    def test_settings_over_xmlrpc_and_json2(self):
        new_test_user(
            self.env,
            login="web_stock_admin",
            groups="base.group_system,website.group_website_designer",
        )
        db = get_db_name()
        uid = self.xmlrpc_common.authenticate(
            db, "web_stock_admin", "web_stock_admin", {}
        )
        self.xmlrpc_object.execute_kw(
            db,
            uid,
            "web_stock_admin",
            "website",
            "write",
            [[self.website.id], {"inventory_stock_display": "exact"}],
        )
        [values] = self.xmlrpc_object.execute_kw(
            db,
            uid,
            "web_stock_admin",
            "website",
            "read",
            [[self.website.id], ["inventory_stock_display"]],
        )
        self.assertEqual(values["inventory_stock_display"], "exact")
        with self.assertRaises(xmlrpc.client.Fault):
            self.xmlrpc_object.execute_kw(
                db,
                uid,
                "web_stock_admin",
                "website",
                "write",
                [[self.website.id], {"inventory_low_stock_threshold": -3}],
            )

        key = (
            self.env["res.users.apikeys"]
            .with_user(self.env["res.users"].browse(uid))
            ._generate("rpc", "web test", fields.Datetime.now() + timedelta(days=1))
        )
        response = self.url_open(
            "/json/2/website/write",
            data=json.dumps(
                {
                    "ids": [self.website.id],
                    "vals": {
                        "inventory_stock_display": "label",
                        "inventory_low_stock_threshold": 7,
                    },
                }
            ),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {key}",
                "X-Odoo-Database": db,
            },
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.website.invalidate_recordset()
        self.assertEqual(self.website.inventory_stock_display, "label")
        self.assertEqual(self.website.inventory_low_stock_threshold, 7)

    # ------------------------------------------------------------ product page
    def test_product_page_labels_at_the_boundaries(self):
        url = self.widget.product_tmpl_id.website_url
        for quantity, label in (
            (THRESHOLD, "Low in stock"),
            (THRESHOLD + 1, "In stock"),
            (0, "Out of stock"),
        ):
            with self.subTest(quantity=quantity):
                self._set_stock(self.widget, quantity)
                page = self._page(url)
                self.assertEqual(self._product_page_label(page), label)
                self.assertNoFigure(page, THRESHOLD, THRESHOLD + 1)

    def test_only_damaged_stock_is_out_of_stock(self):
        self._set_stock(self.widget, 0)
        self._set_stock(self.widget, THRESHOLD + 50, self.damaged)
        self.assertEqual(self.widget.qty_available, THRESHOLD + 50)
        self.assertEqual(self.widget.free_qty, 0)
        self.assertEqual(self.website._inventory_available_qty(self.widget), 0)
        page = self._page(self.widget.product_tmpl_id.website_url)
        self.assertEqual(self._product_page_label(page), "Out of stock")
        self.assertNoFigure(page, THRESHOLD + 50)
        info = self._combination_info(self.widget)
        self.assertEqual(info["inventory_stock_state"], "out")
        self.assertNoStockInJson(info, THRESHOLD + 50)
        # Good stock beside the damaged one is what counts.
        self._set_stock(self.widget, 3)
        self.assertEqual(
            self._combination_info(self.widget)["inventory_stock_state"], "low"
        )

    def test_out_of_stock_message_and_selling_when_out_of_stock(self):
        self._set_stock(self.widget, 0)
        self.widget.out_of_stock_message = "<p>Back next week</p>"
        page = self._page(self.widget.product_tmpl_id.website_url)
        self.assertEqual(self._product_page_label(page), "Back next week")
        self.widget.out_of_stock_message = False
        self.widget.allow_out_of_stock_order = True
        page = self._page(self.widget.product_tmpl_id.website_url)
        self.assertEqual(self._product_page_label(page), "Out of stock")
        info = self._combination_info(self.widget)
        self.assertTrue(info["allow_out_of_stock_order"])
        self.assertEqual(info["inventory_stock_label"], "Out of stock")

    def test_exact_mode_shows_the_quantity_for_every_product(self):
        self.website.inventory_stock_display = "exact"
        self._set_stock(self.red, THRESHOLD + 1)
        # The chair does not show its availability by its own settings.
        self.assertFalse(self.chair.show_availability)
        page = self._page(self.chair.website_url)
        self.assertIsNone(self._product_page_label(page))
        info = self._combination_info(self.red)
        self.assertEqual(info["free_qty"], THRESHOLD + 1)
        self.assertTrue(info["show_availability"])
        self.assertEqual(info["available_threshold"], THRESHOLD)
        self.assertEqual(info["inventory_stock_display"], "exact")

    # ------------------------------------------------------------ JSON routes
    def test_json_routes_hold_no_stock_figure_in_hidden_mode(self):
        self._set_stock(self.red, THRESHOLD + 1)
        self._set_stock(self.blue, THRESHOLD)
        self._set_stock(self.green, THRESHOLD + 7, self.damaged)
        figures = (THRESHOLD, THRESHOLD + 1, THRESHOLD + 7)
        states = {}
        for variant in (self.red, self.blue, self.green):
            info = self._combination_info(variant)
            self.assertNoStockInJson(info, *figures)
            self.assertFalse(info["show_availability"])
            states[variant] = (
                info["inventory_stock_state"],
                info["inventory_stock_label"],
            )
        self.assertEqual(
            states,
            {
                self.red: ("in", "In stock"),
                self.blue: ("low", "Low in stock"),
                self.green: ("out", "Out of stock"),
            },
        )
        configurator = self.make_jsonrpc_request(
            "/website_sale/product_configurator/get_values",
            {
                "product_template_id": self.chair.id,
                "quantity": 1,
                "currency_id": self.website.currency_id.id,
                "so_date": fields.Datetime.to_string(fields.Datetime.now()),
                "ptav_ids": self.blue.product_template_attribute_value_ids.ids,
            },
        )
        self.assertNoStockInJson(configurator, *figures)

    def test_cart_refuses_more_than_available_without_a_number(self):
        self._set_stock(self.blue, THRESHOLD)
        self.env.flush_all()
        params = {
            "product_template_id": self.chair.id,
            "product_id": self.blue.id,
        }
        result = self.make_jsonrpc_request(
            "/shop/cart/add", dict(params, quantity=THRESHOLD + 5)
        )
        self.assertNoStockInJson(result, THRESHOLD)
        self.assertEqual(result["quantity"], 0)
        self.assertIn("not available", result["notification_info"]["warning"])
        result = self.make_jsonrpc_request("/shop/cart/add", dict(params, quantity=2))
        self.assertEqual(result["quantity"], 2)
        line_id = result["notification_info"]["lines"][0]["id"]
        result = self.make_jsonrpc_request(
            "/shop/cart/update", {"line_id": line_id, "quantity": THRESHOLD + 9}
        )
        self.assertNoStockInJson(result, THRESHOLD, THRESHOLD - 2)
        self.assertEqual(result["quantity"], 2)
        self.assertIn("not available", result["warning"])
        self.assertNotRegex(result["warning"], r"\d")
        # The cart page: labels, the cart limit as maximum, no figure.
        page = self._page("/shop/cart")
        tree = html.fromstring(page)
        self.assertTrue(
            tree.xpath(
                "//*[@id='cart_products']//*[contains(@class, 'o_inventory_stock_low')]"
            )
        )
        self.assertEqual(
            set(tree.xpath("//input[contains(@class, 'js_quantity')]/@data-max")),
            {str(CART_LIMIT)},
        )
        self.assertNoFigure(page, THRESHOLD, THRESHOLD - 2)

    def test_cart_warning_when_stock_falls_below_the_cart(self):
        self._set_stock(self.widget, 10)
        order = self.env["sale.order"].create(
            {
                "partner_id": self.env.ref("base.partner_admin").id,
                "website_id": self.website.id,
            }
        )
        order._cart_add(product_id=self.widget.id, quantity=8)
        line = order.order_line
        self.assertEqual(line.product_uom_qty, 8)
        self._set_stock(self.widget, 4)
        self.assertFalse(line._check_availability())
        self.assertNotRegex(line.shop_warning, r"\d")
        result = order._cart_update_line_quantity(line.id, 9)
        self.assertEqual(result["quantity"], 4)
        self.assertNotRegex(result["warning"], r"\d")
        # Exact mode keeps Odoo's message, with the figures.
        self.website.inventory_stock_display = "exact"
        result = order._cart_update_line_quantity(line.id, 9)
        self.assertEqual(result["quantity"], 4)
        self.assertRegex(result["warning"], r"\d")

    # ------------------------------------------------------------ shop grid
    def test_shop_grid_shows_labels(self):
        self._set_stock(self.widget, THRESHOLD + 1)
        page = self._page("/shop?search=Boundary Widget")
        tree = html.fromstring(page)
        labels = tree.xpath(
            "//form[contains(@class, 'oe_product_cart')]"
            "//div[contains(@class, 'o_inventory_stock_label')]"
        )
        self.assertEqual(
            [" ".join(el.text_content().split()) for el in labels], ["In stock"]
        )
        self.assertNoFigure(page, THRESHOLD + 1)
        self.website.inventory_stock_display = "exact"
        page = self._page("/shop?search=Boundary Widget")
        self.assertNotIn("o_inventory_stock_label", page)
