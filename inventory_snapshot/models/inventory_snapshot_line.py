# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class InventorySnapshotLine(models.Model):
    """One balance of a snapshot: product, location and lot at the moment.

    Lines are written once, set-based, when the snapshot is taken, and never
    changed nor deleted afterwards (deleting the whole snapshot removes them).
    """

    _name = "inventory.snapshot.line"
    _description = "Inventory Snapshot Line"
    _order = "snapshot_id, product_id, location_id, lot_id"
    _log_access = False

    # Looked up through the unique (snapshot, product, location, lot) index;
    # one index less to maintain for each of a snapshot's lines.
    snapshot_id = fields.Many2one(
        "inventory.snapshot",
        required=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one("res.company", readonly=True)
    moment = fields.Datetime(readonly=True)
    product_id = fields.Many2one("product.product", readonly=True, ondelete="restrict")
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    location_id = fields.Many2one("stock.location", readonly=True, ondelete="restrict")
    condition_id = fields.Many2one("inventory.condition", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial", readonly=True)
    expiration_date = fields.Datetime(
        readonly=True, help="Expiration date of the lot (with product_expiry)."
    )
    uom_id = fields.Many2one("uom.uom", string="Unit", readonly=True)
    on_hand = fields.Float(digits="Product Unit", readonly=True)
    reserved = fields.Float(digits="Product Unit", readonly=True)
    available = fields.Float(digits="Product Unit", readonly=True)
    in_transit = fields.Float(digits="Product Unit", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    value = fields.Monetary(readonly=True)

    _snapshot_key_unique = models.UniqueIndex(
        "(snapshot_id, product_id, location_id, COALESCE(lot_id, 0))",
        "A snapshot holds one line per product, location and lot.",
    )

    def init(self):
        res = super().init()
        # Indexes of earlier versions (19.0.1.x) that only cost at insert time.
        self.env.cr.execute(
            "DROP INDEX IF EXISTS inventory_snapshot_line__snapshot_id_index, "
            "inventory_snapshot_line__company_id_index"
        )
        return res

    @api.model_create_multi
    def create(self, vals_list):  # pylint: disable=method-required-super
        raise UserError(
            self.env._("Snapshot lines are written only by taking a snapshot.")
        )

    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(self.env._("A snapshot cannot be changed once taken."))

    def unlink(self):  # pylint: disable=method-required-super
        raise UserError(
            self.env._("Snapshot lines cannot be deleted; delete the whole snapshot.")
        )
