# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The review's probe: an anonymous visitor binary-searches ``/shop/cart/update``
for the largest quantity the cart accepts. In hidden mode the cart holds at
most the website's cart limit of a product, refused with the same answer
whatever the stock: at any stock from the limit up, the visitor sees the very
same answers and learns nothing beyond "at least the limit"."""

import re

from lxml import html

from odoo.tests import tagged

from .common import WebsiteStockCase

THRESHOLD = 5
# Stock figures that cannot appear by chance in a page or an answer.
STOCKS = (50, 7319, 48611)
HIGHEST = 2**17


@tagged("post_install", "-at_install")
class TestWebsiteCartProbe(WebsiteStockCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the default limit: ten times the threshold
        cls.website.write(
            {"inventory_low_stock_threshold": THRESHOLD, "inventory_cart_max_qty": 0}
        )
        cls.limit = 10 * THRESHOLD

    def _state(self, result):
        """The stock label in the cart lines the answer renders."""
        states = re.findall(
            r"o_inventory_stock_(in|low|out)\b", result["website_sale.cart_lines"]
        )
        return tuple(states)

    def _probe(self):
        """As a new anonymous visitor: put one in the cart, then binary-search
        the largest quantity the cart line accepts. Return (what every answer
        said, the largest quantity accepted, the number of requests, the raw
        answers)."""
        self.authenticate(None, None)
        self.env.flush_all()
        added = self.make_jsonrpc_request(
            "/shop/cart/add",
            {
                "product_template_id": self.widget.product_tmpl_id.id,
                "product_id": self.widget.id,
                "quantity": 1,
            },
        )
        self.assertEqual(added["quantity"], 1)
        line_id = added["notification_info"]["lines"][0]["id"]
        transcript, raw = [], [added]
        low, high, requests = 1, HIGHEST, 1
        while low < high:
            asked = (low + high + 1) // 2
            result = self.make_jsonrpc_request(
                "/shop/cart/update", {"line_id": line_id, "quantity": asked}
            )
            requests += 1
            raw.append(result)
            transcript.append(
                (asked, result["quantity"], result.get("warning"), self._state(result))
            )
            if result["quantity"] == asked:
                low = asked
            else:
                high = asked - 1
                # back to what the search knows is accepted
                self.make_jsonrpc_request(
                    "/shop/cart/update", {"line_id": line_id, "quantity": low}
                )
                requests += 1
        page = self.url_open(self.widget.product_tmpl_id.website_url).text
        labels = html.fromstring(page).xpath(
            "//div[@id='inventory_stock_availability']"
        )
        label = labels and " ".join(labels[0].text_content().split())
        cart = html.fromstring(self.url_open("/shop/cart").text)
        transcript.append(("product page", label))
        transcript.append(
            (
                "cart max",
                sorted(
                    set(
                        cart.xpath("//input[contains(@class, 'js_quantity')]/@data-max")
                    )
                ),
            )
        )
        return transcript, low, requests, raw + [page]

    def test_probe_learns_only_the_limit(self):
        transcripts = {}
        for stock in STOCKS:
            with self.subTest(stock=stock):
                self._set_stock(self.widget, stock)
                transcript, learned, requests, answers = self._probe()
                self.assertEqual(learned, self.limit)
                self.assertLessEqual(requests, 40)
                transcripts[stock] = transcript
                for answer in answers:
                    text = str(answer)
                    for figure in STOCKS[1:]:
                        self.assertNotIn(str(figure), text)
        # the very same answers at every stock from the limit up
        self.assertEqual(transcripts[STOCKS[0]], transcripts[STOCKS[1]])
        self.assertEqual(transcripts[STOCKS[0]], transcripts[STOCKS[2]])
        refusals = {warning for _a, _q, warning, _s in transcripts[STOCKS[0]][:-2]}
        refusals.discard(False)
        refusals.discard(None)
        refusals.discard("")
        # one refusal, which names the limit and nothing else
        self.assertEqual(len(refusals), 1, refusals)
        (refusal,) = refusals
        self.assertEqual(re.findall(r"\d+", refusal), [str(self.limit)])
        self.assertIn(("product page", "In stock"), transcripts[STOCKS[0]])

    def test_below_the_limit_no_number(self):
        """Below the limit the cart still refuses what is not available, and
        its answers hold no number at all."""
        self._set_stock(self.widget, 37)
        transcript, learned, _requests, _answers = self._probe()
        self.assertEqual(learned, 37)
        for asked, _quantity, warning, _state in transcript[:-2]:
            if warning and asked <= self.limit:
                self.assertNotRegex(warning, r"\d", asked)

    def test_cart_limit_of_the_website(self):
        self.website.inventory_cart_max_qty = 12
        self._set_stock(self.widget, 7319)
        _transcript, learned, _requests, _answers = self._probe()
        self.assertEqual(learned, 12)
        # exact mode: no limit, Odoo's own behaviour
        self.website.inventory_stock_display = "exact"
        _transcript, learned, _requests, _answers = self._probe()
        self.assertEqual(learned, 7319)
