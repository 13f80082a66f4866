# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockPickingType(models.Model):
    _inherit = "stock.picking.type"

    snapshot_on_validation = fields.Boolean(
        string="Snapshot on validation",
        help="Take an inventory snapshot (trigger: Event) each time a transfer "
        "of this type is validated, of the warehouses of its internal source "
        "and destination locations.",
    )
