# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class InventoryPeriod(models.Model):
    """An inventory period of one company, closed at its end by the balance run."""

    _name = "inventory.period"
    _description = "Inventory Period"
    _inherit = ["mail.thread"]
    _order = "company_id, date_from desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    date_from = fields.Date(string="Start", required=True)
    date_to = fields.Date(string="End", required=True)
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")],
        required=True,
        default="open",
        readonly=True,
        tracking=True,
    )

    _date_order = models.Constraint(
        "CHECK(date_from <= date_to)",
        "An inventory period cannot end before it starts.",
    )

    @api.constrains("date_from", "date_to", "company_id")
    def _check_no_overlap(self):
        periods = self.search(
            [
                ("company_id", "in", self.company_id.ids),
                ("date_from", "<=", max(self.mapped("date_to"))),
                ("date_to", ">=", min(self.mapped("date_from"))),
            ]
        )
        for period in self:
            overlapping = periods.filtered(
                lambda other, period=period: (
                    other != period
                    and other.company_id == period.company_id
                    and other.date_from <= period.date_to
                    and other.date_to >= period.date_from
                )
            )
            if overlapping:
                raise ValidationError(
                    self.env._(
                        "The inventory period %(name)s overlaps %(other)s of the "
                        "same company.",
                        name=period.name,
                        other=overlapping[0].name,
                    )
                )
