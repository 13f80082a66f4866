# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The ledger engine's statements: the locations in scope, the done lines
as signed rows per key, and the balances at a moment from the whole
ledger, from today's quants or from a checkpoint (``_balance_sql``; the
rows-SQL seam ``_balance_rows_sql`` for set-based callers).  Which path
answers is ``inventory_ledger_path.py``'s choice.  A mixin of
``inventory.ledger``."""

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .inventory_ledger_arguments import KEY_COLUMNS

# The keys of a balance in the order of the checkpoint rows' key index
# (checkpoint, product, location, lot, package, owner).
KEY_ORDER = tuple(KEY_COLUMNS.values())
# A done line's keys on its destination side (+), on its source side (-),
# and in the one-pass rows (``side`` holds the side's location and package).
INFLOW_KEYS = {
    "product_id": "ml.product_id",
    "location_id": "ml.location_dest_id",
    "lot_id": "ml.lot_id",
    "package_id": "ml.result_package_id",
    "owner_id": "ml.owner_id",
}
OUTFLOW_KEYS = dict(
    INFLOW_KEYS, location_id="ml.location_id", package_id="ml.package_id"
)
SIDE_KEYS = dict(
    INFLOW_KEYS, location_id="side.location_id", package_id="side.package_id"
)


class InventoryLedgerSql(models.AbstractModel):
    _name = "inventory.ledger.sql"
    _description = "Stock Ledger Engine: statements"

    @api.model
    def _scope_locations_sql(
        self, company_ids, location_ids=None, since=None, until=None
    ):
        """Internal and transit locations of ``company_ids`` (inside
        ``location_ids`` and their children, when given) as rows ``(id, since,
        until)``: the window of dates of the location's company (``since`` and
        ``until`` map company id to moment; NULL when the company has none)."""
        where = [
            SQL("loc.usage IN ('internal', 'transit')"),
            SQL("loc.company_id = ANY(%s)", company_ids),
        ]
        if location_ids is not None:
            where.append(
                SQL(
                    "loc.parent_path LIKE ANY(ARRAY(SELECT parent_path || '%%' "
                    "FROM stock_location WHERE id = ANY(%s)))",
                    location_ids,
                )
            )

        def per_company(moments):
            if not moments:
                return SQL("NULL::timestamp")
            return SQL(
                "CASE loc.company_id %s END",
                SQL(" ").join(
                    SQL("WHEN %s THEN %s::timestamp", company, moment)
                    for company, moment in moments.items()
                ),
            )

        return SQL(
            "SELECT loc.id, %s AS since, %s AS until FROM stock_location loc WHERE %s",
            per_company(since),
            per_company(until),
            SQL(" AND ").join(where),
        )

    @api.model
    def _signed_lines_sql(
        self,
        date_from,
        date_to,
        product_ids=None,
        lot_ids=None,
        windowed=False,
        scope="scope",
        sign=1,
        split=False,
        grouped=False,
        scope_ids=None,
        columns=KEY_ORDER,
        dated=True,
    ):
        """Done lines with ``date_from < date <= date_to`` as signed rows per
        key: + on the destination, - on the source (the reverse with ``sign``
        -1), each when its location is in the CTE ``scope`` (and, with
        ``windowed``, dated inside the scope row's ``since`` .. ``until``).

        With ``split`` (not with ``windowed``), each side is its own scan of
        the done-lines index filtered by the scope's ids: cheaper for the
        short windows of a checkpoint's delta, which then stream without a
        join; one pass serves the long scans of the whole ledger better.  With
        ``grouped`` too, each side is summed per key on its own, in memory
        (the sides are then a few rows per key): at 10M lines, a third faster
        than summing the one-pass rows of the whole ledger; the sums are
        float8 and the rows carry no date (``last_date`` NULL).  With
        ``scope_ids`` too (a list of location ids, instead of the CTE
        ``scope``), the sides are filtered by those ids written in the
        statement: the planner then estimates how many lines each side reads
        (it guesses a fifth for an array computed in the statement) and, over
        the whole ledger, sums them in its parallel workers.

        ``columns`` are the keys the rows carry (some of ``KEY_ORDER``, in
        that order; default all), then ``quantity``, then with ``dated``
        ``last_date``: a caller summing by fewer keys reads only those."""
        where = [SQL("ml.state = 'done'")]
        if date_from:
            where.append(SQL("ml.date > %s", date_from))
        if date_to:
            where.append(SQL("ml.date <= %s", date_to))
        if product_ids is not None:
            where.append(SQL("ml.product_id = ANY(%s)", product_ids))
        if lot_ids is not None:
            where.append(SQL("ml.lot_id = ANY(%s)", lot_ids))
        condition = SQL(" AND ").join(where)
        window = (
            SQL(
                "AND (s.since IS NULL OR ml.date > s.since) "
                "AND (s.until IS NULL OR ml.date <= s.until)"
            )
            if windowed
            else SQL("")
        )
        quantity = SQL(
            "ml.quantity_product_uom" if sign > 0 else "(-ml.quantity_product_uom)"
        )
        if split:
            if windowed:
                raise ValueError("split sides cannot be windowed per company")
            in_scope = (
                SQL("= ANY(%s)", list(scope_ids))
                if scope_ids is not None
                else SQL("= ANY(ARRAY(SELECT id FROM %s))", SQL.identifier(scope))
            )
            if grouped:
                inflow = SQL("SUM(%s::float8)", quantity)
                outflow, last_date = SQL("-%s", inflow), SQL("NULL::timestamp")
                group_by = SQL(
                    "GROUP BY %s",
                    SQL(", ").join(SQL(str(i + 1)) for i in range(len(columns))),
                )
            else:
                inflow, outflow = quantity, SQL("-%s", quantity)
                last_date, group_by = SQL("ml.date"), SQL()
            return SQL(
                """
                SELECT %(inflow_keys)s, %(inflow)s AS quantity %(last_date)s
                  FROM stock_move_line ml
                 WHERE %(condition)s AND ml.location_dest_id %(in_scope)s
                 %(group_by)s
                 UNION ALL
                SELECT %(outflow_keys)s, %(outflow)s %(last_date)s
                  FROM stock_move_line ml
                 WHERE %(condition)s AND ml.location_id %(in_scope)s
                 %(group_by)s
                """,
                inflow_keys=self._key_columns_sql(columns, INFLOW_KEYS, named=True),
                outflow_keys=self._key_columns_sql(columns, OUTFLOW_KEYS),
                condition=condition,
                inflow=inflow,
                outflow=outflow,
                last_date=SQL(", %s AS last_date", last_date) if dated else SQL(),
                group_by=group_by,
                in_scope=in_scope,
            )
        # One pass over the lines gives both sides: + on the destination, -
        # on the source; each side is kept when its location is in scope.  The
        # columns read are all in the done-lines index (an index-only scan).
        return SQL(
            """
            SELECT %(keys)s, side.quantity %(last_date)s
              FROM stock_move_line ml
             CROSS JOIN LATERAL (
                VALUES (ml.location_dest_id, ml.result_package_id, %(quantity)s),
                       (ml.location_id, ml.package_id, -%(quantity)s)
             ) AS side (location_id, package_id, quantity)
              JOIN %(scope)s s ON s.id = side.location_id %(window)s
             WHERE %(condition)s
            """,
            keys=self._key_columns_sql(columns, SIDE_KEYS, named=True),
            last_date=SQL(", ml.date AS last_date") if dated else SQL(),
            condition=condition,
            window=window,
            quantity=quantity,
            scope=SQL.identifier(scope),
        )

    @api.model
    def _key_columns_sql(self, columns, expressions, named=False):
        """The SELECT list of the key ``columns`` of a line's side, from the
        side's ``expressions`` (column -> SQL text), named as the columns with
        ``named``."""
        return SQL(", ").join(
            SQL("%s AS %s", SQL(expressions[c]), SQL.identifier(c))
            if named
            else SQL(expressions[c])
            for c in columns
        )

    @api.model
    def _balance_sql(
        self,
        at,
        group_by,
        company_ids,
        location_ids=None,
        product_ids=None,
        lot_ids=None,
        method="auto",
        with_last_date=False,
    ):
        """One SQL statement returning the balances at ``at`` grouped by
        ``group_by`` (columns named as ``KEY_COLUMNS``, then ``quantity``, then
        with ``with_last_date`` the date of the last done line on the balance),
        and the method used.  The quants path does not know the last date."""
        method, checkpoints = self._resolve_method(
            at,
            company_ids,
            method,
            with_last_date,
            location_ids=location_ids,
            product_ids=product_ids,
        )
        keys = [KEY_COLUMNS[g] for g in group_by]
        # A checkpoint's rows in the order of its key index (one checkpoint,
        # a grouping by the first keys), merged with the lines sorted alone.
        ordered = (
            method == "checkpoint"
            and len(checkpoints) == 1
            and tuple(keys) == KEY_ORDER[: len(keys)]
        )
        # An array filter (not a join) keeps the index order of the
        # checkpoint's rows, so that they are summed without a sort; merged,
        # the array is written in the statement (``_scope_ids``).
        filters = [
            SQL("location_id = ANY(%s)", self._scope_ids(company_ids, location_ids))
            if ordered
            else SQL("location_id = ANY(ARRAY(SELECT id FROM scope))")
        ]
        if product_ids is not None:
            filters.append(SQL("product_id = ANY(%s)", product_ids))
        if lot_ids is not None:
            filters.append(SQL("lot_id = ANY(%s)", lot_ids))
        filter_sql = SQL(" AND ").join(filters)
        ctes = [
            SQL("scope AS (%s)", self._scope_locations_sql(company_ids, location_ids))
        ]
        # The rows carry only the keys grouped by (and the date when asked):
        # fewer columns to read, carry and sort.
        if method == "checkpoint":
            base = self._checkpoint_base_sql(
                at,
                checkpoints,
                company_ids,
                location_ids,
                product_ids,
                lot_ids,
                filter_sql,
                ctes,
                columns=[c for c in KEY_ORDER if c in keys],
                dated=with_last_date,
                ordered=ordered,
            )
        elif method == "ledger":
            base = self._signed_lines_sql(
                None,
                at,
                product_ids,
                lot_ids,
                columns=[c for c in KEY_ORDER if c in keys],
                dated=with_last_date,
            )
        else:  # quants
            # The quants read their own copy of the scope: the lines' scope,
            # then read once, is inlined into the parallel workers, which
            # join and partly sum the lines after ``at`` as on the whole
            # ledger's path (a scope read twice is materialized, and its
            # single reader then joins and sums every line alone: a third
            # slower per line at 1M lines).
            ctes.append(
                SQL(
                    "scope_quants AS (%s)",
                    self._scope_locations_sql(company_ids, location_ids),
                )
            )
            filter_sql = SQL(" AND ").join(
                [SQL("location_id = ANY(ARRAY(SELECT id FROM scope_quants))")]
                + filters[1:]
            )
            base = SQL(
                """
                SELECT product_id, location_id, lot_id, package_id, owner_id, quantity,
                       NULL::timestamp AS last_date
                  FROM stock_quant
                 WHERE %(filters)s
                UNION ALL
                SELECT product_id, location_id, lot_id, package_id, owner_id,
                       SUM(quantity::float8), NULL::timestamp
                  FROM (%(after)s) after_at
                 GROUP BY 1, 2, 3, 4, 5
                """,
                filters=filter_sql,
                after=self._signed_lines_sql(at, None, product_ids, lot_ids, sign=-1),
            )
        columns = SQL(", ").join(SQL.identifier(c) for c in keys)
        query = SQL(
            """
            WITH %(ctes)s
            SELECT %(columns)s, %(quantity)s AS quantity %(last_date)s
              FROM (%(base)s) balances
             GROUP BY %(columns)s
            HAVING %(nonzero)s
             ORDER BY %(columns)s
            """,
            ctes=SQL(", ").join(ctes),
            quantity=self._summed_quantity_sql(),
            nonzero=self._nonzero_balance_sql(),
            columns=columns,
            base=base,
            last_date=SQL(", MAX(last_date) AS last_date") if with_last_date else SQL(),
        )
        return query, method

    @api.model
    def _balance_rows_sql(
        self, at, company_ids, location_ids=None, product_ids=None, method="auto"
    ):
        """The rows-SQL seam for set-based callers (the period-end balance
        run): ``(ctes, rows, method)``, the rows (columns ``product_id``,
        ``location_id``, ``lot_id``, ``package_id``, ``owner_id``,
        ``quantity``) summing per key to the balances at ``at``, from the
        nearest valid checkpoint or the whole ledger (never rolled back from
        the quants: ``method`` ``auto`` never resolves to ``quants`` here),
        and the CTEs they read (``scope`` and those of a checkpoint), to put
        after ``WITH``.  The caller groups them as it needs."""
        if method == "quants":
            raise UserError(
                self.env._("The rows of the ledger never come from quants.")
            )
        method, checkpoints = self._resolve_method(
            at,
            company_ids,
            method,
            quants=False,
            location_ids=location_ids,
            product_ids=product_ids,
        )
        ctes = [
            SQL("scope AS (%s)", self._scope_locations_sql(company_ids, location_ids))
        ]
        if method == "checkpoint":
            filters = [SQL("location_id IN (SELECT id FROM scope)")]
            if product_ids is not None:
                filters.append(SQL("product_id = ANY(%s)", product_ids))
            rows = self._checkpoint_base_sql(
                at,
                checkpoints,
                company_ids,
                location_ids,
                product_ids,
                None,
                SQL(" AND ").join(filters),
                ctes,
            )
        else:
            rows = self._signed_lines_sql(
                None, at, product_ids, split=True, grouped=True
            )
        return SQL(", ").join(ctes), rows, method

    @api.model
    def _checkpoint_base_sql(
        self,
        at,
        checkpoints,
        company_ids,
        location_ids,
        product_ids,
        lot_ids,
        filter_sql,
        ctes,
        columns=KEY_ORDER,
        dated=True,
        ordered=False,
    ):
        """The rows summing to the balances at ``at`` from the nearest valid
        checkpoint of each company: its rows, plus the lines from an earlier
        checkpoint up to ``at``, or minus the lines after ``at`` up to a later
        one (a company without checkpoint: all its lines up to ``at``).  Adds
        the scope CTEs it needs to ``ctes``.  The rows carry the keys
        ``columns`` (some of ``KEY_ORDER``, in that order), ``quantity`` and
        with ``dated`` ``last_date``.

        With ``ordered`` (for a grouping by the first keys of ``KEY_ORDER``),
        the checkpoint's rows and the lines come each sorted by ``columns``:
        the checkpoint's from its key index, the lines sorted alone, and the
        planner merges the two instead of sorting them all together (at 10M
        lines, 340,000 checkpoint rows and 180,000 lines: a sort of the lines
        instead of one of 520,000 rows)."""
        moments = {cp.company_id.id: cp.moment for cp in checkpoints}
        forward = [c for c in company_ids if moments.get(c, at) <= at]
        backward = [c for c in company_ids if moments.get(c, at) > at]
        keys = SQL(", ").join(SQL.identifier(c) for c in columns)
        # The rows of one checkpoint come in key order from its index only
        # when it is read by equality.
        ordered = ordered and len(checkpoints) == 1
        # Merged, the quantities are float8 before they are sorted and merged
        # (narrower rows than numeric ones; summed in float8 all the same).
        quantity = SQL("quantity::float8 AS quantity" if ordered else "quantity")
        last_date = SQL(", last_date") if dated else SQL()
        parts = [
            SQL(
                """
                SELECT %s, %s %s
                  FROM inventory_ledger_checkpoint_line
                 WHERE %s AND %s
                """,
                keys,
                quantity,
                last_date,
                # One checkpoint by equality: its rows come in key order.
                SQL("checkpoint_id = %s", checkpoints.id)
                if len(checkpoints) == 1
                else SQL("checkpoint_id = ANY(%s)", checkpoints.ids),
                filter_sql,
            )
        ]
        if forward:
            since = {c: moments[c] for c in forward if c in moments}
            ctes.append(
                SQL(
                    "scope_before AS (%s)",
                    self._scope_locations_sql(forward, location_ids, since=since),
                )
            )
            date_from = min(since.values()) if len(since) == len(forward) else None
            # The same window for every company (one company, or checkpoints
            # at one moment): no per-company window to apply.
            uniform = len(since) == len(forward) and len(set(since.values())) == 1
            parts.append(
                self._signed_lines_sql(
                    date_from,
                    at,
                    product_ids,
                    lot_ids,
                    windowed=not uniform,
                    scope="scope_before",
                    split=uniform,
                    scope_ids=self._scope_ids(forward, location_ids)
                    if ordered and uniform
                    else None,
                    columns=columns,
                    dated=dated,
                )
            )
        if backward:
            until = {c: moments[c] for c in backward}
            ctes.append(
                SQL(
                    "scope_after AS (%s)",
                    self._scope_locations_sql(backward, location_ids, until=until),
                )
            )
            uniform = len(set(until.values())) == 1
            parts.append(
                self._signed_lines_sql(
                    at,
                    max(until.values()),
                    product_ids,
                    lot_ids,
                    windowed=not uniform,
                    scope="scope_after",
                    sign=-1,
                    split=uniform,
                    scope_ids=self._scope_ids(backward, location_ids)
                    if ordered and uniform
                    else None,
                    columns=columns,
                    dated=dated,
                )
            )
        # One aggregation over the checkpoint's rows and the lines is cheaper
        # than summing the delta first and joining it to the checkpoint.
        if not ordered or len(parts) == 1:
            return SQL(" UNION ALL ").join(parts)
        # Each side of the UNION ALL is its own subquery (PostgreSQL does not
        # pull up a member with a WHERE clause), planned without knowing the
        # order wanted above it: each is given the keys' order, which the
        # checkpoint's index scan has without a sort, and the planner merges
        # the two sorted inputs (Merge Append).  NULL keys sort last in both.
        return SQL(
            """
            SELECT * FROM (%(checkpoint)s ORDER BY %(keys)s) checkpoint_rows
             UNION ALL
            SELECT * FROM (
                SELECT %(keys)s, %(quantity)s %(last_date)s
                  FROM (%(lines)s) line_rows
                 ORDER BY %(keys)s) sorted_line_rows
            """,
            checkpoint=parts[0],
            lines=SQL(" UNION ALL ").join(parts[1:]),
            keys=keys,
            quantity=quantity,
            last_date=last_date,
        )

    @api.model
    def _scope_ids(self, company_ids, location_ids=None):
        """The ids of the locations of ``_scope_locations_sql``, to write in a
        statement as a constant array: PostgreSQL tests a row against such an
        array by hashing it, where it searches an array computed in the
        statement element by element, and estimates the rows it keeps (at
        10M lines, 46 locations: a tenth of a checkpoint's statement)."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM (%s) scope ORDER BY id",
                self._scope_locations_sql(company_ids, location_ids),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _from_checkpoint(self, at, company_ids, location_ids=None, product_ids=None):
        """Whether the balances at ``at`` (of ``location_ids`` and
        ``product_ids`` when given) are summed from a checkpoint (the
        ``balances`` of ``_aggregation_settings``)."""
        method = self._resolve_method(
            at, company_ids, location_ids=location_ids, product_ids=product_ids
        )[0]
        return method == "checkpoint"

    @api.model
    def _summed_quantity_sql(self):
        """A balance: the rows' ``quantity`` summed in float8 and rounded to
        six decimals in the statement."""
        return SQL("ROUND(SUM(quantity::float8) * 1e6::float8) / 1e6::float8")

    @api.model
    def _nonzero_balance_sql(self):
        """The HAVING condition of a balance that is not zero."""
        return SQL("ABS(SUM(quantity::float8)) > 1e-9")

    @api.model
    def _product_cost_sql(self, company_sql):
        """SQL of a product's cost in a company (``pp`` is the product_product
        row, ``company_sql`` the company's id); 0 without stock_account."""
        if "value" not in self.env["stock.move"]._fields:
            return SQL("0")
        return SQL(
            "COALESCE((pp.standard_price ->> %s::text)::numeric, 0)", company_sql
        )
