# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class InventorySnapshot(models.Model):
    """A point-in-time picture of the inventory of one company."""

    _name = "inventory.snapshot"
    _description = "Inventory Snapshot"
    _inherit = ["mail.thread"]
    _order = "moment desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    description = fields.Text()
    moment = fields.Datetime(
        required=True,
        default=fields.Datetime.now,
        index=True,
        help="The moment the snapshot shows the inventory at; never in the future.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    trigger = fields.Selection(
        [("manual", "Manual"), ("scheduled", "Scheduled"), ("event", "Event")],
        required=True,
        default="manual",
        readonly=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Taken by",
        default=lambda self: self.env.user,
        readonly=True,
    )

    @api.constrains("moment")
    def _check_moment(self):
        now = fields.Datetime.now()
        for snapshot in self:
            if snapshot.moment > now:
                raise ValidationError(
                    self.env._(
                        "The snapshot %(name)s cannot show a moment in the "
                        "future (%(moment)s).",
                        name=snapshot.name,
                        moment=snapshot.moment,
                    )
                )
