# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    inventory_adjustment_id = fields.Many2one(
        "inventory.adjustment", readonly=True, index="btree_not_null", copy=False
    )

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        # Lines become done through their move's state (a stored related
        # field), not through their own write: a move done at a past date
        # changes the balances of the checkpoints after it.
        moves.move_line_ids._inventory_ledger_touch()
        return moves

    def write(self, vals):
        result = super().write(vals)
        if "date" in vals:
            self.move_line_ids._inventory_ledger_touch()
        return result
