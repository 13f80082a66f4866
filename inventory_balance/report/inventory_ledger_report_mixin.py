# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools import SQL

# An aggregate of the reports' grouped queries: the number of groups before
# the page is cut (a window over the grouped rows).
GROUPS_TOTAL = "__groups_total"

# The stock tables the ledger engine reads: flushed before a report query.
LEDGER_DEPENDS = {
    "stock.move.line": [
        "state",
        "date",
        "product_id",
        "location_id",
        "location_dest_id",
        "lot_id",
        "package_id",
        "result_package_id",
        "owner_id",
        "quantity_product_uom",
        "company_id",
    ],
    "stock.quant": ["quantity", "reserved_quantity", "location_id", "lot_id"],
    "stock.location": ["usage", "company_id", "condition_id", "warehouse_id"],
    "inventory.ledger.checkpoint": ["state", "moment"],
}


class InventoryLedgerReportMixin(models.AbstractModel):
    """What the SQL reports answered by the ledger engine share: their rows
    depend on a moment or period in the context, and their queries run with
    the engine's settings."""

    _name = "inventory.ledger.report.mixin"
    _description = "Report answered by the ledger engine"

    # Rows are balances, hundreds of thousands of them at scale.
    _ledger_balances = False

    def _ledger_from_checkpoint(self):
        """Whether the report's balances are summed from a checkpoint (see
        ``inventory.ledger._tune_for_aggregation``)."""
        return False

    def _report_query_settings(self):
        """The engine's settings for the report's queries (see
        ``inventory.ledger._aggregation_settings``)."""
        return self.env["inventory.ledger"]._aggregation_settings(
            balances=self._ledger_from_checkpoint(), hash_joins=self._ledger_balances
        )

    def search_fetch(self, domain, field_names=None, offset=0, limit=None, order=None):
        # Rows are numbered per moment: values cached for another moment of
        # the same ids must not be reused.
        self.invalidate_model()
        with self._report_query_settings():
            return super().search_fetch(
                domain, field_names, offset=offset, limit=limit, order=order
            )

    def _read_group(self, *args, **kwargs):
        with self._report_query_settings():
            return super()._read_group(*args, **kwargs)

    def _read_group_select(self, aggregate_spec, query):
        if aggregate_spec == GROUPS_TOTAL:
            return SQL("COUNT(*) OVER ()")
        return super()._read_group_select(aggregate_spec, query)

    def _read_group_empty_value(self, spec):
        if spec == GROUPS_TOTAL:
            return 0
        return super()._read_group_empty_value(spec)

    def _read_group_postprocess_aggregate(self, aggregate_spec, raw_values):
        if aggregate_spec == GROUPS_TOTAL:
            return raw_values
        return super()._read_group_postprocess_aggregate(aggregate_spec, raw_values)

    def _formatted_read_group_with_length(
        self, domain, groupby, aggregates, offset=0, limit=None, order=None
    ):
        """A page of groups and the number of all groups in one statement:
        Odoo counts them with a second query, which here would compute every
        balance again."""
        if not limit:
            return super()._formatted_read_group_with_length(
                domain, groupby, aggregates, offset=offset, limit=limit, order=order
            )
        groups = self.formatted_read_group(
            domain,
            groupby,
            [*aggregates, GROUPS_TOTAL],
            offset=offset,
            limit=limit,
            order=order,
        )
        if not groups:
            return groups, 0
        length = groups[0][GROUPS_TOTAL]
        for group in groups:
            del group[GROUPS_TOTAL]
        return groups, length
