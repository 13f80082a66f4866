# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.ageing_rules import Bucket, check_buckets


class InventoryAgeingBucket(models.Model):
    """An age bucket of the aged inventory, in days since the stock came in.

    The active buckets must cover every age from 0 once, in order; the last
    one has no end.  That is checked when the ageing is computed, not on each
    write: changing one bucket's end means changing the next one's start."""

    _name = "inventory.ageing.bucket"
    _description = "Inventory Ageing Bucket"
    _order = "days_from, id"

    name = fields.Char(required=True, translate=True)
    days_from = fields.Integer(string="From (days)", required=True)
    days_to = fields.Integer(
        string="To (days)", help="Last day of the bucket; 0 for the last, open bucket."
    )
    active = fields.Boolean(default=True)

    @api.constrains("days_from", "days_to")
    def _check_days(self):
        """Ages in days are whole numbers within a century."""
        for bucket in self:
            if not 0 <= bucket.days_from <= 36500 or not (
                bucket.days_to == 0 or bucket.days_from <= bucket.days_to <= 36500
            ):
                raise ValidationError(
                    self.env._(
                        "The age bucket %(name)s must start between 0 and 36500 "
                        "days and end after its start (or be open: 0).",
                        name=bucket.name,
                    )
                )

    @api.model
    def _buckets(self):
        """The active buckets as pure-rule tuples, youngest first; a
        ``UserError`` when they do not cover every age once."""
        buckets = [
            Bucket(bucket.name, bucket.days_from, bucket.days_to or None)
            for bucket in self.search([])
        ]
        error = check_buckets(buckets)
        if error:
            raise UserError(
                self.env._(
                    "Fix the ageing buckets (Inventory > Configuration): %(error)s",
                    error=error,
                )
            )
        return buckets
