# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The ledger engine's choice of path: the balances at a moment come from the
whole ledger, from today's quants minus the lines after the moment, or from a
checkpoint plus or minus the lines between; ``auto`` takes the cheapest by the
planner's estimates of the rows each reads (no row is read to estimate)."""

import json

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

METHODS = ("auto", "checkpoint", "ledger", "quants")
# ``auto`` leaves the checkpoint path only for a path estimated to read more
# than this many rows fewer: below it every path answers in milliseconds and
# the checkpoint's sorted rows are the steadiest.
PATH_MARGIN = 10000
# A line a checkpoint's delta reads costs about twice a line of the whole
# ledger or of the quants' path: those are joined and partly summed by the
# parallel workers, the delta (summed with the checkpoint's sorted rows) by
# one process (measured at 1M lines, 2 workers: 4.1 us against 1.9 us a
# side).
DELTA_WEIGHT = 2
# The quants' path replaces the whole ledger only when estimated to read at
# most this share of its rows: a row of the quants' path costs about 1.2
# times a row of the whole ledger (the lines after the moment are summed
# twice, per key and then with the quants; measured at 1M lines: equal times
# at 0.81 of the ledger's estimate), and the whole ledger is the reference
# the engine must never be slower than.
QUANTS_SHARE = 0.8
# Above this many product ids, the estimates leave the product filter out:
# planning a statement with a longer array costs more than it tells.
ESTIMATE_MAX_IDS = 1000


class InventoryLedger(models.AbstractModel):
    _inherit = "inventory.ledger"

    @api.model
    def _resolve_method(
        self,
        at,
        company_ids,
        method="auto",
        with_last_date=False,
        quants=True,
        location_ids=None,
        product_ids=None,
    ):
        """The method that answers balances at ``at`` (``auto``: the cheapest
        by ``_path_costs`` for the balances of ``location_ids`` and
        ``product_ids``; never ``quants`` with ``quants`` False) and the
        checkpoints it starts from."""
        if method not in METHODS:
            raise UserError(
                self.env._(
                    "Unknown method %(method)s; use one of: %(known)s.",
                    method=method,
                    known=", ".join(METHODS),
                )
            )
        if with_last_date and method == "quants":
            raise UserError(
                self.env._("The quants do not know when a balance last changed.")
            )
        checkpoints = self.env["inventory.ledger.checkpoint"]
        if method in ("ledger", "quants"):
            return method, checkpoints
        # A later checkpoint does not know when a balance last changed
        # before ``at``: only earlier ones serve then.
        costs, chosen = self._path_costs(
            at,
            company_ids,
            with_last_date,
            location_ids=location_ids,
            product_ids=product_ids,
        )
        if method == "checkpoint":
            if not chosen:
                raise UserError(
                    self.env._(
                        "No valid checkpoint covers %(at)s.",
                        at=fields.Datetime.to_string(at),
                    )
                )
            return method, chosen
        if not quants or costs.get("quants", 0) > QUANTS_SHARE * costs["ledger"]:
            costs.pop("quants", None)
        method = min(costs, key=costs.get)
        if "checkpoint" in costs and costs["checkpoint"] - costs[method] <= PATH_MARGIN:
            method = "checkpoint"
        return method, chosen if method == "checkpoint" else checkpoints

    @api.model
    def _estimate_rows(self, query):
        """The planner's estimate of the rows of ``query`` (from the table's
        and its indexes' statistics: no row is read)."""
        self.env.cr.execute(SQL("EXPLAIN (FORMAT JSON) %s", query))
        plan = self.env.cr.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return plan[0]["Plan"]["Plan Rows"]

    @api.model
    def _estimate_filters(self, product_ids=None, scope_ids=None, lines=False):
        """The conditions of the estimates for ``product_ids`` and the
        locations ``scope_ids`` (on either side of a line with ``lines``);
        none for all (or too many products: ``ESTIMATE_MAX_IDS``)."""
        where = []
        if product_ids is not None and len(product_ids) <= ESTIMATE_MAX_IDS:
            where.append(SQL("product_id = ANY(%s)", list(product_ids)))
        if scope_ids is not None:
            where.append(
                SQL(
                    "(location_id = ANY(%(ids)s) OR location_dest_id = ANY(%(ids)s))",
                    ids=list(scope_ids),
                )
                if lines
                else SQL("location_id = ANY(%s)", list(scope_ids))
            )
        return where

    @api.model
    def _estimate_lines(
        self, date_from=None, date_to=None, product_ids=None, scope_ids=None
    ):
        """Estimated done lines with ``date_from < date <= date_to`` (the
        done-lines index's statistics), as the engine reads them: of
        ``product_ids`` and touching the locations ``scope_ids`` when given
        (the columns' statistics)."""
        where = [SQL("state = 'done'")]
        if date_from:
            where.append(SQL("date > %s", date_from))
        if date_to:
            where.append(SQL("date <= %s", date_to))
        where += self._estimate_filters(product_ids, scope_ids, lines=True)
        return self._estimate_rows(
            SQL("SELECT 1 FROM stock_move_line WHERE %s", SQL(" AND ").join(where))
        )

    @api.model
    def _estimate_quants(self, product_ids=None, scope_ids=None):
        """Estimated rows of ``stock_quant`` (of ``product_ids`` in the
        locations ``scope_ids`` when given)."""
        where = self._estimate_filters(product_ids, scope_ids) or [SQL("TRUE")]
        return self._estimate_rows(
            SQL("SELECT 1 FROM stock_quant WHERE %s", SQL(" AND ").join(where))
        )

    @api.model
    def _estimate_checkpoint_share(self, product_ids=None, scope_ids=None):
        """The estimated share of a checkpoint's rows that are of
        ``product_ids`` in the locations ``scope_ids`` (1 without them): the
        rows a filtered answer reads from the checkpoint's key index."""
        where = self._estimate_filters(product_ids, scope_ids)
        if not where:
            return 1.0
        table = SQL("SELECT 1 FROM inventory_ledger_checkpoint_line")
        every = self._estimate_rows(table)
        if not every:
            return 1.0
        some = self._estimate_rows(SQL("%s WHERE %s", table, SQL(" AND ").join(where)))
        return min(some / every, 1.0)

    @api.model
    def _estimate_scope_ids(self, company_ids, location_ids):
        """The ids of the locations an answer covers, for the estimates: None
        for every internal and transit location of the companies (no
        condition)."""
        if location_ids is None:
            return None
        self.env.cr.execute(self._scope_locations_sql(company_ids, location_ids))
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _path_costs(
        self,
        at,
        company_ids,
        with_last_date=False,
        location_ids=None,
        product_ids=None,
    ):
        """Estimated cost of each path for the balances at ``at`` (of
        ``location_ids`` and ``product_ids`` when given), in rows read:

        - ``ledger``: both sides of every done line up to ``at``;
        - ``quants``: the quants, and both sides of every line after ``at``
          (not with ``with_last_date``);
        - ``checkpoint``, when a company has a valid checkpoint: per company,
          the cheaper of its latest valid checkpoint at or before ``at`` plus
          the lines since, and (not with ``with_last_date``) its first valid
          one after ``at`` minus the lines between (a checkpoint's rows are
          its ``line_count``, times the share of them the filters keep; the
          lines between weigh ``DELTA_WEIGHT``: they are summed by one
          process); a company without either, its whole ledger.

        The lines and quants counted are those of the products and locations
        asked for (the columns' statistics); estimating costs a few
        milliseconds (``EXPLAIN``, no row is read).

        :return: ``(costs by method, the checkpoints of the checkpoint path)``
        """
        Checkpoint = self.env["inventory.ledger.checkpoint"]
        scope_ids = self._estimate_scope_ids(company_ids, location_ids)

        def lines(date_from, date_to):
            return self._estimate_lines(
                date_from, date_to, product_ids=product_ids, scope_ids=scope_ids
            )

        before = Checkpoint._latest_valid(at, company_ids)
        after = (
            Checkpoint
            if with_last_date
            else Checkpoint._first_valid_after(at, company_ids)
        )
        upto = lines(None, at)
        costs = {"ledger": 2 * upto}
        if not with_last_date:
            costs["quants"] = self._estimate_quants(product_ids, scope_ids) + 2 * lines(
                at, None
            )
        chosen = Checkpoint
        if before or after:
            share = self._estimate_checkpoint_share(product_ids, scope_ids)
            delta = 2 * DELTA_WEIGHT
            total = 0
            for company_id in company_ids:
                options = [
                    (cp.line_count * share + delta * lines(cp.moment, at), cp)
                    for cp in before
                    if cp.company_id.id == company_id
                ] + [
                    (cp.line_count * share + delta * lines(at, cp.moment), cp)
                    for cp in after
                    if cp.company_id.id == company_id
                ]
                if not options:
                    total += 2 * upto
                    continue
                cost, checkpoint = min(options, key=lambda option: option[0])
                total += cost
                chosen |= checkpoint
            costs["checkpoint"] = total
        return costs, chosen
