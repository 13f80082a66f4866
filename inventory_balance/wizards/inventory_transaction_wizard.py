# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class InventoryTransactionWizard(models.TransientModel):
    _name = "inventory.transaction.wizard"
    _description = "Inventory Transactions of a Period"

    date_from = fields.Datetime(
        string="From",
        required=True,
        default=lambda self: fields.Datetime.to_datetime(
            fields.Date.context_today(self).replace(day=1)
        ),
    )
    date_to = fields.Datetime(string="To", required=True, default=fields.Datetime.now)

    def action_open_report(self):
        self.ensure_one()
        ledger = self.env["inventory.ledger"]
        date_from = ledger._parse_moment(self.date_from, "date_from")
        date_to = ledger._parse_moment(self.date_to, "date_to")
        self.env["inventory.transaction.report"]._check_span(date_from, date_to)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Inventory Transactions"),
            "res_model": "inventory.transaction.report",
            "view_mode": "list,pivot",
            "context": {
                "inventory_date_from": fields.Datetime.to_string(date_from),
                "inventory_date_to": fields.Datetime.to_string(date_to),
            },
        }
