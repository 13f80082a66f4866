# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo.tests import TransactionCase, tagged

from odoo.addons.inventory_balance import post_init_hook

from .common import LedgerScenarioMixin, background_requests


@tagged("post_install", "-at_install")
class TestCheckpointBuild(LedgerScenarioMixin, TransactionCase):
    """The scheduled build plans a checkpoint at every month end of a
    company's history, builds them oldest first each from the previous one,
    within a time budget per run, and rebuilds the stale ones."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ledger_scenario()
        # Lines months back: a history of half a year.
        cls._move(cls.p1, cls.supplier, cls.bin1, 11, cls._days_ago(170))
        cls._move(cls.p1, cls.bin1, cls.customer, 4, cls._days_ago(120))
        cls._move(cls.p3, cls.supplier, cls.bin2, 6, cls._days_ago(95))
        cls.cron = cls.env.ref("inventory_balance.ir_cron_inventory_ledger_checkpoint")
        cls.last = cls.Checkpoint._last_month_end()
        # The month ends of the history from the oldest line above on.
        start = cls._days_ago(170).replace(
            day=1, hour=0, minute=0, second=0, microsecond=0
        )
        cls.expected_moments = []
        while (moment := start + relativedelta(months=1, seconds=-1)) <= cls.last:
            cls.expected_moments.append(moment)
            start += relativedelta(months=1)

    def _mine(self, states=None):
        domain = [("company_id", "=", self.company.id)]
        if states:
            domain.append(("state", "in", states))
        return self.Checkpoint.search(domain, order="moment")

    def _triggers(self):
        return background_requests(self.env, self.cron)

    def _assert_chain_exact(self, checkpoints):
        """Every checkpoint is valid, built from the one before it, and holds
        the ledger's balances at its moment."""
        previous = self.Checkpoint
        for checkpoint in checkpoints:
            self.assertEqual(checkpoint.state, "valid", checkpoint.moment)
            if previous:
                self.assertEqual(checkpoint.previous_id, previous, checkpoint.moment)
            previous = checkpoint
            stored = {
                (line.product_id.id, line.location_id.id, line.lot_id.id or False): (
                    line.quantity
                )
                for line in checkpoint.line_ids
                if line.product_id in self.products
            }
            self.assertEqual(
                stored,
                self._balances(checkpoint.moment, method="ledger"),
                checkpoint.moment,
            )

    def test_plan_whole_history_then_build_oldest_first(self):
        self.assertFalse(self._mine())
        planned = self.Checkpoint._plan_checkpoints()
        mine = self._mine()
        self.assertEqual(mine, planned.filtered(lambda c: c.company_id == self.company))
        self.assertEqual(set(mine.mapped("state")), {"pending"})
        moments = mine.mapped("moment")
        # Every month end of the history, up to the last one, none twice.
        self.assertLessEqual(set(self.expected_moments), set(moments))
        self.assertEqual(moments[-1], self.last)
        self.assertEqual(len(moments), len(set(moments)))
        second = relativedelta(seconds=1)
        for earlier, later in zip(moments, moments[1:], strict=False):
            self.assertEqual(earlier + second + relativedelta(months=1), later + second)
        # Planning again adds nothing: the company has checkpoints now.
        self.assertFalse(
            self.Checkpoint._plan_checkpoints().filtered(
                lambda c: c.company_id == self.company
            )
        )
        # Nothing pending is used by the engine meanwhile.
        at = self.expected_moments[-1] + timedelta(days=1)
        self.assertFalse(self.Ledger._from_checkpoint(at, self.company.ids))
        self.assertEqual(self._balances(at), self._balances(at, method="ledger"))
        left = self.Checkpoint._run_builds()
        self.assertEqual(left, 0)
        self.assertFalse(self.Checkpoint._to_build())
        self._assert_chain_exact(self._mine())

    def test_time_budget_and_trigger_again(self):
        self.Checkpoint._plan_checkpoints()
        todo = self.Checkpoint._to_build()
        self.assertGreater(len(todo), 2)
        triggers = self._triggers()
        # No time: the oldest one only, and the job asks to run again.
        left = self.Checkpoint._run_builds(seconds=0)
        self.assertEqual(left, len(todo) - 1)
        self.assertEqual(todo[0].state, "valid")
        self.assertEqual(set(todo[1:].mapped("state")), {"pending"})
        self.assertEqual(self._triggers(), triggers + 1)
        # The rest, each from the previous one; no trigger when done.
        self.assertEqual(self.Checkpoint._run_builds(), 0)
        self.assertEqual(self._triggers(), triggers + 1)
        self._assert_chain_exact(self._mine())

    def test_cron_reports_progress_and_stops_when_time_is_up(self):
        """From the scheduler: progress with ``_commit_progress`` (the
        non-deprecated API of 19; it also commits) after each checkpoint, and
        the run ends when the scheduler says its time is up."""
        calls = []

        def commit_progress(cron, processed=0, *, remaining=None, deactivate=False):
            calls.append((processed, remaining))
            return 0.0  # the scheduler's time is up after the first one

        with patch.object(
            self.env.registry["ir.cron"],
            "_commit_progress",
            autospec=True,
            side_effect=commit_progress,
        ):
            self.Checkpoint.with_context(ir_cron_progress_id=-1)._cron_build_monthly()
        self.assertEqual(calls[0][0], 0)
        self.assertEqual(calls[0][1], len(self.Checkpoint._to_build()) + 1)
        self.assertEqual(calls[1:], [(1, None)])
        self.assertEqual(len(self._mine(["valid"])), 1)
        self.assertEqual(self._mine(["valid"]).moment, self._mine()[0].moment)

    def test_not_from_the_scheduler_no_commit(self):
        with patch.object(
            self.env.registry["ir.cron"], "_commit_progress", autospec=True
        ) as progress:
            self.Checkpoint._cron_build_monthly()
        progress.assert_not_called()
        self.assertFalse(self._mine(["pending", "stale"]))
        self._assert_chain_exact(self._mine())

    def test_daily_job_rebuilds_stale_oldest_first(self):
        self.Checkpoint._cron_build_monthly()
        built = self._mine()
        self.assertTrue(built)
        # A back-dated line three months back: every later checkpoint stale.
        self._move(self.p1, self.supplier, self.bin2, 7, self._days_ago(92))
        stale = self._mine(["stale"])
        self.assertTrue(stale)
        self.assertTrue(all(c.moment >= self._days_ago(92) for c in stale))
        self.assertEqual(
            self._mine(["valid"]), built - stale, "the earlier ones stay valid"
        )
        at = stale[0].moment + timedelta(days=3)
        self.assertEqual(self._balances(at), self._balances(at, method="ledger"))
        # Only one per run: oldest first, each from the previous valid one.
        self.Checkpoint._run_builds(seconds=0)
        self.assertEqual(stale[0].state, "valid")
        self.assertEqual(set(stale[1:].mapped("state")), {"stale"})
        self.Checkpoint._cron_build_monthly()
        self.assertEqual(self._mine(), built, "rebuilt in place, none planned")
        self._assert_chain_exact(self._mine())
        for checkpoint in stale:
            self.assertEqual(
                self._balances(checkpoint.moment, method="checkpoint"),
                self._balances(checkpoint.moment, method="ledger"),
            )

    def test_company_with_checkpoints_gets_the_last_month_end_only(self):
        older = self.expected_moments[0]
        self.Checkpoint.build_checkpoint(older, self.company.id)
        self.Checkpoint._plan_checkpoints()
        self.assertEqual(
            self._mine().mapped("moment"), sorted({older, self.last}), "no history"
        )

    def test_install_hook_triggers_the_build(self):
        triggers = self._triggers()
        post_init_hook(self.env)
        self.assertEqual(self._triggers(), triggers + 1)
        self.assertIn("_cron_build_monthly", self.cron.code)
