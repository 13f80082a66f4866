# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Compare snapshots (and now): one SQL statement with conditional aggregation.

The quantity compared is **on hand + in transit** of each key: a line of an
internal location counts its on-hand quantity, a line of a transit location its
quantity in transit (reserved and available are not compared).  A key that has
no line in a snapshot has quantity 0 there.  The column "now" comes from the
live quants through the ledger engine's SQL (``_balance_sql`` with the quants
method), in the scope (company, locations, categories) of the latest compared
snapshot.
"""

import math

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.snapshot_export import (
    COMPARED_QUANTITY,
    COMPARISON_FIELDS,
    FORMATS,
    iso_utc,
)
from .inventory_snapshot_compare_line import STATUSES

# Comparison columns that may be empty (the keys not compared, a lot, a code,
# a percentage from zero).
NULLABLE_FIELDS = (
    "product_id",
    "product",
    "default_code",
    "location_id",
    "location",
    "lot_id",
    "lot",
    "uom_id",
    "uom",
    "change_percent",
)

# The largest threshold a comparison takes (quantities beyond are not stock).
MAX_THRESHOLD = 1e12
# Rows one request returns at most (``compare_snapshots``); more are paged
# with ``limit`` and ``offset`` or downloaded (streamed).  The system
# parameter ``inventory_snapshot.max_rows_per_request`` lowers or raises it.
MAX_ROWS_PER_REQUEST = 20000
MAX_ROWS_PARAMETER = "inventory_snapshot.max_rows_per_request"

KEY_COLUMNS = {"product": "product_id", "location": "location_id", "lot": "lot_id"}
GROUPINGS = [
    ("product,location,lot", "Product, location and lot"),
    ("product,location", "Product and location"),
    ("product,lot", "Product and lot"),
    ("product", "Product"),
    ("location,lot", "Location and lot"),
    ("location", "Location"),
    ("lot", "Lot"),
]


class InventorySnapshotCompare(models.TransientModel):
    _name = "inventory.snapshot.compare"
    _description = "Compare Inventory Snapshots"

    snapshot_ids = fields.Many2many(
        "inventory.snapshot",
        string="Snapshots",
        default=lambda self: self._default_snapshot_ids(),
        help="Two or more (or one with now), shown in moment order.",
    )
    include_now = fields.Boolean(
        string="Compare with Now",
        help="Add a last column with the current stock (live quants), in the "
        "scope of the latest selected snapshot.",
    )
    only_changes = fields.Boolean(
        help="Leave out the rows whose quantity is the same in every column."
    )
    threshold = fields.Float(
        digits="Product Unit",
        help="Keep only the rows whose quantity changed by at least this much "
        "between two consecutive columns (0: no limit).",
    )
    export_lines = fields.Boolean(
        string="Lines in the Excel export",
        help="Add a worksheet to the Excel export with the done move lines "
        "behind the rows: per product, its balance at the first compared "
        "moment, then every line up to the last one, with its location, lot "
        "and running balance.",
    )
    group_by = fields.Selection(
        GROUPINGS, string="Compare by", required=True, default="product,location,lot"
    )
    line_ids = fields.One2many(
        "inventory.snapshot.compare.line", "wizard_id", readonly=True
    )
    line_count = fields.Integer(string="Rows", readonly=True)
    columns = fields.Json(
        string="Column Descriptions",
        readonly=True,
        help="The compared columns, in order.",
    )
    column_names = fields.Char(string="Columns", readonly=True)
    compared = fields.Boolean(readonly=True)

    def _default_snapshot_ids(self):
        context = self.env.context
        if context.get("active_model") == "inventory.snapshot" and context.get(
            "active_ids"
        ):
            return [Command.set(context["active_ids"])]
        return []

    # ------------------------------------------------------------ arguments
    @api.model
    def _parse_group_by(self, group_by):
        if isinstance(group_by, str):
            group_by = group_by.split(",")
        group_by = self.env["inventory.ledger"]._parse_group_by(
            group_by, known=KEY_COLUMNS, default=KEY_COLUMNS
        )
        return tuple(g for g in KEY_COLUMNS if g in group_by)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "threshold" in vals:
                vals["threshold"] = self._parse_threshold(vals["threshold"])
        return super().create(vals_list)

    def write(self, vals):
        if "threshold" in vals:
            vals = dict(vals, threshold=self._parse_threshold(vals["threshold"]))
        return super().write(vals)

    @api.model
    def _parse_threshold(self, threshold):
        """The threshold as a float: finite, from 0 to ``MAX_THRESHOLD``.

        :raise UserError: otherwise (text, NaN, infinity, negative, huge)
        """
        try:
            threshold = float(threshold or 0.0)
        except (TypeError, ValueError, OverflowError):
            threshold = math.nan
        if not (math.isfinite(threshold) and 0 <= threshold <= MAX_THRESHOLD):
            raise UserError(
                self.env._(
                    "The threshold must be a number from 0 to %(max)s.",
                    max=f"{MAX_THRESHOLD:g}",
                )
            )
        return threshold

    @api.model
    def _max_rows(self):
        """Rows one request returns at most (see ``MAX_ROWS_PER_REQUEST``)."""
        value = self.env["ir.config_parameter"].sudo().get_param(MAX_ROWS_PARAMETER)
        try:
            return max(1, int(value)) if value else MAX_ROWS_PER_REQUEST
        except ValueError:
            return MAX_ROWS_PER_REQUEST

    @api.model
    def _prepare_comparison(
        self, snapshot_ids, include_now, group_by, write_pending=False
    ):
        """Check the arguments and the user's rights.

        :param write_pending: write the lines a period close left pending
            first (the wizard, on the primary); otherwise (the read-only
            paths) such a snapshot is refused (``_check_lines_written``)

        :return: (the snapshots in moment order, the normalised group_by)
        :raise AccessError: without read access to every snapshot (snapshot
            group, companies)
        """
        Snapshot = self.env["inventory.snapshot"]
        Snapshot.check_access("read")
        ids = self.env["inventory.ledger"]._parse_ids(snapshot_ids, "snapshot_ids")
        snapshots = Snapshot.browse(list(dict.fromkeys(ids or [])))
        if snapshots.exists() != snapshots:
            raise UserError(
                self.env._(
                    "Snapshots %(ids)s do not exist.",
                    ids=", ".join(map(str, (snapshots - snapshots.exists()).ids)),
                )
            )
        snapshots.check_access("read")
        if len(snapshots) + bool(include_now) < 2:
            raise UserError(
                self.env._(
                    "Select at least two snapshots, or one snapshot and now, "
                    "to compare."
                )
            )
        if len(snapshots.company_id) > 1:
            raise UserError(
                self.env._("Only snapshots of one company can be compared.")
            )
        if include_now:
            self.env["inventory.ledger"]._check_ledger_access()
        snapshots = snapshots.sorted(lambda s: (s.moment, s.id))
        if write_pending:
            snapshots._ensure_lines()
        else:
            snapshots._check_lines_written()
        return snapshots, self._parse_group_by(group_by)

    # ------------------------------------------------------------------ SQL
    @api.model
    def _comparison_sql(
        self,
        snapshots,
        include_now=False,
        only_changes=False,
        threshold=0.0,
        group_by=tuple(KEY_COLUMNS),
        page=None,
        with_trail=False,
    ):
        """One statement comparing the lines of ``snapshots`` (in this order)
        and, with ``include_now``, the current stock; its rows have the columns
        ``COMPARISON_FIELDS`` (quantities, changes and change_percents as arrays, one
        value per column or per pair of consecutive columns).

        With ``page`` (limit, offset), only those rows, in the same order
        (``seq`` 1), each after a first column ``summary``: per status, the
        number of rows and the total quantity of each column (JSON); a page
        past the end is one row of the summary and NULLs.

        ``trail`` (the quantities as text, for the comparison's lines) is NULL
        unless ``with_trail``: computed for every row it costs a third of the
        statement.

        :return: (SQL, list of column descriptions)
        """
        ledger = self.env["inventory.ledger"]
        columns = [
            {
                "key": f"snapshot_{snapshot.id}",
                "snapshot_id": snapshot.id,
                "name": snapshot.name,
                "moment": iso_utc(snapshot.moment),
            }
            for snapshot in snapshots
        ]
        column_ids = list(snapshots.ids)

        def keys(alias):
            # the three key columns; the ones not compared are NULL
            return SQL(", ").join(
                SQL(
                    "%s AS %s",
                    SQL.identifier(alias, KEY_COLUMNS[g]),
                    SQL.identifier(KEY_COLUMNS[g]),
                )
                if g in group_by
                else SQL("NULL::int AS %s", SQL.identifier(KEY_COLUMNS[g]))
                for g in KEY_COLUMNS
            )

        sources = [
            SQL(
                """
                SELECT %s, l.snapshot_id AS col,
                       (COALESCE(l.on_hand, 0) + COALESCE(l.in_transit, 0))::float8
                           AS qty
                  FROM inventory_snapshot_line l
                 WHERE l.snapshot_id = ANY(%s)
                """,
                keys("l"),
                snapshots.ids,
            )
        ]
        if include_now:
            latest = snapshots[-1]
            now = fields.Datetime.now()
            balances, _method = ledger._balance_sql(
                now,
                group_by,
                [latest.company_id.id],
                location_ids=latest._scope_location_ids(),
                product_ids=latest._scope_product_ids(),
                method="quants",
            )
            sources.append(
                SQL("SELECT %s, 0, b.quantity FROM (%s) b", keys("b"), balances)
            )
            column_ids.append(0)
            columns.append(
                {
                    "key": "now",
                    "snapshot_id": False,
                    "name": self.env._("Now"),
                    "moment": iso_utc(now),
                }
            )
        n = len(column_ids)
        q = [SQL.identifier(f"q{i}") for i in range(n)]

        # Summed, compared and returned in float8 rounded to 6 decimals (2 for
        # percents): numeric is several times slower on hundreds of thousands
        # of keys, in the statement and in Python, where Odoo reads numeric
        # through a Python function.
        def rounded(expression, decimals=6):
            scale = SQL("%s::float8", 10**decimals)
            return SQL("ROUND((%s) * %s) / %s", expression, scale, scale)

        sums = SQL(", ").join(
            SQL(
                "%s AS %s",
                rounded(SQL("COALESCE(SUM(d.qty) FILTER (WHERE d.col = %s), 0)", cid)),
                q[i],
            )
            for i, cid in enumerate(column_ids)
        )

        def percent(old, new):
            return SQL(
                "CASE WHEN %s <> 0 THEN %s END",
                old,
                rounded(SQL("(%s - %s) * 100 / ABS(%s)", new, old, old), 2),
            )

        steps = [rounded(SQL("%s - %s", q[i], q[i - 1])) for i in range(1, n)]
        percents = [percent(q[i - 1], q[i]) for i in range(1, n)]
        max_change = rounded(
            SQL(
                "GREATEST(%s)",
                SQL(", ").join(
                    SQL("ABS(%s - %s)", q[i], q[i - 1]) for i in range(1, n)
                ),
            )
        )
        first, last = q[0], q[-1]
        filters = [SQL("(%s)", SQL(" OR ").join(SQL("%s <> 0", qi) for qi in q))]
        if only_changes:
            filters.append(SQL("%s > 0", max_change))
        if threshold:
            filters.append(SQL("%s >= %s::float8", max_change, threshold))
        # The variant's name, computed once per product (not per row).
        product_name = SQL("pn.name")
        order = SQL(
            "%s, loc.complete_name, lot.name, c.product_id, c.location_id, c.lot_id",
            product_name,
        )
        ctes = SQL(
            """
            WITH data AS (%(sources)s),
            grouped AS (
                SELECT d.product_id, d.location_id, d.lot_id, %(sums)s
                  FROM data d
                 GROUP BY d.product_id, d.location_id, d.lot_id
            ),
            compared AS (
                SELECT g.*,
                       %(max_change)s AS max_change,
                       CASE WHEN %(first)s = 0 AND %(last)s <> 0 THEN 'appeared'
                            WHEN %(first)s <> 0 AND %(last)s = 0 THEN 'vanished'
                            WHEN %(max_change)s = 0 THEN 'same'
                            ELSE 'changed'
                       END AS status
                  FROM grouped g
                 WHERE %(filters)s
            ),
            names AS (%(names)s)
            """,
            names=self.env["inventory.snapshot.export"]._product_names_sql(
                SQL("SELECT DISTINCT product_id FROM compared")
            ),
            sources=SQL(" UNION ALL ").join(sources),
            sums=sums,
            first=first,
            last=last,
            max_change=max_change,
            filters=SQL(" AND ").join(filters),
        )
        # Computed for the rows returned only (after the sort and limit of a
        # page), from the quantities of each column.
        details = SQL(
            """
            ARRAY[%(quantities)s]::float8[] AS quantities,
            ARRAY[%(steps)s]::float8[] AS changes,
            ARRAY[%(percents)s]::float8[] AS change_percents,
            %(change)s AS change,
            %(change_percent)s AS change_percent,
            c.max_change, c.status,
            %(trail)s AS trail
            """,
            quantities=SQL(", ").join(q),
            steps=SQL(", ").join(steps),
            percents=SQL(", ").join(percents),
            change=rounded(SQL("%s - %s", last, first)),
            change_percent=percent(first, last),
            trail=SQL(
                "concat_ws(' → ', %s)",
                SQL(", ").join(SQL("trim_scale(%s::numeric)::text", qi) for qi in q),
            )
            if with_trail
            else SQL("NULL::text"),
        )
        rows = SQL(
            """
            SELECT %(seq)s AS seq,
                   c.product_id, %(product_name)s AS product, pp.default_code,
                   c.location_id, loc.complete_name AS location,
                   c.lot_id, lot.name AS lot,
                   pt.uom_id, %(uom_name)s AS uom,
                   %(details)s
              FROM compared c
              %(page_join)s
              LEFT JOIN product_product pp ON pp.id = c.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN names pn ON pn.id = c.product_id
              LEFT JOIN uom_uom uom ON uom.id = pt.uom_id
              LEFT JOIN stock_location loc ON loc.id = c.location_id
              LEFT JOIN stock_lot lot ON lot.id = c.lot_id
             -- the numbering's order: sorted once, for both
             ORDER BY %(order)s
            """,
            seq=SQL("1::bigint")
            if page
            else SQL("ROW_NUMBER() OVER (ORDER BY %s)", order),
            product_name=product_name,
            uom_name=self.env["inventory.snapshot.export"]._label_sql(SQL("uom.name")),
            order=order,
            details=details,
            page_join=SQL(
                "JOIN page_keys k"
                " ON COALESCE(k.product_id, 0) = COALESCE(c.product_id, 0)"
                " AND COALESCE(k.location_id, 0) = COALESCE(c.location_id, 0)"
                " AND COALESCE(k.lot_id, 0) = COALESCE(c.lot_id, 0)"
            )
            if page
            else SQL(),
        )
        if page:
            # The page and the summary of every row in one statement: the
            # comparison (referenced twice) is computed once.
            query = SQL(
                """
                %(ctes)s,
                -- the page's keys first, sorting narrow rows (a top-N heap)
                page_keys AS (
                    SELECT c.product_id, c.location_id, c.lot_id
                      FROM compared c
                      LEFT JOIN names pn ON pn.id = c.product_id
                      LEFT JOIN stock_location loc ON loc.id = c.location_id
                      LEFT JOIN stock_lot lot ON lot.id = c.lot_id
                     ORDER BY %(order)s
                     LIMIT %(limit)s OFFSET %(offset)s
                ),
                page AS (%(rows)s)
                SELECT s.summary, p.*
                  FROM (
                    SELECT json_agg(json_build_array(status, n, totals)) AS summary
                      FROM (
                        SELECT c.status, COUNT(*) AS n, ARRAY[%(totals)s] AS totals
                          FROM compared c GROUP BY c.status
                      ) by_status
                  ) s
                  LEFT JOIN page p ON TRUE
                 ORDER BY p.product, p.location, p.lot,
                          p.product_id, p.location_id, p.lot_id
                """,
                ctes=ctes,
                order=order,
                limit=page[0],
                offset=page[1],
                rows=rows,
                totals=SQL(", ").join(
                    rounded(SQL("COALESCE(SUM(%s), 0)", qi)) for qi in q
                ),
            )
        else:
            query = SQL("%s %s", ctes, rows)
        return query, columns

    @api.model
    def _row_dict(self, row, missing=False):
        """A comparison row (``COMPARISON_FIELDS`` order) as a JSON-ready dict;
        ``missing`` stands for a missing value (``False`` over RPC, ``None``
        in a JSON file)."""
        values = dict(zip(COMPARISON_FIELDS, row, strict=True))
        del values["seq"], values["trail"]
        for name in NULLABLE_FIELDS:
            if values[name] is None:
                values[name] = missing
        percents = values["change_percents"]
        if None in percents:
            values["change_percents"] = [missing if v is None else v for v in percents]
        return values

    def _comparison_settings(self):
        """The engine's settings with hash joins (the planner cannot guess how
        many lines a new snapshot has) and room to sort wide rows in memory."""
        return self.env["inventory.ledger"]._aggregation_settings(
            hash_joins=True, work_mem="256MB"
        )

    @api.model
    def _parse_page(self, limit, offset):
        """``(limit, offset)`` or None for every row (at most ``_max_rows``,
        checked by ``_compare``).

        :raise UserError: not whole numbers, or a page larger than the
            ``_max_rows`` a request returns
        """
        if limit is None or limit is False:
            return None
        if not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0
            for v in (limit, offset or 0)
        ):
            raise UserError(
                self.env._("limit and offset must be whole numbers, 0 or more.")
            )
        if limit > self._max_rows():
            raise UserError(
                self.env._(
                    "A comparison returns at most %(max)s rows per request: ask "
                    "pages of that size (limit and offset).",
                    max=self._max_rows(),
                )
            )
        return limit, offset or 0

    @api.model
    def _compare(
        self,
        snapshot_ids,
        include_now,
        only_changes,
        threshold,
        group_by,
        limit=None,
        offset=0,
    ):
        """The comparison as a plain dict (see ``inventory.snapshot.
        compare_snapshots``)."""
        snapshots, group_by = self._prepare_comparison(
            snapshot_ids, include_now, group_by
        )
        threshold = self._parse_threshold(threshold)
        page = self._parse_page(limit, offset)
        # Every row: a page of the most a request returns, refused when
        # there are more rows.
        whole = page is None
        query, columns = self._comparison_sql(
            snapshots,
            bool(include_now),
            bool(only_changes),
            threshold,
            group_by,
            page or (self._max_rows(), 0),
        )
        self.env.flush_all()
        counts = dict.fromkeys((key for key, _label in STATUSES), 0)
        totals = [0.0] * len(columns)
        with self._comparison_settings():
            self.env.cr.execute(query)
            fetched = self.env.cr.fetchall()
        # (summary, *row): the summary on every row; no row when the page is
        # empty (seq NULL).
        for status, count, quantities in fetched[0][0] or []:
            counts[status] = count
            totals = [t + float(qty) for t, qty in zip(totals, quantities, strict=True)]
        row_count = sum(counts.values())
        if whole and row_count > self._max_rows():
            raise UserError(
                self.env._(
                    "This comparison has %(count)s rows, more than the %(max)s a "
                    "request returns: ask it page by page (limit and offset) or "
                    "download its export.",
                    count=row_count,
                    max=self._max_rows(),
                )
            )
        rows = [self._row_dict(row[1:]) for row in fetched if row[1] is not None]
        result = {
            "company_id": snapshots.company_id.id,
            "quantity": COMPARED_QUANTITY,
            "group_by": list(group_by),
            "only_changes": bool(only_changes),
            "threshold": threshold,
            "columns": columns,
            "totals": [round(total, 6) for total in totals],
            "counts": counts,
            "row_count": row_count,
            "rows": rows,
        }
        if page:
            result.update(limit=page[0], offset=page[1])
        return result

    @api.model
    def _new_comparison(
        self, snapshot_ids, include_now, only_changes, threshold, group_by
    ):
        """A comparison computed in memory for an export over RPC (nothing
        stored, so it runs read-only): its rows, at most one more than an
        export over RPC holds, and the count of all of them.

        :return: a ``ComparisonRows`` the exporter takes as it takes a
            wizard (see ``inventory.snapshot.export._comparison_batches``)
        """
        snapshots, group_by = self._prepare_comparison(
            snapshot_ids, include_now, group_by
        )
        threshold = self._parse_threshold(threshold)
        max_rows = self.env["inventory.snapshot.export"]._max_rpc_rows()
        query, columns = self._comparison_sql(
            snapshots,
            bool(include_now),
            bool(only_changes),
            threshold,
            group_by,
            (max_rows + 1, 0),
        )
        self.env.flush_all()
        with self._comparison_settings():
            self.env.cr.execute(query)
            fetched = self.env.cr.fetchall()
        return ComparisonRows(
            snapshots=snapshots,
            columns=columns,
            group_by=",".join(group_by),
            only_changes=bool(only_changes),
            threshold=threshold,
            line_count=sum(count for _status, count, _qty in fetched[0][0] or []),
            rows=[row[1:] for row in fetched if row[1] is not None],
        )

    # -------------------------------------------------------------- wizard
    def _fill_lines(self):
        """(Re)compute the comparison into the lines: one INSERT ... SELECT."""
        self.ensure_one()
        snapshots, group_by = self._prepare_comparison(
            self.snapshot_ids.ids, self.include_now, self.group_by, write_pending=True
        )
        threshold = self._parse_threshold(self.threshold)
        query, columns = self._comparison_sql(
            snapshots,
            self.include_now,
            self.only_changes,
            threshold,
            group_by,
            with_trail=True,
        )
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL(
                "DELETE FROM inventory_snapshot_compare_line WHERE wizard_id = %s",
                self.id,
            )
        )
        now = fields.Datetime.now()
        with self._comparison_settings():
            cr.execute(
                SQL(
                    """
                INSERT INTO inventory_snapshot_compare_line
                    (wizard_id, sequence, product_id, location_id, lot_id, uom_id,
                     quantity_first, quantity_last, change, change_percent, max_change,
                     status, trail, quantities, changes, change_percents,
                     create_uid, create_date, write_uid, write_date)
                SELECT %(wizard)s, r.seq, r.product_id, r.location_id, r.lot_id,
                       r.uom_id, r.quantities[1], r.quantities[%(n)s], r.change,
                       r.change_percent, r.max_change, r.status, r.trail,
                       to_jsonb(r.quantities), to_jsonb(r.changes),
                       to_jsonb(r.change_percents), %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM (%(query)s) r
                """,
                    wizard=self.id,
                    n=len(columns),
                    query=query,
                    uid=self.env.uid,
                    now=now,
                )
            )
            count = cr.rowcount
        self.env["inventory.snapshot.compare.line"].invalidate_model()
        self.invalidate_recordset(["line_ids"])
        self.write(
            {
                "line_count": count,
                "columns": columns,
                "column_names": " → ".join(column["name"] for column in columns),
                "compared": True,
            }
        )
        return count

    def action_compare(self):
        """Compare and show the rows: the changed ones first (filter *Any
        change*, when some row changed; removable in the search bar)."""
        self.ensure_one()
        self._fill_lines()
        context = {"compare_wizard_id": self.id}
        if self.env["inventory.snapshot.compare.line"].search_count(
            [("wizard_id", "=", self.id), ("max_change", ">", 0)], limit=1
        ):
            context["search_default_any_change"] = 1
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Comparison: %(columns)s", columns=self.column_names),
            "res_model": "inventory.snapshot.compare.line",
            "view_mode": "list",
            "views": [
                (
                    self.env.ref(
                        "inventory_snapshot.inventory_snapshot_compare_line_view_list"
                    ).id,
                    "list",
                )
            ],
            "search_view_id": self.env.ref(
                "inventory_snapshot.inventory_snapshot_compare_line_view_search"
            ).id,
            "domain": [("wizard_id", "=", self.id)],
            "context": context,
            "target": "current",
        }

    def action_open_trend(self):
        """Totals of the selected snapshots over time (graph)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Snapshot Trend"),
            "res_model": "inventory.snapshot",
            "view_mode": "graph,list",
            "views": [
                (
                    self.env.ref("inventory_snapshot.inventory_snapshot_view_graph").id,
                    "graph",
                ),
                (False, "list"),
            ],
            "domain": [("id", "in", self.snapshot_ids.ids)],
            "target": "current",
        }

    def action_export(self):
        """Download the comparison; the format comes from the context key
        ``export_format`` (csv, xlsx or json)."""
        self.ensure_one()
        file_format = self.env.context.get("export_format") or "xlsx"
        if file_format not in FORMATS:
            raise UserError(
                self.env._("Unknown export format %(format)s.", format=file_format)
            )
        if not self.compared:
            self._fill_lines()
        return {
            "type": "ir.actions.act_url",
            "url": f"/inventory_snapshot/compare/{self.id}/export/{file_format}",
            "target": "download",
        }


class ComparisonRows:
    """A comparison held in memory (``_new_comparison``): what the exporter
    reads of a comparison wizard, and the rows (``COMPARISON_FIELDS``
    order) instead of stored lines."""

    _name = "inventory.snapshot.compare"
    compared = True

    def __init__(self, snapshots, columns, group_by, only_changes, threshold, **rest):
        self.snapshot_ids = snapshots
        self.columns = columns
        self.group_by = group_by
        self.only_changes = only_changes
        self.threshold = threshold
        self.line_count = rest["line_count"]
        self.rows = rest["rows"]
        # names the file: the compared snapshots
        self.id = "-".join(map(str, snapshots.ids)) or "now"

    def ensure_one(self):
        return self
