# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Inventory Balance sheet: per product group, Beginning + Production -
Sales = End, per period, from the ledger engine (done moves) and what is
planned (moves not done yet, manufacturing orders included when ``mrp`` is
installed, since their raw and finished moves are stock moves).

The record: its fields, the guards of its writes, its periods, formula and
scope (product groups and rows).  Its services are mixins, one file each:
the Refresh (``inventory.balance.sheet.refresh``), the rows as the user may
see them (``.rows``), what the user arranges (``.edits``), the exports
(``.exports``); the lines behind a cell extend it in
``inventory_balance_sheet_explain.py``."""

from collections import defaultdict
from datetime import datetime, time

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools.record_ids import check_vals_ids
from ..tools.sheet_columns import (
    COLUMNS,
    DEFAULT_FORMULA,
    FLOW_COLUMNS,
    FORMULA_NAMES,
    MANAGER_COLUMNS,
)
from ..tools.sheet_formula import FormulaError, formula_names, parse_formula
from ..tools.sheet_periods import default_range, period_label, split_periods

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
# The sheet's relational fields a create or write may name ids in
SCOPE_FIELDS = ("company_id", "category_ids", "warehouse_ids", "location_ids")


class InventoryBalanceSheet(models.Model):
    _name = "inventory.balance.sheet"
    _description = "Inventory Balance Sheet"
    _inherit = [
        "inventory.balance.sheet.refresh",
        "inventory.balance.sheet.rows",
        "inventory.balance.sheet.edits",
        "inventory.balance.sheet.exports",
    ]
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
