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
    product_ids = fields.Many2many(
        "product.product",
        string="Products",
        domain="[('is_storable', '=', True)]",
        help="Only the transactions of these products (default: every product).",
    )
    location_id = fields.Many2one(
        "stock.location",
        domain="[('usage', 'in', ('internal', 'transit'))]",
        help="Only the transactions of this location and its sublocations "
        "(default: every location).",
    )

    def action_open_report(self):
        self.ensure_one()
        ledger = self.env["inventory.ledger"]
        date_from = ledger._parse_moment(self.date_from, "date_from")
        date_to = ledger._parse_moment(self.date_to, "date_to")
        self.env["inventory.transaction.report"]._check_span(date_from, date_to)
        domain = []
        if self.product_ids:
            domain.append(("product_id", "in", self.product_ids.ids))
        if self.location_id:
            domain.append(("location_id", "child_of", self.location_id.id))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Inventory Transactions"),
            "res_model": "inventory.transaction.report",
            "view_mode": "list,pivot",
            "domain": domain,
            "context": {
                "inventory_date_from": fields.Datetime.to_string(date_from),
                "inventory_date_to": fields.Datetime.to_string(date_to),
            },
        }
