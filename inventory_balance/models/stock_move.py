# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError

from .inventory_adjustment import WORKFLOW, WORKFLOW_KEY


class StockMove(models.Model):
    _inherit = "stock.move"

    inventory_adjustment_id = fields.Many2one(
        "inventory.adjustment",
        readonly=True,
        index="btree_not_null",
        copy=False,
        check_company=True,
    )

    def _check_adjustment_link(self):
        """Only an adjustment's Confirm links moves to it (the adjustment then
        shows them as its own): refused to everyone else, whatever the
        context sent over RPC (the marker is an in-process object)."""
        if self.env.context.get(WORKFLOW_KEY) is not WORKFLOW:
            raise AccessError(
                self.env._(
                    "Stock moves are linked to an inventory adjustment only by "
                    "confirming the adjustment."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("inventory_adjustment_id") for vals in vals_list):
            self._check_adjustment_link()
        return super().create(vals_list)

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        # Lines become done through their move's state (a stored related
        # field), not through their own write: a move done at a past date
        # changes the balances of the checkpoints after it.
        moves.move_line_ids._inventory_ledger_touch()
        return moves

    def write(self, vals):
        if "inventory_adjustment_id" in vals:
            self._check_adjustment_link()
        result = super().write(vals)
        if "date" in vals:
            self.move_line_ids._inventory_ledger_touch()
        return result
