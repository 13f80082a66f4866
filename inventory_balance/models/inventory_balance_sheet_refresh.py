# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Refresh of an Inventory Balance sheet: its computed flows rebuilt
set-based from the ledger engine (balances and ``movements`` per period) and
from what is planned (moves not done yet), at once or, for a large sheet, by
the background job in batches of products.  A mixin of
``inventory.balance.sheet``: ``self`` is the sheet."""

import logging

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.sheet_periods import ONE_TICK

_logger = logging.getLogger(__name__)

PLANNED_STATES = ("waiting", "confirmed", "partially_available", "assigned")
# A Refresh larger than this many product-periods (products x periods), or of
# more periods than BACKGROUND_PERIODS, goes to the background job
# (parameters inventory_balance.sheet_background_threshold and
# inventory_balance.sheet_background_periods).
BACKGROUND_THRESHOLD = 60000
BACKGROUND_PERIODS = 60
# The background job refreshes this many product-periods per batch.
BATCH_ROWS = 24000


class InventoryBalanceSheetRefresh(models.AbstractModel):
    _name = "inventory.balance.sheet.refresh"
    _description = "Inventory Balance Sheet: refresh"

    def _in_background(self):
        """Whether a Refresh of this sheet goes to the background job: more
        product-periods than ``inventory_balance.sheet_background_threshold``
        (default 60,000) or more periods than
        ``inventory_balance.sheet_background_periods`` (default 60)."""
        self.ensure_one()
        threshold = self.env["inventory.ledger"]._limit_param(
            "inventory_balance.sheet_background_threshold", BACKGROUND_THRESHOLD
        )
        max_periods = self.env["inventory.ledger"]._limit_param(
            "inventory_balance.sheet_background_periods", BACKGROUND_PERIODS
        )
        return self._size() > threshold or len(self._periods()) > max_periods

    def action_refresh(self):
        """Rebuild the computed values (overrides are kept).  A large sheet
        (see :meth:`_in_background`) is queued for the background job
        instead, which reports its progress.

        :return: True
        """
        queued = self.browse()
        for sheet in self:
            sheet.check_access("write")
            if sheet._in_background():
                queued |= sheet
            else:
                sheet._refresh()
        if queued:
            queued._refresh_write({"refresh_state": "queued", "refresh_progress": 0.0})
            self.env.ref(
                "inventory_balance.ir_cron_inventory_balance_sheet_refresh"
            ).sudo()._trigger()
        return True

    def refresh(self):
        """RPC: refresh now, or queue a large sheet for the background job
        (see :meth:`action_refresh`; read ``refresh_state`` and
        ``refresh_progress`` to follow it).

        :return: True
        """
        return self.action_refresh()

    def _batch_size(self):
        """Products per batch of the background Refresh."""
        self.ensure_one()
        return max(1, BATCH_ROWS // max(1, len(self._periods())))

    def _refresh(self, batch_size=None, progress=None):
        """Delete the computed values and insert them again, set-based, in
        batches of products (all at once without ``batch_size``)."""
        self.ensure_one()
        self.env["inventory.ledger"]._check_ledger_access()
        moment = fields.Datetime.now()
        product_ids = self._product_ids()
        batches = (
            [
                product_ids[i : i + batch_size]
                for i in range(0, len(product_ids), batch_size)
            ]
            if batch_size
            else [product_ids]
        )
        self._refresh_write(
            {
                "refresh_state": "running",
                "refresh_progress": 0.0,
                "refresh_moment": moment,
                "refresh_error": False,
            }
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL("DELETE FROM inventory_balance_sheet_cell WHERE sheet_id = %s", self.id)
        )
        for done, batch in enumerate(batches, start=1):
            if batch:
                self._insert_cells(batch, moment)
            self._refresh_write({"refresh_progress": 100.0 * done / len(batches)})
            if progress:
                progress(len(batch))
        self._refresh_write(
            {
                "refresh_state": "done",
                "refreshed_at": fields.Datetime.now(),
                "refreshed_by": self.env.uid,
            }
        )
        self.env["inventory.balance.sheet.cell"].invalidate_model()

    def _insert_cells(self, product_ids, moment):
        """The computed flows of ``product_ids``: one INSERT ... SELECT per
        engine query (balance at the start, flows and balance at the end of
        each past period), and one for the planned moves."""
        ledger = self.env["inventory.ledger"]
        ledger._tune_for_aggregation()
        company_ids = [self.company_id.id]
        location_ids = self._scope_location_ids()
        periods = self._periods()
        statements = []

        def balance(at, period, kind):
            query, _method = ledger._balance_sql(
                at,
                ("product",),
                company_ids,
                location_ids=location_ids,
                product_ids=product_ids,
            )
            statements.append(
                SQL(
                    """
                INSERT INTO inventory_balance_sheet_cell
                    (sheet_id, product_id, period, kind, quantity, quantity_in,
                     quantity_out)
                SELECT %s, product_id, %s, %s, quantity, 0, 0 FROM (%s) b
                """,
                    self.id,
                    period,
                    kind,
                    query,
                )
            )

        first_start = periods[0][0]
        balance(min(first_start - ONE_TICK, moment), 0, "beginning")
        for index, (start, stop) in enumerate(periods):
            if start > moment:
                break
            end = min(stop - ONE_TICK, moment)
            statements.append(
                SQL(
                    """
                INSERT INTO inventory_balance_sheet_cell
                    (sheet_id, product_id, period, kind, quantity, quantity_in,
                     quantity_out)
                SELECT %s, product_id, %s, kind, quantity, quantity_in, quantity_out
                  FROM (%s) m
                """,
                    self.id,
                    index,
                    ledger._movements_sql(
                        start - ONE_TICK,
                        end,
                        ["product_id", "kind"],
                        company_ids,
                        location_ids=location_ids,
                        product_ids=product_ids,
                    ),
                )
            )
            if stop - ONE_TICK <= moment:
                balance(stop - ONE_TICK, index, "actual")
        if periods[-1][1] > moment:
            statements.append(
                self._planned_sql(product_ids, moment, periods, location_ids)
            )
        for statement in statements:
            self.env.cr.execute(statement)

    def _planned_sql(self, product_ids, moment, periods, location_ids):
        """Moves not done yet (deliveries, receipts, manufacturing orders'
        moves ...) by period of their date; a late move counts at ``moment``;
        those before the first period add to its Beginning."""
        ledger = self.env["inventory.ledger"]
        buckets = SQL(", ").join(
            SQL("(%s, %s::timestamp, %s::timestamp)", index, start, stop)
            for index, (start, stop) in enumerate(periods)
        )
        return SQL(
            """
            WITH scope AS MATERIALIZED (%(scope)s),
            buckets (idx, start, stop) AS (VALUES %(buckets)s),
            moves AS (
                SELECT mv.product_id, GREATEST(mv.date, %(moment)s) AS date,
                       mv.location_id AS src_id, mv.location_dest_id AS dst_id,
                       mv.product_qty AS qty, %(kind)s AS kind
                  FROM stock_move mv
                  JOIN stock_location src ON src.id = mv.location_id
                  JOIN stock_location dst ON dst.id = mv.location_dest_id
                 WHERE mv.state IN %(states)s
                   AND mv.product_id = ANY(%(products)s)
                   AND mv.date < %(last_stop)s
                   AND (mv.location_id IN (SELECT id FROM scope)
                        OR mv.location_dest_id IN (SELECT id FROM scope))
            ), sides AS (
                SELECT product_id, date, kind, qty AS quantity
                  FROM moves WHERE dst_id IN (SELECT id FROM scope)
                UNION ALL
                SELECT product_id, date, kind, -qty
                  FROM moves WHERE src_id IN (SELECT id FROM scope)
            )
            INSERT INTO inventory_balance_sheet_cell
                (sheet_id, product_id, period, kind, quantity, quantity_in,
                 quantity_out)
            SELECT %(sheet)s, s.product_id, COALESCE(b.idx, 0),
                   CASE WHEN b.idx IS NULL THEN 'beginning' ELSE s.kind END,
                   SUM(s.quantity), SUM(GREATEST(s.quantity, 0)),
                   SUM(GREATEST(-s.quantity, 0))
              FROM sides s
              LEFT JOIN buckets b ON s.date >= b.start AND s.date < b.stop
             WHERE s.date < %(last_stop)s
             GROUP BY 1, 2, 3, 4
            """,
            scope=ledger._scope_locations_sql([self.company_id.id], location_ids),
            buckets=buckets,
            moment=moment,
            kind=ledger._flow_kind_sql(),
            states=PLANNED_STATES,
            products=product_ids,
            last_stop=periods[-1][1],
            sheet=self.id,
        )

    @api.model
    def _cron_refresh_sheets(self):
        """The background Refresh of queued sheets, in batches of products,
        committing and reporting progress between batches when run by the
        scheduler."""
        in_cron = bool(self.env.context.get("cron_id"))
        Cron = self.env["ir.cron"]
        sheets = self.search([("refresh_state", "=", "queued")], order="id")
        if in_cron and sheets:
            Cron._commit_progress(
                remaining=sum(len(sheet._product_ids()) for sheet in sheets)
            )

        def progress(processed):
            if in_cron:
                Cron._commit_progress(processed)

        for sheet in sheets:
            sheet = sheet.with_user(sheet.write_uid).with_company(sheet.company_id)
            if not in_cron:
                sheet._refresh(batch_size=sheet._batch_size(), progress=progress)
                continue
            try:
                sheet._refresh(batch_size=sheet._batch_size(), progress=progress)
            except Exception as error:  # noqa: BLE001 - reported on the sheet
                self.env.cr.rollback()
                _logger.exception("Refresh of balance sheet %s failed", sheet.id)
                sheet._refresh_write(
                    {"refresh_state": "failed", "refresh_error": str(error)}
                )
                Cron._commit_progress(0)
        return True
