# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        res = super()._action_done()
        for picking in self.filtered(
            lambda p: p.state == "done" and p.picking_type_id.snapshot_on_validation
        ):
            picking._take_validation_snapshot()
        return res

    def _snapshot_warehouses(self):
        """The warehouses of the transfer's internal source and destination
        locations (of the picking and of its move lines, which may be bins)."""
        self.ensure_one()
        locations = (
            self.location_id
            | self.location_dest_id
            | self.move_line_ids.location_id
            | self.move_line_ids.location_dest_id
        )
        return locations.filtered(lambda loc: loc.usage == "internal").warehouse_id

    def _take_validation_snapshot(self):
        """One event snapshot of now, after the transfer is done: the stock of
        the warehouses it touched, or of the whole company when it touched no
        internal location of a warehouse.

        :return: id of the snapshot
        """
        self.ensure_one()
        return self.env["inventory.snapshot"]._take_event_snapshot(
            self.env._("Validation of %(picking)s", picking=self.name),
            self.name,
            company_id=self.company_id.id,
            warehouse_ids=self._snapshot_warehouses().ids,
            description=self.env._(
                "Taken when the transfer %(picking)s (%(type)s) was validated.",
                picking=self.name,
                type=self.picking_type_id.display_name,
            ),
        )
