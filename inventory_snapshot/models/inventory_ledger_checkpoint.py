# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class InventoryLedgerCheckpoint(models.Model):
    _inherit = "inventory.ledger.checkpoint"

    def _delete_lines(self):
        """The snapshots whose lines are still to be copied from these
        checkpoints take them before the rows go (rebuild, prune)."""
        self.env["inventory.snapshot"].sudo().search(
            [("lines_checkpoint_id", "in", self.ids)]
        )._write_pending_lines()
        return super()._delete_lines()
