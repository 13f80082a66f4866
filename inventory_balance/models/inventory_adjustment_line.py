# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class InventoryAdjustmentLine(models.Model):
    _name = "inventory.adjustment.line"
    _description = "Inventory Adjustment Line"
    _order = "adjustment_id, product_id, location_id, lot_id, id"
    _check_company_auto = True

    adjustment_id = fields.Many2one(
        "inventory.adjustment", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="adjustment_id.company_id", store=True)
    state = fields.Selection(related="adjustment_id.state")
    product_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        domain="[('is_storable', '=', True)]",
        ondelete="restrict",
    )
    tracking = fields.Selection(related="product_id.tracking")
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    location_id = fields.Many2one(
        "stock.location",
        required=True,
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        ondelete="restrict",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
        ondelete="restrict",
    )
    balance = fields.Float(
        string="Balance when loaded", digits="Product Unit of Measure", readonly=True
    )
    change = fields.Float(digits="Product Unit of Measure", help="+ adds, - removes.")
    resulting = fields.Float(
        string="Resulting balance",
        digits="Product Unit of Measure",
        compute="_compute_resulting",
        store=True,
    )
    move_id = fields.Many2one("stock.move", readonly=True, index="btree_not_null")

    @api.depends("balance", "change")
    def _compute_resulting(self):
        for line in self:
            line.resulting = line.balance + line.change

    @api.onchange("product_id", "location_id", "lot_id")
    def _onchange_balance(self):
        for line in self:
            if line.product_id and line.location_id:
                quants = self.env["stock.quant"]._read_group(
                    [
                        ("product_id", "=", line.product_id.id),
                        ("location_id", "=", line.location_id.id),
                        ("lot_id", "=", line.lot_id.id),
                    ],
                    aggregates=["quantity:sum"],
                )
                line.balance = quants[0][0] or 0.0
