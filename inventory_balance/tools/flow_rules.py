# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""How a done move line is classified: the kind of flow it is.

Pure Python (no Odoo import), tested by plain pytest.  The ledger engine turns
the same ordered rules into one SQL ``CASE`` so that SQL and Python never
disagree.

A rule is ``(source usages, destination usages, scrap, kind)``: the first rule
whose usages contain the line's source and destination usages, and whose
``scrap`` is ``None`` (any) or equals whether the line's move is a scrap, gives
the kind.  Odoo 19 scraps go to the same inventory-usage location as inventory
adjustments, so only the move's scrap link tells them apart.
"""

STOCK = ("internal",)
TRANSIT = ("transit",)

FLOW_KINDS = (
    "receipt",
    "delivery",
    "production_in",
    "production_out",
    "adjustment",
    "scrap",
    "transfer",
    "transit_out",
    "transit_in",
    "return",
    "other",
)

FLOW_RULES = (
    (STOCK, ("inventory",), True, "scrap"),
    (STOCK, STOCK, None, "transfer"),
    (TRANSIT, TRANSIT, None, "transfer"),
    (("supplier",), STOCK + TRANSIT, None, "receipt"),
    (STOCK + TRANSIT, ("supplier",), None, "return"),
    (STOCK + TRANSIT, ("customer",), None, "delivery"),
    (("customer",), STOCK + TRANSIT, None, "return"),
    (("production",), STOCK, None, "production_in"),
    (STOCK, ("production",), None, "production_out"),
    (("inventory",), STOCK + TRANSIT, None, "adjustment"),
    (STOCK + TRANSIT, ("inventory",), None, "adjustment"),
    (STOCK, TRANSIT, None, "transit_out"),
    (TRANSIT, STOCK, None, "transit_in"),
)


def classify_flow(source_usage, destination_usage, is_scrap=False):
    """Kind of flow of a line from ``source_usage`` to ``destination_usage``."""
    for sources, destinations, scrap, kind in FLOW_RULES:
        if (
            source_usage in sources
            and destination_usage in destinations
            and (scrap is None or scrap == bool(is_scrap))
        ):
            return kind
    return "other"


def nets_to_zero(kind):
    """Flows that only move stock between places the company holds."""
    return kind == "transfer"
