# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One scope resolver for every feature that works on a part of the stock:
the balance run, snapshots (and their schedules), the Inventory Balance sheet
and adjustments.

A scope is given as companies, warehouses, locations, product categories and
products (recordsets, ids or lists of ids).  The resolver checks, in one
statement, that every id exists and belongs to the scope's companies (a
``UserError`` naming the argument and the id), then resolves, in one more
statement, the locations (children included, through ``parent_path``) and the
products (sub-categories included).  See ``tools/inventory_scope.py`` for what
a resolved scope holds.
"""

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools.inventory_scope import (
    DEFAULT_NAMES,
    KINDS,
    LOCATION_USAGES,
    Scope,
    first_problem,
    location_roots,
)
from ..tools.record_ids import as_id_list

# Per kind: the table of its records and the columns the check reads (the
# record's company, and for a warehouse its view location).
_CHECKED = {
    "company": ("res_company", "t.id", "NULL::int"),
    "warehouse": ("stock_warehouse", "t.company_id", "t.view_location_id"),
    "location": ("stock_location", "t.company_id", "NULL::int"),
    "category": ("product_category", "NULL::int", "NULL::int"),
    "product": ("product_product", "pt.company_id", "NULL::int"),
}


class InventoryScope(models.AbstractModel):
    _name = "inventory.scope"
    _description = "Inventory Scope Resolver"

    # ------------------------------------------------------------ arguments
    @api.model
    def _given_ids(self, value, name):
        """``value`` (a recordset, an id, a list of ids, or nothing) as a
        list of ids.

        :raise UserError: anything else, naming the argument
        """
        if value is None or value is False:
            return []
        if isinstance(value, models.BaseModel):
            return list(value.ids)
        return as_id_list(value, name, self.env)

    @api.model
    def _labels(self):
        """What each kind's records are called in the messages."""
        return {
            "company": self.env._("company"),
            "warehouse": self.env._("warehouse"),
            "location": self.env._("location"),
            "category": self.env._("product category"),
            "product": self.env._("product"),
        }

    @api.model
    def _flush(self):
        """Flush what the resolver reads in SQL (not everything: it is
        called from computed fields too)."""
        for model, names in (
            ("res.company", ["active"]),
            ("stock.warehouse", ["company_id", "view_location_id"]),
            ("stock.location", ["company_id", "usage", "parent_path"]),
            ("product.category", ["parent_path"]),
            ("product.product", ["active", "product_tmpl_id"]),
            ("product.template", ["active", "categ_id", "company_id", "is_storable"]),
        ):
            self.env[model].flush_model(names)

    # ----------------------------------------------------------- the check
    @api.model
    def _check_ids(self, given, company_ids=None, names=None):
        """Check the ids of a scope in one statement.

        :param given: ``{kind: [ids]}`` (kinds of ``KINDS``)
        :param company_ids: the scope's companies: a warehouse, location or
            product of another company is refused; None: only check that the
            ids exist
        :param names: ``{kind: argument name}`` for the messages (default
            ``DEFAULT_NAMES``)
        :return: ``{warehouse id: view location id}`` of the warehouses given
        :raise UserError: naming the argument, the kind of record and the
            first id that does not exist, or else the first of another company
        """
        names = {**DEFAULT_NAMES, **(names or {})}
        parts = []
        for kind in KINDS:
            ids = given.get(kind)
            if not ids:
                continue
            table, company, view = _CHECKED[kind]
            join = (
                SQL("LEFT JOIN product_template pt ON pt.id = t.product_tmpl_id")
                if kind == "product"
                else SQL()
            )
            parts.append(
                SQL(
                    "SELECT %s, g.ord, g.id, t.id IS NOT NULL, %s, %s "
                    "FROM unnest(%s::bigint[]) WITH ORDINALITY AS g(id, ord) "
                    "LEFT JOIN %s t ON t.id = g.id %s",
                    kind,
                    SQL(company),
                    SQL(view),
                    list(ids),
                    SQL.identifier(table),
                    join,
                )
            )
        if not parts:
            return {}
        self._flush()
        self.env.cr.execute(SQL(" UNION ALL ").join(parts))
        rows = self.env.cr.fetchall()
        problem = first_problem([row[:5] for row in rows], company_ids)
        if problem:
            kind, record_id, what = problem
            if what == "missing":
                message = self.env._(
                    "%(name)s: no %(what)s with id %(id)s exists.",
                    name=names[kind],
                    what=self._labels()[kind],
                    id=record_id,
                )
            else:
                companies = self.env["res.company"].sudo().browse(company_ids)
                message = self.env._(
                    "%(name)s: the %(what)s with id %(id)s is not of the company "
                    "%(companies)s.",
                    name=names[kind],
                    what=self._labels()[kind],
                    id=record_id,
                    companies=", ".join(companies.mapped("name")),
                )
            raise UserError(message)
        return {row[2]: row[5] for row in rows if row[0] == "warehouse"}

    # ------------------------------------------------------- the resolving
    @api.model
    def _products_sql(self, company_ids, categ_ids=None, product_ids=None, **filters):
        """``SELECT pp.id`` of the products of a scope.

        :param categ_ids: categories (sub-categories included); None: any
        :param product_ids: products; None: any
        :param filters: ``storable`` (only storable products), ``active``
            (only active products), ``company_products`` (only products
            without a company or of ``company_ids``)
        """
        where = [SQL("TRUE")]
        if categ_ids is not None:
            where.append(
                SQL(
                    "pt.categ_id IN (SELECT c.id FROM product_category c "
                    "WHERE c.parent_path LIKE ANY(ARRAY(SELECT parent_path || '%%' "
                    "FROM product_category WHERE id = ANY(%s))))",
                    list(categ_ids),
                )
            )
        if product_ids is not None:
            where.append(SQL("pp.id = ANY(%s)", list(product_ids)))
        if filters.get("storable"):
            where.append(SQL("pt.is_storable"))
        if filters.get("active"):
            where.append(SQL("pp.active AND pt.active"))
        if filters.get("company_products"):
            where.append(
                SQL(
                    "(pt.company_id IS NULL OR pt.company_id = ANY(%s))",
                    list(company_ids),
                )
            )
        return SQL(
            "SELECT pp.id FROM product_product pp "
            "JOIN product_template pt ON pt.id = pp.product_tmpl_id WHERE %s",
            SQL(" AND ").join(where),
        )

    @api.model
    def _resolve(
        self,
        company_ids=None,
        warehouse_ids=None,
        location_ids=None,
        categ_ids=None,
        product_ids=None,
        storable=False,
        active=False,
        company_products=False,
        usages=LOCATION_USAGES,
        names=None,
    ):
        """Resolve a scope (every argument a recordset, an id, a list of ids
        or nothing): check its ids (see ``_check_ids``), then read its
        locations and products in one statement.  The callers checked the
        user's rights to the companies: this reads in SQL.

        :param company_ids: default the user's allowed companies
        :param storable, active, company_products: the product filters (see
            ``_products_sql``); they apply to ``product_ids`` of the result
            and always to its ``products_sql``
        :param usages: the usages of the result's ``location_ids``
        :param names: ``{kind: argument name}`` for the messages
        :return: a ``Scope`` (``tools/inventory_scope.py``)
        """
        names = {**DEFAULT_NAMES, **(names or {})}
        given = {
            kind: self._given_ids(value, names[kind])
            for kind, value in zip(
                KINDS,
                (company_ids, warehouse_ids, location_ids, categ_ids, product_ids),
                strict=True,
            )
        }
        companies = list(dict.fromkeys(given["company"])) or self.env.companies.ids
        views = self._check_ids({**given, "company": companies}, companies, names)
        roots = location_roots(
            [views[w] for w in dict.fromkeys(given["warehouse"]) if views.get(w)],
            given["location"],
        )
        products_sql = self._products_sql(
            companies,
            categ_ids=given["category"] or None,
            product_ids=given["product"] or None,
            storable=storable,
            active=active,
            company_products=company_products,
        )
        restricted = bool(given["category"] or given["product"])
        under = (
            SQL(
                "AND loc.parent_path LIKE ANY(ARRAY(SELECT parent_path || '%%' "
                "FROM stock_location WHERE id = ANY(%s)))",
                list(roots),
            )
            if roots
            else SQL()
        )
        self._flush()
        self.env.cr.execute(
            SQL(
                """
            SELECT ARRAY(SELECT loc.id FROM stock_location loc
                          WHERE loc.usage = ANY(%(usages)s)
                            AND loc.company_id = ANY(%(companies)s) %(under)s
                          ORDER BY loc.id),
                   %(products)s
            """,
                usages=list(usages),
                companies=companies,
                under=under,
                products=SQL("ARRAY(SELECT id FROM (%s) p ORDER BY id)", products_sql)
                if restricted
                else SQL("NULL::int[]"),
            )
        )
        locations, products = self.env.cr.fetchone()
        return Scope(
            company_ids=tuple(companies),
            location_roots=roots,
            location_ids=tuple(locations),
            product_ids=None if products is None else tuple(products),
            products_sql=products_sql,
        )

    # ------------------------------------------------------------------ RPC
    @api.readonly
    @api.model
    def resolve_scope(
        self,
        company_ids=None,
        warehouse_ids=None,
        location_ids=None,
        categ_ids=None,
        product_ids=None,
    ):
        """The locations and products of a scope, as every feature of the
        suite (balance runs, snapshots, the sheet, adjustments) resolves it.

        :param company_ids: companies (default: the user's allowed companies);
            each one of the user's
        :param warehouse_ids: warehouses (their locations, children included)
        :param location_ids: locations, children included
        :param categ_ids: product categories, sub-categories included
        :param product_ids: product variants
        :return: dict ``{"company_ids", "location_ids", "product_ids"}``:
            the internal and transit locations of the companies under the
            warehouses and locations (all of them when none are given), and
            the storable products of the categories and products (``False``:
            neither given, every product)
        :raise UserError: an id that does not exist, or a warehouse,
            location or product of another company, named in the message
        :raise AccessError: not an inventory user, or a company not among
            the user's
        """
        self.env["inventory.ledger"]._check_ledger_access()
        companies = self._given_ids(company_ids, "company_ids")
        self._check_ids({"company": companies})
        if not self.env.su:
            foreign = set(companies) - set(self.env.user.company_ids.ids)
            if foreign:
                raise AccessError(
                    self.env._(
                        "company_ids: the company with id %(id)s is not one of yours.",
                        id=min(foreign),
                    )
                )
        return self._resolve(
            companies or None,
            warehouse_ids,
            location_ids,
            categ_ids,
            product_ids,
            storable=True,
        ).as_dict()
