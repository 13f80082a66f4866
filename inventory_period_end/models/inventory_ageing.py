# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

from odoo import api, models
from odoo.tools import SQL


class InventoryAgeing(models.AbstractModel):
    """Aged inventory: the on-hand quantity of every (product, warehouse, lot)
    split over the incoming moves that made it, the newest first (FIFO: the
    oldest stock left first), in one SQL statement over the ledger engine.

    An incoming move brings stock into a warehouse's internal locations from
    outside that warehouse: a receipt, production, an inventory gain, a
    customer return, or a transfer from another warehouse.  Moves inside a
    warehouse keep the date the stock came in.  What the incoming moves do not
    explain (stock older than the ledger, a negative balance) is dated NULL
    and counted in the oldest bucket.  See ``tools/ageing_rules.py``.
    """

    _name = "inventory.ageing"
    _description = "Aged Inventory Engine"

    @api.model
    def _layers_sql(
        self,
        at,
        company_ids,
        warehouse_ids=None,
        product_ids=None,
        since=None,
        with_lines=False,
        method="auto",
    ):
        """Rows ``(product_id, warehouse_id, lot_id, company_id, incoming_date,
        quantity, line_id)``: the layers of each positive or negative on-hand balance at
        ``at``; per balance they add up to its on-hand quantity.  ``line_id``
        is the incoming move line (NULL for the unexplained rest), with
        ``with_lines`` only: without, the lines are read from the ledger's
        covering index alone, and lines of the same moment are taken in any
        order (their layers have the same date, so the same age).  ``method``
        is the engine's (see ``inventory.ledger.balances_at``).

        With ``since``, only the incoming lines from that moment on are read:
        what they do not explain came in earlier (or is unexplained), which is
        all one to buckets whose last one starts before ``since``."""
        ledger = self.env["inventory.ledger"]
        where = [
            SQL("loc.usage = 'internal'"),
            SQL("loc.company_id = ANY(%s)", company_ids),
        ]
        if warehouse_ids is not None:
            where.append(SQL("loc.warehouse_id = ANY(%s)", warehouse_ids))
        balances, _method = ledger._balance_sql(
            at,
            ("product", "location", "lot"),
            company_ids,
            product_ids=product_ids,
            method=method,
        )
        return SQL(
            """
            WITH ageing_scope AS MATERIALIZED (
                SELECT loc.id, COALESCE(loc.warehouse_id, 0) AS warehouse_key,
                       loc.company_id
                  FROM stock_location loc WHERE %(where)s
            ),
            on_hand AS MATERIALIZED (
                SELECT b.product_id, s.warehouse_key, COALESCE(b.lot_id, 0) AS lot_key,
                       s.company_id, SUM(b.quantity) AS quantity
                  FROM (%(balances)s) b
                  JOIN ageing_scope s ON s.id = b.location_id
                 GROUP BY b.product_id, s.warehouse_key, COALESCE(b.lot_id, 0),
                          s.company_id
                HAVING ABS(SUM(b.quantity)) > 1e-9
            ),
            incoming AS MATERIALIZED (
                SELECT %(line_id)s AS id, ml.product_id, dst.warehouse_key,
                       COALESCE(ml.lot_id, 0) AS lot_key, ml.date,
                       ml.quantity_product_uom::float8 AS quantity
                  FROM stock_move_line ml
                  JOIN ageing_scope dst ON dst.id = ml.location_dest_id
                  LEFT JOIN ageing_scope src ON src.id = ml.location_id
                 WHERE ml.state = 'done' AND ml.date <= %(at)s %(since)s
                   AND (src.id IS NULL OR src.warehouse_key <> dst.warehouse_key)
            ),
            layers AS (
                SELECT o.product_id, o.warehouse_key, o.lot_key, o.company_id,
                       o.quantity AS on_hand, i.id AS line_id, i.date, i.quantity,
                       SUM(i.quantity) OVER (
                           PARTITION BY o.product_id, o.warehouse_key, o.lot_key
                           ORDER BY i.date DESC %(line_order)s
                           ROWS UNBOUNDED PRECEDING
                       ) AS newer_and_this
                  FROM on_hand o
                  JOIN incoming i ON i.product_id = o.product_id
                   AND i.warehouse_key = o.warehouse_key AND i.lot_key = o.lot_key
                 WHERE o.quantity > 0
            ),
            allocated AS (
                SELECT product_id, warehouse_key, lot_key, company_id, line_id, date,
                       LEAST(quantity, on_hand - (newer_and_this - quantity))
                           AS quantity
                  FROM layers
                 WHERE newer_and_this - quantity < on_hand
            ),
            explained AS (
                SELECT product_id, warehouse_key, lot_key, SUM(quantity) AS quantity
                  FROM allocated GROUP BY product_id, warehouse_key, lot_key
            )
            SELECT product_id, NULLIF(warehouse_key, 0) AS warehouse_id,
                   NULLIF(lot_key, 0) AS lot_id, company_id,
                   date AS incoming_date, quantity, line_id
              FROM allocated
             UNION ALL
            SELECT o.product_id, NULLIF(o.warehouse_key, 0), NULLIF(o.lot_key, 0),
                   o.company_id, NULL::timestamp, o.quantity - COALESCE(e.quantity, 0),
                   NULL::int
              FROM on_hand o
              LEFT JOIN explained e ON e.product_id = o.product_id
               AND e.warehouse_key = o.warehouse_key AND e.lot_key = o.lot_key
             WHERE ABS(o.quantity - COALESCE(e.quantity, 0)) > 1e-9
            """,
            where=SQL(" AND ").join(where),
            balances=balances,
            at=at,
            since=SQL("AND ml.date >= %s", since) if since else SQL(),
            line_id=SQL("ml.id") if with_lines else SQL("NULL::int"),
            line_order=SQL(", i.id DESC") if with_lines else SQL(),
        )

    @api.model
    def _last_outgoing_sql(self, at, company_ids):
        """Rows ``(product_id, warehouse_id, last_out)``: the date of the last
        done move of the product out of the warehouse's internal locations,
        up to ``at``."""
        return SQL(
            """
            SELECT ml.product_id, src.warehouse_id, MAX(ml.date) AS last_out
              FROM stock_move_line ml
              JOIN stock_location src ON src.id = ml.location_id
              JOIN stock_location dst ON dst.id = ml.location_dest_id
             WHERE ml.state = 'done' AND ml.date <= %s
               AND src.usage = 'internal' AND src.company_id = ANY(%s)
               AND NOT (dst.usage = 'internal'
                        AND dst.warehouse_id IS NOT DISTINCT FROM src.warehouse_id)
             GROUP BY ml.product_id, src.warehouse_id
            """,
            at,
            company_ids,
        )

    @api.model
    def _bucket_case_sql(self, at, buckets, date_sql):
        """SQL giving the index (0-based) of the bucket of a layer's date."""
        age = SQL("(%s::date - %s::date)", at, date_sql)
        whens = [
            SQL(
                "WHEN %s <= %s THEN %s",
                age,
                bucket.days_to,
                index,
            )
            for index, bucket in enumerate(buckets[:-1])
        ]
        return SQL(
            "CASE WHEN %s IS NULL THEN %s %s ELSE %s END",
            date_sql,
            len(buckets) - 1,
            SQL(" ").join(whens),
            len(buckets) - 1,
        )

    @api.readonly
    @api.model
    def ageing_at(
        self, at=None, company_ids=None, warehouse_ids=None, product_ids=None
    ):
        """Aged inventory at a moment.

        :param at: date or datetime (UTC), default now, never in the future
        :param company_ids: default the user's allowed companies
        :param warehouse_ids: default all (stock outside any warehouse has
            ``warehouse_id`` False)
        :param product_ids: default all
        :return: dict with ``at``, ``buckets`` (their names, youngest first)
            and ``rows``: one per (product, warehouse, lot) with stock, as
            ``{"product_id", "warehouse_id", "lot_id", "on_hand",
            "quantities": [per bucket], "values": [per bucket]}`` (values at
            the product's cost, 0 without ``stock_account``)
        """
        ledger = self.env["inventory.ledger"]
        ledger._check_ledger_access()
        at = ledger._parse_moment(at)
        company_ids = ledger._scope_companies(company_ids)
        warehouse_ids = ledger._parse_ids(warehouse_ids, "warehouse_ids")
        product_ids = ledger._parse_ids(product_ids, "product_ids")
        buckets = self.env["inventory.ageing.bucket"]._buckets()
        result = {
            "at": str(at),
            "buckets": [bucket.name for bucket in buckets],
            "rows": [],
        }
        if not company_ids:
            return result
        self.env.flush_all()
        # Stock older than the start of the last (open) bucket is in it,
        # whatever its date: only the younger incoming lines are read.
        start_of_last = datetime.combine(
            at.date() - timedelta(days=buckets[-1].days_from - 1), time.min
        )
        layers = self._layers_sql(
            at, company_ids, warehouse_ids, product_ids, since=start_of_last
        )
        bucket = self._bucket_case_sql(at, buckets, SQL("l.incoming_date"))
        query = SQL(
            """
            SELECT g.product_id, g.warehouse_id, g.lot_id, g.bucket, g.quantity,
                   g.quantity * %(cost)s AS value
              FROM (
                SELECT l.product_id, l.warehouse_id, l.lot_id, l.company_id,
                       %(bucket)s AS bucket, SUM(l.quantity) AS quantity
                  FROM (%(layers)s) l
                 GROUP BY l.product_id, l.warehouse_id, l.lot_id, l.company_id, 5
              ) g
              LEFT JOIN product_product pp ON pp.id = g.product_id
            """,
            bucket=bucket,
            layers=layers,
            cost=ledger._product_cost_sql(SQL("g.company_id")),
        )
        with ledger._aggregation_settings(
            balances=False,  # the layers are grouped by hashing
            hash_joins=True,
            work_mem="256MB",  # sorts a million incoming lines in memory
        ):
            self.env.cr.execute(query)
            fetched = self.env.cr.fetchall()
        rows = {}
        size = len(buckets)
        for product_id, warehouse_id, lot_id, index, quantity, value in fetched:
            key = (product_id, warehouse_id or False, lot_id or False)
            row = rows.get(key)
            if row is None:
                row = rows[key] = {
                    "product_id": key[0],
                    "warehouse_id": key[1],
                    "lot_id": key[2],
                    "on_hand": 0.0,
                    "quantities": [0.0] * size,
                    "values": [0.0] * size,
                }
            row["quantities"][index] = round(quantity, 6)
            row["values"][index] = round(float(value), 2)
            row["on_hand"] = round(row["on_hand"] + quantity, 6)
        result["rows"] = [
            rows[key]
            for key in sorted(rows, key=lambda k: (k[0], k[1] or 0, k[2] or 0))
        ]
        return result
