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

This file is the engine's face: ``balances_at`` and ``movements`` (with the
flow classification).  Its services are mixins, one file each: the
arguments (``inventory.ledger.arguments``), the statements
(``inventory.ledger.sql``), the planner settings
(``inventory.ledger.settings``); the choice of path extends it in
``inventory_ledger_path.py``; the lines behind a figure are
``inventory.ledger.explain``.
"""

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.flow_rules import FLOW_RULES
from .inventory_ledger_arguments import KEY_COLUMNS

# At most this many rows per movements() request (parameter
# inventory_balance.movements_max_rows).
MOVEMENTS_MAX_ROWS = 100000


class InventoryLedger(models.AbstractModel):
    _name = "inventory.ledger"
    _description = "Stock Ledger Engine"
    _inherit = [
        "inventory.ledger.arguments",
        "inventory.ledger.sql",
        "inventory.ledger.settings",
    ]

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
            return {"fields": columns, "rows": self._compact_rows(fetched, optional)}
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
    def _compact_rows(self, fetched, optional):
        """The fetched balances as lists, ``False`` for no key in the columns
        at the indexes ``optional`` (lot, package, owner: the others are never
        NULL); only those are looked at.  The default grouping (product,
        location, lot: a key at index 2 of 4 columns) is unpacked row by row,
        the cheapest in Python (at 340,000 balances about a third of the time
        of testing every value)."""
        if not optional:
            return list(map(list, fetched))
        if optional == [2] and fetched and len(fetched[0]) == 4:
            return [
                [key0, key1, False if key2 is None else key2, quantity]
                for key0, key1, key2, quantity in fetched
            ]
        rows = list(map(list, fetched))
        for index in optional:
            for row in rows:
                if row[index] is None:
                    row[index] = False
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
