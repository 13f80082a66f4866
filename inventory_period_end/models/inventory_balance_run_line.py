# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError

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

    # ------------------------------------------------------------ explain
    def _check_explainable(self):
        self.ensure_one()
        if not self.product_id or not self.location_id:
            raise UserError(
                self.env._("This finding is not a quantity of a product in a place.")
            )

    def action_explain(self):
        """The ledger side of the finding: the done move lines behind the
        expected figure (its product, location (not its children), lot,
        package and owner), from the nearest checkpoint up to the moment the
        run compared the quants with the ledger (when it ran)."""
        self._check_explainable()
        moment = self.run_id.ended_at or fields.Datetime.now()
        if self.location_id.usage not in ("internal", "transit"):
            raise UserError(
                self.env._(
                    "%(location)s is not an internal or transit location: the "
                    "ledger keeps no balance there.",
                    location=self.location_id.display_name,
                )
            )
        title = self.env._(
            "Ledger side of %(rule)s: %(product)s at %(location)s, expected "
            "%(expected)s as of %(date)s",
            rule=dict(self._fields["rule_code"]._description_selection(self.env))[
                self.rule_code
            ],
            product=self.product_id.display_name,
            location=self.location_id.display_name,
            expected=self.expected,
            date=fields.Datetime.to_string(moment),
        )
        return self.env["inventory.ledger.explain"]._explain_action(
            title,
            self.product_id.id,
            at=fields.Datetime.to_string(moment),
            company_id=self.company_id.id,
            location_id=self.location_id.id,
            with_children=False,
            lot_id=self.lot_id.id or "none",
            package_id=self.package_id.id or "none",
            owner_id=self.owner_id.id or "none",
        )

    def action_explain_quant(self):
        """The quant side of the finding: the quants of its key."""
        self._check_explainable()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Quant side: %(product)s at %(location)s, found %(found)s",
                product=self.product_id.display_name,
                location=self.location_id.display_name,
                found=self.found,
            ),
            "res_model": "stock.quant",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [
                ("product_id", "=", self.product_id.id),
                ("location_id", "=", self.location_id.id),
                ("lot_id", "=", self.lot_id.id),
                ("package_id", "=", self.package_id.id),
                ("owner_id", "=", self.owner_id.id),
            ],
            "context": {"create": False},
        }
