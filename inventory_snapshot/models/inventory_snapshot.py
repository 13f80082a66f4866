# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, clean_context

_logger = logging.getLogger(__name__)

# Fields that only the actions of the snapshot write (taking, sealing,
# verifying): refused in ``create``/``write`` outside the trusted path, even to
# an administrator (readonly in the views is no protection).
SEAL_FIELDS = frozenset(
    {
        "moment",
        "company_id",
        "location_ids",
        "warehouse_ids",
        "categ_ids",
        "trigger",
        "trigger_ref",
        "user_id",
        "schedule_id",
        "taken_at",
        "is_now",
        "is_closing",
        "line_ids",
        "channel_ids",
        "line_count",
        "total_on_hand",
        "total_reserved",
        "total_in_transit",
        "total_value",
        "checksum",
        "seal",
        "seal_version",
        "sealed_header",
        "previous_snapshot_id",
        "previous_seal",
        "verify_state",
        "verify_date",
        "verify_message",
        "lines_checkpoint_id",
    }
)
# Earlier name of the guarded fields.
FROZEN_FIELDS = SEAL_FIELDS
# The fields a user with write access may change.
USER_FIELDS = frozenset({"name", "description"})
# The trusted path: a superuser environment whose context holds this very
# object under TRUSTED_KEY (see ``_trusted``).  A context sent over RPC holds
# JSON values only, so it cannot hold this object.
TRUSTED_KEY = "inventory_snapshot_trusted"
TRUSTED = object()
# What an event may say about the scope of its snapshot.
EVENT_SCOPE_KEYS = {
    "company_id",
    "location_ids",
    "warehouse_ids",
    "categ_ids",
    "description",
    "moment",
}


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
        readonly=True,
        help="The moment the snapshot shows the inventory at; never in the future.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    warehouse_ids = fields.Many2many(
        "stock.warehouse", string="Warehouses", readonly=True, check_company=True
    )
    location_ids = fields.Many2many(
        "stock.location",
        string="Locations",
        readonly=True,
        check_company=True,
        help="Children included. Empty with no warehouse: every internal and "
        "transit location of the company.",
    )
    categ_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        readonly=True,
        help="Sub-categories included. Empty: every product.",
    )
    trigger = fields.Selection(
        [("manual", "Manual"), ("scheduled", "Scheduled"), ("event", "Event")],
        required=True,
        default="manual",
        readonly=True,
    )
    trigger_ref = fields.Char(
        string="Triggered by",
        readonly=True,
        help="The schedule or document that took it.",
    )
    schedule_id = fields.Many2one(
        "inventory.snapshot.schedule",
        readonly=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        help="The schedule that took it, for the period ending at its moment.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Taken by",
        default=lambda self: self.env.user,
        readonly=True,
    )
    taken_at = fields.Datetime(readonly=True, help="When the snapshot was taken.")
    is_now = fields.Boolean(
        string="Of the moment taken",
        readonly=True,
        help="Taken of its own moment (not of a past one): reservations and "
        "their channels are recorded.",
    )
    line_ids = fields.One2many("inventory.snapshot.line", "snapshot_id", readonly=True)
    channel_ids = fields.One2many(
        "inventory.snapshot.channel", "snapshot_id", readonly=True
    )
    line_count = fields.Integer(readonly=True)
    total_on_hand = fields.Float(digits="Product Unit", readonly=True)
    total_reserved = fields.Float(digits="Product Unit", readonly=True)
    total_in_transit = fields.Float(digits="Product Unit", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    total_value = fields.Monetary(readonly=True)
    checksum = fields.Char(
        readonly=True,
        copy=False,
        help="SHA-256 of the canonical lines, set when taken.",
    )
    is_closing = fields.Boolean(
        string="Closing snapshot",
        readonly=True,
        copy=False,
        help="Taken by a period close: sealed in the company's chain of closing "
        "snapshots.",
    )
    previous_snapshot_id = fields.Many2one(
        "inventory.snapshot",
        string="Previous closing snapshot",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        help="The closing snapshot of the company before this one, whose seal "
        "this one's seal includes.",
    )
    previous_seal = fields.Char(
        readonly=True,
        copy=False,
        help="The seal of the previous closing snapshot when this one was sealed.",
    )
    seal = fields.Char(
        readonly=True,
        copy=False,
        help="SHA-256 of the header (moment, company, scope, trigger, author, "
        "totals, line count, checksum of the lines and the previous closing "
        "snapshot's seal), set when the lines are written.",
    )
    seal_version = fields.Integer(
        readonly=True,
        copy=False,
        help="2: the header is sealed. Empty: taken before header seals "
        "(version 19.0.1.1.0): only the lines' checksum is verified.",
    )
    sealed_header = fields.Json(
        readonly=True,
        copy=False,
        help="The canonical text of each sealed header field, so that "
        "verifying names the field that changed.",
    )
    verify_state = fields.Selection(
        [("unverified", "Not verified"), ("ok", "Intact"), ("tampered", "Tampered")],
        default="unverified",
        readonly=True,
        copy=False,
    )
    verify_date = fields.Datetime(readonly=True, copy=False)
    verify_message = fields.Text(
        string="Verification",
        readonly=True,
        copy=False,
        help="What the last verification found.",
    )
    lines_checkpoint_id = fields.Many2one(
        "inventory.ledger.checkpoint",
        string="Lines pending from",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        help="Set while the lines are still to be copied from this checkpoint at "
        "the snapshot's moment (a period close leaves them to a background job "
        "that runs right after it). Opening, comparing, exporting or verifying "
        "the snapshot writes them first.",
    )

    _schedule_moment_uniq = models.UniqueIndex(
        "(schedule_id, moment) WHERE schedule_id IS NOT NULL",
        "A schedule takes the snapshot of each due moment only once.",
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

    # ---------------------------------------------------------------- taking
    def _scope(self):
        """The snapshot's scope, resolved by the suite's one resolver
        (``inventory.scope``): every product of its categories (storable or
        not any more, archived ones included)."""
        self.ensure_one()
        return self.env["inventory.scope"]._resolve(
            self.company_id,
            self.warehouse_ids,
            self.location_ids,
            self.categ_ids,
            names={"company": "company_id"},
        )

    def _scope_location_ids(self):
        """Location ids for the engine (children included), or None for all."""
        roots = self._scope().location_roots
        return list(roots) if roots else None

    def _scope_product_ids(self):
        """Product ids of the scope's categories, or None for every product."""
        product_ids = self._scope().product_ids
        return None if product_ids is None else list(product_ids)

    def _balances_sql(self):
        """SELECT of (product_id, location_id, lot_id, on_hand_all, reserved)
        for this snapshot: live quants for a snapshot of now, the ledger engine
        for a past moment."""
        self.ensure_one()
        ledger = self.env["inventory.ledger"]
        scope = self._scope()
        location_ids = list(scope.location_roots) if scope.location_roots else None
        product_ids = None if scope.product_ids is None else list(scope.product_ids)
        company_ids = [self.company_id.id]
        if self.is_now:
            where = [
                SQL("q.company_id = %s", self.company_id.id),
                SQL(
                    "q.location_id IN (SELECT id FROM (%s) scope)",
                    ledger._scope_locations_sql(company_ids, location_ids),
                ),
            ]
            if product_ids is not None:
                where.append(SQL("q.product_id = ANY(%s)", product_ids))
            return SQL(
                """
                SELECT q.product_id, q.location_id, q.lot_id,
                       SUM(q.quantity) AS quantity,
                       SUM(q.reserved_quantity) AS reserved
                  FROM stock_quant q
                 WHERE %s
                 GROUP BY q.product_id, q.location_id, q.lot_id
                HAVING SUM(q.quantity) <> 0 OR SUM(q.reserved_quantity) <> 0
                """,
                SQL(" AND ").join(where),
            )
        balances, _method = ledger._balance_sql(
            self.moment,
            ("product", "location", "lot"),
            company_ids,
            location_ids=location_ids,
            product_ids=product_ids,
        )
        return SQL(
            "SELECT product_id, location_id, lot_id, quantity, 0 AS reserved "
            "FROM (%s) b",
            balances,
        )

    def _write_lines(self):
        """Write the lines and the header totals: one INSERT ... SELECT, whose
        statement also sums and seals the rows it inserted."""
        self.ensure_one()
        # Balances summed from a checkpoint: see the engine.
        from_checkpoint = not self.is_now and self.env[
            "inventory.ledger"
        ]._from_checkpoint(self.moment, [self.company_id.id])
        totals = self._insert_lines(self._balances_sql(), from_checkpoint)
        if self.is_now:
            self._write_channels()
        self._store_totals(totals)

    def _insert_lines(self, balances, from_checkpoint=False):
        """Insert the lines from ``balances`` (see ``_insert_lines_sql``) in
        one statement, which also sums and seals them; return its row for
        ``_store_totals``."""
        self.ensure_one()
        ledger = self.env["inventory.ledger"]
        # Every id comes from existing rows read in the same statement.
        with ledger._bulk_insert_settings(balances=from_checkpoint, hash_joins=True):
            self.env.cr.execute(
                SQL(
                    "WITH inserted AS (%s) %s",
                    self._insert_lines_sql(balances),
                    self._totals_sql("inserted"),
                )
            )
            return self.env.cr.fetchone()

    def _insert_lines_sql(self, balances):
        """The INSERT of the snapshot's lines from ``balances`` (rows of
        ``product_id``, ``location_id``, ``lot_id``, ``quantity``,
        ``reserved``), returning what ``_totals_sql`` reads.

        The lines are inserted in the order of their unique key, so that each
        goes to the key index's rightmost page."""
        self.ensure_one()
        cr = self.env.cr
        expiry = SQL("NULL::timestamp")
        cr.execute(
            "SELECT 1 FROM information_schema.columns "
            "WHERE table_name = 'stock_lot' AND column_name = 'expiration_date'"
        )
        if cr.fetchone():
            expiry = SQL("lot.expiration_date")
        return SQL(
            """
            INSERT INTO inventory_snapshot_line
                (snapshot_id, company_id, moment, product_id, categ_id, warehouse_id,
                 location_id, condition_id, lot_id, expiration_date, uom_id,
                 on_hand, reserved, available, in_transit, value)
            SELECT %(snapshot)s, %(company)s, %(moment)s, b.product_id, pt.categ_id,
                   loc.warehouse_id, b.location_id, loc.condition_id, b.lot_id,
                   %(expiry)s, pt.uom_id,
                   CASE WHEN loc.usage = 'internal' THEN b.quantity ELSE 0 END,
                   b.reserved,
                   CASE WHEN loc.usage = 'internal' AND NOT loc.inventory_unavailable
                        THEN b.quantity - b.reserved ELSE 0 END,
                   CASE WHEN loc.usage = 'transit' THEN b.quantity ELSE 0 END,
                   b.quantity * %(cost)s
              FROM (%(balances)s) b
              JOIN stock_location loc ON loc.id = b.location_id
              JOIN product_product pp ON pp.id = b.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN stock_lot lot ON lot.id = b.lot_id
             ORDER BY b.product_id, b.location_id, COALESCE(b.lot_id, 0)
            RETURNING product_id, location_id, lot_id, on_hand, reserved, in_transit,
                      value
            """,
            snapshot=self.id,
            company=self.company_id.id,
            moment=self.moment,
            expiry=expiry,
            cost=self.env["inventory.ledger"]._product_cost_sql(self.company_id.id),
            balances=balances,
        )

    @api.model
    def _totals_sql(self, inserted):
        """One row: the count, the totals and the checksum of the lines in the
        CTE ``inserted`` (see ``_insert_lines_sql``), for ``_store_totals``."""
        return SQL(
            """
            SELECT COUNT(*), COALESCE(SUM(on_hand), 0), COALESCE(SUM(reserved), 0),
                   COALESCE(SUM(in_transit), 0), COALESCE(SUM(value), 0),
                   %(checksum)s
              FROM %(inserted)s
            """,
            checksum=self._checksum_expression_sql(),
            inserted=SQL.identifier(inserted),
        )

    def _store_totals(self, totals, **vals):
        """Write the header's totals and checksum from ``_totals_sql``'s row
        (and ``vals``), then seal the header."""
        self.ensure_one()
        count, on_hand, reserved, in_transit, value, checksum = totals
        self.invalidate_recordset(["line_ids", "channel_ids"])
        self._trusted().write(
            {
                "line_count": count,
                "total_on_hand": on_hand,
                "total_reserved": reserved,
                "total_in_transit": in_transit,
                "total_value": value,
                "checksum": checksum,
                **vals,
            }
        )
        self.env["inventory.snapshot.seal"]._seal(self)

    def _write_channels(self):
        """Reserved quantity per product and sales channel, from the reserved
        move lines: the sales team or website of the sale order when
        ``sale_stock`` is installed, the point of sale with ``point_of_sale``."""
        self.ensure_one()
        Move = self.env["stock.move"]
        joins, channel = [], SQL("'Other'")
        if "sale_line_id" in Move._fields:
            joins.append(
                SQL(
                    "LEFT JOIN sale_order_line sol ON sol.id = mv.sale_line_id "
                    "LEFT JOIN sale_order so ON so.id = sol.order_id "
                    "LEFT JOIN crm_team team ON team.id = so.team_id"
                )
            )
            if "website_id" in self.env["sale.order"]._fields:
                joins.append(SQL("LEFT JOIN website web ON web.id = so.website_id"))
                channel = SQL(
                    "COALESCE('Website: ' || web.name, 'Sales team: ' || "
                    "(team.name ->> 'en_US'), %s)",
                    channel,
                )
            else:
                channel = SQL(
                    "COALESCE('Sales team: ' || (team.name ->> 'en_US'), %s)", channel
                )
        if "pos_order_id" in self.env["stock.picking"]._fields:
            joins.append(SQL("LEFT JOIN stock_picking pk ON pk.id = mv.picking_id"))
            channel = SQL(
                "CASE WHEN pk.pos_order_id IS NOT NULL THEN 'Point of Sale' "
                "ELSE %s END",
                channel,
            )
        ledger = self.env["inventory.ledger"]
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO inventory_snapshot_channel
                (snapshot_id, company_id, product_id, channel, reserved)
            SELECT %(snapshot)s, %(company)s, ml.product_id, %(channel)s,
                   SUM(ml.quantity_product_uom)
              FROM stock_move_line ml
              JOIN stock_move mv ON mv.id = ml.move_id
              %(joins)s
             WHERE ml.state NOT IN ('done', 'cancel', 'draft')
               AND ml.location_id IN (SELECT id FROM (%(scope)s) scope)
               %(products)s
             GROUP BY 3, 4
            """,
                snapshot=self.id,
                company=self.company_id.id,
                channel=channel,
                joins=SQL(" ").join(joins),
                scope=ledger._scope_locations_sql(
                    [self.company_id.id], self._scope_location_ids()
                ),
                products=SQL("AND ml.product_id = ANY(%s)", self._scope_product_ids())
                if self.categ_ids
                else SQL(),
            )
        )

    @api.model
    def _checksum_expression_sql(self):
        """The aggregate hashing the canonical text of the lines read (as
        ``snapshot_checksum`` builds it) in PostgreSQL."""
        return SQL(
            """
            encode(sha256(convert_to(COALESCE(string_agg(
                COALESCE(product_id::text, '') || '|' ||
                COALESCE(location_id::text, '') || '|' ||
                COALESCE(lot_id::text, '') || '|' ||
                ROUND(COALESCE(on_hand, 0)::numeric, 6)::text || '|' ||
                ROUND(COALESCE(reserved, 0)::numeric, 6)::text || '|' ||
                ROUND(COALESCE(in_transit, 0)::numeric, 6)::text || '|' ||
                ROUND(COALESCE(value, 0)::numeric, 6)::text || E'\\n',
                '' ORDER BY product_id, location_id, COALESCE(lot_id, 0)
            ), ''), 'UTF8')), 'hex')
            """
        )

    def _checksum_sql(self):
        """The checksum of the snapshot's stored lines."""
        return SQL(
            "SELECT %s FROM inventory_snapshot_line WHERE snapshot_id = %s",
            self._checksum_expression_sql(),
            self.id,
        )

    def _compute_checksum(self):
        self.ensure_one()
        self.env.cr.execute(self._checksum_sql())
        return self.env.cr.fetchone()[0]

    @api.model
    def take_snapshot(
        self,
        name,
        moment=None,
        company_id=None,
        location_ids=None,
        warehouse_ids=None,
        categ_ids=None,
        description=None,
        trigger="manual",
        trigger_ref=None,
    ):
        """Take a snapshot and return its id.

        :param name: the snapshot's name
        :param moment: date or datetime (UTC) in the past; default now (then
            reservations and sales channels are recorded too)
        :param company_id: default the current company
        :param location_ids, warehouse_ids, categ_ids: the scope (children
            included); default everything of the company
        :param description: free text
        :param trigger: ``manual``; ``scheduled`` and ``event`` are the
            schedules' and events' own (refused to a user)
        :param trigger_ref: what triggered it (schedules and events only)
        :return: id of the new snapshot
        :raise AccessError: without the snapshot Create group, or for a
            company not among the user's
        :raise UserError: an id (company, warehouse, location, category)
            that does not exist, named in the message
        """
        Scope = self.env["inventory.scope"]
        companies = Scope._given_ids(company_id, "company_id")
        Scope._check_ids(
            {
                "company": companies,
                "warehouse": Scope._given_ids(warehouse_ids, "warehouse_ids"),
                "location": Scope._given_ids(location_ids, "location_ids"),
                "category": Scope._given_ids(categ_ids, "categ_ids"),
            },
            company_ids=companies or self.env.company.ids,
            names={"company": "company_id"},
        )
        if not self.env.su and (trigger != "manual" or trigger_ref):
            raise UserError(
                self.env._(
                    "Only schedules and events take snapshots of trigger "
                    "%(trigger)s or with a reference.",
                    trigger=trigger,
                )
            )
        company = (
            self.env["res.company"].browse(company_id)
            if company_id
            else self.env.company
        )
        self._check_take_access(company)
        return self._take(
            name,
            moment=moment,
            company=company,
            location_ids=location_ids,
            warehouse_ids=warehouse_ids,
            categ_ids=categ_ids,
            description=description,
            trigger=trigger,
            trigger_ref=trigger_ref,
        ).id

    @api.model
    def _check_take_access(self, companies):
        """Taking snapshots needs the Create group and the company among the
        user's (every path a user can start: the wizard, RPC, a schedule's
        button); the superuser's own paths (events, the scheduled action)
        need neither.

        :raise AccessError: otherwise
        """
        if self.env.su:
            return
        if not self.env.user.has_group(
            "inventory_snapshot.group_inventory_snapshot_create"
        ):
            raise AccessError(
                self.env._("You are not allowed to take inventory snapshots.")
            )
        if companies - self.env.user.company_ids:
            raise AccessError(self.env._("You cannot take snapshots of this company."))

    @api.model
    def _trusted(self):
        """These records in the trusted path that may write the fields of
        ``SEAL_FIELDS``: superuser, the context of the caller without its
        ``default_*`` keys, and the ``TRUSTED`` marker.  For the snapshot's
        own actions only, after their checks."""
        context = clean_context(self.env.context)
        context[TRUSTED_KEY] = TRUSTED
        return self.with_env(self.env(context=context, su=True))

    @api.model
    def _is_trusted(self):
        return self.env.su and self.env.context.get(TRUSTED_KEY) is TRUSTED

    @api.model
    def _take(
        self,
        name,
        moment=None,
        company=None,
        location_ids=None,
        warehouse_ids=None,
        categ_ids=None,
        description=None,
        trigger="manual",
        trigger_ref=None,
        schedule=None,
        lines_from=None,
        closing=False,
    ):
        """Take a snapshot (the callers checked the rights): create the
        header, then write and seal the lines, or leave them to the background
        job that copies them from ``lines_from``.

        :param schedule: the schedule taking it (the unique index on the
            schedule and moment refuses a second one)
        :param closing: a period close's snapshot: chained to the company's
            previous closing snapshot
        :return: the new snapshot (as superuser, not in the trusted path)
        """
        if not name:
            raise UserError(self.env._("A snapshot needs a name."))
        company = company or self.env.company
        now = fields.Datetime.now()
        at = (
            self.env["inventory.ledger"]._parse_moment(moment, "moment")
            if moment
            else now
        )
        self.env.flush_all()
        vals = {
            "name": name,
            "description": description or False,
            "moment": at,
            "company_id": company.id,
            "location_ids": [(6, 0, location_ids or [])],
            "warehouse_ids": [(6, 0, warehouse_ids or [])],
            "categ_ids": [(6, 0, categ_ids or [])],
            "trigger": trigger,
            "trigger_ref": trigger_ref or False,
            "user_id": self.env.user.id,
            "taken_at": now,
            "is_now": at >= now,
        }
        if closing:
            vals.update(
                is_closing=True,
                previous_snapshot_id=self._previous_closing(company, at).id,
            )
        # back in the caller's context: only the trusted path writes the seal
        snapshot = self._trusted().create(vals).with_env(self.sudo().env)
        if schedule:
            # Raw SQL so that a concurrent run's duplicate fails here, on the
            # unique index, without an error in the log.
            self.env.cr.execute(
                SQL(
                    "UPDATE inventory_snapshot SET schedule_id = %s WHERE id = %s",
                    schedule.id,
                    snapshot.id,
                ),
                log_exceptions=False,
            )
            snapshot.invalidate_recordset(["schedule_id"])
        if lines_from:
            snapshot._write_lines_later(lines_from)
        else:
            snapshot._write_lines()
        return snapshot

    @api.model
    def _previous_closing(self, company, moment):
        """The latest closing snapshot of ``company`` at or before ``moment``
        (the one a new closing snapshot of that moment chains to)."""
        return (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("company_id", "=", company.id),
                    ("is_closing", "=", True),
                    ("moment", "<=", moment),
                ],
                order="moment desc, id desc",
                limit=1,
            )
        )

    def _write_lines_later(self, checkpoint):
        """Leave the lines to the background job, which copies them from
        ``checkpoint`` (the same balances: see ``_checkpoint_balances_sql``).

        :raise ValueError: the checkpoint is not of the snapshot's company and
            moment, or the snapshot does not cover the whole company
        """
        self.ensure_one()
        if (
            checkpoint.company_id != self.company_id
            or checkpoint.moment != self.moment
            or checkpoint.state != "valid"
            or self.location_ids
            or self.warehouse_ids
            or self.categ_ids
            or self.is_now
        ):
            raise ValueError(
                f"snapshot {self.id} cannot take its lines from checkpoint "
                f"{checkpoint.id}: only a snapshot of a past moment of a whole "
                "company takes them from the valid checkpoint of that moment"
            )
        self._trusted().write({"lines_checkpoint_id": checkpoint.id})
        self.env.ref(
            "inventory_snapshot.ir_cron_inventory_snapshot_pending_lines"
        )._trigger()

    def _checkpoint_balances_sql(self):
        """The snapshot's balances from the rows of its pending checkpoint,
        summed per product, location and lot as the engine sums them."""
        self.ensure_one()
        ledger = self.env["inventory.ledger"]
        return SQL(
            """
            SELECT product_id, location_id, lot_id, %(quantity)s AS quantity,
                   0 AS reserved
              FROM inventory_ledger_checkpoint_line
             WHERE checkpoint_id = %(checkpoint)s
             GROUP BY product_id, location_id, lot_id
            HAVING %(nonzero)s
            """,
            quantity=ledger._summed_quantity_sql(),
            nonzero=ledger._nonzero_balance_sql(),
            checkpoint=self.lines_checkpoint_id.id,
        )

    def _write_pending_lines(self):
        """Write the lines left to the background job, from their checkpoint:
        one INSERT ... SELECT per snapshot, which also seals them.  The
        snapshot's row is locked first, so that two transactions (the job and
        a user opening the lines) cannot both write them."""
        if not self:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM inventory_snapshot WHERE id = ANY(%s) "
                "AND lines_checkpoint_id IS NOT NULL ORDER BY id FOR NO KEY UPDATE",
                self.ids,
            )
        )
        pending = self.browse(row[0] for row in self.env.cr.fetchall())
        pending.invalidate_recordset(["lines_checkpoint_id"])
        # Oldest first: a closing snapshot seals the previous one's seal.
        for snapshot in pending.sorted(lambda s: (s.moment, s.id)):
            if not snapshot.lines_checkpoint_id:
                continue  # written meanwhile, as the previous one of another
            totals = snapshot._insert_lines(snapshot._checkpoint_balances_sql())
            snapshot._store_totals(totals, lines_checkpoint_id=False)

    def _ensure_lines(self):
        """Write the pending lines of these snapshots now (before they are
        read); the callers checked the user's access to them first.  For the
        paths that write (the Lines and Verify buttons, ``verify``, the
        comparison wizard, the download routes), never for a read-only one:
        see ``_check_lines_written``."""
        self.sudo().filtered("lines_checkpoint_id")._write_pending_lines()

    def _check_lines_written(self):
        """The read-only paths (``export_snapshot``, ``compare_snapshots``,
        ``export_comparison``, ``check_integrity``) never write: a snapshot
        whose lines a period close left to the scheduled action (for the few
        moments until it runs) is refused, saying how to go on.

        :raise UserError: some of these snapshots have pending lines
        """
        pending = self.sudo().filtered("lines_checkpoint_id")
        if pending:
            raise UserError(
                self.env._(
                    "The lines of the snapshot %(names)s are still being copied "
                    "from the period close's checkpoint by the scheduled action "
                    "Inventory: write the pending lines of snapshots. Try again "
                    "in a moment, or write them now: the Lines or Verify button "
                    "of the snapshot, or verify over RPC.",
                    names=", ".join(pending.mapped("name")),
                )
            )

    @api.model
    def _cron_write_pending_lines(self):
        """Write the lines the period closes left to this job."""
        self.sudo().search(
            [("lines_checkpoint_id", "!=", False)]
        )._write_pending_lines()

    @api.model
    def _take_event_snapshot(
        self, name, trigger_ref, lines_from=None, closing=None, **scope
    ):
        """Take a snapshot of now for an event (a validated transfer, an
        inventory adjustment confirmed, a period closed).

        Taken as superuser, so that the user who triggers the event needs no
        snapshot rights; the snapshot still records that user. The ``default_*``
        keys of the event's context are dropped.

        :param name: the snapshot's name
        :param trigger_ref: the document that triggered it (e.g. WH/IN/00012)
        :param lines_from: a valid checkpoint at the snapshot's moment: the
            lines are copied from its rows by a background job right after this
            transaction (see ``_write_lines_later``), or before they are read
        :param closing: a period close's snapshot, chained to the company's
            previous closing snapshot (see ``inventory.snapshot.seal``);
            default: when ``lines_from`` is given (only the close gives it)
        :param scope: ``company_id``, ``location_ids``, ``warehouse_ids``,
            ``categ_ids``, ``description``, ``moment`` as in ``take_snapshot``
        :return: id of the new snapshot
        """
        unknown = set(scope) - EVENT_SCOPE_KEYS
        if unknown:
            raise TypeError(
                "_take_event_snapshot() got unexpected arguments: "
                + ", ".join(sorted(unknown))
            )
        if closing is None:
            closing = bool(lines_from)
        company_id = scope.pop("company_id", None)
        Snapshot = self.with_context(clean_context(self.env.context)).sudo()
        return Snapshot._take(
            name,
            company=self.env["res.company"].browse(company_id)
            if company_id
            else self.env.company,
            trigger="event",
            trigger_ref=trigger_ref,
            lines_from=lines_from,
            closing=closing,
            **scope,
        ).id

    def action_open_lines(self):
        self.ensure_one()
        self.check_access("read")
        self._ensure_lines()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Lines of %(name)s", name=self.name),
            "res_model": "inventory.snapshot.line",
            "view_mode": "list,pivot",
            "domain": [("snapshot_id", "=", self.id)],
            "context": {"search_default_groupby_location": 1},
        }

    # ----------------------------------------------------------- integrity
    def action_verify(self):
        """Recompute the checksum of the lines and the seal of the header of
        each snapshot, and the links of its chain of closing snapshots; say
        whether it is intact, and what broke (posted on the snapshot).

        :raise AccessError: without read access to every snapshot
        """
        self.check_access("read")
        self._ensure_lines()
        self.env.flush_all()
        Seal = self.env["inventory.snapshot.seal"]
        for snapshot in self:
            problems = Seal._problems(snapshot)
            message = (
                "\n".join(problems) if problems else Seal._intact_message(snapshot)
            )
            snapshot._trusted().write(
                {
                    "verify_state": "tampered" if problems else "ok",
                    "verify_date": fields.Datetime.now(),
                    "verify_message": message,
                }
            )
            if problems:
                snapshot.sudo().message_post(
                    body=self.env._(
                        "Verification failed: %(problems)s", problems=message
                    )
                )
        return True

    def verify(self):
        """Verify the checksums and seals (RPC); what broke is in each
        snapshot's ``verify_message``.

        :return: ``{"<id>": True when intact}``: the ids as strings, since
            XML-RPC takes only string keys (``{"41": True, "57": False}``)
        :raise AccessError: without read access to every snapshot
        """
        self.action_verify()
        return {str(snapshot.id): snapshot.verify_state == "ok" for snapshot in self}

    @api.readonly
    def check_integrity(self):
        """The checks of ``verify`` (checksum of the lines, sealed header,
        chain of closing snapshots) without recording their outcome: a read,
        served read-only (a replica when one is configured).  ``verify``
        records it (*Verification* on the form, a failure in the chatter)
        and runs on the primary.

        :return: ``{"<id>": {"intact": bool, "problems": [text, ...]}}``
            (the ids as strings, for XML-RPC)
        :raise AccessError: without read access to every snapshot
        :raise UserError: a snapshot's lines are still pending after a
            period close (see ``_check_lines_written``)
        """
        self.check_access("read")
        self._check_lines_written()
        self.env.flush_all()
        Seal = self.env["inventory.snapshot.seal"]
        result = {}
        for snapshot in self:
            problems = Seal._problems(snapshot)
            result[str(snapshot.id)] = {"intact": not problems, "problems": problems}
        return result

    # ------------------------------------------------------------- changes
    @api.model_create_multi
    def create(self, vals_list):
        """Snapshots are taken (``take_snapshot``, the wizard, schedules,
        events), never created field by field."""
        self.browse().check_access("create")
        if not self._is_trusted():
            raise UserError(
                self.env._(
                    "Snapshots are taken, not created: use Take a Snapshot "
                    "(take_snapshot over RPC)."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        guarded = SEAL_FIELDS.intersection(vals)
        if guarded and not self._is_trusted():
            self.check_access("write")
            raise UserError(
                self.env._(
                    "A snapshot cannot be changed once taken (%(fields)s): only "
                    "its name and description can.",
                    fields=", ".join(sorted(guarded)),
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_chained(self):
        """A closing snapshot that a later one chains to stays: deleting it
        would break the chain of the company's closing snapshots."""
        later = (
            self.sudo()
            .search([("previous_snapshot_id", "in", self.ids)])
            .filtered(lambda s: s.id not in self.ids)
        )
        if later:
            raise UserError(
                self.env._(
                    "The closing snapshot %(name)s cannot be deleted: the closing "
                    "snapshot %(later)s is chained to it.",
                    name=later[0].previous_snapshot_id.name,
                    later=later[0].name,
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_log(self):
        for snapshot in self:
            _logger.info(
                "Inventory snapshot %s (%s, id %s, %s lines, checksum %s) "
                "deleted by %s",
                snapshot.name,
                snapshot.moment,
                snapshot.id,
                snapshot.line_count,
                snapshot.checksum,
                self.env.user.login,
            )
            self.env["ir.logging"].sudo().create(
                {
                    "name": "inventory_snapshot",
                    "type": "server",
                    "level": "INFO",
                    "dbname": self.env.cr.dbname,
                    "message": self.env._(
                        "Snapshot %(name)s of %(moment)s (%(lines)s lines, checksum "
                        "%(checksum)s) deleted by %(user)s",
                        name=snapshot.name,
                        moment=snapshot.moment,
                        lines=snapshot.line_count,
                        checksum=snapshot.checksum,
                        user=self.env.user.login,
                    ),
                    "path": "inventory.snapshot",
                    "func": "unlink",
                    "line": str(snapshot.id),
                }
            )

    # ------------------------------------------------- compare and export
    @api.readonly
    @api.model
    def compare_snapshots(
        self,
        snapshot_ids,
        include_now=False,
        only_changes=False,
        threshold=0.0,
        group_by=("product", "location", "lot"),
        limit=None,
        offset=0,
    ):
        """Compare two or more snapshots, or snapshots and now.

        The quantity compared is **on hand + in transit** (in the product's
        unit); a key missing from a snapshot counts as 0 there. Computed in one
        SQL statement (conditional aggregation); "now" is the live stock in the
        scope of the latest snapshot.

        :param snapshot_ids: ids of the snapshots (one company); at least two,
            or one with ``include_now``
        :param include_now: add a last column with the current stock
        :param only_changes: leave out the rows whose quantity is the same in
            every column
        :param threshold: keep only the rows whose quantity changed by at least
            this much between two consecutive columns (0: no limit)
        :param group_by: some of ``product``, ``location``, ``lot``
        :return: dict with ``columns`` (``key``, ``snapshot_id`` or ``False``
            for now, ``name``, ``moment`` in UTC ISO 8601) in moment order, and
            ``rows``: the key (``product_id``, ``product``, ``default_code``,
            ``location_id``, ``location``, ``lot_id``, ``lot``, ``uom_id``,
            ``uom``; ``False`` when not compared), ``quantities`` (one per
            column), ``changes`` and ``change_percents`` (between consecutive
            columns; ``False`` when the earlier one is 0), ``change`` and
            ``change_percent`` (last vs first column), ``max_change`` and
            ``status`` (``appeared``, ``vanished``, ``changed``, ``same``);
            plus ``totals`` per column, ``counts`` per status and ``row_count``
            (all rows, whatever the page)
        :param limit: return only this many rows (sorted by product, location
            and lot names), from ``offset``: a page of a large comparison; the
            totals and counts still cover every row
        :param offset: rows skipped before the page
        """
        return self.env["inventory.snapshot.compare"]._compare(
            snapshot_ids,
            include_now,
            only_changes,
            threshold,
            group_by,
            limit=limit,
            offset=offset,
        )

    @api.readonly
    def export_snapshot(self, file_format="xlsx"):
        """Export the lines of this snapshot, of at most
        ``inventory.snapshot.export._max_rpc_rows`` lines (larger ones are
        downloaded from ``/inventory_snapshot/<id>/export/<format>``, streamed).

        :param file_format: ``csv``, ``xlsx`` or ``json``
        :return: dict with ``filename``, ``mimetype`` and ``content`` (the file
            in base64)
        """
        self.ensure_one()
        self.check_access("read")
        exporter = self.env["inventory.snapshot.export"]
        exporter._check_format(file_format)
        self._check_lines_written()
        exporter._check_rpc_size(
            self.line_count, f"/inventory_snapshot/{self.id}/export/{file_format}"
        )
        return exporter._result(self, file_format)

    @api.readonly
    @api.model
    def export_comparison(
        self,
        snapshot_ids,
        file_format="xlsx",
        include_now=False,
        only_changes=False,
        threshold=0.0,
        group_by=("product", "location", "lot"),
    ):
        """Export a comparison (arguments as ``compare_snapshots``), of at
        most ``inventory.snapshot.export._max_rpc_rows`` rows (larger ones are
        downloaded from the comparison wizard, streamed).

        :param file_format: ``csv``, ``xlsx`` or ``json``
        :return: dict with ``filename``, ``mimetype`` and ``content`` (the file
            in base64)
        """
        exporter = self.env["inventory.snapshot.export"]
        exporter._check_format(file_format)
        Compare = self.env["inventory.snapshot.compare"]
        ids = self.env["inventory.ledger"]._parse_ids(snapshot_ids, "snapshot_ids")
        # A comparison in memory (nothing stored): its rows are read from the
        # comparison's statement (see ``_comparison_batches``).
        comparison = Compare._new_comparison(
            ids or [], include_now, only_changes, threshold, group_by
        )
        exporter._check_rpc_size(
            comparison.line_count, self.env._("the comparison wizard")
        )
        return exporter._result(comparison, file_format)

    def action_export(self):
        """Download the lines; the format comes from the context key
        ``export_format`` (csv, xlsx or json)."""
        self.ensure_one()
        file_format = self.env["inventory.snapshot.export"]._check_format(
            self.env.context.get("export_format") or "xlsx"
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/inventory_snapshot/{self.id}/export/{file_format}",
            "target": "download",
        }
