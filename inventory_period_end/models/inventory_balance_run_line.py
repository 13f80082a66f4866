# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from ..tools.balance_rules import CORRECTIONS, SEVERITIES, rule_selection


class InventoryBalanceRunLine(models.Model):
    """One finding of a balance run: what a rule expected, what it found, and
    what the correcting run proposes or did.  Written by SQL (one statement
    per rule), never one by one."""

    _name = "inventory.balance.run.line"
    _inherit = "inventory.balance.run.finding.mixin"
    _description = "Inventory Balance Run Finding"
    _order = "run_id, rule_code, product_id, location_id, id"
    _check_company_auto = True

    run_id = fields.Many2one(
        "inventory.balance.run",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    rule_code = fields.Selection(
        rule_selection(), string="Rule", required=True, index=True
    )
    severity = fields.Selection(
        [(s, s.capitalize()) for s in SEVERITIES], required=True
    )
    product_id = fields.Many2one(
        "product.product", index=True, ondelete="cascade", check_company=True
    )
    location_id = fields.Many2one(
        "stock.location", ondelete="cascade", check_company=True
    )
    lot_id = fields.Many2one(
        "stock.lot", string="Lot/Serial", ondelete="cascade", check_company=True
    )
    package_id = fields.Many2one(
        "stock.package", ondelete="cascade", check_company=True
    )
    owner_id = fields.Many2one("res.partner", ondelete="cascade", check_company=True)
    move_id = fields.Many2one("stock.move", ondelete="cascade", check_company=True)
    account_id = fields.Many2one(
        "account.account",
        ondelete="cascade",
        check_company=True,
        groups="account.group_account_readonly,account.group_account_manager",
        help="The stock valuation account (valuation rule).",
    )
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    expected = fields.Float(digits="Product Unit", readonly=True)
    found = fields.Float(digits="Product Unit", readonly=True)
    difference = fields.Float(
        digits="Product Unit", readonly=True, help="Found - expected."
    )
    value_impact = fields.Float(
        digits="Product Price",
        readonly=True,
        groups="account.group_account_readonly,account.group_account_manager",
        help="The difference valued at the product's cost, for the findings "
        "that are stock quantities.",
    )
    action = fields.Selection(
        [
            ("proposed", "Proposed"),
            ("taken", "Taken"),
            ("reported", "Reported only"),
        ],
        required=True,
        readonly=True,
    )
    correction = fields.Selection(
        [(c, c.replace("_", " ").capitalize()) for c in CORRECTIONS], readonly=True
    )
    message = fields.Char(readonly=True)
    adjustment_id = fields.Many2one(
        "inventory.adjustment",
        readonly=True,
        check_company=True,
        ondelete="set null",
        help="The adjustment posted for this finding (counted stock as truth).",
    )
