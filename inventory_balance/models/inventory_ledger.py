# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The ledger engine: the one source of stock quantities at a date.

The ledger is the done ``stock.move.line`` rows.  The balance of a key
(product, location, lot, package, owner) at a moment ``t`` is

    checkpoint(key, c) + sum of done lines on key with c < date <= t

where ``c`` is the latest valid checkpoint at or before ``t`` (see
``inventory.ledger.checkpoint``).  Without a checkpoint the answer comes from the
whole ledger, or from today's quants minus the lines after ``t`` when ``t`` is
recent.  All paths give the same numbers; the tests prove it.

Balances concern internal and transit locations (their children included),
quantities are in the product's unit (``quantity_product_uom``).
"""

from contextlib import contextmanager

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools.flow_rules import FLOW_RULES
from ..tools.record_ids import ID_MODELS, as_id_list, check_ids_exist

KEY_COLUMNS = {
    "product": "product_id",
    "location": "location_id",
    "lot": "lot_id",
    "package": "package_id",
    "owner": "owner_id",
}
# At most this many rows per movements() request (parameter
# inventory_balance.movements_max_rows).
MOVEMENTS_MAX_ROWS = 100000


class InventoryLedger(models.AbstractModel):
    _name = "inventory.ledger"
    _description = "Stock Ledger Engine"

    # ------------------------------------------------------------ arguments
    def _check_ledger_access(self):
        """The engine reads stock tables in SQL: only inventory users may."""
        if not self.env.su and not self.env.user.has_group("stock.group_stock_user"):
            raise AccessError(
                self.env._(
                    "Only inventory users can read stock balances and movements."
                )
            )

    @api.model
    def _parse_moment(self, value, name="at"):
        if not value:
            return fields.Datetime.now()
        try:
            moment = fields.Datetime.to_datetime(value)
        except (TypeError, ValueError):
            moment = None
        if not moment:
            raise UserError(
                self.env._(
                    "%(name)s is not a date and time: %(value)s", name=name, value=value
                )
            )
        if isinstance(value, str) and len(value) <= 10:
            # A date alone means the end of that day.
            moment = moment.replace(hour=23, minute=59, second=59)
        if moment > fields.Datetime.now():
            raise UserError(
                self.env._(
                    "Balances are only known up to now; %(moment)s is in the future.",
                    moment=fields.Datetime.to_string(moment),
                )
            )
        return moment

    @api.model
    def _parse_group_by(
        self, group_by, known=None, default=("product", "location", "lot")
    ):
        """``group_by`` as a tuple of names taken from ``known`` (default the
        balance keys); ``default`` when empty; a clear error for any other."""
        known = known or KEY_COLUMNS
        group_by = tuple(group_by or default)
        unknown = [g for g in group_by if g not in known]
        if unknown:
            raise UserError(
                self.env._(
                    "Unknown grouping %(unknown)s; use some of: %(known)s.",
                    unknown=", ".join(map(str, unknown)),
                    known=", ".join(known),
                )
            )
        return group_by

    @api.model
    def _parse_ids(self, ids, name):
        """``ids`` as a list (None for none); ids of a known argument name
        (``tools.record_ids.ID_MODELS``) must exist (a clear UserError)."""
        if not ids:
            return None
        if name in ID_MODELS:
            return check_ids_exist(self.env, name, ids).ids
        return as_id_list(ids, name, self.env)

    @api.model
    def _limit_param(self, name, default):
        """A positive integer system parameter (``default`` when unset or
        not a positive integer)."""
        value = self.env["ir.config_parameter"].sudo().get_param(name)
        try:
            value = int(value)
        except (TypeError, ValueError):
            return default
        return value if value > 0 else default

    @api.model
    def _parse_page(self, offset, limit):
        """``(offset, limit)`` as non-negative integers (no limit: None)."""
        try:
            offset = int(offset or 0)
            limit = int(limit) if limit else None
        except (TypeError, ValueError):
            raise UserError(self.env._("offset and limit are numbers.")) from None
        if offset < 0 or (limit is not None and limit < 0):
            raise UserError(self.env._("offset and limit cannot be negative."))
        return offset, limit

    @api.model
    def _scope_companies(self, company_ids):
        company_ids = self._parse_ids(company_ids, "company_ids")
        allowed = self.env.companies.ids
        if company_ids is None:
            return allowed
        return [c for c in company_ids if c in allowed]

    # ----------------------------------------------------------- SQL pieces
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
        the whole ledger, sums them in its parallel workers."""
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
                group_by = SQL("GROUP BY 1, 2, 3, 4, 5")
            else:
                inflow, outflow = quantity, SQL("-%s", quantity)
                last_date, group_by = SQL("ml.date"), SQL()
            return SQL(
                """
                SELECT ml.product_id, ml.location_dest_id AS location_id, ml.lot_id,
                       ml.result_package_id AS package_id, ml.owner_id,
                       %(inflow)s AS quantity, %(last_date)s AS last_date
                  FROM stock_move_line ml
                 WHERE %(condition)s AND ml.location_dest_id %(in_scope)s
                 %(group_by)s
                 UNION ALL
                SELECT ml.product_id, ml.location_id, ml.lot_id, ml.package_id,
                       ml.owner_id, %(outflow)s, %(last_date)s
                  FROM stock_move_line ml
                 WHERE %(condition)s AND ml.location_id %(in_scope)s
                 %(group_by)s
                """,
                condition=condition,
                inflow=inflow,
                outflow=outflow,
                last_date=last_date,
                group_by=group_by,
                in_scope=in_scope,
            )
        # One pass over the lines gives both sides: + on the destination, -
        # on the source; each side is kept when its location is in scope.  The
        # columns read are all in the done-lines index (an index-only scan).
        return SQL(
            """
            SELECT ml.product_id, side.location_id, ml.lot_id, side.package_id,
                   ml.owner_id, side.quantity, ml.date AS last_date
              FROM stock_move_line ml
             CROSS JOIN LATERAL (
                VALUES (ml.location_dest_id, ml.result_package_id, %(quantity)s),
                       (ml.location_id, ml.package_id, -%(quantity)s)
             ) AS side (location_id, package_id, quantity)
              JOIN %(scope)s s ON s.id = side.location_id %(window)s
             WHERE %(condition)s
            """,
            condition=condition,
            window=window,
            quantity=quantity,
            scope=SQL.identifier(scope),
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
        # An array filter (not a join) keeps the index order of the
        # checkpoint's rows, so that they are summed without a sort.
        filters = [SQL("location_id = ANY(ARRAY(SELECT id FROM scope))")]
        if product_ids is not None:
            filters.append(SQL("product_id = ANY(%s)", product_ids))
        if lot_ids is not None:
            filters.append(SQL("lot_id = ANY(%s)", lot_ids))
        filter_sql = SQL(" AND ").join(filters)
        ctes = [
            SQL("scope AS (%s)", self._scope_locations_sql(company_ids, location_ids))
        ]
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
            )
        elif method == "ledger":
            base = self._signed_lines_sql(None, at, product_ids, lot_ids)
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
        columns = SQL(", ").join(SQL.identifier(KEY_COLUMNS[g]) for g in group_by)
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
    ):
        """The rows summing to the balances at ``at`` from the nearest valid
        checkpoint of each company: its rows, plus the lines from an earlier
        checkpoint up to ``at``, or minus the lines after ``at`` up to a later
        one (a company without checkpoint: all its lines up to ``at``).  Adds
        the scope CTEs it needs to ``ctes``."""
        moments = {cp.company_id.id: cp.moment for cp in checkpoints}
        forward = [c for c in company_ids if moments.get(c, at) <= at]
        backward = [c for c in company_ids if moments.get(c, at) > at]
        parts = [
            SQL(
                """
                SELECT product_id, location_id, lot_id, package_id, owner_id, quantity,
                       last_date
                  FROM inventory_ledger_checkpoint_line
                 WHERE %s AND %s
                """,
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
                )
            )
        # One aggregation over the checkpoint's rows and the lines is cheaper
        # than summing the delta first and joining it to the checkpoint.
        return SQL(" UNION ALL ").join(parts)

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

    @api.model
    def _tune_for_aggregation(self, balances=False):
        """Let the big hash aggregations and sorts of the engine stay in memory
        (the default work_mem spills them to disk) and skip JIT compilation,
        which costs more than it saves on these statements.

        With ``balances``, for statements summing balances from a checkpoint
        (nearly as many groups as rows): group by sorting, without parallel
        workers.  The checkpoint rows come sorted from their index, the lines
        since are few, and a hash table of hundreds of thousands of groups
        costs twice as much (measured at 10M lines: 0.32 s against 0.80 s).
        Not for the whole ledger, whose millions of lines hash and share out
        between workers better than they sort.  For the current transaction
        (``_aggregation_settings`` for one statement)."""
        self.env.cr.execute(
            "SET LOCAL work_mem = '64MB'; SET LOCAL jit = off; "
            "SET LOCAL parallel_setup_cost = 0; SET LOCAL parallel_tuple_cost = 0; "
            "SET LOCAL min_parallel_index_scan_size = 0"
        )
        if balances:
            self.env.cr.execute(
                "SET LOCAL enable_hashagg = off; "
                "SET LOCAL max_parallel_workers_per_gather = 0"
            )

    @contextmanager
    def _aggregation_settings(self, balances=False, hash_joins=False, work_mem=None):
        """The engine's settings (see ``_tune_for_aggregation``) for the
        statements run inside, and the planner's defaults again after them.

        :param hash_joins: no nested loops: the planner guesses a hundred times
            fewer balances than there are, and would look every row's product,
            location or lot up one by one
        :param work_mem: more memory than the engine's default, e.g. to sort
            hundreds of thousands of wide rows in memory
        """
        cr = self.env.cr
        self._tune_for_aggregation(balances)
        if hash_joins:
            cr.execute("SET LOCAL enable_nestloop = off")
        if work_mem:
            cr.execute(SQL("SELECT set_config('work_mem', %s, true)", work_mem))
        try:
            yield
        finally:
            cr.execute(
                "RESET enable_hashagg; RESET max_parallel_workers_per_gather; "
                "RESET enable_nestloop; SET LOCAL work_mem = '64MB'"
            )

    @contextmanager
    def _bulk_insert_settings(self, **settings):
        """``_aggregation_settings`` for a bulk INSERT ... SELECT whose ids
        all come from the rows it reads, with the per-row foreign-key
        triggers skipped meanwhile (see ``_skip_foreign_key_checks``)."""
        skipped = self._skip_foreign_key_checks()
        try:
            with self._aggregation_settings(**settings):
                yield
        finally:
            if skipped:
                self._restore_foreign_key_checks()

    @api.model
    def _skip_foreign_key_checks(self):
        """For a bulk INSERT ... SELECT whose ids all come from existing rows:
        skip the per-row foreign-key triggers (most of the cost at scale) for
        the rest of the transaction.  Needs a superuser database role; without
        one the checks simply run.  Returns whether they are skipped; call
        ``_restore_foreign_key_checks`` after the insert."""
        self.env.cr.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        )
        row = self.env.cr.fetchone()
        if row and row[0]:
            self.env.cr.execute("SET LOCAL session_replication_role = replica")
            return True
        return False

    @api.model
    def _restore_foreign_key_checks(self):
        self.env.cr.execute("SET LOCAL session_replication_role = origin")

    # ------------------------------------------------------------ public API
    @api.readonly
    @api.model
    def balances_at(
        self,
        at=None,
        group_by=None,
        company_ids=None,
        location_ids=None,
        product_ids=None,
        lot_ids=None,
        method="auto",
        compact=False,
        limit=None,
        offset=0,
    ):
        """Stock balances at a moment, from the ledger.

        :param at: date or datetime (UTC, ``"YYYY-MM-DD HH:MM:SS"``); a date
            alone means the end of that day; default now; never in the future
        :param group_by: some of ``product``, ``location``, ``lot``,
            ``package``, ``owner`` (default product, location, lot)
        :param company_ids: companies (default: the user's allowed companies)
        :param location_ids: internal/transit locations, children included
            (default: all of the companies)
        :param product_ids: product variants (default all)
        :param lot_ids: lots (default all)
        :param method: ``auto`` (default: the path estimated to read the
            fewest rows), ``checkpoint``, ``ledger`` or ``quants`` — every
            method gives the same numbers
        :param compact: return ``{"fields": [...], "rows": [[...], ...]}``
            (one list of values per balance, in the order of ``fields``)
            instead of a dict per balance: several times cheaper to build
            and to send for hundreds of thousands of balances
        :param limit: at most that many balances (in the order of the keys;
            default all)
        :param offset: skip that many balances
        :return: list of dicts, one per non-zero balance in the order of the
            keys: the ``group_by`` keys as ``product_id``, ``location_id``, ...
            (ids, ``False`` for none) and ``quantity`` in the product's unit;
            with ``compact``, the same as ``fields`` and ``rows``
        """
        self._check_ledger_access()
        at = self._parse_moment(at)
        group_by = self._parse_group_by(group_by)
        offset, limit = self._parse_page(offset, limit)
        names = [KEY_COLUMNS[g] for g in group_by]
        columns = [*names, "quantity"]
        company_ids = self._scope_companies(company_ids)
        if not company_ids:
            return {"fields": columns, "rows": []} if compact else []
        self.env.flush_all()
        query, method = self._balance_sql(
            at,
            group_by,
            company_ids,
            location_ids=self._parse_ids(location_ids, "location_ids"),
            product_ids=self._parse_ids(product_ids, "product_ids"),
            lot_ids=self._parse_ids(lot_ids, "lot_ids"),
            method=method,
        )
        if limit is not None or offset:
            query = SQL("SELECT * FROM (%s) b LIMIT %s OFFSET %s", query, limit, offset)
        with self._aggregation_settings(balances=method == "checkpoint"):
            self.env.cr.execute(query)
            fetched = self.env.cr.fetchall()
        optional = [
            i for i, n in enumerate(names) if n not in ("product_id", "location_id")
        ]
        if compact:
            if optional:
                rows = [[False if v is None else v for v in row] for row in fetched]
            else:
                rows = list(map(list, fetched))
            return {"fields": columns, "rows": rows}
        optional = [names[i] for i in optional]
        # Sums are taken in float8 (numeric sums are several times slower) and
        # rounded to 6 decimals in the statement, which removes the residue.
        rows = [dict(zip(columns, row, strict=True)) for row in fetched]
        for name in optional:
            for row in rows:
                if row[name] is None:
                    row[name] = False
        return rows

    @api.model
    def _flow_kind_sql(self):
        """SQL CASE giving the flow kind of a line, from ``FLOW_RULES``."""
        whens = []
        for sources, destinations, scrap, kind in FLOW_RULES:
            condition = SQL(
                "src.usage = ANY(%s) AND dst.usage = ANY(%s)",
                list(sources),
                list(destinations),
            )
            if scrap is not None:
                condition = SQL(
                    "%s AND (mv.scrap_id IS NOT NULL) = %s", condition, scrap
                )
            whens.append(SQL("WHEN %s THEN %s", condition, kind))
        return SQL("CASE %s ELSE 'other' END", SQL(" ").join(whens))

    @api.model
    def _movements_sql(
        self,
        date_from,
        date_to,
        group_by,
        company_ids,
        location_ids=None,
        product_ids=None,
    ):
        scope = self._scope_locations_sql(company_ids, location_ids)
        where = [SQL("ml.state = 'done'"), SQL("ml.date <= %s", date_to)]
        if date_from:
            where.append(SQL("ml.date > %s", date_from))
        if product_ids is not None:
            where.append(SQL("ml.product_id = ANY(%s)", product_ids))
        columns = SQL(", ").join(SQL.identifier(c) for c in group_by)
        return SQL(
            """
            WITH scope AS MATERIALIZED (%(scope)s),
            lines AS (
                SELECT ml.product_id, ml.location_id AS src_id,
                       ml.location_dest_id AS dst_id, ml.quantity_product_uom AS qty,
                       %(kind)s AS kind
                  FROM stock_move_line ml
                  JOIN stock_move mv ON mv.id = ml.move_id
                  JOIN stock_location src ON src.id = ml.location_id
                  JOIN stock_location dst ON dst.id = ml.location_dest_id
                 WHERE %(where)s
                   AND (ml.location_id IN (SELECT id FROM scope)
                        OR ml.location_dest_id IN (SELECT id FROM scope))
            ), sides AS (
                SELECT product_id, dst_id AS location_id, kind, qty AS quantity
                  FROM lines WHERE dst_id IN (SELECT id FROM scope)
                UNION ALL
                SELECT product_id, src_id, kind, -qty
                  FROM lines WHERE src_id IN (SELECT id FROM scope)
            )
            SELECT %(columns)s, SUM(quantity) AS quantity,
                   SUM(GREATEST(quantity, 0)) AS quantity_in,
                   SUM(GREATEST(-quantity, 0)) AS quantity_out
              FROM sides
             GROUP BY %(columns)s
             ORDER BY %(columns)s
            """,
            scope=scope,
            kind=self._flow_kind_sql(),
            where=SQL(" AND ").join(where),
            columns=columns,
        )

    @api.readonly
    @api.model
    def movements(
        self,
        date_from=None,
        date_to=None,
        group_by=None,
        company_ids=None,
        location_ids=None,
        product_ids=None,
        limit=None,
        offset=0,
    ):
        """Flows of stock in a period, classified by kind.

        :param date_from: exclusive start (date or datetime); default: the
            beginning of the ledger
        :param date_to: inclusive end; default now; never in the future
        :param group_by: some of ``product``, ``location``, ``kind`` (default
            all three)
        :param company_ids, location_ids, product_ids: as for :meth:`balances_at`
        :param limit: at most that many rows (in the order of the keys); a
            request returns at most 100,000 rows (parameter
            ``inventory_balance.movements_max_rows``): without a limit, more
            rows than that are refused with an error asking for pages
        :param offset: skip that many rows
        :return: list of dicts with the ``group_by`` keys (``product_id``,
            ``location_id``, ``kind``), ``quantity`` (signed for the location:
            + in, - out), ``quantity_in`` and ``quantity_out``.  Kinds:
            receipt, delivery, production_in, production_out, adjustment,
            scrap, transfer, transit_out, transit_in, return, other.
        """
        self._check_ledger_access()
        date_to = self._parse_moment(date_to, "date_to")
        if date_from:
            date_from = self._parse_moment(date_from, "date_from")
            if date_from > date_to:
                raise UserError(self.env._("The period ends before it starts."))
        names = {"product": "product_id", "location": "location_id", "kind": "kind"}
        group_by = self._parse_group_by(
            group_by, known=names, default=("product", "location", "kind")
        )
        company_ids = self._scope_companies(company_ids)
        if not company_ids:
            return []
        max_rows = self._limit_param(
            "inventory_balance.movements_max_rows", MOVEMENTS_MAX_ROWS
        )
        offset, limit = self._parse_page(offset, limit)
        if limit is not None and limit > max_rows:
            raise UserError(
                self.env._(
                    "A request returns at most %(max)s rows: ask pages of at most "
                    "that many (limit and offset).",
                    max=max_rows,
                )
            )
        self.env.flush_all()
        columns = [names[g] for g in group_by]
        self.env.cr.execute(
            SQL(
                "SELECT * FROM (%s) m LIMIT %s OFFSET %s",
                self._movements_sql(
                    date_from,
                    date_to,
                    columns,
                    company_ids,
                    location_ids=self._parse_ids(location_ids, "location_ids"),
                    product_ids=self._parse_ids(product_ids, "product_ids"),
                ),
                max_rows + 1 if limit is None else limit,
                offset,
            )
        )
        if limit is None and self.env.cr.rowcount > max_rows:
            raise UserError(
                self.env._(
                    "These movements are more than the %(max)s rows a request "
                    "returns: read them a page at a time (limit and offset), over "
                    "a shorter period or fewer products or locations.",
                    max=max_rows,
                )
            )
        return [
            dict(
                zip(columns, (v or False for v in row[:-3]), strict=True),
                quantity=float(row[-3]),
                quantity_in=float(row[-2]),
                quantity_out=float(row[-1]),
            )
            for row in self.env.cr.fetchall()
        ]
