# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from psycopg2 import errors as pg_errors

from odoo import api, fields, models, modules
from odoo.exceptions import UserError, ValidationError

from odoo.addons.base.models.res_partner import _tz_get
from odoo.addons.inventory_balance.tools.record_ids import check_vals_ids

from ..tools import schedule_rules
from .inventory_snapshot import TRUSTED, TRUSTED_KEY

_logger = logging.getLogger(__name__)

# The relational fields whose ids a create or write must name existing records
SCOPE_FIELDS = ("company_id", "warehouse_ids", "location_ids", "categ_ids")

WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]


class InventorySnapshotSchedule(models.Model):
    """Takes a snapshot at the end of every period of its frequency.

    The hourly scheduled action takes, for every active schedule, each due
    moment since the last one it took (or since the start), so a late run
    catches up every missed period; the unique index of ``inventory.snapshot``
    on ``(schedule_id, moment)`` guarantees a period is never taken twice.
    """

    _name = "inventory.snapshot.schedule"
    _description = "Inventory Snapshot Schedule"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    frequency = fields.Selection(
        [
            ("daily", "Daily"),
            ("weekly", "Weekly"),
            ("month_end", "Month-end"),
            ("quarter_end", "Quarter-end"),
            ("year_end", "Year-end"),
        ],
        required=True,
        default="month_end",
    )
    weekday = fields.Selection(
        WEEKDAYS,
        string="Day of the week",
        required=True,
        default="0",
        help="For a weekly schedule.",
    )
    hour = fields.Float(
        string="Time of day",
        default=24.0,
        help="From 00:00 to 24:00, in the schedule's time zone; 24:00 is the "
        "very end of the day (23:59:59), the usual moment of a period end.",
    )
    tz = fields.Selection(
        _tz_get,
        string="Time zone",
        required=True,
        default=lambda self: self.env.user.tz or "UTC",
        help="The days, period ends and time of day are reckoned in this time zone.",
    )
    name_pattern = fields.Char(
        required=True,
        default="Month-End {month} {year}",
        help="Name of the snapshots. Placeholders: {year}, {month} (May), "
        "{month_number} (05), {quarter} (Q2), {day} (31), {date} (2026-05-31); "
        "{{ and }} for literal braces.",
    )
    date_start = fields.Datetime(
        string="Start",
        required=True,
        default=fields.Datetime.now,
        help="The periods that end after this moment are taken. A start in the "
        "past takes the past periods too, read from the ledger.",
    )
    warehouse_ids = fields.Many2many(
        "stock.warehouse", string="Warehouses", check_company=True
    )
    location_ids = fields.Many2many(
        "stock.location",
        string="Locations",
        check_company=True,
        domain=[("usage", "in", ("internal", "transit"))],
        help="Children included. Empty with no warehouse: every internal and "
        "transit location of the company.",
    )
    categ_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="Sub-categories included. Empty: every product.",
    )
    last_moment = fields.Datetime(
        string="Last taken",
        readonly=True,
        copy=False,
        help="The last due moment taken; the next run starts after it.",
    )
    next_moment = fields.Datetime(
        string="Next due",
        compute="_compute_next_moment",
        store=True,
        help="The next due moment, in the past when the schedule is late.",
    )
    snapshot_ids = fields.One2many(
        "inventory.snapshot", "schedule_id", string="Snapshots", readonly=True
    )
    snapshot_count = fields.Integer(compute="_compute_snapshot_count")

    # ------------------------------------------------------------- fields
    @api.depends("frequency", "weekday", "hour", "tz", "date_start", "last_moment")
    def _compute_next_moment(self):
        for schedule in self:
            try:
                schedule.next_moment = schedule_rules.next_due_moment_utc(
                    schedule.frequency,
                    schedule._start_after(),
                    schedule.hour,
                    int(schedule.weekday),
                    schedule.tz,
                )
            except (schedule_rules.ScheduleError, TypeError):
                schedule.next_moment = False

    def _compute_snapshot_count(self):
        counts = dict(
            self.env["inventory.snapshot"]._read_group(
                [("schedule_id", "in", self.ids)], ["schedule_id"], ["__count"]
            )
        )
        for schedule in self:
            schedule.snapshot_count = counts.get(schedule, 0)

    @api.constrains("frequency", "weekday", "hour", "tz", "name_pattern")
    def _check_rules(self):
        for schedule in self:
            try:
                schedule_rules.check_frequency(schedule.frequency)
                schedule_rules.check_weekday(int(schedule.weekday))
                schedule_rules.check_hour(schedule.hour)
                schedule_rules.get_zone(schedule.tz)
                schedule_rules.check_name_pattern(schedule.name_pattern)
            except schedule_rules.ScheduleError as exc:
                raise ValidationError(
                    self.env._(
                        "Snapshot schedule %(name)s: %(error)s",
                        name=schedule.name,
                        error=str(exc),
                    )
                ) from exc

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_snapshots(self):
        if self.snapshot_ids:
            raise UserError(
                self.env._(
                    "A schedule that has taken snapshots cannot be deleted: "
                    "archive it instead."
                )
            )

    # ------------------------------------------------------------ changes
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_workflow_fields(vals)
            check_vals_ids(self, vals, SCOPE_FIELDS)
        return super().create(vals_list)

    def write(self, vals):
        self._check_workflow_fields(vals)
        check_vals_ids(self, vals, SCOPE_FIELDS)
        return super().write(vals)

    @api.model
    def _check_workflow_fields(self, vals):
        """``last_moment`` (the last due moment taken) is the scheduled
        action's own: setting it by hand would skip or retake periods."""
        trusted = self.env.su and self.env.context.get(TRUSTED_KEY) is TRUSTED
        if "last_moment" in vals and not trusted:
            raise UserError(
                self.env._(
                    "The last moment taken of a snapshot schedule is set only by "
                    "taking its snapshots."
                )
            )

    # ------------------------------------------------------------- rules
    def _start_after(self):
        """The moment after which the next periods are due."""
        self.ensure_one()
        if self.last_moment and self.date_start:
            return max(self.last_moment, self.date_start)
        return self.last_moment or self.date_start or fields.Datetime.now()

    def _due_moments(self, until):
        """The due moments (naive UTC) after the last taken one, up to until."""
        self.ensure_one()
        return schedule_rules.due_moments_utc(
            self.frequency,
            self._start_after(),
            until,
            self.hour,
            int(self.weekday),
            self.tz,
        )

    def _snapshot_name(self, moment):
        """The name of the snapshot of a due moment (naive UTC): the pattern
        rendered with the date of the schedule's time zone."""
        self.ensure_one()
        return schedule_rules.format_name(
            self.name_pattern, schedule_rules.utc_to_local(moment, self.tz)
        )

    # ------------------------------------------------------------- taking
    def _take_due_snapshot(self, moment):
        """Take the snapshot of one due moment, exactly once.

        :return: the new snapshot's id, or False when the moment was already
            taken (by an earlier or a concurrent run)
        """
        self.ensure_one()
        Snapshot = (
            self.env["inventory.snapshot"]
            .sudo()
            .with_company(self.company_id)
            .with_context(active_test=False)
        )
        snapshot_id = False
        if not Snapshot.search_count(
            [("schedule_id", "=", self.id), ("moment", "=", moment)]
        ):
            try:
                with self.env.cr.savepoint():
                    # the unique index on (schedule, moment) refuses a
                    # concurrent run's duplicate before the lines are written
                    snapshot_id = Snapshot._take(
                        self._snapshot_name(moment),
                        moment=moment,
                        company=self.company_id,
                        location_ids=self.location_ids.ids,
                        warehouse_ids=self.warehouse_ids.ids,
                        categ_ids=self.categ_ids.ids,
                        trigger="scheduled",
                        trigger_ref=self.name,
                        schedule=self,
                    ).id
            except pg_errors.UniqueViolation:
                _logger.info(
                    "Snapshot schedule %s: %s was taken by a concurrent run",
                    self.name,
                    moment,
                )
                snapshot_id = False
            else:
                self.invalidate_recordset(["snapshot_ids", "snapshot_count"])
        if not self.last_moment or self.last_moment < moment:
            self.sudo().with_context(**{TRUSTED_KEY: TRUSTED}).last_moment = moment
        return snapshot_id

    def _take_due_snapshots(self, now=None, commit=False):
        """Take every due snapshot of these schedules up to now, oldest first.

        Schedules locked by a concurrent run are skipped (that run takes
        them); the unique index on ``(schedule_id, moment)`` is what finally
        guarantees that no period is taken twice. A schedule whose snapshot
        fails is left at its last good moment and retried at the next run.

        :param commit: commit after each snapshot and report the progress
            (scheduled action only, never within a test)
        :return: ids of the snapshots taken
        """
        now = now or fields.Datetime.now()
        schedules = self.filtered("active").try_lock_for_update()
        schedules.invalidate_recordset(["last_moment"])
        todo = []
        for schedule in schedules:
            try:
                todo += [(schedule, due) for due in schedule._due_moments(now)]
            except schedule_rules.ScheduleError as exc:
                _logger.warning("Snapshot schedule %s: %s", schedule.name, exc)
        IrCron = self.env["ir.cron"]
        taken, failed = [], self.browse()
        for done, (schedule, due) in enumerate(todo, start=1):
            if schedule not in failed:
                try:
                    snapshot_id = schedule._take_due_snapshot(due)
                except (UserError, ValidationError) as exc:
                    _logger.warning(
                        "Snapshot schedule %s could not take %s: %s",
                        schedule.name,
                        due,
                        exc,
                    )
                    failed |= schedule
                else:
                    if snapshot_id:
                        taken.append(snapshot_id)
            if commit:
                # Commits, and reports the progress of the scheduled action
                # (``_notify_progress`` is deprecated in 19.0 for this).
                IrCron._commit_progress(1, remaining=len(todo) - done)
        return taken

    @api.model
    def _cron_take_due_snapshots(self):
        """Scheduled action: every due snapshot of every active schedule of
        every company, committed one by one (not within a test)."""
        schedules = self.sudo().search([])
        schedules._take_due_snapshots(commit=not modules.module.current_test)
        return True

    # ------------------------------------------------------------- actions
    def action_take_due_snapshots(self):
        """Take the due snapshots of these schedules now (button).

        :raise AccessError: without the snapshot Create group, or without
            access to the schedules (their companies)
        """
        self.env["inventory.snapshot"]._check_take_access(self.company_id)
        self.check_access("read")
        self._take_due_snapshots()
        return True

    def action_open_snapshots(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Snapshots of %(name)s", name=self.name),
            "res_model": "inventory.snapshot",
            "view_mode": "list,form,graph",
            "domain": [("schedule_id", "=", self.id)],
            "context": {"create": False},
        }
