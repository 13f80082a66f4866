# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

STATUSES = [
    ("appeared", "Appeared"),
    ("vanished", "Vanished"),
    ("changed", "Changed"),
    ("same", "Same"),
]


class InventorySnapshotCompareLine(models.TransientModel):
    """One row of a comparison: a key (product, location, lot) and its
    quantity in each column. Written set-based by the comparison wizard
    (``INSERT ... SELECT``), never one by one."""

    _name = "inventory.snapshot.compare.line"
    _description = "Inventory Snapshot Comparison Line"
    _order = "wizard_id, sequence"

    wizard_id = fields.Many2one(
        "inventory.snapshot.compare",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    sequence = fields.Integer(readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    location_id = fields.Many2one("stock.location", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial", readonly=True)
    uom_id = fields.Many2one("uom.uom", string="Unit", readonly=True)
    quantity_first = fields.Float(
        string="First",
        digits="Product Unit",
        readonly=True,
        help="Quantity (on hand + in transit) in the first column.",
    )
    quantity_last = fields.Float(
        string="Last",
        digits="Product Unit",
        readonly=True,
        help="Quantity (on hand + in transit) in the last column.",
    )
    change = fields.Float(
        digits="Product Unit",
        readonly=True,
        help="Last column minus first column.",
    )
    change_percent = fields.Float(
        string="Change %",
        digits=(16, 2),
        readonly=True,
        help="Change relative to the first column (empty when it is zero).",
    )
    max_change = fields.Float(
        string="Largest Step",
        digits="Product Unit",
        readonly=True,
        help="Largest absolute change between two consecutive columns.",
    )
    status = fields.Selection(STATUSES, readonly=True, index=True)
    trail = fields.Char(
        string="All Columns",
        readonly=True,
        help="The quantity in every column, in moment order.",
    )
    quantities = fields.Json(readonly=True)
    changes = fields.Json(readonly=True)
    change_percents = fields.Json(readonly=True)

    _wizard_sequence_idx = models.Index("(wizard_id, sequence)")

    def action_open_trend(self):
        """The trend of the compared snapshots (header button of the list)."""
        wizard = self.wizard_id[:1] or self.env["inventory.snapshot.compare"].browse(
            self.env.context.get("compare_wizard_id")
        )
        return wizard.action_open_trend()
