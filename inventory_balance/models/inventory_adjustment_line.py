# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.record_ids import check_vals_ids

# The largest change a line takes, in the product's unit: beyond it a number
# is a typing (or forging) accident, and floats lose units.
MAX_CHANGE = 1e12


class InventoryAdjustmentLine(models.Model):
    _name = "inventory.adjustment.line"
    _description = "Inventory Adjustment Line"
    _order = "adjustment_id, product_id, location_id, lot_id, id"
    _check_company_auto = True

    adjustment_id = fields.Many2one(
        "inventory.adjustment", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="adjustment_id.company_id", store=True)
    state = fields.Selection(related="adjustment_id.state")
    product_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        domain="[('is_storable', '=', True)]",
        ondelete="restrict",
    )
    tracking = fields.Selection(related="product_id.tracking")
    categ_id = fields.Many2one(related="product_id.categ_id", string="Product Category")
    product_attribute_value_ids = fields.Many2many(
        related="product_id.product_template_variant_value_ids",
        string="Variant",
        help="The values of the product's variant attributes (colour, size, ...).",
    )
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    location_id = fields.Many2one(
        "stock.location",
        required=True,
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        ondelete="restrict",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
        ondelete="restrict",
    )
    balance = fields.Float(
        string="Balance when loaded", digits="Product Unit", readonly=True
    )
    change = fields.Float(digits="Product Unit", help="+ adds, - removes.")
    resulting = fields.Float(
        string="Resulting balance",
        digits="Product Unit",
        compute="_compute_resulting",
        store=True,
    )
    move_id = fields.Many2one(
        "stock.move",
        readonly=True,
        index="btree_not_null",
        copy=False,
        check_company=True,
    )

    # ------------------------------------------------------------ guards
    def _check_editable(self, adjustments):
        """Lines change only while their adjustment is a draft."""
        if any(adjustment.state != "draft" for adjustment in adjustments):
            raise UserError(
                self.env._(
                    "The lines of a confirmed or cancelled adjustment cannot be "
                    "added, changed or deleted."
                )
            )

    @api.model
    def _check_change_value(self, vals):
        """Refuse a change that is not a finite number in range, before the
        ORM rounds it (NaN and infinities fail there with a raw error)."""
        change = vals.get("change")
        if change is None or change is False:
            return
        try:
            change = float(change)
        except (TypeError, ValueError):
            change = math.nan
        if not math.isfinite(change) or abs(change) > MAX_CHANGE:
            raise ValidationError(
                self.env._(
                    "The change %(change)s is not a quantity (at most %(max)s "
                    "either way).",
                    change=vals["change"],
                    max=f"{MAX_CHANGE:g}",
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_change_value(vals)
            check_vals_ids(self, vals, ("product_id", "location_id", "lot_id"))
        if any("move_id" in vals for vals in vals_list):
            raise AccessError(
                self.env._("A line's move is set only by the adjustment's Confirm.")
            )
        self._check_editable(
            self.env["inventory.adjustment"].browse(
                [
                    vals["adjustment_id"]
                    for vals in vals_list
                    if vals.get("adjustment_id")
                ]
            )
        )
        return super().create(vals_list)

    def write(self, vals):
        self._check_change_value(vals)
        check_vals_ids(self, vals, ("product_id", "location_id", "lot_id"))
        if "move_id" in vals:
            raise AccessError(
                self.env._("A line's move is set only by the adjustment's Confirm.")
            )
        adjustments = self.adjustment_id
        if "adjustment_id" in vals:
            adjustments |= adjustments.browse(vals["adjustment_id"])
        self._check_editable(adjustments)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_in_drafts(self):
        self._check_editable(self.adjustment_id)

    @api.constrains("change")
    def _check_change(self):
        for line in self:
            if not math.isfinite(line.change) or abs(line.change) > MAX_CHANGE:
                raise ValidationError(
                    self.env._(
                        "%(product)s: the change %(change)s is not a quantity "
                        "(at most %(max)s either way).",
                        product=line.product_id.display_name,
                        change=line.change,
                        max=f"{MAX_CHANGE:g}",
                    )
                )

    @api.depends("balance", "change")
    def _compute_resulting(self):
        for line in self:
            line.resulting = line.balance + line.change

    @api.onchange("product_id", "location_id", "lot_id")
    def _onchange_balance(self):
        for line in self:
            if line.product_id and line.location_id:
                quants = self.env["stock.quant"]._read_group(
                    [
                        ("product_id", "=", line.product_id.id),
                        ("location_id", "=", line.location_id.id),
                        ("lot_id", "=", line.lot_id.id),
                    ],
                    aggregates=["quantity:sum"],
                )
                line.balance = quants[0][0] or 0.0
