# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError

from ..tools.period_rules import is_locked


class StockMove(models.Model):
    _inherit = "stock.move"

    def _check_stock_lock_date(self, new_date=None):
        """Refuse done moves dated (or to be dated ``new_date``) on or before
        their company's stock lock date, and their lines likewise."""
        done = self.filtered(
            lambda move: move.state == "done" and move.company_id.sudo().stock_lock_date
        )
        if not done or self.env.user.has_group(
            "inventory_period_end.group_stock_lock_bypass"
        ):
            return
        for move in done:
            lock_date = move.company_id.sudo().stock_lock_date
            for date in (move.date, new_date):
                if is_locked(date, lock_date):
                    raise UserError(
                        self.env._(
                            "The stock is locked until %(lock)s (%(company)s): the "
                            "move %(move)s dated %(date)s cannot be done or "
                            "re-dated inside a closed inventory period.",
                            lock=lock_date,
                            company=move.company_id.name,
                            move=move.reference or move.product_id.display_name,
                            date=date,
                        )
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
