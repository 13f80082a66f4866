# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.period_rules import is_locked


class ResCompany(models.Model):
    _inherit = "res.company"

    stock_lock_date = fields.Date(
        readonly=True,
        help="No stock move can be done, re-dated or changed on or before this "
        "date, except by the group 'Post in closed inventory periods'. Set by "
        "closing an inventory period.",
    )
    inventory_period_length = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")],
        string="Inventory period",
        required=True,
        default="month",
    )
    inventory_period_keep = fields.Integer(
        string="Opening balances kept",
        default=12,
        help="How many closed periods keep their closing checkpoint; older "
        "checkpoints are pruned at each close. 0 keeps them all.",
    )

    @api.constrains("inventory_period_keep")
    def _check_inventory_period_keep(self):
        for company in self:
            if not 0 <= company.inventory_period_keep <= 1200:
                raise ValidationError(
                    self.env._(
                        "Keep between 0 (all) and 1200 closing checkpoints "
                        "(%(count)s asked).",
                        count=company.inventory_period_keep,
                    )
                )

    def _check_stock_lock(self, dated):
        """Refuse stock dated on or before its company's stock lock date,
        outside the group allowed to post in closed periods.

        :param dated: ``(company, moment, what)`` triples, ``what`` naming the
            move for the message
        """
        if self.env.user.has_group("inventory_period_end.group_stock_lock_bypass"):
            return
        for company, moment, what in dated:
            lock_date = company.sudo().stock_lock_date
            if is_locked(moment, lock_date):
                raise UserError(
                    self.env._(
                        "The stock is locked until %(lock)s (%(company)s): %(what)s "
                        "dated %(date)s cannot be done, re-dated or changed inside "
                        "a closed inventory period.",
                        lock=lock_date,
                        company=company.name,
                        what=what,
                        date=moment,
                    )
                )
