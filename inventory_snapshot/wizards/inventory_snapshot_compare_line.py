# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo import fields, models
from odoo.exceptions import UserError

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

    def _compared_moments(self):
        """The moments of the first and the last compared columns (a "now"
        column stands at the moment the comparison was made)."""
        self.ensure_one()
        wizard = self.wizard_id
        snapshots = wizard.snapshot_ids.sorted(lambda s: (s.moment, s.id))
        moments = [s.moment for s in snapshots]
        if wizard.include_now:
            column = (wizard.columns or [{}])[-1]
            moment = column.get("moment")
            moments.append(
                datetime.fromisoformat(moment.replace("Z", "+00:00")).replace(
                    tzinfo=None, microsecond=0
                )
                if moment
                else fields.Datetime.now()
            )
        return snapshots, moments[0], moments[-1]

    def action_explain(self):
        """The done move lines between the first and the last compared
        moments on this row's key: the opening is the first column's figure,
        the closing the last one's (their change is the lines' sum)."""
        self.ensure_one()
        if not self.product_id:
            raise UserError(
                self.env._("Compare by product to see the move lines behind a row.")
            )
        snapshots, first, last = self._compared_moments()
        group_by = (self.wizard_id.group_by or "").split(",")
        request = {
            "date_from": fields.Datetime.to_string(first),
            "date_to": fields.Datetime.to_string(last),
            "company_id": snapshots.company_id[:1].id,
        }
        if "location" in group_by:
            request.update(location_id=self.location_id.id, with_children=False)
        else:
            request["location_id"] = snapshots[-1:]._scope_location_ids() or False
        if "lot" in group_by:
            request["lot_id"] = self.lot_id.id or "none"
        title = self.env._(
            "%(product)s%(where)s: %(first)s to %(last)s, change %(change)s",
            product=self.product_id.display_name,
            where=f" @ {self.location_id.display_name}" if self.location_id else "",
            first=fields.Datetime.to_string(first),
            last=fields.Datetime.to_string(last),
            change=self.change,
        )
        return self.env["inventory.ledger.explain"]._explain_action(
            title, self.product_id.id, **request
        )
