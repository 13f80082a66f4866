# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The suite's long jobs queued as queue jobs when OCA's queue_job is
installed (this bridge installs itself then); the scheduled actions are still
there, and every other trigger stays a cron trigger."""

from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.inventory_balance.tests.test_inventory_balance_sheet import (
    SheetScenarioMixin,
)
from odoo.addons.queue_job.tests.common import trap_jobs

from ..models.ir_cron import QUEUED_CRONS


@tagged("post_install", "-at_install")
class TestQueueJobBridge(SheetScenarioMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_sheet_scenario()
        cls.Trigger = cls.env["ir.cron.trigger"]
        cls.sheet_cron = cls.env.ref(
            "inventory_balance.ir_cron_inventory_balance_sheet_refresh"
        )
        cls.checkpoint_cron = cls.env.ref(
            "inventory_balance.ir_cron_inventory_ledger_checkpoint"
        )

    def _triggers(self, cron):
        return self.Trigger.search_count([("cron_id", "=", cron.id)])

    def test_every_long_job_is_queued(self):
        crons = self.env["ir.cron"]._inventory_queued_crons()
        installed = [x for x in QUEUED_CRONS if self.env.ref(x, False)]
        self.assertEqual(len(crons), len(installed))
        self.assertIn(self.sheet_cron, crons)
        function = self.env.ref(
            "inventory_balance_queue_job.queue_job_function_ir_cron_inventory_run_job"
        )
        self.assertEqual(function.channel, "root.inventory")

    def test_large_sheet_refresh_is_a_queue_job(self):
        self.env["ir.config_parameter"].set_param(
            "inventory_balance.sheet_background_threshold", "1"
        )
        sheet = self._sheet()
        triggers = self._triggers(self.sheet_cron)
        with trap_jobs() as trap:
            sheet.action_refresh()
            self.assertEqual(sheet.refresh_state, "queued")
            trap.assert_jobs_count(1, only=self.sheet_cron._inventory_run_job)
            trap.assert_enqueued_job(
                self.sheet_cron._inventory_run_job,
                properties={"description": self.sheet_cron.name},
            )
            self.assertEqual(self._triggers(self.sheet_cron), triggers)
            trap.perform_enqueued_jobs()
        self.assertEqual(sheet.refresh_state, "done")
        self.assertEqual(sheet.refresh_progress, 100.0)
        # the job's answer is the sheet's data, as a Refresh in the request
        queued = sheet.get_sheet_data()
        sheet.refresh()
        self.assertEqual(sheet.get_sheet_data()["rows"], queued["rows"])

    def test_stored_job_in_the_inventory_channel(self):
        job = self.sheet_cron._inventory_enqueue()
        record = job.db_record()
        self.assertEqual(record.channel, "root.inventory")
        self.assertEqual(record.state, "pending")
        self.assertEqual(record.model_name, "ir.cron")
        self.assertEqual(record.method_name, "_inventory_run_job")

    def test_checkpoint_build_queues_itself_again(self):
        Checkpoint = self.env["inventory.ledger.checkpoint"]
        Checkpoint._plan_checkpoints()
        todo = Checkpoint._to_build()
        if len(todo) < 2:
            self.skipTest("the company's history has fewer than two month ends")
        with trap_jobs() as trap:
            left = Checkpoint._run_builds(seconds=0)
            self.assertEqual(left, len(todo) - 1)
            trap.assert_jobs_count(1, only=self.checkpoint_cron._inventory_run_job)
            trap.perform_enqueued_jobs()
        self.assertFalse(Checkpoint._to_build())

    def test_other_and_later_triggers_stay_cron_triggers(self):
        other = self.env.ref("base.autovacuum_job")
        later = fields.Datetime.now() + timedelta(hours=1)
        before = (self._triggers(other), self._triggers(self.sheet_cron))
        with trap_jobs() as trap:
            other._trigger()
            self.sheet_cron._trigger(later)
            trap.assert_jobs_count(0)
        self.assertEqual(
            (self._triggers(other), self._triggers(self.sheet_cron)),
            (before[0] + 1, before[1] + 1),
        )

    def test_inactive_cron_is_not_queued(self):
        self.sheet_cron.active = False
        with trap_jobs() as trap:
            self.sheet_cron._trigger()
            trap.assert_jobs_count(0)
