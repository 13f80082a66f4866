# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

# Fields of a done move whose change changes the ledger (its lines follow
# it: their state is a stored related field, written without their write()).
MOVE_LEDGER_FIELDS = frozenset(
    {
        "date",
        "state",
        "product_id",
        "location_id",
        "location_dest_id",
        "quantity",
        "company_id",
    }
)


class StockMove(models.Model):
    _inherit = "stock.move"

    def _check_stock_lock_date(self, new_date=None, entering=False):
        """Refuse done moves dated (or to be dated ``new_date``) on or before
        their company's stock lock date, and their lines likewise.  With
        ``entering``, the moves are becoming done: any state counts, and only
        the date they are done at (``new_date``, else their date) and their
        lines' dates."""
        moves = self.filtered(
            lambda move: (
                (entering or move.state == "done")
                and move.company_id.sudo().stock_lock_date
            )
        )
        if not moves:
            return
        self.env["res.company"]._check_stock_lock(
            (
                move.company_id,
                date,
                self.env._(
                    "the move %s", move.reference or move.product_id.display_name
                ),
            )
            for move in moves
            for date in (
                (new_date or move.date,) if entering else (move.date, new_date)
            )
        )
        if entering:
            moves.move_line_ids._check_stock_lock_date(any_state=True)
        else:
            moves.move_line_ids._check_stock_lock_date(new_date)

    def _check_stock_lock_write(self, vals):
        """Refuse a write that changes the ledger on or before the stock
        lock date: a done move changed (re-dated, re-located, cancelled or
        sent back to draft), or a move made done by writing its state (its
        lines become done with it, without their own write)."""
        new_date = fields.Datetime.to_datetime(vals.get("date"))
        unchanged = self
        if "state" in vals:
            changing = self.filtered(lambda move: move.state != vals["state"])
            changing._check_stock_lock_date(new_date, entering=vals["state"] == "done")
            unchanged = self - changing
        if MOVE_LEDGER_FIELDS.difference({"state"}).intersection(vals):
            unchanged._check_stock_lock_date(new_date)

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        # Done now, but their lines may carry an older date.
        moves._check_stock_lock_date()
        return moves

    def write(self, vals):
        if not MOVE_LEDGER_FIELDS.intersection(vals):
            return super().write(vals)
        self._check_stock_lock_write(vals)
        # A state written in or out of done moves the lines in or out of the
        # ledger without their write(): the checkpoints after them are stale
        # (for the group allowed to post in closed periods too).
        done_before = []
        if "state" in vals:
            done_before = [
                (line.company_id.id, line.date)
                for line in self.move_line_ids
                if line.state == "done"
            ]
        result = super().write(vals)
        if "state" in vals:
            self.move_line_ids._inventory_ledger_touch(done_before)
        return result

    def unlink(self):
        # Odoo deletes done moves that no other operation links to.
        self._check_stock_lock_date()
        return super().unlink()
