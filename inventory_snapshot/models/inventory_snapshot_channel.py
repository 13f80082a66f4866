# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class InventorySnapshotChannel(models.Model):
    """Reserved quantity per product and sales channel in a snapshot of now."""

    _name = "inventory.snapshot.channel"
    _description = "Inventory Snapshot Channel Allocation"
    _order = "snapshot_id, product_id, channel"
    _log_access = False

    snapshot_id = fields.Many2one(
        "inventory.snapshot",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    company_id = fields.Many2one("res.company", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    channel = fields.Char(
        readonly=True,
        help="Sales team, website or point of sale the reservation is for; "
        "'Other' for reservations of no sales channel.",
    )
    reserved = fields.Float(digits="Product Unit", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):  # pylint: disable=method-required-super
        raise UserError(
            self.env._("Snapshot channels are written only by taking a snapshot.")
        )

    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(self.env._("A snapshot cannot be changed once taken."))

    def unlink(self):  # pylint: disable=method-required-super
        raise UserError(
            self.env._(
                "Snapshot channels cannot be deleted; delete the whole snapshot."
            )
        )
