# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo.tests import HttpCase, tagged

from ..tools.workflow_guard import workflow


@tagged("post_install", "-at_install")
class TestFindingsTab(HttpCase):
    """The balance run's Findings tab (issue 20): names shown whole, the
    colour of a finding follows what became of it, no totals of quantities
    of different products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.balance_run = cls.env["inventory.balance.run"].create(
            {"company_id": company.id}
        )
        stock = (
            cls.env["stock.warehouse"]
            .search([("company_id", "=", company.id)], limit=1)
            .lot_stock_id
        )
        name = (
            "{} with a name long enough to be cut in a narrow column of the "
            "findings (Extra Large, Blue)"
        )
        corrected, still_open = cls.env["product.product"].create(
            [
                {"name": name.format("Findings tour corrected"), "is_storable": True},
                {"name": name.format("Findings tour open"), "is_storable": True},
            ]
        )
        common = {"run_id": cls.balance_run.id, "company_id": company.id}
        workflow(cls.env["inventory.balance.run.line"]).create(
            [
                dict(
                    common,
                    rule_code="quant_ledger",
                    severity="error",
                    product_id=corrected.id,
                    location_id=stock.id,
                    expected=5.0,
                    found=3.0,
                    action="taken",
                    message="Quant adjusted to ledger quantity",
                ),
                dict(
                    common,
                    rule_code="valuation_remaining",
                    severity="error",
                    product_id=still_open.id,
                    location_id=stock.id,
                    expected=1200.0,
                    found=7.0,
                    action="reported",
                    message="Stock that came without a valued receipt",
                ),
            ]
        )

    def test_list_arch(self):
        """The list (the Findings tab's too) sums no quantity and colours a
        finding by what became of it."""
        arch = etree.fromstring(
            self.env["inventory.balance.run.line"].get_view(view_type="list")["arch"]
        )
        for name in ("expected", "found", "difference"):
            self.assertFalse(arch.xpath(f"//field[@name='{name}']/@sum"), name)
        self.assertIn("action != 'taken'", arch.get("decoration-danger"))
        for name in ("rule_code", "product_id"):
            self.assertIn(
                "o_inventory_wrap", arch.xpath(f"//field[@name='{name}']/@class")[0]
            )

    def test_findings_tab_tour(self):
        self.start_tour(
            f"/odoo/action-inventory_period_end.inventory_balance_run_action/{self.balance_run.id}",
            "inventory_period_end_findings",
            login="admin",
        )
