# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The background side of the period-end balance run: whether a run is too
big for one request, queueing it, and the scheduled action that runs the
queued runs.  A mixin of ``inventory.balance.run``: ``self`` is the run."""

import logging

from odoo import api, models, modules
from odoo.exceptions import AccessError, UserError

_logger = logging.getLogger(__name__)


class InventoryBalanceRunBackground(models.AbstractModel):
    _name = "inventory.balance.run.background"
    _description = "Inventory Balance Run: background runs"

    @api.model
    def _background_threshold(self, key, default):
        """A size threshold of the system parameters, a sane integer (the
        default when unset or not a whole number from 0)."""
        raw = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(f"inventory_period_end.{key}")
        )
        return self._parse_threshold(raw, default)

    @staticmethod
    def _parse_threshold(raw, default):
        if not isinstance(raw, str):
            return default
        try:
            value = int(raw.strip())
        except ValueError:
            return default
        return value if 0 <= value <= 10**12 else default

    @api.model
    def _estimated_rows(self, table):
        """PostgreSQL's estimate of a table's rows (free: no count)."""
        self.env.cr.execute(
            "SELECT GREATEST(reltuples, 0)::bigint FROM pg_class "
            "WHERE oid = to_regclass(%s)",
            [table],
        )
        row = self.env.cr.fetchone()
        return row[0] if row and row[0] is not None else 0

    def _runs_in_background(self):
        """Whether the run is too big for one request: the valuation rules
        (they read every valued move) above ``background_valuation_moves``
        done moves (default 100,000), any run above ``background_lines``
        move lines (default 5,000,000); estimated, not counted."""
        self.ensure_one()
        if self.check_valuation:
            limit = self._background_threshold("background_valuation_moves", 100000)
            if self._estimated_rows("stock_move") >= limit:
                return True
        limit = self._background_threshold("background_lines", 5000000)
        return self._estimated_rows("stock_move_line") >= limit

    def _queue(self):
        """Queue the run for the background job, as the user who asked."""
        self.ensure_one()
        self._write_workflow(
            {
                "state": "queued",
                "started_by": self.env.user.id,
                "started_at": False,
                "ended_at": False,
            }
        )
        self.env.ref("inventory_period_end.ir_cron_inventory_balance_run")._trigger()
        self.message_post(
            body=self.env._(
                "Queued: the run is too big for one request; a background job "
                "runs it and posts its findings here."
            )
        )

    @api.model
    def _cron_run_queued(self, commit=None):
        """Scheduled action: run the queued runs, one transaction each, as
        the user who queued them, reporting the progress."""
        if commit is None:
            commit = not modules.module.current_test
        runs = self.sudo().search([("state", "=", "queued")], order="id")
        Cron = self.env["ir.cron"]
        for done, run in enumerate(runs, start=1):
            user = run.started_by or self.env.user
            try:
                with self.env.cr.savepoint():
                    # Back to draft first: the run checks as a draft run would.
                    run._write_workflow({"state": "draft"})
                    run.with_user(user).with_company(run.company_id)._run_now()
            except (UserError, AccessError) as error:
                _logger.warning("Balance run %s failed: %s", run.name, error)
                run._write_workflow({"state": "draft"})
                run.message_post(
                    body=self.env._(
                        "The background run failed: %(error)s", error=str(error)
                    )
                )
            if commit:
                Cron._commit_progress(1, remaining=len(runs) - done)
        return True
