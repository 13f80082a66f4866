# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class InventoryAdjustment(models.Model):
    _inherit = "inventory.adjustment"

    def _confirm(self):
        """One event snapshot of the adjustment's locations once it is applied."""
        moves = super()._confirm()
        locations = self.line_ids.filtered("change").location_id
        self.env["inventory.snapshot"]._take_event_snapshot(
            self.env._("After adjustment %s", self.name),
            self.name,
            company_id=self.company_id.id,
            warehouse_ids=locations.warehouse_id.ids,
        )
        return moves
