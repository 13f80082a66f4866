# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

# The context key of the build: honoured only together with the superuser
# mode the build itself enters (a key sent over RPC alone does nothing).
BUILD_KEY = "inventory_ledger_checkpoint_build"
# The build's in-process marker, compared by identity: a context sent over RPC
# holds JSON values only, so it cannot carry it (a plain True is refused).
BUILD = object()
# Seconds a run of the scheduled build spends building checkpoints before it
# hands over to its next run (parameter
# inventory_balance.checkpoint_build_seconds).
BUILD_SECONDS = 60


class InventoryLedgerCheckpoint(models.Model):
    """Balances of every (product, location, lot, package, owner) of one
    company's internal and transit locations at a closed moment.

    A checkpoint is valid while no done move line dated at or before its
    moment changes; such a change marks it stale (``stock.move.line``), and the
    engine then ignores it until it is rebuilt.  The period close's stock lock
    date keeps checkpoints valid for good.

    The scheduled build keeps them: a company without any gets one pending
    checkpoint at the end of every month of its history, built in the
    background oldest first, each from the previous one; stale ones are
    rebuilt the same way (``_cron_build_monthly``).
    """

    _name = "inventory.ledger.checkpoint"
    _description = "Stock Ledger Checkpoint"
    _order = "company_id, moment desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    moment = fields.Datetime(required=True, index=True, readonly=True)
    state = fields.Selection(
        [("pending", "To Build"), ("valid", "Valid"), ("stale", "Stale")],
        required=True,
        default="valid",
        readonly=True,
        help="To Build: planned by the scheduled build, which builds it in the "
        "background (oldest first). Stale: a done move dated at or before the "
        "moment changed after the checkpoint was built; the scheduled build "
        "rebuilds it (or use Rebuild).",
    )
    line_ids = fields.One2many(
        "inventory.ledger.checkpoint.line", "checkpoint_id", readonly=True
    )
    line_count = fields.Integer(readonly=True)
    total_quantity = fields.Float(readonly=True, digits="Product Unit")
    previous_id = fields.Many2one(
        "inventory.ledger.checkpoint",
        readonly=True,
        check_company=True,
        help="The checkpoint this one was built from, plus the moves between.",
    )

    _company_moment_unique = models.Constraint(
        "UNIQUE(company_id, moment)",
        "A company has one checkpoint per moment.",
    )

    # ------------------------------------------------------------ guards
    def _is_build(self):
        """Whether this environment is the build's own (superuser mode and
        the build's key): only it creates or changes checkpoints."""
        return self.env.su and self.env.context.get(BUILD_KEY) is BUILD

    def _check_build(self):
        if not self._is_build():
            raise AccessError(
                self.env._(
                    "Checkpoints are written only by their build: use Rebuild "
                    "(or build_checkpoint over RPC)."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_build()
        return super().create(vals_list)

    def write(self, vals):
        # Marking a checkpoint stale only takes trust away (the engine then
        # ignores it until it is rebuilt): a superuser path may, as the
        # invalidation by a backdated move does.
        if not (self.env.su and vals == {"state": "stale"}):
            self._check_build()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_by_prune(self):
        """Checkpoints are deleted only by the period close's prune (or
        another superuser path), never by hand: the engine and the closing
        snapshots answer from them."""
        if not self.env.su:
            raise AccessError(
                self.env._("Checkpoints are deleted only by the period close's prune.")
            )

    @api.depends("moment", "company_id")
    def _compute_name(self):
        for checkpoint in self:
            checkpoint.name = f"{checkpoint.company_id.name} @ {checkpoint.moment}"

    @api.model
    def _latest_valid(self, at, company_ids):
        """The latest valid checkpoint at or before ``at``, per company."""
        self.flush_model(["company_id", "moment", "state"])
        self.env.cr.execute(
            SQL(
                """
            SELECT DISTINCT ON (company_id) id FROM inventory_ledger_checkpoint
             WHERE company_id = ANY(%s) AND moment <= %s AND state = 'valid'
             ORDER BY company_id, moment DESC
            """,
                company_ids,
                at,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _first_valid_after(self, at, company_ids):
        """The first valid checkpoint after ``at``, per company."""
        self.flush_model(["company_id", "moment", "state"])
        self.env.cr.execute(
            SQL(
                """
            SELECT DISTINCT ON (company_id) id FROM inventory_ledger_checkpoint
             WHERE company_id = ANY(%s) AND moment > %s AND state = 'valid'
             ORDER BY company_id, moment
            """,
                company_ids,
                at,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _nearest_valid(self, at, company_ids, later=True):
        """The valid checkpoint nearest to ``at`` per company: the latest at
        or before it, or (with ``later``) the first after it when that one is
        nearer.  The engine then adds or subtracts the lines between."""
        self.flush_model(["company_id", "moment", "state"])
        self.env.cr.execute(
            SQL(
                """
            SELECT DISTINCT ON (company_id) id FROM inventory_ledger_checkpoint
             WHERE company_id = ANY(%(companies)s) AND state = 'valid'
               AND (moment <= %(at)s OR %(later)s)
             ORDER BY company_id, ABS(EXTRACT(EPOCH FROM moment - %(at)s)), moment
            """,
                companies=company_ids,
                at=at,
                later=bool(later),
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def build_checkpoint(self, moment, company_id=None):
        """Build (or rebuild) the checkpoint of a company at ``moment``.

        Set-based: one ``INSERT ... SELECT`` from the previous valid checkpoint
        plus the done move lines between the two moments.

        :param moment: date or datetime (UTC), not in the future
        :param company_id: default the current company
        :return: id of the checkpoint
        """
        self.env["inventory.ledger"]._check_ledger_access()
        if not self.env.su and not self.env.user.has_group(
            "inventory_balance.group_inventory_balance_manager"
        ):
            raise AccessError(
                self.env._("Only inventory balance managers build checkpoints.")
            )
        moment = self.env["inventory.ledger"]._parse_moment(moment, "moment")
        company = (
            self.env["res.company"].browse(company_id)
            if company_id
            else self.env.company
        )
        if company not in self.env.companies:
            raise UserError(self.env._("You cannot build checkpoints of this company."))
        return self._build_at(moment, company).id

    def _build_at(self, moment, company):
        """Build (or rebuild) the checkpoint of ``company`` at ``moment`` (no
        access check: see ``build_checkpoint``) and return it, in the
        caller's environment."""
        # The build's own environment: the only one that writes checkpoints.
        builder = self.sudo().with_context(**{BUILD_KEY: BUILD})
        builder.env.flush_all()
        previous = builder._latest_valid(
            moment - relativedelta(microseconds=1), [company.id]
        )
        checkpoint = builder.search(
            [("company_id", "=", company.id), ("moment", "=", moment)]
        )
        if checkpoint:  # rebuilt in place
            checkpoint._delete_lines()
            checkpoint.write({"state": "valid", "previous_id": previous.id})
        else:
            checkpoint = builder.create(
                {"company_id": company.id, "moment": moment, "previous_id": previous.id}
            )
        ledger = builder.env["inventory.ledger"]
        # Every id inserted comes from an existing row (the previous
        # checkpoint or a move line): the per-row foreign-key triggers would
        # cost more than the rest of the statement.
        with ledger._bulk_insert_settings(
            balances=True, hash_joins=True, work_mem="256MB"
        ):
            builder.env.cr.execute(
                builder._build_sql(previous, moment, company, checkpoint)
            )
            count, total = builder.env.cr.fetchone()
        checkpoint.write({"line_count": count, "total_quantity": total})
        checkpoint.invalidate_recordset(["line_ids"])
        # The build's environment does not leave the build.
        return checkpoint.with_env(self.env)

    def _delete_lines(self):
        """Delete the rows of these checkpoints in one statement (the ORM
        would load every row), before a rebuild or a prune."""
        if not self:
            return
        self.env.cr.execute(
            SQL(
                "DELETE FROM inventory_ledger_checkpoint_line "
                "WHERE checkpoint_id = ANY(%s)",
                self.ids,
            )
        )
        self.invalidate_recordset(["line_ids"])
        self.env["inventory.ledger.checkpoint.line"].invalidate_model()

    @api.model
    def _build_sql(self, previous, moment, company, checkpoint):
        """The INSERT ... SELECT of a checkpoint's lines: the previous
        checkpoint's plus the company's lines since, summed per key.

        Both come in key order (the previous checkpoint from its key index,
        the lines since summed and sorted), merged and summed without a hash
        table, and inserted in that order: each row then goes to the key
        index's rightmost page, which PostgreSQL keeps at hand (at 340,000
        balances: 1.5 s instead of 2.7 s to insert, 0.6 s instead of 1.0 s to
        sum)."""
        ledger = self.env["inventory.ledger"]
        key = SQL("product_id, location_id, lot_id, package_id, owner_id")
        return SQL(
            """
            WITH scope AS MATERIALIZED (%(scope)s),
            delta AS (%(delta)s),
            rows AS (
                (SELECT %(key)s, quantity, last_date
                   FROM inventory_ledger_checkpoint_line
                  WHERE checkpoint_id = %(previous)s
                  ORDER BY %(key)s)
                UNION ALL
                (SELECT %(key)s, SUM(quantity), MAX(last_date)
                   FROM delta
                  GROUP BY %(key)s
                  ORDER BY %(key)s)
            ), inserted AS (
                INSERT INTO inventory_ledger_checkpoint_line
                    (checkpoint_id, product_id, location_id, lot_id, package_id,
                     owner_id, quantity, last_date)
                SELECT %(checkpoint)s, %(key)s, SUM(quantity), MAX(last_date)
                  FROM rows
                 GROUP BY %(key)s
                HAVING SUM(quantity) <> 0
                 ORDER BY %(key)s
                RETURNING quantity
            )
            SELECT COUNT(*), COALESCE(SUM(quantity), 0) FROM inserted
            """,
            scope=ledger._scope_locations_sql([company.id]),
            # one company: one window, the dates of the lines read
            delta=ledger._signed_lines_sql(
                previous.moment if previous else None, moment, split=True
            ),
            key=key,
            previous=previous.id or 0,
            checkpoint=checkpoint.id,
        )

    def action_rebuild(self):
        for checkpoint in self.sorted("moment"):
            self.build_checkpoint(checkpoint.moment, checkpoint.company_id.id)
        return True

    @api.model
    def _invalidate_from(self, moments_by_company):
        """Mark stale the checkpoints at or after the given moment, per company."""
        for company_id, moment in moments_by_company.items():
            self.env.cr.execute(
                SQL(
                    """
                UPDATE inventory_ledger_checkpoint SET state = 'stale'
                 WHERE company_id = %s AND moment >= %s AND state = 'valid'
                """,
                    company_id,
                    moment,
                )
            )
            if self.env.cr.rowcount:
                self.invalidate_model(["state"])

    # ------------------------------------------------------- scheduled build
    @api.model
    def _last_month_end(self):
        """The end of the last completed month (the last second before this
        month started): the moment of the monthly checkpoints."""
        today = fields.Date.context_today(self)
        return fields.Datetime.to_datetime(today.replace(day=1)) - relativedelta(
            seconds=1
        )

    @api.model
    def _history_month_ends(self, company):
        """The month ends of ``company``'s history: from the end of the month
        of its first done move line to the end of the last completed month
        (that one alone for a company without lines)."""
        last = self._last_month_end()
        self.env.cr.execute(
            SQL(
                "SELECT MIN(date) FROM stock_move_line "
                "WHERE state = 'done' AND company_id = %s",
                company.id,
            )
        )
        first = self.env.cr.fetchone()[0]
        if not first or first > last:
            return [last]
        start = fields.Datetime.to_datetime(first.date().replace(day=1))
        moments = []
        while (moment := start + relativedelta(months=1, seconds=-1)) <= last:
            moments.append(moment)
            start += relativedelta(months=1)
        return moments

    @api.model
    def _plan_checkpoints(self):
        """Plan the checkpoints the scheduled build makes, as pending records
        (the list shows them): every month end of the history of a company
        without any checkpoint, else the last month end when it is missing.
        Returns the pending checkpoints created."""
        builder = self.sudo().with_context(**{BUILD_KEY: BUILD})
        builder.flush_model(["company_id", "moment"])
        vals_list = []
        for company in self.env["res.company"].sudo().search([]):
            existing = set(
                builder.search([("company_id", "=", company.id)]).mapped("moment")
            )
            moments = (
                [self._last_month_end()]
                if existing
                else self._history_month_ends(company)
            )
            vals_list += [
                {"company_id": company.id, "moment": moment, "state": "pending"}
                for moment in moments
                if moment not in existing
            ]
        return builder.create(vals_list).with_env(self.env)

    @api.model
    def _to_build(self):
        """The pending and stale checkpoints, oldest first: the order in which
        they are built, each from the previous valid one."""
        return (
            self.sudo()
            .search([("state", "in", ("pending", "stale"))], order="moment, company_id")
            .with_env(self.env)
        )

    @api.model
    def _run_builds(self, seconds=None, commit=False):
        """Build the pending and stale checkpoints, oldest first, each from
        the previous valid one, for up to ``seconds`` (at least one; no limit
        when None), and trigger the scheduled build again when some are left.

        :param commit: commit after each checkpoint and report progress with
            ``ir.cron._commit_progress`` (only when run by the scheduler: the
            progress also ends the run when the scheduler's time is up)
        :return: the number of checkpoints left to build
        """
        todo = self._to_build()
        cron = self.env["ir.cron"]
        if commit:
            cron._commit_progress(remaining=len(todo))
        deadline = None if seconds is None else time.monotonic() + seconds
        left = len(todo)
        for checkpoint in todo:
            left -= 1
            if checkpoint.state not in ("pending", "stale"):
                # built meanwhile (by hand, or by the period close)
                if commit:
                    cron._commit_progress(1)
                continue
            self._build_at(checkpoint.moment, checkpoint.company_id)
            time_left = cron._commit_progress(1) if commit else float("inf")
            if left and (
                time_left <= 0
                or (deadline is not None and time.monotonic() >= deadline)
            ):
                break
        if left:
            self.env.ref(
                "inventory_balance.ir_cron_inventory_ledger_checkpoint"
            )._trigger()
        return left

    @api.model
    def _cron_build_monthly(self):
        """The scheduled build: plan the month ends (the whole history of a
        company without checkpoint, else the last month end), then build the
        pending and rebuild the stale checkpoints, oldest first, within
        ``inventory_balance.checkpoint_build_seconds`` per run; the scheduler
        runs it again while some are left.  Commits after each checkpoint only
        when the scheduler runs it."""
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        self._plan_checkpoints()
        seconds = self.env["inventory.ledger"]._limit_param(
            "inventory_balance.checkpoint_build_seconds", BUILD_SECONDS
        )
        self._run_builds(seconds, commit=in_cron)
        return True
