# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Inventory Balance sheet: per product group, Beginning + Production -
Sales = End, per period, from the ledger engine (done moves) and what is
planned (moves not done yet, manufacturing orders included when ``mrp`` is
installed, since their raw and finished moves are stock moves)."""

import base64
import io
import logging
import math
import zipfile
from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools.record_ids import check_ids_exist, check_vals_ids
from ..tools.sheet_columns import (
    COLUMNS,
    DEFAULT_FORMULA,
    FLOW_COLUMNS,
    FORMULA_NAMES,
    MANAGER_COLUMNS,
    compute_product,
    flow_columns,
)
from ..tools.sheet_export import write_csv, write_xlsx
from ..tools.sheet_formula import FormulaError, formula_names, parse_formula
from ..tools.sheet_periods import default_range, period_label, split_periods

_logger = logging.getLogger(__name__)

PLANNED_STATES = ("waiting", "confirmed", "partially_available", "assigned")
# A Refresh larger than this many product-periods (products x periods), or of
# more periods than BACKGROUND_PERIODS, goes to the background job
# (parameters inventory_balance.sheet_background_threshold and
# inventory_balance.sheet_background_periods).
BACKGROUND_THRESHOLD = 60000
# The refresh's own fields (state, progress, when, by whom, at which moment)
# are written only by the Refresh, through _refresh_write: the marker is an
# in-process object, which no context sent over RPC can carry.
REFRESH_FIELDS = frozenset(
    (
        "refresh_state",
        "refresh_progress",
        "refresh_error",
        "refresh_moment",
        "refreshed_at",
        "refreshed_by",
    )
)
REFRESH_KEY = "inventory_balance_sheet_refresh"
REFRESH = object()
BACKGROUND_PERIODS = 60
# The background job refreshes this many product-periods per batch.
BATCH_ROWS = 24000
GRID_PAGE = 100
GRID_MAX_PAGE = 500
# At most this many product-periods per read request (get_sheet_data,
# get_grid_data; parameter inventory_balance.sheet_max_rows) and per export
# (inventory_balance.sheet_export_max_rows).
MAX_ROWS = 50000
EXPORT_MAX_ROWS = 200000
# The largest number typed over a cell, either way.
MAX_OVERRIDE = 1e12
# The sheet's relational fields a create or write may name ids in
SCOPE_FIELDS = ("company_id", "category_ids", "warehouse_ids", "location_ids")
# Periods are [start, stop): the engine's moments are inclusive, so a period
# ends one microsecond before the next starts (generated or imported lines may
# carry fractions of a second).
ONE_TICK = timedelta(microseconds=1)


class InventoryBalanceSheet(models.Model):
    _name = "inventory.balance.sheet"
    _description = "Inventory Balance Sheet"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    category_ids = fields.Many2many(
        "product.category",
        string="Product groups",
        required=True,
        help="One tab per group; products of sub-groups included.",
    )
    warehouse_ids = fields.Many2many(
        "stock.warehouse", string="Warehouses", check_company=True
    )
    location_ids = fields.Many2many(
        "stock.location",
        string="Locations",
        check_company=True,
        domain="[('usage', 'in', ('internal', 'transit'))]",
        help="With the warehouses: the stock counted (children included). "
        "Empty: every internal and transit location of the company.",
    )
    date_from = fields.Date(
        required=True, default=lambda self: self._default_dates()[0]
    )
    date_to = fields.Date(required=True, default=lambda self: self._default_dates()[1])
    granularity = fields.Selection(
        [("month", "Month"), ("week", "Week"), ("day", "Day")],
        required=True,
        default="month",
    )
    formula = fields.Char(
        string="End formula",
        required=True,
        default=DEFAULT_FORMULA,
        help="An expression over column codes: "
        + ", ".join(FORMULA_NAMES)
        + "; with + - * / ** ( ) and min, max, abs, round.",
    )
    column_ids = fields.One2many(
        "inventory.balance.sheet.column", "sheet_id", string="Columns", copy=True
    )
    row_order = fields.Json(
        copy=True,
        help="Product variant ids in the order the sheet shows its rows within "
        "each product group (set by moving rows, move_row); products not in it "
        "follow in the default order (reference, name).",
    )
    override_ids = fields.One2many(
        "inventory.balance.sheet.override", "sheet_id", string="Overrides"
    )
    refreshed_at = fields.Datetime(readonly=True, copy=False)
    refreshed_by = fields.Many2one("res.users", readonly=True, copy=False)
    refresh_state = fields.Selection(
        [
            ("new", "Never refreshed"),
            ("queued", "Queued"),
            ("running", "Refreshing"),
            ("done", "Refreshed"),
            ("failed", "Failed"),
        ],
        required=True,
        default="new",
        readonly=True,
        copy=False,
    )
    refresh_progress = fields.Float(readonly=True, copy=False, help="Percent done.")
    refresh_error = fields.Char(readonly=True, copy=False)
    refresh_moment = fields.Datetime(
        readonly=True,
        copy=False,
        help="The moment the computed values stand at (done moves up to it, "
        "planned ones after it).",
    )
    is_stale = fields.Boolean(
        compute="_compute_is_stale", help="Stock moved since the last refresh."
    )
    product_count = fields.Integer(compute="_compute_product_count")

    # ------------------------------------------------------------ defaults
    @api.model
    def _default_dates(self):
        return default_range(fields.Date.context_today(self))

    def _refresh_write(self, vals):
        """Write the refresh's own fields (see ``REFRESH_FIELDS``)."""
        return self.with_context(**{REFRESH_KEY: REFRESH}).write(vals)

    def _check_refresh_fields(self, names):
        if self.env.context.get(REFRESH_KEY) is REFRESH:
            return
        forged = sorted(REFRESH_FIELDS.intersection(names))
        if forged:
            raise AccessError(
                self.env._(
                    "The fields %(fields)s of a sheet are written only by its Refresh.",
                    fields=", ".join(forged),
                )
            )

    def write(self, vals):
        self._check_refresh_fields(vals)
        check_vals_ids(self, vals, SCOPE_FIELDS)
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_refresh_fields(vals)
            check_vals_ids(self, vals, SCOPE_FIELDS)
            if not vals.get("column_ids"):
                vals["column_ids"] = [
                    fields.Command.create(
                        {"code": code, "sequence": index, "visible": spec[2]}
                    )
                    for index, (code, spec) in enumerate(COLUMNS.items())
                ]
        sheets = super().create(vals_list)
        sheets._check_category_ids()
        return sheets

    # ---------------------------------------------------------- constraints
    @api.constrains("category_ids")
    def _check_category_ids(self):
        for sheet in self:
            if not sheet.category_ids:
                raise ValidationError(
                    self.env._("A sheet needs at least one product group.")
                )

    @api.constrains("formula")
    def _check_formula(self):
        for sheet in self:
            sheet._formula_tree()

    @api.constrains("date_from", "date_to", "granularity")
    def _check_periods(self):
        for sheet in self:
            sheet._periods()

    def _formula_tree(self):
        self.ensure_one()
        try:
            return parse_formula(self.formula or "", FORMULA_NAMES)
        except FormulaError as error:
            raise ValidationError(
                self.env._("The End formula is refused: %(why)s", why=str(error))
            ) from None

    def _formula_left_out(self):
        """The flow columns the End formula does not name (in column order):
        what they moved makes the Variance (End - Actual on hand)."""
        self.ensure_one()
        named = formula_names(self._formula_tree())
        if "actual" in named:
            return []
        return [code for code in FLOW_COLUMNS if code not in named]

    def _periods(self):
        """``[(start, stop)]`` as UTC datetimes, ``stop`` excluded."""
        self.ensure_one()
        try:
            periods = split_periods(self.date_from, self.date_to, self.granularity)
        except ValueError as error:
            raise ValidationError(str(error)) from None
        return [
            (datetime.combine(start, time.min), datetime.combine(stop, time.min))
            for start, stop in periods
        ]

    def _period_labels(self):
        self.ensure_one()
        return [
            period_label(start.date(), stop.date(), self.granularity)
            for start, stop in self._periods()
        ]

    # ------------------------------------------------------------- scope
    def _allowed_columns(self):
        """Codes of the columns the current user may see: the value columns
        are for Inventory Balance administrators only."""
        if self.env.su or self.env.user.has_group(
            "inventory_balance.group_inventory_balance_manager"
        ):
            return list(COLUMNS)
        return [code for code in COLUMNS if code not in MANAGER_COLUMNS]

    def _visible_columns(self):
        self.ensure_one()
        allowed = set(self._allowed_columns())
        columns = self.column_ids.sorted(lambda c: (c.sequence, c.id))
        return [c.code for c in columns if c.visible and c.code in allowed]

    def _scope(self):
        """The sheet's scope, resolved by the suite's one resolver
        (``inventory.scope``): the active storable variants of its groups
        (sub-groups included) that its company may use."""
        self.ensure_one()
        return self.env["inventory.scope"]._resolve(
            self.company_id,
            self.warehouse_ids,
            self.location_ids,
            self.category_ids,
            storable=True,
            active=True,
            company_products=True,
            names={"company": "company_id", "category": "category_ids"},
        )

    def _scope_location_ids(self):
        roots = self._scope().location_roots
        return list(roots) if roots else None

    def _products_by_group(self):
        """``[(category, products)]``: each product under the most specific
        of the sheet's groups it belongs to; storable variants only."""
        self.ensure_one()
        categories = self.category_ids.sorted("complete_name")
        products = (
            self.env["product.product"]
            .with_context(active_test=True)
            .search(
                [("id", "in", list(self._scope().product_ids or ()))],
                order="default_code, name, id",
            )
        )
        paths = {c.id: c.parent_path for c in categories}
        by_group = defaultdict(list)
        for product in products:
            path = product.categ_id.parent_path
            owner = max(
                (cid for cid, p in paths.items() if path.startswith(p)),
                key=lambda cid: len(paths[cid]),
            )
            by_group[owner].append(product.id)
        Product = self.env["product.product"]
        # the rows moved by hand first, in their order; the others after
        position = {
            pid: index
            for index, pid in enumerate(
                p for p in (self.row_order or []) if isinstance(p, int)
            )
        }
        return [
            (
                category,
                Product.browse(
                    sorted(
                        by_group[category.id],
                        key=lambda pid: position.get(pid, len(position)),
                    )
                ),
            )
            for category in categories
            if by_group[category.id]
        ]

    def _product_ids(self):
        return [
            pid
            for _category, products in self._products_by_group()
            for pid in products.ids
        ]

    @api.depends("category_ids")
    def _compute_product_count(self):
        for sheet in self:
            sheet.product_count = (
                len(sheet._product_ids()) if sheet.category_ids and sheet.id else 0
            )

    def _compute_is_stale(self):
        for sheet in self:
            if not sheet.refresh_moment or not sheet.id:
                sheet.is_stale = bool(sheet.id)
                continue
            self.env.cr.execute(
                SQL(
                    """
                SELECT 1 FROM stock_move mv
                  JOIN product_product pp ON pp.id = mv.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN product_category pc ON pc.id = pt.categ_id
                 WHERE date_trunc('second', mv.write_date) > %s
                   AND mv.company_id = %s
                   AND pc.parent_path LIKE ANY(%s)
                 LIMIT 1
                """,
                    sheet.refresh_moment,
                    sheet.company_id.id,
                    [f"{c.parent_path}%" for c in sheet.category_ids],
                )
            )
            sheet.is_stale = bool(self.env.cr.fetchone())

    # ------------------------------------------------------------ bounds
    def _size(self, product_count=None):
        """Products x periods: the rows a refresh, a read or an export makes."""
        self.ensure_one()
        if product_count is None:
            product_count = self.product_count
        return product_count * len(self._periods())

    def _check_page(self, product_count, max_rows, pageable=True):
        """Refuse a request of more than ``max_rows`` product-periods, saying
        how many products a request may read at the sheet's periods."""
        self.ensure_one()
        periods = len(self._periods())
        if product_count * periods <= max_rows:
            return
        if pageable:
            raise UserError(
                self.env._(
                    "%(products)s products x %(periods)s periods are more than "
                    "the %(max)s product-periods a request reads: read at most "
                    "%(page)s products at a time (limit and offset).",
                    products=product_count,
                    periods=periods,
                    max=max_rows,
                    page=max(1, max_rows // periods),
                )
            )
        raise UserError(
            self.env._(
                "The sheet has %(products)s products x %(periods)s periods, more "
                "than the %(max)s product-periods an export takes: export fewer "
                "product groups or periods (a sheet per group or per year), or "
                "read it a page at a time over RPC (get_sheet_data).",
                products=product_count,
                periods=periods,
                max=max_rows,
            )
        )

    # ------------------------------------------------------------ refresh
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

    # ---------------------------------------------------------- overrides
    def set_override(self, product_id, period, column, value):
        """Type a number over a cell (``value`` False/None removes it).

        :param product_id: product variant id (a row of the sheet)
        :param period: index of the period, from 0
        :param column: column code, e.g. ``sales``
        :param value: the number, or False to go back to the computed value
        :return: True
        """
        self.ensure_one()
        self.check_access("write")
        if column not in COLUMNS:
            raise UserError(self.env._("Unknown column %(code)s.", code=column))
        if column not in self._allowed_columns():
            raise AccessError(self.env._("You may not see or change this column."))
        try:
            period = int(period)
            product_id = int(product_id)
            if value is not False and value is not None:
                value = float(value)
        except (TypeError, ValueError):
            raise UserError(
                self.env._("The product, the period and the value are numbers.")
            ) from None
        if value is not False and value is not None:
            if isinstance(value, bool) or not math.isfinite(value):
                raise UserError(self.env._("%(value)s is not a number.", value=value))
            if abs(value) > MAX_OVERRIDE:
                raise UserError(
                    self.env._(
                        "%(value)s is out of range: a cell takes at most %(max)s "
                        "either way.",
                        value=value,
                        max=f"{MAX_OVERRIDE:g}",
                    )
                )
        if not 0 <= period < len(self._periods()):
            raise UserError(self.env._("The sheet has no period %(p)s.", p=period))
        check_ids_exist(self.env, "product_id", product_id)
        if product_id not in (self._scope().product_ids or ()):
            raise UserError(self.env._("This product is not in the sheet."))
        Override = self.env["inventory.balance.sheet.override"]
        existing = Override.search(
            [
                ("sheet_id", "=", self.id),
                ("product_id", "=", product_id),
                ("period", "=", period),
                ("code", "=", column),
            ]
        )
        if value is False or value is None:
            existing.unlink()
        elif existing:
            existing.write({"value": value})
        else:
            Override.create(
                {
                    "sheet_id": self.id,
                    "product_id": product_id,
                    "period": period,
                    "code": column,
                    "value": value,
                }
            )
        return True

    # -------------------------------------------------------------- rows
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

    def set_grid_columns(self, codes, visible_codes):
        """Arrange the sheet's columns (for everyone who reads the sheet).

        :param codes: codes of columns the user may see, in their new order;
            they take the places those columns had, so the columns the user
            may not see (or did not name) keep theirs
        :param visible_codes: which of ``codes`` are shown; the others of
            ``codes`` are hidden
        :return: True
        """
        self.ensure_one()
        self.check_access("write")
        codes = list(codes or [])
        allowed = set(self._allowed_columns())
        columns = self.column_ids.sorted(lambda c: (c.sequence, c.id))
        by_code = {column.code: column for column in columns}
        unknown = [code for code in codes if code not in by_code]
        if unknown:
            raise UserError(
                self.env._("Unknown column %(code)s.", code=", ".join(unknown))
            )
        if set(codes) - allowed or set(visible_codes or []) - set(codes):
            raise AccessError(self.env._("You may not see or change this column."))
        if len(set(codes)) != len(codes):
            raise UserError(self.env._("A column appears once in a sheet."))
        moved = iter(codes)
        order = [
            next(moved) if column.code in codes else column.code for column in columns
        ]
        shown = set(visible_codes or [])
        for sequence, code in enumerate(order):
            vals = {"sequence": sequence}
            if code in codes:
                vals["visible"] = code in shown
            by_code[code].write(vals)
        return True

    def move_row(self, product_id, step):
        """Move a product's row up (``step`` -1) or down (1) within its
        product group, for everyone who reads the sheet (the grid, the data
        and the exports follow).

        :param product_id: product variant id (a row of the sheet)
        :param step: -1 (up) or 1 (down); at the top or bottom of its group
            the row stays
        :return: the product ids of the group, in their new order
        """
        self.ensure_one()
        self.check_access("write")
        check_ids_exist(self.env, "product_id", product_id)
        if step not in (-1, 1):
            raise UserError(self.env._("A row moves one place up (-1) or down (1)."))
        # every row of the sheet, group by group, in the order shown
        order = [
            list(products.ids) for _category, products in self._products_by_group()
        ]
        for ids in order:
            if product_id in ids:
                index = ids.index(product_id)
                target = index + step
                if 0 <= target < len(ids):
                    ids[index], ids[target] = ids[target], ids[index]
                    self.row_order = [pid for group in order for pid in group]
                return ids
        raise UserError(self.env._("This product is not in the sheet."))

    # ----------------------------------------------------------- exports
    def _export_payload(self):
        self.ensure_one()
        self.check_access("read")
        groups = self._products_by_group()
        self._check_page(
            sum(len(products) for _category, products in groups),
            self.env["inventory.ledger"]._limit_param(
                "inventory_balance.sheet_export_max_rows", EXPORT_MAX_ROWS
            ),
            pageable=False,
        )
        groups = self._compute_groups(groups=groups)
        allowed = set(self._allowed_columns())
        return {
            "columns": self._visible_columns(),
            "labels": {code: self.env._(spec[0]) for code, spec in COLUMNS.items()},
            "periods": self._period_labels(),
            "formula": self._formula_tree(),
            "groups": [
                {
                    "name": group["category"].display_name,
                    "rows": [
                        {
                            "product": row["product"].display_name,
                            "values": [
                                {c: v for c, v in values.items() if c in allowed}
                                for values in row["values"]
                            ],
                            "overrides": row["overrides"],
                        }
                        for row in group["rows"]
                    ],
                }
                for group in groups
            ],
        }

    @api.readonly
    def export_xlsx(self, with_lines=False):
        """The sheet as an XLSX workbook: one worksheet per product group,
        End as live Excel formulas, overrides highlighted.

        :param with_lines: add a last worksheet with the done move lines
            behind the rows (per product: its balance at the sheet's start,
            then every line of the sheet's span with its period and running
            balance)
        :return: dict with ``filename`` and ``content`` (base64)
        """
        payload = self._export_payload()
        if with_lines or self.env.context.get("inventory_export_lines"):
            payload["lines"] = self._export_lines()
        buffer = io.BytesIO()
        write_xlsx(buffer, payload)
        return {
            "filename": f"{self.name}.xlsx",
            "content": base64.b64encode(buffer.getvalue()).decode(),
        }

    @api.readonly
    def export_csv(self):
        """The sheet as CSV, one file per product group.

        :return: list of dicts with ``group``, ``filename`` and ``content``
            (base64 of UTF-8 text)
        """
        payload = self._export_payload()
        return [
            {
                "group": group["name"],
                "filename": f"{self.name} - {group['name']}.csv",
                "content": base64.b64encode(
                    write_csv(payload, group).encode()
                ).decode(),
            }
            for group in payload["groups"]
        ]

    def _download(self, filename, content, mimetype):
        attachment = self.env["ir.attachment"].create(
            {
                "name": filename,
                "datas": content,
                "mimetype": mimetype,
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_export_xlsx(self):
        self.ensure_one()
        export = self.export_xlsx()
        return self._download(
            export["filename"],
            export["content"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    def action_export_csv(self):
        self.ensure_one()
        exports = self.export_csv()
        if len(exports) == 1:
            return self._download(
                exports[0]["filename"], exports[0]["content"], "text/csv"
            )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for export in exports:
                archive.writestr(
                    export["filename"], base64.b64decode(export["content"])
                )
        return self._download(
            f"{self.name}.zip",
            base64.b64encode(buffer.getvalue()),
            "application/zip",
        )
