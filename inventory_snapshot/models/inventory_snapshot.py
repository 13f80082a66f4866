# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The inventory snapshot: a sealed point-in-time picture of one company's
inventory.  The record: its fields, the guards of its workflow fields (the
trusted path), verifying, and the public reads that compare and export it
(``inventory.snapshot.compare``, ``inventory.snapshot.export``).  Taking it
is ``inventory.snapshot.taking``, its lines ``inventory.snapshot.balances``, its
seals ``inventory.snapshot.seal``."""

import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import clean_context

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


class InventorySnapshot(models.Model):
    """A point-in-time picture of the inventory of one company."""

    _name = "inventory.snapshot"
    _description = "Inventory Snapshot"
    # The services first: their methods come before mail.thread's, as when
    # they were the snapshot's own.
    _inherit = [
        "inventory.snapshot.taking",
        "inventory.snapshot.balances",
        "mail.thread",
    ]
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
