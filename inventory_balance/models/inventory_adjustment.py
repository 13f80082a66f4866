# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools.record_ids import check_ids_exist, check_vals_ids

# The relational fields whose ids a create or write must name existing records
SCOPE_FIELDS = ("company_id", "location_id", "categ_ids")

# The context key of the workflow actions: honoured only together with the
# superuser mode they enter after their own checks (a key sent over RPC alone
# does nothing).
WORKFLOW_KEY = "inventory_adjustment_workflow"
# The actions' in-process marker, compared by identity: a context sent over RPC
# holds JSON values only, so it cannot carry it (a plain True is refused).
WORKFLOW = object()
# Set only by the actions (confirm, cancel, back to draft).
WORKFLOW_FIELDS = {"state", "confirmed_by", "confirmed_at", "move_ids"}
# What a confirmed adjustment says it did: never changed afterwards.
LOCKED_WHEN_DONE = {
    "name",
    "date",
    "reason_id",
    "company_id",
    "location_id",
    "categ_ids",
    "product_filter",
    "line_ids",
}


class InventoryAdjustment(models.Model):
    """A named, dated inventory adjustment: a draft table of changes per
    product, location and lot, applied in one transaction on confirmation as
    inventory moves linked to it."""

    _name = "inventory.adjustment"
    _description = "Inventory Adjustment"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="The moves are dated at this date, so balances at a date see them.",
    )
    reason_id = fields.Many2one(
        "inventory.adjustment.reason", required=True, tracking=True, ondelete="restrict"
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done"), ("cancel", "Cancelled")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    location_id = fields.Many2one(
        "stock.location",
        string="Location filter",
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        help="Load only this location and its children.",
    )
    categ_ids = fields.Many2many(
        "product.category", string="Category filter", help="Sub-categories included."
    )
    product_filter = fields.Char(
        string="Product filter",
        help="Load only products whose name or reference contains this.",
    )
    line_ids = fields.One2many("inventory.adjustment.line", "adjustment_id", copy=True)
    line_count = fields.Integer(compute="_compute_counts")
    changed_count = fields.Integer(compute="_compute_counts", string="Changes")
    move_ids = fields.One2many("stock.move", "inventory_adjustment_id", readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
    )
    confirmed_by = fields.Many2one("res.users", readonly=True, copy=False)
    confirmed_at = fields.Datetime(readonly=True, copy=False)

    # ------------------------------------------------------------ guards
    def _is_workflow(self):
        """Whether this environment is a workflow action's own (superuser
        mode and the action's key)."""
        return self.env.su and self.env.context.get(WORKFLOW_KEY) is WORKFLOW

    def _workflow_write(self, vals):
        """Write workflow fields, after the caller's own checks."""
        return self.sudo().with_context(**{WORKFLOW_KEY: WORKFLOW}).write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_vals_ids(self, vals, SCOPE_FIELDS)
        if not self._is_workflow():
            for vals in vals_list:
                forged = WORKFLOW_FIELDS.intersection(vals)
                if vals.get("state", "draft") == "draft":
                    forged.discard("state")
                if forged:
                    raise AccessError(
                        self.env._(
                            "An adjustment is created as a draft; %(fields)s are "
                            "set by its actions (Confirm, Cancel).",
                            fields=", ".join(sorted(forged)),
                        )
                    )
        return super().create(vals_list)

    def write(self, vals):
        check_vals_ids(self, vals, SCOPE_FIELDS)
        if not self._is_workflow():
            forged = WORKFLOW_FIELDS.intersection(vals)
            if forged:
                raise AccessError(
                    self.env._(
                        "%(fields)s of an adjustment are set only by its actions "
                        "(Confirm, Cancel, Set to Draft).",
                        fields=", ".join(sorted(forged)),
                    )
                )
            locked = LOCKED_WHEN_DONE.intersection(vals)
            if locked and any(adjustment.state == "done" for adjustment in self):
                raise UserError(
                    self.env._(
                        "A confirmed adjustment cannot be changed (%(fields)s).",
                        fields=", ".join(sorted(locked)),
                    )
                )
        return super().write(vals)

    @api.depends("line_ids.change")
    def _compute_counts(self):
        groups = self.env["inventory.adjustment.line"]._read_group(
            [("adjustment_id", "in", self.ids)],
            ["adjustment_id"],
            ["__count", "change:count_distinct"],
        )
        counts = {adjustment.id: count for adjustment, count, _distinct in groups}
        changed = self.env["inventory.adjustment.line"]._read_group(
            [("adjustment_id", "in", self.ids), ("change", "!=", 0)],
            ["adjustment_id"],
            ["__count"],
        )
        changes = {adjustment.id: count for adjustment, count in changed}
        for adjustment in self:
            adjustment.line_count = counts.get(adjustment.id, 0)
            adjustment.changed_count = changes.get(adjustment.id, 0)

    # ----------------------------------------------------------- loading
    def action_load_products(self):
        """Add a line for every stock-kept product matching the filters: one
        per (location, lot) holding stock, or one at the location filter (else
        the warehouse stock) when it has none; lines already there are kept.
        One INSERT ... SELECT."""
        self._check_draft()
        self.env.flush_all()
        for adjustment in self:
            adjustment._load_products()
        return True

    def _load_products(self):
        self.ensure_one()
        company = self.company_id
        default_location = (
            self.location_id
            or self.env["stock.warehouse"]
            .search([("company_id", "=", company.id)], limit=1)
            .lot_stock_id
        )
        if not default_location:
            raise UserError(
                self.env._("The company %s has no warehouse.", company.name)
            )
        # The suite's one scope resolver: the active storable products of
        # the company (of the categories, sub-categories included) and the
        # internal locations under the location filter.
        scope = self.env["inventory.scope"]._resolve(
            company,
            location_ids=self.location_id,
            categ_ids=self.categ_ids,
            storable=True,
            active=True,
            company_products=True,
            usages=("internal",),
            names={"company": "company_id", "location": "location_id"},
        )
        where = [SQL("pp.id IN (%s)", scope.products_sql)]
        if self.product_filter:
            pattern = f"%{self.product_filter}%"
            lang = self.env.lang or "en_US"
            where.append(
                SQL(
                    "(COALESCE(pt.name ->> %s, pt.name ->> 'en_US') ILIKE %s "
                    "OR pp.default_code ILIKE %s)",
                    lang,
                    pattern,
                    pattern,
                )
            )
        self.env.cr.execute(
            SQL(
                """
            WITH products AS (
                SELECT pp.id FROM product_product pp
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE %(where)s
            ), balances AS (
                SELECT q.product_id, q.location_id, q.lot_id, SUM(q.quantity) AS qty
                  FROM stock_quant q
                  JOIN products p ON p.id = q.product_id
                 WHERE q.location_id = ANY(%(locations)s)
                 GROUP BY q.product_id, q.location_id, q.lot_id
                HAVING SUM(q.quantity) <> 0
            ), keys AS (
                SELECT product_id, location_id, lot_id, qty FROM balances
                UNION ALL
                SELECT p.id, %(default_location)s, NULL, 0 FROM products p
                 WHERE NOT EXISTS (SELECT 1 FROM balances b WHERE b.product_id = p.id)
            )
            INSERT INTO inventory_adjustment_line
                (adjustment_id, company_id, product_id, location_id, lot_id, balance,
                 change, resulting, create_uid, write_uid, create_date, write_date)
            SELECT %(adjustment)s, %(company)s, k.product_id, k.location_id, k.lot_id,
                   k.qty, 0, k.qty, %(uid)s, %(uid)s, now() at time zone 'UTC',
                   now() at time zone 'UTC'
              FROM keys k
             WHERE NOT EXISTS (
                SELECT 1 FROM inventory_adjustment_line l
                 WHERE l.adjustment_id = %(adjustment)s
                   AND l.product_id = k.product_id AND l.location_id = k.location_id
                   AND l.lot_id IS NOT DISTINCT FROM k.lot_id)
            """,
                where=SQL(" AND ").join(where),
                locations=list(scope.location_ids),
                default_location=default_location.id,
                adjustment=self.id,
                company=company.id,
                uid=self.env.uid,
            )
        )
        self.line_ids.invalidate_recordset()
        self.invalidate_recordset(["line_ids"])
        return self.env.cr.rowcount

    # ---------------------------------------------------------- confirming
    def _check_draft(self):
        for adjustment in self:
            if adjustment.state != "draft":
                raise UserError(
                    self.env._(
                        "The adjustment %s is not a draft any more.", adjustment.name
                    )
                )

    def _move_date(self):
        """The moves' date: now for today, the end of the day for a past date."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        if self.date > today:
            raise UserError(
                self.env._(
                    "The adjustment %(name)s is dated in the future (%(date)s).",
                    name=self.name,
                    date=self.date,
                )
            )
        lock_date = getattr(self.company_id, "stock_lock_date", False)
        if lock_date and self.date <= lock_date:
            raise UserError(
                self.env._(
                    "The adjustment %(name)s is dated on or before the stock lock "
                    "date %(lock)s.",
                    name=self.name,
                    lock=lock_date,
                )
            )
        if self.date == today:
            return fields.Datetime.now()
        return datetime.combine(self.date, time(23, 59, 59))

    def _check_lines(self, lines):
        """Refuse the changes that Odoo would refuse or that break a rule,
        naming the product and location."""
        errors = []
        for line in lines:
            product = line.product_id
            where = f"{product.display_name} @ {line.location_id.display_name}"
            if not product.is_storable:
                errors.append(self.env._("%s: the product is not stock-kept.", where))
            if not line.adjustment_id.reason_id._allows(line.change):
                errors.append(
                    self.env._(
                        "%(where)s: the reason %(reason)s does not allow a change of "
                        "%(change)s.",
                        where=where,
                        reason=line.adjustment_id.reason_id.name,
                        change=line.change,
                    )
                )
            if product.tracking != "none" and not line.lot_id:
                errors.append(
                    self.env._("%s: a lot or serial number is required.", where)
                )
            if product.tracking == "serial" and abs(line.change) != 1:
                errors.append(
                    self.env._(
                        "%s: a serial number is one unit; change it by 1.", where
                    )
                )
            # Transit: goods lost on the way are written off (the period-end
            # balance run reconciles transit with the open moves).
            if line.location_id.usage not in ("internal", "transit"):
                errors.append(
                    self.env._("%s: not an internal or transit location.", where)
                )
        errors += lines._package_errors()
        if errors:
            raise UserError("\n".join(errors))

    def _check_available(self, lines):
        """Reductions may not take more than is available (quantity less
        reserved) at the exact location and lot, unless the company allows
        negative stock.  The quants are locked first, so concurrent
        confirmations wait for each other."""
        if self.company_id.inventory_adjustment_allow_negative:
            return
        decreases = lines.filtered(lambda line: line.change < 0)
        if not decreases:
            return
        self.env.cr.execute(
            SQL(
                """
            SELECT q.product_id, q.location_id, q.lot_id,
                   SUM(q.quantity - q.reserved_quantity)
              FROM stock_quant q
             WHERE (q.product_id, q.location_id, COALESCE(q.lot_id, 0)) IN %s
             GROUP BY q.product_id, q.location_id, q.lot_id
            """,
                tuple(
                    (line.product_id.id, line.location_id.id, line.lot_id.id or 0)
                    for line in decreases
                ),
            )
        )
        available = {
            (p, loc, lot or False): qty for p, loc, lot, qty in self.env.cr.fetchall()
        }
        needed = {}
        for line in decreases:
            key = (line.product_id.id, line.location_id.id, line.lot_id.id or False)
            needed.setdefault(key, [line, 0.0])[1] -= line.change
        errors = []
        for key, (line, quantity) in needed.items():
            free = float(available.get(key, 0.0))
            if line.product_id.uom_id.compare(quantity, free) > 0:
                errors.append(
                    self.env._(
                        "%(product)s at %(location)s%(lot)s: only %(free)s %(uom)s "
                        "available, %(needed)s asked.",
                        product=line.product_id.display_name,
                        location=line.location_id.display_name,
                        lot=f" (lot {line.lot_id.name})" if line.lot_id else "",
                        free=free,
                        uom=line.product_id.uom_id.name,
                        needed=quantity,
                    )
                )
        if errors:
            raise UserError(
                self.env._(
                    "Not enough stock for this adjustment:\n%s", "\n".join(errors)
                )
            )

    def _lock_for_confirmation(self):
        """Lock the adjustments, and the quants they reduce where the stock
        available is checked; return the ones still in draft (a replayed or
        double-clicked confirmation finds none).

        Increases lock nothing: Odoo adds to a quant that another transaction
        holds by creating a new one (``SKIP LOCKED``), so parallel top-ups of
        the same stock never wait for nor fail on each other."""
        self.env.cr.execute(
            "SELECT id FROM inventory_adjustment WHERE id IN %s AND state = 'draft' "
            "ORDER BY id FOR UPDATE",
            [tuple(self.ids)],
        )
        draft_ids = [row[0] for row in self.env.cr.fetchall()]
        self.invalidate_recordset(["state"])
        drafts = self.browse(draft_ids).filtered(lambda a: a.state == "draft")
        keys = {
            (line.product_id.id, line.location_id.id)
            for line in drafts.line_ids
            if (line.change < 0 or line.unit_count > 0)
            and not line.adjustment_id.company_id.inventory_adjustment_allow_negative
        }
        if keys:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM stock_quant WHERE (product_id, location_id) IN %s "
                    "ORDER BY id FOR UPDATE",
                    tuple(keys),
                )
            )
        return drafts

    def action_confirm(self):
        """Apply every non-zero change, in one transaction, as inventory moves
        from or to the inventory-loss location, carrying the adjustment's name
        and reason and linked to it.  Confirming an adjustment already done
        does nothing (idempotent).

        :return: True
        """
        self.check_access("write")
        self.env.flush_all()
        for adjustment in self._lock_for_confirmation():
            adjustment._confirm()
        return True

    def _confirm(self):
        self.ensure_one()
        move_date = self._move_date()
        # Units to remove: the units taken now, their quantity the change.
        units = self.line_ids._plan_units()
        for line in self.line_ids.filtered(lambda line: line.id in units):
            line.change = -sum(quantity for _package, quantity in units[line.id])
        lines = self.line_ids.filtered(
            lambda line: not line.product_id.uom_id.is_zero(line.change)
        )
        self._check_lines(lines)
        self._check_available(lines)
        lines._apply_odd_lots()
        move_vals = []
        for line in lines:
            product = line.product_id
            loss = product.with_company(self.company_id).property_stock_inventory
            if not loss:
                raise UserError(
                    self.env._(
                        "%s has no inventory-loss location.", product.display_name
                    )
                )
            source, destination = (
                (loss, line.location_id)
                if line.change > 0
                else (line.location_id, loss)
            )
            quantity = abs(line.change)
            move_vals.append(
                {
                    "product_id": product.id,
                    "product_uom": product.uom_id.id,
                    "product_uom_qty": quantity,
                    "company_id": self.company_id.id,
                    "state": "confirmed",
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "is_inventory": True,
                    "picked": True,
                    "inventory_name": self.name,
                    "origin": self.reason_id.name,
                    "inventory_adjustment_id": self.id,
                    "move_line_ids": [
                        (0, 0, vals)
                        for vals in line._adjustment_move_line_vals(
                            source, destination, quantity, units.get(line.id)
                        )
                    ],
                }
            )
        moves = (
            self.env["stock.move"]
            .with_context(inventory_mode=False, **{WORKFLOW_KEY: WORKFLOW})
            .create(move_vals)
            .with_env(self.env)  # the marker only for the link, not beyond
            .with_context(inventory_mode=False)
        )
        # Link each line to its move in one statement (moves follow lines).
        self.env.cr.execute(
            "UPDATE inventory_adjustment_line l SET move_id = m.move_id "
            "FROM unnest(%s, %s) AS m(line_id, move_id) WHERE l.id = m.line_id",
            [lines.ids, moves.ids],
        )
        lines.invalidate_recordset(["move_id"])
        moves._action_done()
        if move_date < fields.Datetime.now().replace(microsecond=0):
            moves.write({"date": move_date})
            moves.move_line_ids.write({"date": move_date})
        self._workflow_write(
            {
                "state": "done",
                "confirmed_by": self.env.user.id,
                "confirmed_at": fields.Datetime.now(),
            }
        )
        self.message_post(
            body=self.env._(
                "Confirmed: %(count)s changes applied as inventory moves (%(reason)s).",
                count=len(moves),
                reason=self.reason_id.name,
            )
        )
        return moves

    def action_cancel(self):
        self.check_access("write")
        self._check_draft()
        self._workflow_write({"state": "cancel"})
        return True

    def action_draft(self):
        self.check_access("write")
        for adjustment in self:
            if adjustment.state != "cancel":
                raise UserError(
                    self.env._("Only a cancelled adjustment goes back to draft.")
                )
        self._workflow_write({"state": "draft"})
        return True

    def action_open_moves(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Moves of %s", self.name),
            "res_model": "stock.move.line",
            "view_mode": "list,form",
            "domain": [("move_id.inventory_adjustment_id", "=", self.id)],
        }

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(adjustment.state == "done" for adjustment in self):
            raise UserError(self.env._("A confirmed adjustment cannot be deleted."))

    # ------------------------------------------------------------------ RPC
    @api.model
    def create_draft(
        self,
        name,
        reason_code,
        lines=None,
        date=None,
        location_id=None,
        categ_ids=None,
        product_filter=None,
    ):
        """Create a draft adjustment.

        :param name: its name
        :param reason_code: code of an adjustment reason (``top_up``, ``theft``,
            ``breakage``, ``count``, ``other``, ...)
        :param lines: list of dicts ``{"product_id", "location_id", "lot_id",
            "change"}`` (optional), and by unit ``package_id`` (a removal
            takes from it, a receipt goes into it), ``unit_count`` (units to
            remove, whole, the partial one first) or ``odd_lot`` (a receipt
            of an odd count gets its own lot code, suffixed)
        :param date: ``YYYY-MM-DD`` (default today)
        :param location_id, categ_ids, product_filter: filters for loading
        :return: id of the draft
        :raise UserError: an unknown reason, or an id (product, location,
            lot, category) that does not exist, named in the message
        """
        Scope = self.env["inventory.scope"]
        Scope._check_ids(
            {
                "location": Scope._given_ids(location_id, "location_id"),
                "category": Scope._given_ids(categ_ids, "categ_ids"),
            },
            company_ids=self.env.company.ids,
            names={"location": "location_id"},
        )
        reason = self.env["inventory.adjustment.reason"].search(
            [("code", "=", reason_code)], limit=1
        )
        if not reason:
            raise UserError(self.env._("Unknown adjustment reason %s.", reason_code))
        line_commands = []
        for values in lines or []:
            if not isinstance(values, dict) or "product_id" not in values:
                raise UserError(self.env._("Each line needs at least a product_id."))
            for key in ("product_id", "location_id", "lot_id", "package_id"):
                check_ids_exist(self.env, key, values.get(key))
            unit_count = values.get("unit_count") or 0
            if (
                not isinstance(unit_count, int)
                or isinstance(unit_count, bool)
                or unit_count < 0
            ):
                raise UserError(
                    self.env._("unit_count is a number of units, 0 or more.")
                )
            line = {
                "product_id": values["product_id"],
                "location_id": values.get("location_id")
                or location_id
                or self.env["stock.warehouse"]
                .search([("company_id", "=", self.env.company.id)], limit=1)
                .lot_stock_id.id,
                "lot_id": values.get("lot_id") or False,
                "change": values.get("change", 0.0),
                "package_id": values.get("package_id") or False,
                "unit_count": unit_count,
                "odd_lot": bool(values.get("odd_lot")),
            }
            line_commands.append((0, 0, line))
        adjustment = self.create(
            {
                "name": name,
                "reason_id": reason.id,
                "date": date or fields.Date.context_today(self),
                "location_id": location_id or False,
                "categ_ids": [(6, 0, categ_ids or [])],
                "product_filter": product_filter or False,
                "line_ids": line_commands,
            }
        )
        adjustment.line_ids._onchange_balance()
        return adjustment.id

    def load_products(self):
        """Load the products matching the filters; return the number of lines."""
        self.action_load_products()
        return sum(self.mapped("line_count"))

    def confirm(self):
        """Confirm (idempotent); return the ids of the moves of the adjustments."""
        self.action_confirm()
        return self.move_ids.ids
