# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class InventoryPeriodAgeing(models.Model):
    """The aged inventory of a closed period at its end, stored by the close
    so that it is shown again without being computed again."""

    _name = "inventory.period.ageing"
    _description = "Aged Inventory at a Period End"
    _order = "period_id, product_id, warehouse_id, lot_id, bucket_id"
    _check_company_auto = True

    period_id = fields.Many2one(
        "inventory.period",
        required=True,
        ondelete="cascade",
        readonly=True,
        check_company=True,
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    product_id = fields.Many2one(
        "product.product", readonly=True, index=True, check_company=True
    )
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    warehouse_id = fields.Many2one(
        "stock.warehouse", string="Facility", readonly=True, check_company=True
    )
    lot_id = fields.Many2one(
        "stock.lot", string="Lot/Serial", readonly=True, check_company=True
    )
    bucket_id = fields.Many2one("inventory.ageing.bucket", string="Age", readonly=True)
    incoming_year = fields.Integer(string="Year in", readonly=True, aggregator=None)
    quantity = fields.Float(digits="Product Unit", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    value = fields.Monetary(readonly=True)

    _period_index = models.Index("(period_id, product_id)")
