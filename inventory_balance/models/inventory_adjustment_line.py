# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools.lot_balance_rules import EPSILON, plan_unit_removal, receipt_lot_name
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
    package_id = fields.Many2one(
        "stock.package",
        check_company=True,
        domain="['|', ('location_id', '=', False), '&', "
        "('location_id', '=', location_id), ('quant_ids.product_id', '=', product_id)]",
        ondelete="restrict",
        help="A unit (a package holding this product and lot): a removal takes "
        "from it, a receipt goes into it.",
    )
    unit_count = fields.Integer(
        string="Units to remove",
        help="Remove this many units (packages) of the lot at the location, "
        "whole: the partial one first, then the oldest, never a reserved one; "
        "the change is their quantity. Without packages there, one unit is the "
        "standard count of the product's packaging, or one of its unit "
        "(e.g. empty pallets).",
    )
    odd_lot = fields.Boolean(
        string="Own lot if odd",
        help="A receipt whose quantity differs from the standard count of the "
        "product's packaging (an overrun or underrun unit) gets its own lot "
        "code: the lot's code with the first free suffix -1, -2, ...",
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
            check_vals_ids(
                self, vals, ("product_id", "location_id", "lot_id", "package_id")
            )
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
        check_vals_ids(
            self, vals, ("product_id", "location_id", "lot_id", "package_id")
        )
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

    @api.constrains("unit_count", "package_id")
    def _check_unit_count(self):
        for line in self:
            if line.unit_count < 0:
                raise ValidationError(
                    self.env._(
                        "%(product)s: the units to remove are a number of units, "
                        "0 or more (not %(count)s).",
                        product=line.product_id.display_name,
                        count=line.unit_count,
                    )
                )
            if line.unit_count and line.package_id:
                raise ValidationError(
                    self.env._(
                        "%(product)s: name a package or a number of units to "
                        "remove, not both.",
                        product=line.product_id.display_name,
                    )
                )

    @api.depends("balance", "change")
    def _compute_resulting(self):
        for line in self:
            line.resulting = line.balance + line.change

    @api.onchange("product_id", "location_id", "lot_id", "package_id")
    def _onchange_balance(self):
        for line in self:
            if line.product_id and line.location_id:
                domain = [
                    ("product_id", "=", line.product_id.id),
                    ("location_id", "=", line.location_id.id),
                    ("lot_id", "=", line.lot_id.id),
                ]
                if line.package_id:
                    domain.append(("package_id", "=", line.package_id.id))
                quants = self.env["stock.quant"]._read_group(
                    domain, aggregates=["quantity:sum"]
                )
                line.balance = quants[0][0] or 0.0

    @api.onchange("package_id")
    def _onchange_package_id(self):
        """A named package replaces a number of units to remove."""
        for line in self:
            if line.package_id:
                line.unit_count = 0

    @api.onchange("unit_count", "product_id", "location_id", "lot_id")
    def _onchange_unit_count(self):
        """The change of "units to remove": the quantity of the units it
        would take now (Confirm takes them again, as they are then)."""
        for line in self:
            if not (line.unit_count > 0 and line.product_id and line.location_id):
                continue
            line.package_id = False
            try:
                plan = line._plan_units()
            except UserError as error:
                return {
                    "warning": {
                        "title": self.env._("Units to remove"),
                        "message": error.args[0],
                    }
                }
            line.change = -sum(quantity for _package, quantity in plan[line.id])
        return None

    # ------------------------------------------------------------ units
    def _standard_counts(self):
        """The standard count of a unit (the product's packaging), per
        product id (False without packaging)."""
        products = self.product_id
        if not products:
            return {}
        report = self.env["inventory.lot.balance.report"]
        self.env.cr.execute(
            SQL(
                """
                SELECT pp.id, std.standard_count
                  FROM product_product pp
                  JOIN (%s) std ON std.product_tmpl_id = pp.product_tmpl_id
                 WHERE pp.id = ANY(%s)
                """,
                report._standard_counts_sql(),
                products.ids,
            )
        )
        counts = dict.fromkeys(products.ids, False)
        counts.update(self.env.cr.fetchall())
        return counts

    def _plan_units(self):
        """Which units "units to remove" of each line takes now, at its
        exact location: ``{line id: [(package id or False, quantity)]}``.
        Units with a reservation are not taken (they are promised).

        :raise UserError: a line asking more units than there are, named
        """
        lines = self.filtered(lambda line: line.unit_count > 0)
        if not lines:
            return {}
        self.env["stock.quant"].flush_model(
            ["product_id", "location_id", "lot_id", "package_id", "quantity"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT q.product_id, q.location_id, COALESCE(q.lot_id, 0),
                       q.package_id, SUM(q.quantity), SUM(q.reserved_quantity)
                  FROM stock_quant q
                 WHERE (q.product_id, q.location_id, COALESCE(q.lot_id, 0)) IN %s
                 GROUP BY q.product_id, q.location_id, COALESCE(q.lot_id, 0),
                          q.package_id
                 ORDER BY q.package_id NULLS FIRST
                """,
                tuple(
                    (line.product_id.id, line.location_id.id, line.lot_id.id or 0)
                    for line in lines
                ),
            )
        )
        units, loose = {}, {}
        for (
            product,
            location,
            lot,
            package,
            quantity,
            reserved,
        ) in self.env.cr.fetchall():
            key = (product, location, lot)
            if package is None:
                loose[key] = loose.get(key, 0.0) + quantity - reserved
            elif quantity > EPSILON and reserved <= EPSILON:
                units.setdefault(key, []).append((package, quantity))
        standard = lines._standard_counts()
        plans, errors = {}, []
        for line in lines:
            key = (line.product_id.id, line.location_id.id, line.lot_id.id or 0)
            try:
                plans[line.id] = plan_unit_removal(
                    units.get(key, []),
                    line.unit_count,
                    standard[line.product_id.id],
                    loose.get(key, 0.0),
                )
            except ValueError:
                errors.append(
                    self.env._(
                        "%(where)s: %(count)s units cannot be removed, there are "
                        "%(units)s free units there (%(loose)s %(uom)s loose).",
                        where=line._where(),
                        count=line.unit_count,
                        units=len(units.get(key, [])),
                        loose=round(loose.get(key, 0.0), 6),
                        uom=line.product_id.uom_id.name,
                    )
                )
        if errors:
            raise UserError("\n".join(errors))
        return plans

    def _where(self):
        self.ensure_one()
        lot = f" ({self.lot_id.name})" if self.lot_id else ""
        return f"{self.product_id.display_name}{lot} @ {self.location_id.display_name}"

    def _package_errors(self):
        """Why the packages the lines name cannot take their change: a
        package holding another product or lot, or at another location, or a
        removal of more than it holds free."""
        lines = self.filtered("package_id")
        if not lines:
            return []
        self.env["stock.quant"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT q.package_id, q.product_id, COALESCE(q.lot_id, 0),
                       q.location_id, SUM(q.quantity), SUM(q.reserved_quantity)
                  FROM stock_quant q
                 WHERE q.package_id = ANY(%s)
                 GROUP BY q.package_id, q.product_id, COALESCE(q.lot_id, 0),
                          q.location_id
                HAVING SUM(q.quantity) <> 0
                """,
                lines.package_id.ids,
            )
        )
        contents = {}
        for (
            package,
            product,
            lot,
            location,
            quantity,
            reserved,
        ) in self.env.cr.fetchall():
            contents.setdefault(package, []).append(
                (product, lot, location, quantity, reserved)
            )
        errors = []
        for line in lines:
            own = (line.product_id.id, line.lot_id.id or 0, line.location_id.id)
            content = contents.get(line.package_id.id, [])
            if any(row[:3] != own for row in content):
                errors.append(
                    self.env._(
                        "%(where)s: the package %(package)s holds another product "
                        "or lot, or is at another location.",
                        where=line._where(),
                        package=line.package_id.display_name,
                    )
                )
                continue
            free = sum(row[3] - row[4] for row in content)
            if (
                line.change < 0
                and line.product_id.uom_id.compare(-line.change, free) > 0
            ):
                errors.append(
                    self.env._(
                        "%(where)s: the package %(package)s holds %(free)s %(uom)s "
                        "free, %(needed)s asked.",
                        where=line._where(),
                        package=line.package_id.display_name,
                        free=round(free, 6),
                        uom=line.product_id.uom_id.name,
                        needed=-line.change,
                    )
                )
        return errors

    def _apply_odd_lots(self):
        """Receipts asking for their own lot when odd: a receipt whose
        quantity differs from the standard count goes to a new lot, the
        lot's code with the first free suffix (the line then names it)."""
        lines = self.filtered(
            lambda line: line.odd_lot and line.lot_id and line.change > 0
        )
        if not lines:
            return
        standard = lines._standard_counts()
        Lot = self.env["stock.lot"]
        for line in lines:
            lot = line.lot_id
            existing = Lot.search(
                [
                    ("product_id", "=", line.product_id.id),
                    ("name", "like", f"{lot.name}-"),
                ]
            ).mapped("name")
            name = receipt_lot_name(
                lot.name, line.change, standard[line.product_id.id], existing
            )
            if name != lot.name:
                line.lot_id = Lot.create(
                    {
                        "name": name,
                        "product_id": line.product_id.id,
                        "company_id": line.company_id.id,
                    }
                )

    def _adjustment_move_line_vals(self, source, destination, quantity, units=None):
        """The move lines of this line's move (the per-line hook of the
        adjustment's Confirm): one per unit taken when removing units, else
        one, from the named package on a removal or into it on a receipt, so
        that the ledger keys the balances by package.

        :param units: ``[(package id or False, quantity)]`` planned by
            :meth:`_plan_units` for this line
        """
        self.ensure_one()
        parts = units or [(self.package_id.id, quantity)]
        receipt = self.change > 0
        return [
            {
                "product_id": self.product_id.id,
                "product_uom_id": self.product_id.uom_id.id,
                "quantity": part_quantity,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "company_id": self.adjustment_id.company_id.id,
                "lot_id": self.lot_id.id,
                "package_id": False if receipt else package_id,
                "result_package_id": package_id if receipt else False,
            }
            for package_id, part_quantity in parts
        ]
