# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The columns of the Inventory Balance sheet and how a row is computed.

Pure Python (no Odoo import), tested by plain pytest.

Flows come from the ledger engine's kinds (``flow_rules.FLOW_KINDS``), signed
for the sheet's locations (+ in, - out).  Each column is shown as a positive
number in its natural direction:

- ``production`` = production in; ``consumption`` = production out;
- ``sales`` = deliveries to customers; customer returns are **not** netted off
  the sales: they are in ``returns``, with returns to suppliers (negative);
- ``adjustments`` = inventory adjustments and unclassified flows (signed);
- ``transfers_in`` / ``transfers_out`` = internal transfers and transit, in and
  out of the sheet's locations (they cancel inside them).

So ``end`` computed by :data:`FULL_FORMULA` equals the balance at the period's
end, and ``variance`` = ``end`` - ``actual`` is 0 on consistent data.
"""

from .sheet_formula import ERR, evaluate

# code: (label, manager only, shown by default)
COLUMNS = {
    "beginning": ("Beginning", False, True),
    "receipts": ("Receipts", False, False),
    "production": ("Production", False, True),
    "consumption": ("Consumption", False, False),
    "sales": ("Sales", False, True),
    "returns": ("Returns", False, False),
    "adjustments": ("Adjustments", False, False),
    "scrap": ("Scrap", False, False),
    "transfers_in": ("Transfers in", False, False),
    "transfers_out": ("Transfers out", False, False),
    "end": ("End", False, True),
    "actual": ("Actual on hand", False, True),
    "variance": ("Variance", False, True),
    "unit_cost": ("Unit cost", True, False),
    "end_value": ("End value", True, False),
}
FLOW_COLUMNS = (
    "receipts",
    "production",
    "consumption",
    "sales",
    "returns",
    "adjustments",
    "scrap",
    "transfers_in",
    "transfers_out",
)
# The columns a formula may name: not the End itself nor what depends on it,
# nor the manager-only value columns (an End shown to every user).
FORMULA_NAMES = ("beginning",) + FLOW_COLUMNS + ("actual",)
DEFAULT_FORMULA = "beginning + production - sales"
FULL_FORMULA = (
    "beginning + receipts + production - consumption - sales + returns"
    " + adjustments - scrap + transfers_in - transfers_out"
)
MANAGER_COLUMNS = tuple(code for code, spec in COLUMNS.items() if spec[1])

# kind: (column, how: "net" signed, "neg" minus the net)
_NET_KINDS = {
    "receipt": ("receipts", 1),
    "production_in": ("production", 1),
    "production_out": ("consumption", -1),
    "delivery": ("sales", -1),
    "return": ("returns", 1),
    "adjustment": ("adjustments", 1),
    "other": ("adjustments", 1),
    "scrap": ("scrap", -1),
}
_TRANSFER_KINDS = ("transfer", "transit_in", "transit_out")


def flow_columns(flows):
    """Column values from flows ``[(kind, quantity, quantity_in, quantity_out)]``
    of one product and period."""
    values = dict.fromkeys(FLOW_COLUMNS, 0.0)
    for kind, quantity, quantity_in, quantity_out in flows:
        if kind in _TRANSFER_KINDS:
            values["transfers_in"] += quantity_in
            values["transfers_out"] += quantity_out
        else:
            column, sign = _NET_KINDS.get(kind, ("adjustments", 1))
            values[column] += sign * quantity
    return values


def compute_product(periods, first_beginning, flows, actuals, overrides, tree, cost):
    """Every column of one product over the sheet's periods.

    :param periods: number of periods
    :param first_beginning: balance at the start of the first period
    :param flows: list (per period) of dicts flow column -> value
    :param actuals: list (per period) of the balance at the period's end, or
        None when the end is in the future
    :param overrides: dict ``(period, code) -> value`` typed by users
    :param tree: the parsed End formula
    :param cost: the product's unit cost (or None)
    :return: list (per period) of dicts code -> value (float, None for
        unknown, or an error text such as ``#ERR``)
    """
    rows = []
    previous_end = first_beginning
    for index in range(periods):
        values = {"beginning": previous_end}
        values.update(flows[index])
        values["actual"] = actuals[index]
        values["unit_cost"] = overrides.get((index, "unit_cost"), cost)
        for code in FORMULA_NAMES:
            if (index, code) in overrides:
                values[code] = overrides[index, code]
        end = overrides.get((index, "end"))
        if end is None:
            end = evaluate(tree, values)
        values["end"] = end
        values["variance"] = _difference(end, values["actual"])
        values["end_value"] = _product(end, values["unit_cost"])
        for code in ("variance", "end_value"):
            if (index, code) in overrides:
                values[code] = overrides[index, code]
        rows.append(values)
        previous_end = end
    return rows


def _difference(end, actual):
    if isinstance(end, str):
        return end
    if actual is None or isinstance(actual, str):
        return None
    return end - actual


def _product(end, cost):
    if isinstance(end, str):
        return end
    if cost is None or isinstance(cost, str):
        return None
    try:
        return end * cost
    except (ArithmeticError, TypeError):
        return ERR


def column_flows(code):
    """``(kinds, direction, sign)`` of the done lines behind a flow column:
    the engine's kinds of flow it sums, ``in``/``out`` for the transfer
    columns (else None), and the sign the cell shows their signed sum with
    (e.g. -1 for Sales: deliveries are lines out of the sheet's locations)."""
    if code == "transfers_in":
        return list(_TRANSFER_KINDS), "in", 1
    if code == "transfers_out":
        return list(_TRANSFER_KINDS), "out", -1
    kinds = [kind for kind, (column, _sign) in _NET_KINDS.items() if column == code]
    if not kinds:
        raise KeyError(code)
    return kinds, None, _NET_KINDS[kinds[0]][1]
