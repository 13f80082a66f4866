# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class InventoryAgeingWizard(models.TransientModel):
    _name = "inventory.ageing.wizard"
    _description = "Aged Inventory As Of"

    at = fields.Datetime(
        string="As of",
        help="Leave empty for now. A past moment is answered from the stock ledger.",
    )

    def action_open_report(self):
        self.ensure_one()
        context = {"search_default_groupby_warehouse": 1}
        name = self.env._("Aged Inventory")
        if self.at:
            # Validates the moment (never in the future) before opening.
            at = self.env["inventory.ledger"]._parse_moment(self.at)
            context["inventory_at"] = fields.Datetime.to_string(at)
            name = self.env._("Aged Inventory at %(at)s", at=context["inventory_at"])
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "inventory.ageing.report",
            "view_mode": "pivot,list",
            "context": context,
        }
