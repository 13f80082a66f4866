# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from odoo import api, fields, models, modules
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.inventory_balance.tools.record_ids import check_ids_exist

from ..tools.period_rules import (
    checkpoints_to_prune,
    missing_periods,
    period_end_moment,
)
from ..tools.workflow_guard import refuse_workflow_fields, workflow

_logger = logging.getLogger(__name__)

# Workflow fields of a period: written only by the close, the reopen and the
# background jobs after them, through ``_write_workflow`` (even an
# administrator cannot close or reopen by writing the state).
PERIOD_WORKFLOW_FIELDS = frozenset(
    {
        "state",
        "closed_by_id",
        "closed_at",
        "checkpoint_id",
        "snapshot_id",
        "ageing_state",
        "ageing_ids",
        "check_run_id",
    }
)
# How many periods one request closes (each builds a checkpoint).
MAX_PERIODS_PER_CLOSE = 12
# How far ahead periods are created (days after today).
MAX_PERIODS_AHEAD_DAYS = 366


class InventoryPeriod(models.Model):
    """An inventory period of one company, closed at its end by the balance run.

    Closing stores the closing checkpoint of the ledger engine and a snapshot,
    and moves the company's stock lock date to the period's end.
    """

    _name = "inventory.period"
    _description = "Inventory Period"
    _inherit = ["mail.thread", "mail.activity.mixin"]
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
    closed_by_id = fields.Many2one("res.users", string="Closed by", readonly=True)
    closed_at = fields.Datetime(string="Closed on", readonly=True)
    checkpoint_id = fields.Many2one(
        "inventory.ledger.checkpoint",
        string="Closing checkpoint",
        readonly=True,
        ondelete="set null",
        check_company=True,
        help="The balances at the end of the period, from which the ledger "
        "engine answers later dates.",
    )
    snapshot_id = fields.Many2one(
        "inventory.snapshot",
        string="Closing snapshot",
        readonly=True,
        ondelete="set null",
        check_company=True,
    )
    ageing_state = fields.Selection(
        [("pending", "Being stored"), ("stored", "Stored")],
        string="Ageing at the end",
        readonly=True,
        copy=False,
        help="The aged inventory at the period's end is stored by a background "
        "job right after the close.",
    )
    ageing_ids = fields.One2many("inventory.period.ageing", "period_id", readonly=True)
    check_run_id = fields.Many2one(
        "inventory.balance.run",
        string="Period-end check",
        readonly=True,
        ondelete="set null",
        check_company=True,
        help="The report-only balance run the scheduled action made at the "
        "period's end.",
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

    # ------------------------------------------------------ workflow guard
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            refuse_workflow_fields(self, vals, PERIOD_WORKFLOW_FIELDS)
        return super().create(vals_list)

    def write(self, vals):
        refuse_workflow_fields(self, vals, PERIOD_WORKFLOW_FIELDS)
        if {"date_from", "date_to", "company_id"}.intersection(vals) and any(
            period.state == "closed" for period in self
        ):
            raise UserError(self.env._("A closed period cannot be changed."))
        return super().write(vals)

    def unlink(self):
        if any(period.state == "closed" for period in self):
            raise UserError(
                self.env._("A closed period cannot be deleted; reopen it first.")
            )
        return super().unlink()

    def _write_workflow(self, vals):
        """Write workflow fields: the actions call this after their checks."""
        return workflow(self).write(vals)

    # ------------------------------------------------------------ helpers
    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(
            "inventory_period_end.group_inventory_period_end_manager"
        ):
            raise AccessError(
                self.env._("Only inventory period administrators close or reopen.")
            )

    def _end_moment(self):
        self.ensure_one()
        return period_end_moment(self.date_to)

    def _clean_balance_run(self):
        """The latest balance run of the whole company at or after the period's
        end that left no error open: checked without error findings, or
        corrected (its reported-only errors still count).

        Only a run its actions wrote counts (the workflow fields cannot be
        written by hand): started (never in the future) after the moment it
        balances and ended, its findings all there.  Every finding counts,
        the valuation ones too, whoever closes."""
        self.ensure_one()
        now = fields.Datetime.now()
        runs = self.env["inventory.balance.run"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("date", ">=", self._end_moment()),
                ("state", "in", ("done", "corrected")),
                ("warehouse_ids", "=", False),
                ("location_ids", "=", False),
                ("categ_ids", "=", False),
                ("product_ids", "=", False),
                ("started_by", "!=", False),
                ("started_at", "<=", now),
                ("ended_at", "!=", False),
            ],
            order="started_at desc, id desc",
            limit=1,
        )
        if not runs:
            return runs, False
        if not runs.date <= runs.started_at <= runs.ended_at <= now:
            return runs, False
        Line = self.env["inventory.balance.run.line"].sudo()
        if Line.search_count([("run_id", "=", runs.id)]) != runs.line_count:
            return runs, False
        open_errors = Line.search_count(
            [
                ("run_id", "=", runs.id),
                ("severity", "=", "error"),
                ("action", "!=", "taken"),
            ]
        )
        return runs, not open_errors

    def _check_balance_run(self):
        """Refuse to close without a clean balance run of the whole company at
        or after the period's end."""
        run, clean = self._clean_balance_run()
        if not run:
            raise UserError(
                self.env._(
                    "Run a balance run of the whole company dated at or after "
                    "%(end)s before closing %(name)s.",
                    end=self._end_moment(),
                    name=self.name,
                )
            )
        if not clean:
            raise UserError(
                self.env._(
                    "The balance run %(run)s found errors that are not corrected: "
                    "correct them (or run again) before closing %(name)s.",
                    run=run.name,
                    name=self.name,
                )
            )

    @api.model
    def _cron_period_end_check(self):
        """At each period end: one report-only balance run of the whole
        company per ended open period, and its counts per rule as an activity
        for the inventory period administrators."""
        today = fields.Date.context_today(self)
        periods = self.search(
            [
                ("state", "=", "open"),
                ("date_to", "<", today),
                ("check_run_id", "=", False),
            ]
        )
        managers = self.env.ref(
            "inventory_period_end.group_inventory_period_end_manager"
        ).all_user_ids.filtered(lambda user: not user.share and user.active)
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        for period in periods.sorted("date_to"):
            company = period.company_id
            Run = self.env["inventory.balance.run"].with_company(company)
            run = Run.browse(
                Run._start_report(
                    {
                        "company_id": company.id,
                        "date": period._end_moment(),
                        "check_ageing": True,
                    },
                    inline=True,
                )
            )
            period._write_workflow({"check_run_id": run.id})
            counts = {code: n for code, n in run.get_counts().items() if n}
            summary = ", ".join(
                f"{code}: {count}" for code, count in sorted(counts.items())
            ) or self.env._("nothing found")
            for user in managers.filtered(lambda u, c=company: c in u.company_ids):
                period.activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=user.id,
                    summary=self.env._(
                        "Period-end check of %(name)s: %(count)s findings",
                        name=period.name,
                        count=run.line_count,
                    ),
                    note=self.env._(
                        "Balance run %(run)s (report only) at %(end)s. Findings "
                        "per rule: %(summary)s.",
                        run=run.name,
                        end=period._end_moment(),
                        summary=summary,
                    ),
                )

    @api.model
    def generate_periods(self, company_id=None, until=None):
        """Create the company's missing periods up to the one holding ``until``
        (default today), of the company's period length (monthly by default).

        :return: ids of the created periods
        :raise UserError: a company id that does not exist, named
        """
        company = (
            check_ids_exist(self.env, "company_id", company_id)
            if company_id
            else self.env.company
        )
        today = fields.Date.context_today(self)
        until = fields.Date.to_date(until) if until else today
        if until > today + timedelta(days=MAX_PERIODS_AHEAD_DAYS):
            raise UserError(
                self.env._(
                    "Periods are created at most %(days)s days ahead (until "
                    "%(until)s asked).",
                    days=MAX_PERIODS_AHEAD_DAYS,
                    until=until,
                )
            )
        existing = self.search([("company_id", "=", company.id)])
        bounds = missing_periods(
            [(p.date_from, p.date_to) for p in existing],
            until,
            company.inventory_period_length or "month",
        )
        periods = self.create(
            [
                {
                    "name": self._period_name(date_from, date_to),
                    "company_id": company.id,
                    "date_from": date_from,
                    "date_to": date_to,
                }
                for date_from, date_to in bounds
            ]
        )
        return periods.ids

    @api.model
    def action_generate_periods(self):
        """Button of the periods list: create the current company's missing
        periods up to today."""
        self.generate_periods(self.env.company.id)
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    @api.model
    def _period_name(self, date_from, date_to):
        if date_from.month == date_to.month and date_from.year == date_to.year:
            return date_from.strftime("%Y-%m")
        return f"{date_from:%Y-%m-%d} – {date_to:%Y-%m-%d}"

    @api.model
    def _cron_generate_periods(self):
        for company in self.env["res.company"].search([]):
            self.with_company(company).generate_periods(company.id)

    # ------------------------------------------------------------ actions
    def action_close(self):
        """Close the periods: store the closing checkpoint and snapshot, move
        the stock lock date to the end, prune checkpoints beyond the kept
        opening balances.  At most ``MAX_PERIODS_PER_CLOSE`` periods per
        request (each builds a checkpoint)."""
        self._check_manager()
        self.check_access("write")
        if len(self) > MAX_PERIODS_PER_CLOSE:
            raise UserError(
                self.env._(
                    "Close at most %(max)s periods at once (%(count)s selected).",
                    max=MAX_PERIODS_PER_CLOSE,
                    count=len(self),
                )
            )
        for period in self.sorted("date_from"):
            period._close()
        return True

    def _close(self):
        self.ensure_one()
        if self.state == "closed":
            raise UserError(
                self.env._("The period %(name)s is already closed.", name=self.name)
            )
        if self.date_to >= fields.Date.context_today(self):
            raise UserError(
                self.env._(
                    "The period %(name)s ends on %(end)s: only a period that has "
                    "ended can be closed.",
                    name=self.name,
                    end=self.date_to,
                )
            )
        earlier_open = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "open"),
                ("date_to", "<", self.date_from),
            ],
            limit=1,
        )
        if earlier_open:
            raise UserError(
                self.env._(
                    "Close %(earlier)s before %(name)s.",
                    earlier=earlier_open.name,
                    name=self.name,
                )
            )
        self._check_balance_run()
        moment = self._end_moment()
        company = self.company_id
        checkpoint, snapshot = self._store_closing_balances(moment)
        self._write_workflow(
            {
                "state": "closed",
                "closed_by_id": self.env.user.id,
                "closed_at": fields.Datetime.now(),
                "checkpoint_id": checkpoint.id,
                "snapshot_id": snapshot.id,
            }
        )
        if not company.stock_lock_date or company.stock_lock_date < self.date_to:
            company.sudo().stock_lock_date = self.date_to
        # The ageing at the end takes as long as the rest of the close at
        # scale: a background job stores it right after this transaction.
        self._write_workflow({"ageing_state": "pending"})
        self.env.ref(
            "inventory_period_end.ir_cron_inventory_period_store_ageing"
        )._trigger()
        self.message_post(
            body=self.env._(
                "Period closed: stock locked until %(lock)s; closing checkpoint "
                "of %(count)s balances and snapshot %(snapshot)s stored (its "
                "lines are copied from the checkpoint in the background).",
                lock=self.date_to,
                count=checkpoint.line_count,
                snapshot=self.snapshot_id.name,
            )
        )
        self._prune_checkpoints()

    def _store_closing_balances(self, moment):
        """The closing checkpoint and snapshot at ``moment``.

        A valid checkpoint at that very moment (the monthly job builds one at
        each month's end) is the closing checkpoint: the stock lock date keeps
        it valid, and building it again would write the same rows.  Otherwise
        it is built from the previous one.  The snapshot's lines are the
        checkpoint's rows summed per product, location and lot: a background
        job copies them right after this transaction (they are written before
        anyone reads them), which halves the close at scale."""
        self.ensure_one()
        company = self.company_id
        Checkpoint = self.env["inventory.ledger.checkpoint"].sudo()
        Snapshot = self.env["inventory.snapshot"]
        checkpoint = Checkpoint.search(
            [
                ("company_id", "=", company.id),
                ("moment", "=", moment),
                ("state", "=", "valid"),
            ],
            limit=1,
        ) or Checkpoint.with_company(company)._build_at(moment, company)
        snapshot = Snapshot.browse(
            Snapshot._take_event_snapshot(
                self.env._("Period close %(name)s", name=self.name),
                self.name,
                lines_from=checkpoint,
                company_id=company.id,
                moment=moment,
            )
        )
        return checkpoint, snapshot

    def _prune_checkpoints(self):
        """Delete the checkpoints older than the kept opening balances."""
        self.ensure_one()
        company = self.company_id
        closed = self.search(
            [("company_id", "=", company.id), ("state", "=", "closed")]
        )
        Checkpoint = self.env["inventory.ledger.checkpoint"].sudo()
        checkpoints = Checkpoint.search([("company_id", "=", company.id)])
        doomed = set(
            checkpoints_to_prune(
                [period._end_moment() for period in closed],
                checkpoints.mapped("moment"),
                company.inventory_period_keep,
            )
        )
        if not doomed:
            return
        doomed_checkpoints = checkpoints.filtered(lambda c: c.moment in doomed)
        doomed_checkpoints._delete_lines()
        doomed_checkpoints.unlink()
        _logger.info(
            "Inventory period %s closed: pruned %d checkpoints of %s",
            self.name,
            len(doomed),
            company.name,
        )

    def action_reopen(self):
        """Reopen the last closed period of its company: the stock lock date
        goes back to the end of the period closed before it. Logged."""
        self._check_manager()
        self.check_access("write")
        for period in self:
            if period.state != "closed":
                raise UserError(
                    self.env._("The period %(name)s is not closed.", name=period.name)
                )
            later = self.search(
                [
                    ("company_id", "=", period.company_id.id),
                    ("state", "=", "closed"),
                    ("date_from", ">", period.date_to),
                ],
                limit=1,
            )
            if later:
                raise UserError(
                    self.env._(
                        "Reopen %(later)s before %(name)s.",
                        later=later.name,
                        name=period.name,
                    )
                )
            previous = self.search(
                [
                    ("company_id", "=", period.company_id.id),
                    ("state", "=", "closed"),
                    ("date_to", "<", period.date_from),
                ],
                order="date_to desc",
                limit=1,
            )
            period.company_id.sudo().stock_lock_date = previous.date_to or False
            period.ageing_ids.sudo().unlink()
            closed = (period.closed_by_id.name, period.closed_at)
            # An open period says nothing of a close: who closed it when is
            # kept in the chatter.
            period._write_workflow(
                {
                    "state": "open",
                    "ageing_state": False,
                    "closed_by_id": False,
                    "closed_at": False,
                }
            )
            period.message_post(
                body=self.env._(
                    "Period reopened by %(user)s (it was closed by %(closer)s on "
                    "%(closed_at)s): the stock lock date is now %(lock)s.",
                    user=self.env.user.name,
                    closer=closed[0] or self.env._("nobody"),
                    closed_at=closed[1] or self.env._("no date"),
                    lock=previous.date_to or self.env._("none"),
                )
            )
        return True

    # ------------------------------------------------------------ ageing
    def _store_ageing(self):
        """Store the aged inventory at the period's end: one INSERT ... SELECT
        of the ageing's layers grouped per product, warehouse, lot, bucket and
        year (with ``since`` would lose the years, so every layer is read)."""
        Ageing = self.env["inventory.ageing"]
        Bucket = self.env["inventory.ageing.bucket"]
        buckets = Bucket.search([])
        for period in self:
            at = period._end_moment()
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    "DELETE FROM inventory_period_ageing WHERE period_id = %s",
                    period.id,
                )
            )
            layers = Ageing._layers_sql(at, [period.company_id.id])
            index = Ageing._bucket_case_sql(
                at, Bucket._buckets(), SQL("l.incoming_date")
            )
            with self.env["inventory.ledger"]._aggregation_settings(
                hash_joins=True, work_mem="256MB"
            ):
                self.env.cr.execute(
                    SQL(
                        """
                    INSERT INTO inventory_period_ageing
                        (period_id, company_id, product_id, categ_id, warehouse_id,
                         lot_id, bucket_id, incoming_year, quantity, value,
                         create_uid, create_date, write_uid, write_date)
                    SELECT %(period)s, g.company_id, g.product_id, pt.categ_id,
                           g.warehouse_id, g.lot_id, g.bucket_id, g.incoming_year,
                           g.quantity, g.quantity * %(cost)s,
                           %(uid)s, now() at time zone 'UTC',
                           %(uid)s, now() at time zone 'UTC'
                      FROM (
                        SELECT l.company_id, l.product_id, l.warehouse_id, l.lot_id,
                               (%(bucket_ids)s::int[])[%(index)s + 1] AS bucket_id,
                               EXTRACT(YEAR FROM l.incoming_date)::int
                                   AS incoming_year,
                               SUM(l.quantity) AS quantity
                          FROM (%(layers)s) l
                         GROUP BY 1, 2, 3, 4, 5, 6
                      ) g
                      LEFT JOIN product_product pp ON pp.id = g.product_id
                      LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
                    """,
                        period=period.id,
                        cost=self.env["inventory.ledger"]._product_cost_sql(
                            SQL("g.company_id")
                        ),
                        uid=self.env.uid,
                        bucket_ids=buckets.ids,
                        index=index,
                        layers=layers,
                    )
                )
            period._write_workflow({"ageing_state": "stored"})
        self.env["inventory.period.ageing"].invalidate_model()
        self.invalidate_recordset(["ageing_ids"])

    @api.model
    def _cron_store_ageing(self, commit=None):
        """Store the ageing of the periods closed since the last run, one
        period per transaction (each reads the whole ledger up to its end),
        reporting the progress."""
        if commit is None:
            commit = not modules.module.current_test
        periods = self.search(
            [("state", "=", "closed"), ("ageing_state", "=", "pending")],
            order="date_from",
        )
        for done, period in enumerate(periods, start=1):
            period._store_ageing()
            if commit:
                self.env["ir.cron"]._commit_progress(1, remaining=len(periods) - done)

    def action_open_ageing(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Aged inventory at the end of %(name)s", name=self.name),
            "res_model": "inventory.period.ageing",
            "view_mode": "pivot,list",
            "domain": [("period_id", "=", self.id)],
        }

    # ------------------------------------------------------------ RPC
    @api.model
    def close_period(self, period_id):
        """Close one period by id (RPC); returns the period's checkpoint id."""
        period = check_ids_exist(self.env, "period_id", period_id)
        period.action_close()
        return period.checkpoint_id.id
