# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..tools.sheet_columns import COLUMNS

# The largest number typed over a cell, either way: beyond it a number is a
# typing (or forging) accident and the sheet's sums lose their units.
MAX_OVERRIDE = 1e12
# Who typed an override and when: set by the override itself, never by the
# caller.
AUTHORSHIP_FIELDS = {"user_id", "date"}


class InventoryBalanceSheetOverride(models.Model):
    """A number a user typed over a computed cell.  Kept apart from the
    computed values, so that a Refresh keeps it."""

    _name = "inventory.balance.sheet.override"
    _description = "Inventory Balance Sheet Override"
    _order = "sheet_id, product_id, period, id"
    _check_company_auto = True

    sheet_id = fields.Many2one(
        "inventory.balance.sheet", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="sheet_id.company_id")
    product_id = fields.Many2one(
        "product.product",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    period = fields.Integer(
        required=True, help="Index of the period in the sheet, from 0."
    )
    code = fields.Selection(
        [(code, spec[0]) for code, spec in COLUMNS.items()],
        string="Column",
        required=True,
    )
    value = fields.Float(required=True, digits="Product Unit")
    user_id = fields.Many2one(
        "res.users",
        string="Overridden by",
        required=True,
        default=lambda self: self.env.user,
        readonly=True,
    )
    date = fields.Datetime(
        string="Overridden on",
        required=True,
        default=fields.Datetime.now,
        readonly=True,
    )

    _cell_unique = models.Constraint(
        "UNIQUE(sheet_id, product_id, period, code)",
        "A cell has one override.",
    )

    @api.constrains("period", "sheet_id")
    def _check_period(self):
        for override in self:
            if not 0 <= override.period < len(override.sheet_id._periods()):
                raise ValidationError(
                    self.env._(
                        "The sheet %(sheet)s has no period %(period)s.",
                        sheet=override.sheet_id.name,
                        period=override.period,
                    )
                )

    @api.constrains("value")
    def _check_value(self):
        for override in self:
            if not math.isfinite(override.value) or abs(override.value) > MAX_OVERRIDE:
                raise ValidationError(
                    self.env._(
                        "%(value)s is not a number a sheet takes (at most %(max)s "
                        "either way).",
                        value=override.value,
                        max=f"{MAX_OVERRIDE:g}",
                    )
                )

    @api.model
    def _check_value_number(self, vals):
        """Refuse a value that is not a finite number in range, before the
        ORM rounds it (NaN and infinities fail there with a raw error)."""
        if "value" not in vals:
            return
        try:
            value = float(vals["value"])
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value) or abs(value) > MAX_OVERRIDE:
            raise ValidationError(
                self.env._(
                    "%(value)s is not a number a sheet takes (at most %(max)s "
                    "either way).",
                    value=vals["value"],
                    max=f"{MAX_OVERRIDE:g}",
                )
            )

    def _refuse_authorship(self, vals):
        forged = AUTHORSHIP_FIELDS.intersection(vals)
        if forged:
            raise AccessError(
                self.env._(
                    "Who typed an override and when (%(fields)s) are recorded "
                    "by the sheet, not given.",
                    fields=", ".join(sorted(forged)),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            self._refuse_authorship(vals)
            self._check_value_number(vals)
        return super().create(
            [dict(vals, user_id=self.env.uid, date=now) for vals in vals_list]
        )

    def write(self, vals):
        self._refuse_authorship(vals)
        self._check_value_number(vals)
        if "value" in vals:
            vals = dict(vals, user_id=self.env.uid, date=fields.Datetime.now())
        return super().write(vals)
