# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import WebsiteStockCase


@tagged("post_install", "-at_install")
class TestWebsiteStockTour(WebsiteStockCase):
    def test_hidden_stock_tour(self):
        """Chromium: the grid, variant switching and the cart in hidden mode."""
        self.website.inventory_low_stock_threshold = 5
        self.website.inventory_cart_max_qty = 0  # ten times the threshold
        self._set_stock(self.red, 20)
        self._set_stock(self.blue, 3)
        self._set_stock(self.green, 7, self.damaged)
        self.start_tour("/", "inventory_balance_website_hidden_stock", login=None)
