# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

# The scheduled actions that run the suite's long jobs in the background:
# the addons queue them with ``ir.cron._trigger()``; with this bridge an
# immediate trigger becomes a queue job instead (channel root.inventory).
QUEUED_CRONS = (
    # the Refresh of large sheets
    "inventory_balance.ir_cron_inventory_balance_sheet_refresh",
    # the checkpoint history build (it queues itself again while some are left)
    "inventory_balance.ir_cron_inventory_ledger_checkpoint",
    # the lines of the snapshot a period close takes
    "inventory_snapshot.ir_cron_inventory_snapshot_pending_lines",
    # large balance runs
    "inventory_period_end.ir_cron_inventory_balance_run",
    # the ageing stored at a period close
    "inventory_period_end.ir_cron_inventory_period_store_ageing",
)


class IrCron(models.Model):
    _inherit = "ir.cron"

    @api.model
    def _inventory_queued_crons(self):
        """The installed scheduled actions of ``QUEUED_CRONS``."""
        crons = self.browse()
        for xmlid in QUEUED_CRONS:
            cron = self.env.ref(xmlid, raise_if_not_found=False)
            if cron:
                crons |= self.browse(cron.id)
        return crons

    def _trigger_list(self, at_list):
        """A trigger for now of one of the suite's long jobs becomes a queue
        job (one per trigger, as a trigger is one more run), unless the
        scheduled action is archived; triggers for later, and every other
        scheduled action, stay cron triggers."""
        if self not in self._inventory_queued_crons():
            return super()._trigger_list(at_list)
        now = fields.Datetime.now()
        later = [at for at in at_list if at > now]
        # as the scheduler, nothing for an archived scheduled action
        if len(later) < len(at_list) and self.sudo().active:
            self._inventory_enqueue()
        return super()._trigger_list(later)

    def _inventory_enqueue(self):
        """Queue a job that runs this scheduled action's code.

        :return: the ``Job`` (see ``odoo.addons.queue_job.job``)
        """
        self.ensure_one()
        cron = self.sudo()
        return cron.with_delay(description=cron.name)._inventory_run_job()

    def _inventory_run_job(self):
        """The queue job: run the scheduled action's code now, as its user,
        in the job's transaction (the long jobs commit between their steps
        where a half-done state is valid, as they do under the scheduler)."""
        self.ensure_one()
        cron = self.sudo()
        cron.ir_actions_server_id.with_user(cron.user_id).run()
        return cron.name
