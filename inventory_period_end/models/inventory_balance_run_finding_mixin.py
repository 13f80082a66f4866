# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from ..tools.workflow_guard import refuse_workflow_fields


class InventoryBalanceRunFindingMixin(models.AbstractModel):
    """Rows a balance run writes (findings, valuation rows): created,
    changed and deleted only by the run's checks and corrections, through
    the workflow path of :mod:`..tools.workflow_guard`."""

    _name = "inventory.balance.run.finding.mixin"
    _description = "Balance run rows written by the run only"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            refuse_workflow_fields(self, vals, frozenset(self._fields))
        return super().create(vals_list)

    def write(self, vals):
        refuse_workflow_fields(self, vals, frozenset(self._fields))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_workflow(self):
        refuse_workflow_fields(self, ["id"], frozenset(["id"]))
