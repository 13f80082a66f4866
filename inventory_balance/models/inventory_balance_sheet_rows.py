# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The rows of an Inventory Balance sheet, computed once for the grid, the
RPC and the exports from the refreshed cells, the overrides and the End
formula, as the current user may see them.  A mixin of
``inventory.balance.sheet``: ``self`` is the sheet."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.record_ids import check_ids_exist
from ..tools.sheet_columns import COLUMNS, compute_product, flow_columns
from ..tools.sheet_periods import ONE_TICK

GRID_PAGE = 100
GRID_MAX_PAGE = 500
# At most this many product-periods per read request (get_sheet_data,
# get_grid_data; parameter inventory_balance.sheet_max_rows).
MAX_ROWS = 50000


class InventoryBalanceSheetRows(models.AbstractModel):
    _name = "inventory.balance.sheet.rows"
    _description = "Inventory Balance Sheet: rows"

    def _compute_groups(
        self, category_id=None, offset=0, limit=None, groups=None, with_computed=False
    ):
        """The sheet as the current user may see it, computed once for the
        grid, the RPC, the XLSX and the CSV: ``[{"category", "rows":
        [{"product", "values", "overrides", "override_info"}]}]``; values
        hold every column, None in those the user may not see (filter);
        ``override_info`` maps ``(period, code)`` to ``(user, UTC date)``.
        ``groups`` is :meth:`_products_by_group` when the caller has it.
        ``with_computed``: rows also have ``computed``, ``(period, code)`` ->
        what an overridden cell would be without its override."""
        self.ensure_one()
        tree = self._formula_tree()
        periods = self._periods()
        count = len(periods)
        if groups is None:
            groups = self._products_by_group()
        if category_id:
            groups = [g for g in groups if g[0].id == category_id]
        if offset or limit:
            flat = [(c, p) for c, products in groups for p in products]
            flat = flat[offset : offset + limit if limit else None]
            pages = defaultdict(lambda: self.env["product.product"])
            for category, product in flat:
                pages[category] |= product
            groups = [(c, pages[c]) for c, _p in groups if c in pages]
        product_ids = [p for _c, products in groups for p in products.ids]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT product_id, period, kind, SUM(quantity), SUM(quantity_in),
                   SUM(quantity_out)
              FROM inventory_balance_sheet_cell
             WHERE sheet_id = %s AND product_id = ANY(%s)
             GROUP BY product_id, period, kind
            """,
                self.id,
                product_ids,
            )
        )
        beginning = defaultdict(float)
        actual = defaultdict(float)
        flows = defaultdict(list)
        for product_id, period, kind, quantity, q_in, q_out in self.env.cr.fetchall():
            if kind == "beginning":
                beginning[product_id] += quantity
            elif kind == "actual":
                actual[product_id, period] = quantity
            else:
                flows[product_id, period].append((kind, quantity, q_in, q_out))
        allowed = set(self._allowed_columns())
        overrides = defaultdict(dict)
        info = defaultdict(dict)
        in_page = set(product_ids)
        for override in self.override_ids.filtered(
            lambda o: o.code in allowed and o.product_id.id in in_page
        ):
            key = (override.period, override.code)
            overrides[override.product_id.id][key] = override.value
            info[override.product_id.id][key] = (
                override.user_id.name,
                fields.Datetime.to_string(override.date),
            )
        moment = self.refresh_moment
        known_actual = [
            bool(moment) and stop - ONE_TICK <= moment for _start, stop in periods
        ]
        costs = {}
        if "unit_cost" in allowed:
            products = self.env["product.product"].browse(product_ids)
            costs = {
                p.id: p.standard_price
                for p in products.with_company(self.company_id).sudo()
            }
        result = []
        for category, products in groups:
            rows = []
            for product in products:
                pid = product.id
                inputs = (
                    count,
                    beginning[pid],
                    [flow_columns(flows[pid, index]) for index in range(count)],
                    [
                        actual[pid, index] if known_actual[index] else None
                        for index in range(count)
                    ],
                )
                row = {
                    "product": product,
                    "values": compute_product(
                        *inputs, overrides[pid], tree, costs.get(pid)
                    ),
                    "overrides": [
                        {code for (p, code) in overrides[pid] if p == index}
                        for index in range(count)
                    ],
                    "override_info": info[pid],
                }
                if with_computed:
                    row["computed"] = {
                        key: compute_product(
                            *inputs,
                            {k: v for k, v in overrides[pid].items() if k != key},
                            tree,
                            costs.get(pid),
                        )[key[0]][key[1]]
                        for key in overrides[pid]
                    }
                rows.append(row)
            result.append({"category": category, "rows": rows})
        return result

    @api.readonly
    def get_sheet_data(self, category_id=None, offset=0, limit=None):
        """The sheet's rows as plain dicts, with only the columns the user may
        see (the value columns need Inventory Balance / Administrator).

        :param category_id: only this product group (default all)
        :param offset: skip that many products
        :param limit: at most that many products (default all); a request
            takes at most 50,000 product-periods (parameter
            ``inventory_balance.sheet_max_rows``): above, a clear error says
            how many products to read per page
        :return: dict with ``id``, ``name``, ``formula``, ``refresh_state``,
            ``refreshed_at``, ``is_stale``, ``columns`` (``[{"code",
            "label"}]`` in the sheet's order), ``periods`` (``[{"index",
            "label", "date_start", "date_stop"}]``, stop excluded) and
            ``rows``: one dict per product and period with ``group_id``,
            ``group``, ``product_id``, ``product``, ``period``, one key per
            column code, and ``overrides`` (codes overridden in that cell).
            Errors of the formula are values such as ``#ERR``; unknown
            values are False.
        """
        self.ensure_one()
        self.check_access("read")
        offset, limit = self.env["inventory.ledger"]._parse_page(offset, limit)
        check_ids_exist(self.env, "category_id", category_id)
        groups = self._products_by_group()
        if category_id:
            groups = [g for g in groups if g[0].id == category_id]
        total = sum(len(products) for _category, products in groups)
        page = max(0, total - offset)
        if limit is not None:
            page = min(page, limit)
        self._check_page(
            page,
            self.env["inventory.ledger"]._limit_param(
                "inventory_balance.sheet_max_rows", MAX_ROWS
            ),
        )
        columns = self._visible_columns()
        labels = self._period_labels()
        periods = self._periods()
        rows = []
        computed = (
            self._compute_groups(offset=offset, limit=limit, groups=groups)
            if page
            else []
        )
        for group in computed:
            for row in group["rows"]:
                for index, values in enumerate(row["values"]):
                    line = {
                        "group_id": group["category"].id,
                        "group": group["category"].display_name,
                        "product_id": row["product"].id,
                        "product": row["product"].display_name,
                        "period": index,
                    }
                    for code in columns:
                        value = values.get(code)
                        line[code] = False if value is None else value
                    line["overrides"] = sorted(
                        code for code in row["overrides"][index] if code in columns
                    )
                    rows.append(line)
        return {
            **self._sheet_header_data(),
            "columns": [{"code": code, "label": COLUMNS[code][0]} for code in columns],
            "periods": [
                {
                    "index": index,
                    "label": label,
                    "date_start": fields.Date.to_string(start.date()),
                    "date_stop": fields.Date.to_string(stop.date()),
                }
                for index, (label, (start, stop)) in enumerate(
                    zip(labels, periods, strict=True)
                )
            ],
            "rows": rows,
        }

    def _sheet_header_data(self):
        """The sheet's own fields in ``get_sheet_data`` and ``get_grid_data``."""
        self.ensure_one()
        return {
            "id": self.id,
            "name": self.name,
            "formula": self.formula,
            "refresh_state": self.refresh_state,
            "refreshed_at": fields.Datetime.to_string(self.refreshed_at) or False,
            "is_stale": self.is_stale,
        }

    def _column_labels(self):
        """Column code -> label in the user's language."""
        return dict(
            self.env["inventory.balance.sheet.column"]
            ._fields["code"]
            ._description_selection(self.env)
        )

    @api.readonly
    def get_grid_data(self, category_id=None, offset=0, limit=GRID_PAGE):
        """The sheet's grid as the web client shows it: one tab per product
        group, the rows of one tab a page at a time.  Only the columns the
        user may see are in it (the value columns need Inventory Balance /
        Administrator), and only the visible ones carry values.

        :param category_id: the tab (a product group of the sheet) to read;
            default (or a group that is no longer in the sheet) the first one;
            an id of no product category is refused
        :param offset: skip that many products of the tab
        :param limit: at most that many products (default 100, at most 500,
            and at most 50,000 product-periods: the parameter
            ``inventory_balance.sheet_max_rows``); the answer's ``limit`` is
            the one applied
        :return: dict with ``id``, ``name``, ``formula``, ``refresh_state``,
            ``refreshed_at``, ``is_stale``, ``left_out`` (labels of the flow
            columns the End formula leaves out: the Variance comes from them),
            ``can_edit`` (the user may type
            overrides and arrange the columns), ``columns`` (``[{"code",
            "label", "visible"}]``, every column the user may see in the
            sheet's order), ``periods`` (``[{"index", "label"}]``), ``tabs``
            (``[{"id", "name", "count"}]``), ``tab`` (the group read, or
            False when the sheet has no product), ``offset``, ``limit``,
            ``total`` (products of the tab) and ``rows``: one dict per product
            with ``product_id``, ``product``, ``values`` (per period, a dict
            code -> number, error text such as ``#ERR``, or False when
            unknown) and ``overrides`` (per period, a dict code -> ``{"user",
            "date", "computed"}`` of the overridden cells: who, when (UTC)
            and what the cell would be without its override).
        """
        self.ensure_one()
        self.check_access("read")
        offset, limit = self.env["inventory.ledger"]._parse_page(offset, limit)
        max_rows = self.env["inventory.ledger"]._limit_param(
            "inventory_balance.sheet_max_rows", MAX_ROWS
        )
        limit = max(
            1,
            min(
                limit or GRID_PAGE,
                GRID_MAX_PAGE,
                max_rows // max(1, len(self._periods())),
            ),
        )
        check_ids_exist(self.env, "category_id", category_id)
        groups = self._products_by_group()
        tab = next((g for g in groups if g[0].id == category_id), None) or (
            groups[0] if groups else None
        )
        allowed = set(self._allowed_columns())
        visible = self._visible_columns()
        labels = self._column_labels()
        rows = []
        if tab:
            page = tab[1][offset : offset + limit]
            computed = self._compute_groups(groups=[(tab[0], page)], with_computed=True)
            for row in computed[0]["rows"] if computed else []:
                info = row["override_info"]
                without = row["computed"]
                rows.append(
                    {
                        "product_id": row["product"].id,
                        "product": row["product"].display_name,
                        "values": [
                            {
                                code: False
                                if values.get(code) is None
                                else values[code]
                                for code in visible
                            }
                            for values in row["values"]
                        ],
                        "overrides": [
                            {
                                code: {
                                    "user": info[index, code][0] or False,
                                    "date": info[index, code][1] or False,
                                    "computed": False
                                    if without[index, code] is None
                                    else without[index, code],
                                }
                                for code in sorted(codes)
                                if code in visible
                            }
                            for index, codes in enumerate(row["overrides"])
                        ],
                    }
                )
        columns = self.column_ids.sorted(lambda c: (c.sequence, c.id))
        return {
            **self._sheet_header_data(),
            "can_edit": self.has_access("write"),
            "left_out": [
                labels.get(code, code)
                for code in self._formula_left_out()
                if code in allowed
            ],
            "columns": [
                {
                    "code": column.code,
                    "label": labels.get(column.code, column.code),
                    "visible": column.code in visible,
                }
                for column in columns
                if column.code in allowed
            ],
            "periods": [
                {"index": index, "label": label}
                for index, label in enumerate(self._period_labels())
            ],
            "tabs": [
                {
                    "id": category.id,
                    "name": category.display_name,
                    "count": len(products),
                }
                for category, products in groups
            ],
            "tab": tab[0].id if tab else False,
            "offset": offset,
            "limit": limit,
            "total": len(tab[1]) if tab else 0,
            "rows": rows,
        }
