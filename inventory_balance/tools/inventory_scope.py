# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The pure part of the scope resolver (``inventory.scope``): what a scope is
made of, what it resolves to, and which given id is wrong.  No ORM here: the
model reads the rows in one statement and asks these functions.

A scope is given as companies, warehouses, locations, product categories and
products.  It resolves to

- the roots of its locations: the warehouses' view locations and the
  locations given (None: every location of the companies), which the ledger
  engine expands to their internal and transit children;
- the location ids, children included, of the usages asked for;
- the product ids (sub-categories included), or None when neither categories
  nor products were given (every product).
"""

from dataclasses import dataclass, field
from typing import Any

# The kinds of ids a scope is given, in the order their ids are checked, with
# the argument name that the messages name by default.
KINDS = ("company", "warehouse", "location", "category", "product")
DEFAULT_NAMES = {
    "company": "company_ids",
    "warehouse": "warehouse_ids",
    "location": "location_ids",
    "category": "categ_ids",
    "product": "product_ids",
}
# Kinds whose records belong to a company (a category belongs to none; a
# location or product without a company is shared by every company).
COMPANY_KINDS = ("warehouse", "location", "product")
# The usages of the locations a scope counts by default (the engine's).
LOCATION_USAGES = ("internal", "transit")


@dataclass(frozen=True)
class Scope:
    """A resolved scope.

    :ivar company_ids: the companies (ids, in the order given)
    :ivar location_roots: the warehouses' view locations and the locations
        given, or None for every location of the companies
    :ivar location_ids: the locations of the scope's usages under the roots
        (children included) of the companies, sorted
    :ivar product_ids: the products (categories' sub-categories included),
        sorted; None when neither categories nor products were given
    :ivar products_sql: a ``SELECT pp.id`` of the scope's products with the
        product filters (storable, active, the companies' products), also
        when ``product_ids`` is None
    """

    company_ids: tuple
    location_roots: tuple | None
    location_ids: tuple
    product_ids: tuple | None
    products_sql: Any = field(default=None, compare=False)

    def as_dict(self):
        """JSON-safe (``False`` for none): the answer of the public method."""
        return {
            "company_ids": list(self.company_ids),
            "location_ids": list(self.location_ids),
            "product_ids": False
            if self.product_ids is None
            else list(self.product_ids),
        }


def location_roots(warehouse_view_ids, location_ids):
    """The roots of a scope's locations: the warehouses' view locations then
    the locations given, without duplicates; None when there are none."""
    roots = list(dict.fromkeys([*warehouse_view_ids, *location_ids]))
    return tuple(roots) or None


def first_problem(rows, company_ids):
    """The first wrong id of a scope, or None when every id is right.

    :param rows: ``(kind, position, id, found, company_id)`` per given id
        (``position``: its place in its argument; ``company_id``: the
        record's, None for none)
    :param company_ids: the scope's companies; None: only the missing ids
    :return: ``(kind, id, problem)`` where ``problem`` is ``"missing"`` (no
        such record) or ``"company"`` (a record of another company), the
        missing ids of every kind before the foreign ones, each in the order of
        ``KINDS`` then of the argument
    """
    ordered = sorted(rows, key=lambda row: (KINDS.index(row[0]), row[1]))
    for kind, _position, record_id, found, _company in ordered:
        if not found:
            return kind, record_id, "missing"
    if company_ids is None:
        return None
    allowed = set(company_ids)
    for kind, _position, record_id, _found, company in ordered:
        if kind in COMPANY_KINDS and company is not None and company not in allowed:
            return kind, record_id, "company"
    return None
