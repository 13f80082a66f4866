# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class InventoryBalanceRunValuation(models.Model):
    """The warehouse valuation summary of a balance run: quantity and value
    per warehouse and product category at the run's period end, from the
    ledger engine.  Written by one SQL statement per run."""

    _name = "inventory.balance.run.valuation"
    _inherit = "inventory.balance.run.finding.mixin"
    _description = "Inventory Balance Run Valuation Summary"
    _order = "run_id, warehouse_id, categ_id"
    _check_company_auto = True

    run_id = fields.Many2one(
        "inventory.balance.run",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        ondelete="cascade",
        check_company=True,
        help="Empty: outside any warehouse.",
    )
    categ_id = fields.Many2one("product.category", ondelete="cascade")
    quantity = fields.Float(digits="Product Unit", readonly=True)
    value = fields.Monetary(readonly=True, currency_field="currency_id")
