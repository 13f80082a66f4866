# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from odoo.addons.inventory_balance.models.stock_move_line import LEDGER_FIELDS


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _check_stock_lock_date(self, new_date=None):
        """Refuse done lines dated (or to be dated ``new_date``) on or before
        their company's stock lock date."""
        done = self.filtered(
            lambda line: line.state == "done" and line.company_id.sudo().stock_lock_date
        )
        if not done:
            return
        self.env["res.company"]._check_stock_lock(
            (
                line.company_id,
                date,
                self.env._("the move of %s", line.product_id.display_name),
            )
            for line in done
            for date in (line.date, new_date)
        )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_stock_lock_date()
        return lines

    def write(self, vals):
        if LEDGER_FIELDS.intersection(vals):
            new_date = fields.Datetime.to_datetime(vals.get("date"))
            self._check_stock_lock_date(new_date)
        return super().write(vals)

    def unlink(self):
        self._check_stock_lock_date()
        return super().unlink()
