# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from odoo.addons.inventory_balance.models.stock_move_line import LEDGER_FIELDS

# A line's ledger fields, and its move: a line moved into a done move enters
# the ledger.
LINE_LEDGER_FIELDS = frozenset(LEDGER_FIELDS | {"move_id"})


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _check_stock_lock_date(self, new_date=None, any_state=False):
        """Refuse done lines (with ``any_state``, any lines) dated (or to be
        dated ``new_date``) on or before their company's stock lock date."""
        lines = self.filtered(
            lambda line: (
                (any_state or line.state == "done")
                and line.company_id.sudo().stock_lock_date
            )
        )
        if not lines:
            return
        self.env["res.company"]._check_stock_lock(
            (
                line.company_id,
                date,
                self.env._("the move of %s", line.product_id.display_name),
            )
            for line in lines
            for date in (line.date, new_date)
        )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_stock_lock_date()
        return lines

    def write(self, vals):
        touched = LINE_LEDGER_FIELDS.intersection(vals)
        if touched:
            new_date = fields.Datetime.to_datetime(vals.get("date"))
            self._check_stock_lock_date(new_date)
        result = super().write(vals)
        if touched:
            # A line moved into a done move (or made done) enters the ledger.
            self._check_stock_lock_date()
        return result

    def unlink(self):
        self._check_stock_lock_date()
        return super().unlink()
