# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, models

# Fields of a done line whose change alters a balance in the past.
LEDGER_FIELDS = {
    "date",
    "quantity",
    "quantity_product_uom",
    "product_id",
    "location_id",
    "location_dest_id",
    "lot_id",
    "package_id",
    "result_package_id",
    "owner_id",
    "state",
}


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    # The ledger engine reads done lines by date; the columns it sums are
    # included so that it reads the index alone (an index-only scan).
    _inventory_ledger_done_lines_index = models.Index(
        "(date) INCLUDE (product_id, location_id, location_dest_id, lot_id, "
        "package_id, result_package_id, owner_id, quantity_product_uom) "
        "WHERE state = 'done'"
    )

    # The lines behind one figure (inventory.ledger.explain) are read by
    # product and date.
    _inventory_ledger_product_date_index = models.Index(
        "(product_id, date) WHERE state = 'done'"
    )

    def init(self):
        res = super().init()
        # Replaced by the covering index above (addon version 19.0.1.x).
        self.env.cr.execute(
            "DROP INDEX IF EXISTS stock_move_line_inventory_ledger_done_date_index"
        )
        return res

    def _inventory_ledger_touch(self, extra_dates=None):
        """Mark stale the checkpoints that these done lines (at their dates, and
        at ``extra_dates``) fall inside."""
        moments = defaultdict(list)
        for line in self:
            if line.state == "done" and line.date:
                moments[line.company_id.id].append(line.date)
        for company_id, date in extra_dates or ():
            moments[company_id].append(date)
        if moments:
            self.env["inventory.ledger.checkpoint"]._invalidate_from(
                {company: min(dates) for company, dates in moments.items()}
            )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._inventory_ledger_touch()
        return lines

    def write(self, vals):
        touched = LEDGER_FIELDS.intersection(vals)
        before = []
        if touched:
            before = [
                (line.company_id.id, line.date) for line in self if line.state == "done"
            ]
        result = super().write(vals)
        if touched:
            self._inventory_ledger_touch(before)
        return result

    def unlink(self):
        before = [
            (line.company_id.id, line.date) for line in self if line.state == "done"
        ]
        result = super().unlink()
        if before:
            self.env["stock.move.line"]._inventory_ledger_touch(before)
        return result
