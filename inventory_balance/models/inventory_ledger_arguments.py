# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The ledger engine's arguments: who may read it, and the moments, ids,
groupings, pages and limits its callers give, checked and normalised with
a clear error for anything else.  A mixin of ``inventory.ledger``."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.record_ids import ID_MODELS, as_id_list, check_ids_exist

# The keys of a balance: grouping name -> column.
KEY_COLUMNS = {
    "product": "product_id",
    "location": "location_id",
    "lot": "lot_id",
    "package": "package_id",
    "owner": "owner_id",
}


class InventoryLedgerArguments(models.AbstractModel):
    _name = "inventory.ledger.arguments"
    _description = "Stock Ledger Engine: arguments"

    def _check_ledger_access(self):
        """The engine reads stock tables in SQL: only inventory users may."""
        if not self.env.su and not self.env.user.has_group("stock.group_stock_user"):
            raise AccessError(
                self.env._(
                    "Only inventory users can read stock balances and movements."
                )
            )

    @api.model
    def _parse_moment(self, value, name="at"):
        if not value:
            return fields.Datetime.now()
        try:
            moment = fields.Datetime.to_datetime(value)
        except (TypeError, ValueError):
            moment = None
        if not moment:
            raise UserError(
                self.env._(
                    "%(name)s is not a date and time: %(value)s", name=name, value=value
                )
            )
        if isinstance(value, str) and len(value) <= 10:
            # A date alone means the end of that day.
            moment = moment.replace(hour=23, minute=59, second=59)
        if moment > fields.Datetime.now():
            raise UserError(
                self.env._(
                    "Balances are only known up to now; %(moment)s is in the future.",
                    moment=fields.Datetime.to_string(moment),
                )
            )
        return moment

    @api.model
    def _parse_group_by(
        self, group_by, known=None, default=("product", "location", "lot")
    ):
        """``group_by`` as a tuple of names taken from ``known`` (default the
        balance keys); ``default`` when empty; a clear error for any other."""
        known = known or KEY_COLUMNS
        group_by = tuple(group_by or default)
        unknown = [g for g in group_by if g not in known]
        if unknown:
            raise UserError(
                self.env._(
                    "Unknown grouping %(unknown)s; use some of: %(known)s.",
                    unknown=", ".join(map(str, unknown)),
                    known=", ".join(known),
                )
            )
        return group_by

    @api.model
    def _parse_ids(self, ids, name):
        """``ids`` as a list (None for none); ids of a known argument name
        (``tools.record_ids.ID_MODELS``) must exist (a clear UserError)."""
        if not ids:
            return None
        if name in ID_MODELS:
            return check_ids_exist(self.env, name, ids).ids
        return as_id_list(ids, name, self.env)

    @api.model
    def _limit_param(self, name, default):
        """A positive integer system parameter (``default`` when unset or
        not a positive integer)."""
        value = self.env["ir.config_parameter"].sudo().get_param(name)
        try:
            value = int(value)
        except (TypeError, ValueError):
            return default
        return value if value > 0 else default

    @api.model
    def _parse_page(self, offset, limit):
        """``(offset, limit)`` as non-negative integers (no limit: None)."""
        try:
            offset = int(offset or 0)
            limit = int(limit) if limit else None
        except (TypeError, ValueError):
            raise UserError(self.env._("offset and limit are numbers.")) from None
        if offset < 0 or (limit is not None and limit < 0):
            raise UserError(self.env._("offset and limit cannot be negative."))
        return offset, limit

    @api.model
    def _scope_companies(self, company_ids):
        company_ids = self._parse_ids(company_ids, "company_ids")
        allowed = self.env.companies.ids
        if company_ids is None:
            return allowed
        return [c for c in company_ids if c in allowed]
