# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .test_inventory_balance_sheet import SheetScenarioMixin


@tagged("post_install", "-at_install")
class TestInventoryLedgerExplainTour(SheetScenarioMixin, HttpCase):
    """Chromium, as an inventory user: a click on a sheet cell's list icon
    opens the move lines behind the figure."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_sheet_scenario()
        new_test_user(
            cls.env,
            login="explain_planner",
            groups="stock.group_stock_user,"
            "inventory_balance.group_inventory_balance_user",
        )

    def test_sheet_cell_tour(self):
        sheet = self.Sheet.create(
            {
                "name": "Explain tour sheet",
                "category_ids": [Command.set(self.group.ids)],
                "date_from": self.m0,
                "date_to": self.m3 - self.m3.resolution,
            }
        )
        sheet.refresh()
        self.start_tour(
            f"/odoo/action-inventory_balance.inventory_balance_sheet_action/{sheet.id}",
            "inventory_ledger_explain_sheet",
            login="explain_planner",
        )
