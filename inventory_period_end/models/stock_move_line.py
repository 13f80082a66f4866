# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.inventory_balance.models.stock_move_line import LEDGER_FIELDS

from ..tools.period_rules import is_locked


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _check_stock_lock_date(self, new_date=None):
        """Refuse done lines dated (or to be dated ``new_date``) on or before
        their company's stock lock date, outside the group allowed to post in
        closed periods."""
        done = self.filtered(
            lambda line: line.state == "done" and line.company_id.sudo().stock_lock_date
        )
        if not done or self.env.user.has_group(
            "inventory_period_end.group_stock_lock_bypass"
        ):
            return
        for line in done:
            lock_date = line.company_id.sudo().stock_lock_date
            for date in (line.date, new_date):
                if is_locked(date, lock_date):
                    raise UserError(
                        self.env._(
                            "The stock is locked until %(lock)s (%(company)s): the "
                            "move of %(product)s dated %(date)s cannot be done, "
                            "re-dated or changed inside a closed inventory period.",
                            lock=lock_date,
                            company=line.company_id.name,
                            product=line.product_id.display_name,
                            date=date,
                        )
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
