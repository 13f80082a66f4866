# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every figure explains itself: the done move lines behind one figure.

A figure of the suite is the balance of a key (a product; optionally a
location with its children, a lot, a package, an owner, a condition, a
warehouse, a company) at a moment, or a flow of that key in a period.  The
lines that make it up are

- at a moment ``t``: the balance at the nearest valid checkpoint ``c <= t``
  (one "opening" row) and the done lines with ``c < date <= t``;
- in a period ``(date_from, date_to]``: the balance at ``date_from`` (the
  opening row) and the done lines of the period; with ``kinds`` (a flow of
  the period) only the lines of those kinds of flow, and no opening.

Each line is one side of a done move line (+ on its destination, - on its
source, for the sides in the key), with the running balance; the closing
balance (opening + every line) is the figure.  The opening comes from the
engine's rows-SQL seam (``inventory.ledger._balance_rows_sql``), the scope
from its location scope and the kinds from its flow classification: the
same rules as every figure.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.flow_rules import FLOW_KINDS

# Lines per page of explain() when no limit is given.
EXPLAIN_PAGE = 80
# At most this many lines per explain() request.
EXPLAIN_MAX_PAGE = 10000
# The key of a figure, as explain() takes it: argument -> model.
KEY_MODELS = {
    "location_id": "stock.location",
    "lot_id": "stock.lot",
    "package_id": "stock.package",
    "owner_id": "res.partner",
    "condition_id": "inventory.condition",
    "warehouse_id": "stock.warehouse",
    "company_id": "res.company",
}
# Keys that can ask for lines without one (``"none"``).
NONE_KEYS = ("lot_id", "package_id", "owner_id")
DIRECTIONS = ("in", "out")
# The id of the opening row (line rows are 2 x line id, + 1 for the source).
OPENING_ID = 1


class InventoryLedgerExplain(models.AbstractModel):
    _name = "inventory.ledger.explain"
    _description = "Stock Ledger Engine: the lines behind a figure"

    # ------------------------------------------------------------ arguments
    @api.model
    def _explain_params(
        self,
        product_id,
        at=None,
        date_from=None,
        date_to=None,
        kinds=None,
        direction=None,
        with_children=True,
        **key,
    ):
        """The checked, normalised request: a dict with ``product_id``,
        ``key`` (argument -> id, or ``None`` for "without one"), ``mode``
        (``moment`` or ``period``), ``date_from``, ``date_to`` (datetimes),
        ``kinds``, ``direction`` and ``company_ids``."""
        ledger = self.env["inventory.ledger"]
        product = self._explain_record("product.product", product_id, "product_id")
        if not product:
            raise UserError(self.env._("Which product's figure? product_id is needed."))
        parsed = self._explain_key(key)
        if isinstance(kinds, str):
            kinds = [kinds]
        kinds = list(kinds or [])
        wrong = [k for k in kinds if k not in FLOW_KINDS]
        if wrong:
            raise UserError(
                self.env._(
                    "Unknown kind of flow %(wrong)s; use some of: %(known)s.",
                    wrong=", ".join(map(str, wrong)),
                    known=", ".join(FLOW_KINDS),
                )
            )
        if direction and direction not in DIRECTIONS:
            raise UserError(
                self.env._("direction is in or out, not %(value)s.", value=direction)
            )
        if at and (date_from or date_to):
            raise UserError(
                self.env._("Explain a moment (at) or a period (date_from, date_to).")
            )
        mode = "period" if (date_from or date_to) else "moment"
        if (kinds or direction) and mode != "period":
            raise UserError(
                self.env._("A flow (kinds, direction) is explained over a period.")
            )
        if mode == "moment":
            date_to = ledger._parse_moment(at)
            date_from = None
        else:
            date_to = ledger._parse_moment(date_to, "date_to")
            date_from = (
                ledger._parse_moment(date_from, "date_from") if date_from else None
            )
            if date_from and date_from > date_to:
                raise UserError(self.env._("The period ends before it starts."))
        company_ids = ledger._scope_companies(
            [parsed["company_id"]] if parsed.get("company_id") else None
        )
        for name in ("location_id", "warehouse_id"):
            if parsed.get(name):
                companies = self.env[KEY_MODELS[name]].browse(parsed[name]).company_id
                if companies:
                    company_ids = [c for c in company_ids if c in companies.ids]
        return {
            "product_id": product.id,
            "key": parsed,
            "mode": mode,
            "date_from": date_from,
            "date_to": date_to,
            "kinds": kinds,
            "direction": direction or False,
            "company_ids": company_ids,
            "with_children": bool(with_children),
        }

    @api.model
    def _explain_key(self, key):
        """The key's arguments as ids (a list for ``location_id``), ``None``
        for "without one" (``"none"``); unset ones left out."""
        unknown = set(key) - set(KEY_MODELS)
        if unknown:
            raise UserError(
                self.env._(
                    "Unknown key %(unknown)s; use some of: %(known)s.",
                    unknown=", ".join(sorted(unknown)),
                    known=", ".join(KEY_MODELS),
                )
            )
        parsed = {}
        for name, value in key.items():
            if value in (None, False):
                continue
            if value == "none" and name in NONE_KEYS:
                parsed[name] = None
            elif name == "location_id":
                # one location or several (each with its children)
                values = value if isinstance(value, (list, tuple)) else [value]
                parsed[name] = [
                    self._explain_record(KEY_MODELS[name], v, name).id for v in values
                ]
            else:
                parsed[name] = self._explain_record(KEY_MODELS[name], value, name).id
        return parsed

    @api.model
    def _explain_record(self, model, value, name):
        if not value:
            return self.env[model]
        if isinstance(value, (list, tuple)) and len(value) == 1:
            value = value[0]
        if isinstance(value, bool) or not isinstance(value, int):
            raise UserError(
                self.env._(
                    "%(name)s is one record id, not %(value)s.", name=name, value=value
                )
            )
        record = self.env[model].browse(value).exists()
        if not record:
            raise UserError(
                self.env._("%(name)s %(value)s does not exist.", name=name, value=value)
            )
        return record

    @api.model
    def _explain_params_from_context(self):
        """The request carried by the context key ``inventory_explain`` (the
        arguments of :meth:`explain`, as an action's context holds them)."""
        request = dict(self.env.context.get("inventory_explain") or {})
        if not request.get("product_id"):
            raise UserError(self.env._("There is no figure to explain."))
        return self._explain_params(**request)

    # ----------------------------------------------------------------- SQL
    @api.model
    def _opening_moment(self, params):
        """Where the opening row stands: the period's start; for a moment, the
        latest valid checkpoint at or before it (the earliest of the
        companies'), None when a company has none (no opening: the lines
        from the beginning of the ledger); None for a flow."""
        if params["kinds"] or params["direction"]:
            return None
        if params["mode"] == "period":
            return params["date_from"]
        checkpoints = self.env["inventory.ledger.checkpoint"]._latest_valid(
            params["date_to"], params["company_ids"]
        )
        if set(checkpoints.company_id.ids) != set(params["company_ids"]):
            return None
        return min(checkpoints.mapped("moment"))

    @api.model
    def _key_filter_sql(self, params, alias, package_column=None):
        """The key's lot, owner and (with ``package_column``, e.g.
        ``package_id`` or ``result_package_id``) package on rows of ``alias``."""
        key = params["key"]
        where = []
        names = [("lot_id", "lot_id"), ("owner_id", "owner_id")]
        if package_column:
            names.append(("package_id", package_column))
        for name, column in names:
            if name not in key:
                continue
            column = SQL.identifier(alias, column)
            if key[name] is None:
                where.append(SQL("%s IS NULL", column))
            else:
                where.append(SQL("%s = %s", column, key[name]))
        return where

    @api.model
    def _explain_scope_sql(self, params):
        """The key's locations: internal and transit locations of its
        companies (inside its location, children included), of its
        warehouse and condition when it has them."""
        ledger = self.env["inventory.ledger"]
        key = params["key"]
        location_ids = key.get("location_id")
        where = [SQL("TRUE")]
        if location_ids and not params["with_children"]:
            where.append(SQL("loc.id = ANY(%s)", location_ids))
        if key.get("warehouse_id"):
            where.append(SQL("loc.warehouse_id = %s", key["warehouse_id"]))
        if key.get("condition_id"):
            where.append(SQL("loc.condition_id = %s", key["condition_id"]))
        return SQL(
            "SELECT s.id FROM (%s) s JOIN stock_location loc ON loc.id = s.id WHERE %s",
            ledger._scope_locations_sql(params["company_ids"], location_ids),
            SQL(" AND ").join(where),
        )

    @api.model
    def _opening_sql(self, params, opening_at):
        """``(ctes, query)``: the CTEs (to put after ``WITH``) and one row,
        the key's balance at ``opening_at`` from the engine's rows-SQL seam
        (the nearest checkpoint plus or minus the lines between)."""
        if opening_at is None:
            return [], SQL("SELECT 0::float8 AS quantity")
        ledger = self.env["inventory.ledger"]
        key = params["key"]
        ctes, rows, _method = ledger._balance_rows_sql(
            opening_at,
            params["company_ids"],
            location_ids=key.get("location_id"),
            product_ids=[params["product_id"]],
        )
        where = [
            SQL("r.product_id = %s", params["product_id"]),
            SQL("r.location_id IN (SELECT id FROM explain_scope)"),
            *self._key_filter_sql(params, "r", package_column="package_id"),
        ]
        return [ctes], SQL(
            "SELECT COALESCE(%s, 0)::float8 AS quantity FROM (%s) r WHERE %s",
            ledger._summed_quantity_sql(),
            rows,
            SQL(" AND ").join(where),
        )

    @api.model
    def _explain_sql(self, params):
        """One statement: the opening row and the lines behind the figure,
        each with its running balance, columns ``id``, ``sequence`` (0 for the
        opening, 1 for the lines), ``date``, ``move_line_id``, ``move_id``,
        ``picking_id``, ``reference``, ``product_id``, ``lot_id``,
        ``package_id``, ``owner_id``, ``location_id``, ``location_from_id``,
        ``location_to_id``, ``kind``, ``quantity`` (signed: + into the key),
        ``running_balance``, ``user_id``, ``company_id``, ``warehouse_id``; in
        the order ``sequence, date, id``."""
        ledger = self.env["inventory.ledger"]
        opening_at = self._opening_moment(params)
        ctes, opening = self._opening_sql(params, opening_at)
        # A flow has no opening and starts at the period's start.
        date_from = opening_at if opening_at is not None else params["date_from"]
        where = [
            SQL("ml.state = 'done'"),
            SQL("ml.product_id = %s", params["product_id"]),
            SQL("ml.date <= %s", params["date_to"]),
            SQL(
                "(ml.location_id IN (SELECT id FROM explain_scope) "
                "OR ml.location_dest_id IN (SELECT id FROM explain_scope))"
            ),
            *self._key_filter_sql(params, "ml"),
        ]
        if date_from:
            where.append(SQL("ml.date > %s", date_from))
        kind_where = SQL("TRUE")
        if params["kinds"]:
            kind_where = SQL("kind = ANY(%s)", params["kinds"])
        # A line leaves its source in its package and enters its destination
        # in its result package.
        in_where = [SQL("dst_id IN (SELECT id FROM explain_scope)"), kind_where]
        out_where = [SQL("src_id IN (SELECT id FROM explain_scope)"), kind_where]
        package = {"key": {k: v for k, v in params["key"].items() if k == "package_id"}}
        in_where += self._key_filter_sql(package, "lines", "result_package_id")
        out_where += self._key_filter_sql(package, "lines", "package_id")
        if params["direction"] == "in":
            out_where.append(SQL("FALSE"))
        elif params["direction"] == "out":
            in_where.append(SQL("FALSE"))
        return SQL(
            """
            WITH %(ctes)s explain_scope AS MATERIALIZED (%(scope)s),
            opening AS MATERIALIZED (%(opening)s),
            lines AS MATERIALIZED (
                SELECT ml.id, ml.date, ml.move_id, ml.picking_id, ml.lot_id,
                       ml.package_id, ml.result_package_id, ml.owner_id,
                       ml.location_id AS src_id, ml.location_dest_id AS dst_id,
                       ml.quantity_product_uom::float8 AS qty,
                       ml.create_uid AS user_id, mv.reference, %(kind)s AS kind
                  FROM stock_move_line ml
                  JOIN stock_move mv ON mv.id = ml.move_id
                  JOIN stock_location src ON src.id = ml.location_id
                  JOIN stock_location dst ON dst.id = ml.location_dest_id
                 WHERE %(where)s
            ), sides AS (
                SELECT id * 2 AS id, id AS move_line_id, date, move_id, picking_id,
                       lot_id, result_package_id AS package_id, owner_id,
                       dst_id AS location_id, src_id, dst_id, qty AS quantity,
                       user_id, reference, kind
                  FROM lines WHERE %(in_where)s
                UNION ALL
                SELECT id * 2 + 1, id, date, move_id, picking_id, lot_id,
                       package_id, owner_id, src_id, src_id, dst_id, -qty, user_id,
                       reference, kind
                  FROM lines WHERE %(out_where)s
            )
            SELECT %(opening_id)s AS id, 0 AS sequence, %(opening_at)s::timestamp
                       AS date,
                   NULL::int AS move_line_id, NULL::int AS move_id,
                   NULL::int AS picking_id, %(opening_label)s::varchar AS reference,
                   %(product)s AS product_id, NULL::int AS lot_id,
                   NULL::int AS package_id, NULL::int AS owner_id,
                   %(location)s::int AS location_id, NULL::int AS location_from_id,
                   NULL::int AS location_to_id, 'opening'::varchar AS kind,
                   o.quantity, o.quantity AS running_balance, NULL::int AS user_id,
                   %(company)s::int AS company_id, %(warehouse)s::int AS warehouse_id
              FROM opening o
             UNION ALL
            SELECT s.id, 1, s.date, s.move_line_id, s.move_id, s.picking_id,
                   s.reference, %(product)s, s.lot_id, s.package_id, s.owner_id,
                   s.location_id, s.src_id, s.dst_id, s.kind, s.quantity,
                   o.quantity + SUM(s.quantity) OVER (ORDER BY s.date, s.id),
                   s.user_id, loc.company_id, loc.warehouse_id
              FROM sides s
              JOIN stock_location loc ON loc.id = s.location_id
             CROSS JOIN opening o
            """,
            ctes=SQL("%s,", SQL(", ").join(ctes)) if ctes else SQL(),
            scope=self._explain_scope_sql(params),
            opening=opening,
            kind=ledger._flow_kind_sql(),
            where=SQL(" AND ").join(where),
            in_where=SQL(" AND ").join(in_where),
            out_where=SQL(" AND ").join(out_where),
            opening_id=OPENING_ID,
            opening_label=self.env._("Opening balance"),
            opening_at=opening_at,
            product=params["product_id"],
            location=(params["key"].get("location_id") or [None, None])[0]
            if len(params["key"].get("location_id") or ()) == 1
            else None,
            # the opening row belongs to the (first) company of the figure
            company=params["key"].get("company_id")
            or (params["company_ids"] or [None])[0],
            warehouse=params["key"].get("warehouse_id"),
        )

    @api.model
    def _lines_sql(self, product_ids, company_ids, location_ids, date_from, date_to):
        """The lines behind many figures at once (an export's second sheet):
        per product, its balance at ``date_from`` (one opening row, from the
        engine's rows-SQL seam) and every done line with ``date_from < date
        <= date_to`` signed for the locations (``location_ids`` with their
        children; None: every internal and transit location of
        ``company_ids``), with the running balance per product.  Columns
        ``product_id``, ``sequence`` (0 opening, 1 line), ``date``,
        ``reference``, ``lot_id``, ``location_id``, ``location_from_id``,
        ``location_to_id``, ``kind``, ``quantity``, ``running_balance``, in
        the order ``product_id, sequence, date, id``."""
        ledger = self.env["inventory.ledger"]
        ctes, rows, _method = ledger._balance_rows_sql(
            date_from, company_ids, location_ids=location_ids, product_ids=product_ids
        )
        return SQL(
            """
            WITH %(ctes)s, lines_scope AS MATERIALIZED (%(scope)s),
            opening AS (
                SELECT r.product_id, %(summed)s AS quantity
                  FROM (%(rows)s) r
                 WHERE r.location_id IN (SELECT id FROM lines_scope)
                 GROUP BY r.product_id
            ),
            lines AS (
                SELECT ml.id, ml.product_id, ml.date, ml.lot_id, mv.reference,
                       ml.location_id AS src_id, ml.location_dest_id AS dst_id,
                       ml.quantity_product_uom::float8 AS qty, %(kind)s AS kind
                  FROM stock_move_line ml
                  JOIN stock_move mv ON mv.id = ml.move_id
                  JOIN stock_location src ON src.id = ml.location_id
                  JOIN stock_location dst ON dst.id = ml.location_dest_id
                 WHERE ml.state = 'done' AND ml.product_id = ANY(%(products)s)
                   AND ml.date > %(date_from)s AND ml.date <= %(date_to)s
                   AND (ml.location_id IN (SELECT id FROM lines_scope)
                        OR ml.location_dest_id IN (SELECT id FROM lines_scope))
            ),
            sides AS (
                SELECT id * 2 AS id, product_id, date, lot_id, reference,
                       dst_id AS location_id, src_id, dst_id, qty AS quantity, kind
                  FROM lines WHERE dst_id IN (SELECT id FROM lines_scope)
                UNION ALL
                SELECT id * 2 + 1, product_id, date, lot_id, reference, src_id,
                       src_id, dst_id, -qty, kind
                  FROM lines WHERE src_id IN (SELECT id FROM lines_scope)
            ),
            every_row AS (
                SELECT p.id AS product_id, 0 AS sequence, %(date_from)s::timestamp
                           AS date, 0 AS id, %(opening_label)s::varchar AS reference,
                       NULL::int AS lot_id, NULL::int AS location_id,
                       NULL::int AS location_from_id, NULL::int AS location_to_id,
                       'opening'::varchar AS kind,
                       COALESCE(o.quantity, 0)::float8 AS quantity
                  FROM unnest(%(products)s::int[]) AS p (id)
                  LEFT JOIN opening o ON o.product_id = p.id
                 UNION ALL
                SELECT product_id, 1, date, id, reference, lot_id, location_id,
                       src_id, dst_id, kind, quantity
                  FROM sides
            )
            SELECT product_id, sequence, date, reference, lot_id, location_id,
                   location_from_id, location_to_id, kind, quantity,
                   SUM(quantity) OVER (
                       PARTITION BY product_id ORDER BY sequence, date, id
                   ) AS running_balance
              FROM every_row
             ORDER BY product_id, sequence, date, id
            """,
            ctes=ctes,
            scope=ledger._scope_locations_sql(company_ids, location_ids),
            summed=ledger._summed_quantity_sql(),
            rows=rows,
            kind=ledger._flow_kind_sql(),
            products=product_ids,
            date_from=date_from,
            date_to=date_to,
            opening_label=self.env._("Opening balance"),
        )

    @api.model
    def _export_lines_rows(
        self, product_ids, company_ids, location_ids, date_from, date_to, max_lines
    ):
        """The rows of :meth:`_lines_sql` for an export's Lines worksheet, at
        most ``max_lines + 1``: the caller refuses an export past its cap."""
        if not product_ids:
            return []
        query = self._lines_sql(
            product_ids, company_ids, location_ids, date_from, date_to
        )
        with self.env["inventory.ledger"]._aggregation_settings():
            self.env.cr.execute(
                SQL("SELECT * FROM (%s) l LIMIT %s", query, max_lines + 1)
            )
            return self.env.cr.fetchall()

    @api.model
    def _lines_payload(self, rows, name, period_of=None):
        """The worksheet of rows of :meth:`_lines_sql` for
        ``tools.lines_export.write_lines_worksheet``: names instead of ids,
        kinds in words, the period of each line with ``period_of`` (a
        callable of its date)."""
        ids = {"product.product": set(), "stock.location": set(), "stock.lot": set()}
        for row in rows:
            ids["product.product"].add(row[0])
            ids["stock.location"].update(r for r in row[5:8] if r)
            if row[4]:
                ids["stock.lot"].add(row[4])
        names = {}
        for model, record_ids in ids.items():
            records = self.env[model].browse(sorted(record_ids))
            names[model] = dict(
                zip(records.ids, records.mapped("display_name"), strict=True)
            )
        kinds = dict(
            self.env["inventory.ledger.explain.report"]
            ._fields["kind"]
            ._description_selection(self.env)
        )
        product = names["product.product"]
        location = names["stock.location"]
        lot = names["stock.lot"]
        period = [self.env._("Period")] if period_of else []
        return {
            "name": name,
            "kind_col": 3 + len(period),
            "opening_value": kinds["opening"],
            "header": [
                self.env._("Product"),
                *period,
                self.env._("Date"),
                self.env._("Document"),
                self.env._("Kind"),
                self.env._("Location"),
                self.env._("From"),
                self.env._("To"),
                self.env._("Lot/Serial"),
                self.env._("Quantity"),
                self.env._("Running balance"),
            ],
            "rows": [
                [
                    product[row[0]],
                    *([period_of(row[2]) if row[1] else ""] if period_of else []),
                    row[2],
                    row[3],
                    kinds.get(row[8], row[8]),
                    location.get(row[5]),
                    location.get(row[6]),
                    location.get(row[7]),
                    lot.get(row[4]),
                    round(row[9], 6),
                    round(row[10], 6),
                ]
                for row in rows
            ],
        }

    @api.model
    def _explain_empty_sql(self):
        """The columns of :meth:`_explain_sql`, without any row."""
        return SQL(
            """
            SELECT NULL::int AS id, NULL::int AS sequence, NULL::timestamp AS date,
                   NULL::int AS move_line_id, NULL::int AS move_id,
                   NULL::int AS picking_id, NULL::varchar AS reference,
                   NULL::int AS product_id, NULL::int AS lot_id,
                   NULL::int AS package_id, NULL::int AS owner_id,
                   NULL::int AS location_id, NULL::int AS location_from_id,
                   NULL::int AS location_to_id, NULL::varchar AS kind,
                   NULL::float8 AS quantity, NULL::float8 AS running_balance,
                   NULL::int AS user_id, NULL::int AS company_id,
                   NULL::int AS warehouse_id
             WHERE FALSE
            """
        )

    # -------------------------------------------------------------- titles
    @api.model
    def _explain_title(self, params, figure=None):
        """What is explained, in words: ``figure`` (e.g. "Sales") of the
        product at the key, as of the moment or in the period."""
        names = [self.env["product.product"].browse(params["product_id"]).display_name]
        for name, model in KEY_MODELS.items():
            if name not in params["key"] or name == "company_id":
                continue
            value = params["key"][name]
            if value is None:
                names.append(
                    {
                        "lot_id": self.env._("no lot"),
                        "package_id": self.env._("no package"),
                        "owner_id": self.env._("no owner"),
                    }[name]
                )
            else:
                names += self.env[model].browse(value).mapped("display_name")
        what = ", ".join(names)
        to = fields.Datetime.to_string(params["date_to"])
        if params["mode"] == "moment":
            return self.env._(
                "%(figure)s of %(what)s as of %(at)s",
                figure=figure or self.env._("Balance"),
                what=what,
                at=to,
            )
        return self.env._(
            "%(figure)s of %(what)s from %(start)s to %(stop)s",
            figure=figure or self.env._("Movements"),
            what=what,
            start=fields.Datetime.to_string(params["date_from"])
            if params["date_from"]
            else self.env._("the beginning"),
            stop=to,
        )

    # ------------------------------------------------------------ public API
    @api.model
    def _explain_request(self, product_id, **request):
        """The request as an action's context carries it (JSON values)."""
        request = {
            k: v
            for k, v in request.items()
            if k == "with_children" or v not in (None, False, [])
        }
        request["product_id"] = product_id
        return request

    @api.model
    def _explain_action(self, title, product_id, **request):
        """The window action opening the lines behind a figure (the
        transactions of that key, with the opening row and the running
        balance), titled ``title``."""
        request = self._explain_request(product_id, **request)
        params = self._explain_params(**request)
        for name in ("at", "date_from", "date_to"):
            if request.get(name) and not isinstance(request[name], str):
                request[name] = fields.Datetime.to_string(request[name])
        return {
            "type": "ir.actions.act_window",
            "name": title or self._explain_title(params),
            "res_model": "inventory.ledger.explain.report",
            "view_mode": "list,pivot",
            "views": [(False, "list"), (False, "pivot")],
            "domain": [],
            "context": {"inventory_explain": request},
            "target": "current",
        }

    @api.model
    def _explain_fetch(self, params, limit, offset):
        """``(opening row, page of line rows, count of lines, closing)`` of
        :meth:`_explain_sql`, in one statement; rows as dicts."""
        ledger = self.env["inventory.ledger"]
        self.env.flush_all()
        with ledger._aggregation_settings():
            self.env.cr.execute(
                SQL(
                    """
                SELECT * FROM (
                    SELECT e.*,
                           ROW_NUMBER() OVER (ORDER BY sequence, date, id) - 1
                               AS explain_rank,
                           COUNT(*) OVER () - 1 AS explain_count,
                           SUM(quantity) OVER () AS explain_closing
                      FROM (%s) e
                ) e
                 WHERE explain_rank = 0 OR explain_rank BETWEEN %s AND %s
                 ORDER BY explain_rank
                """,
                    self._explain_sql(params),
                    offset + 1,
                    offset + limit,
                )
            )
            columns = [d.name for d in self.env.cr.description]
            rows = [
                dict(zip(columns, row, strict=True)) for row in self.env.cr.fetchall()
            ]
        opening = rows[0]
        return opening, rows[1:], opening["explain_count"], opening["explain_closing"]

    @api.readonly
    @api.model
    def explain(
        self,
        product_id,
        at=None,
        date_from=None,
        date_to=None,
        location_id=None,
        lot_id=None,
        package_id=None,
        owner_id=None,
        condition_id=None,
        warehouse_id=None,
        company_id=None,
        kinds=None,
        direction=None,
        with_children=True,
        limit=EXPLAIN_PAGE,
        offset=0,
    ):
        """The done move lines behind one figure, read-only and paged.

        :param product_id: the product variant of the figure
        :param at: a moment (date or datetime, UTC; a date alone is the end
            of that day; default now): the balance at ``at``, from the latest
            valid checkpoint at or before it (the opening) plus the lines
            after it
        :param date_from: start of a period (exclusive; default the beginning
            of the ledger): the opening is the balance at ``date_from``
        :param date_to: end of a period (inclusive; default now)
        :param location_id: an internal or transit location (or a list of
            them), its children
            included (default: every internal and transit location)
        :param with_children: False: the location alone, not its children
        :param lot_id: a lot, or ``"none"`` for the lines without lot
            (default: any lot)
        :param package_id: a package, or ``"none"`` (default: any)
        :param owner_id: an owner, or ``"none"`` (default: any)
        :param condition_id: the condition of the locations
        :param warehouse_id: the warehouse of the locations
        :param company_id: a company (default: the user's allowed companies)
        :param kinds: a flow of the period: the lines of these kinds only
            (``receipt``, ``delivery``, ...; see ``inventory.ledger.movements``),
            without opening
        :param direction: ``in`` or ``out``: only the lines into (out of) the
            key
        :param limit: lines per page (default 80, at most 10,000)
        :param offset: lines to skip
        :return: dict with ``title``, ``opening`` (``{"date", "quantity"}``:
            the balance where the lines start; ``date`` False from the
            beginning of the ledger), ``lines`` (this page: ``id``, ``date``,
            ``move_line_id``, ``move_id``, ``picking_id``, ``reference``,
            ``lot_id``, ``package_id``, ``owner_id``, ``location_id`` (the
            side in the key), ``location_from_id``, ``location_to_id``,
            ``kind``, ``quantity`` signed for the key, ``running_balance``),
            ``count`` (all lines), ``closing`` (opening + every line: the
            figure), ``date_from``, ``date_to``
        """
        self.env["inventory.ledger"]._check_ledger_access()
        ledger = self.env["inventory.ledger"]
        offset, limit = ledger._parse_page(offset, limit or EXPLAIN_PAGE)
        if limit > EXPLAIN_MAX_PAGE:
            raise UserError(
                self.env._(
                    "A request returns at most %(max)s lines: ask pages of at "
                    "most that many (limit and offset).",
                    max=EXPLAIN_MAX_PAGE,
                )
            )
        params = self._explain_params(
            product_id,
            at=at,
            date_from=date_from,
            date_to=date_to,
            kinds=kinds,
            direction=direction,
            with_children=with_children,
            location_id=location_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            condition_id=condition_id,
            warehouse_id=warehouse_id,
            company_id=company_id,
        )
        if not params["company_ids"]:
            raise UserError(self.env._("None of your companies holds this figure."))
        opening, rows, total, closing = self._explain_fetch(params, limit, offset)
        names = (
            "id",
            "date",
            "move_line_id",
            "move_id",
            "picking_id",
            "reference",
            "lot_id",
            "package_id",
            "owner_id",
            "location_id",
            "location_from_id",
            "location_to_id",
            "kind",
            "quantity",
            "running_balance",
        )
        lines = [
            {
                name: (
                    fields.Datetime.to_string(row[name])
                    if name == "date"
                    else round(row[name], 6)
                    if name in ("quantity", "running_balance")
                    else (row[name] if row[name] is not None else False)
                )
                for name in names
            }
            for row in rows
        ]
        return {
            "title": self._explain_title(params),
            "opening": {
                "date": fields.Datetime.to_string(opening["date"])
                if opening["date"]
                else False,
                "quantity": float(opening["quantity"]),
            },
            "lines": lines,
            "count": int(total),
            "closing": round(float(closing), 6),
            "date_from": fields.Datetime.to_string(params["date_from"])
            if params["date_from"]
            else False,
            "date_to": fields.Datetime.to_string(params["date_to"]),
        }
