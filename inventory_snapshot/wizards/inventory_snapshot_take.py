# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class InventorySnapshotTake(models.TransientModel):
    _name = "inventory.snapshot.take"
    _description = "Take an Inventory Snapshot"
    _check_company_auto = True

    name = fields.Char(
        required=True,
        default=lambda self: self.env._(
            "Snapshot %(date)s", date=fields.Date.context_today(self)
        ),
    )
    description = fields.Text()
    moment = fields.Datetime(
        help="Leave empty for now; a past moment is read from the ledger."
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    warehouse_ids = fields.Many2many(
        "stock.warehouse", string="Warehouses", check_company=True
    )
    location_ids = fields.Many2many(
        "stock.location",
        string="Locations",
        check_company=True,
        domain=[("usage", "in", ("internal", "transit"))],
    )
    categ_ids = fields.Many2many("product.category", string="Product Categories")

    def action_take(self):
        self.ensure_one()
        snapshot_id = self.env["inventory.snapshot"].take_snapshot(
            self.name,
            moment=self.moment or None,
            company_id=self.company_id.id,
            location_ids=self.location_ids.ids,
            warehouse_ids=self.warehouse_ids.ids,
            categ_ids=self.categ_ids.ids,
            description=self.description,
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "inventory.snapshot",
            "res_id": snapshot_id,
            "view_mode": "form",
        }
