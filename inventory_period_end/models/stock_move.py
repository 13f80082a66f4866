# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _check_stock_lock_date(self, new_date=None):
        """Refuse done moves dated (or to be dated ``new_date``) on or before
        their company's stock lock date, and their lines likewise."""
        done = self.filtered(
            lambda move: move.state == "done" and move.company_id.sudo().stock_lock_date
        )
        if not done:
            return
        self.env["res.company"]._check_stock_lock(
            (
                move.company_id,
                date,
                self.env._(
                    "the move %s", move.reference or move.product_id.display_name
                ),
            )
            for move in done
            for date in (move.date, new_date)
        )
        done.move_line_ids._check_stock_lock_date()

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        # Done now, but their lines may carry an older date.
        moves._check_stock_lock_date()
        return moves

    def write(self, vals):
        if "date" in vals:
            self._check_stock_lock_date(fields.Datetime.to_datetime(vals["date"]))
        return super().write(vals)
