# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Lot balances with units: how unit balances add up to lot lines and
product summary rows (the WARES "Inventory Balances Posting").

Pure Python, no Odoo import, tested by plain pytest.

A **unit** is a package holding one product and lot; stock outside any
package is **loose**.  The input is one row per balance of a product, lot,
package and location at a moment (what the ledger engine returns, with the
location's condition and usage and the reservation), as dicts:

``product_id``, ``lot_id`` (False without lot), ``condition_id``,
``condition_available`` (bool), ``package_id`` (False when loose),
``package`` (its name), ``usage`` (``internal`` or ``transit``),
``quantity``, ``reserved`` and ``standard_count`` (the count of a full unit
of the product, False when the product has no packaging).

Rules:

- a lot line per product, lot, condition and kind (units / loose), only for
  stock with a lot: products without lots appear in the summary only;
- a summary row per product and condition, equal to the sum of the product's
  lot lines when every balance of it has a lot;
- ``units`` counts the packages; a unit is **odd** when the product has a
  standard count and the unit's quantity differs from it (listed, with the
  package's name and count); **partial** when it holds less than the
  standard count;
- ``in_transit`` is the quantity in transit locations, ``on_hand`` the
  quantity in internal ones; ``available`` is on hand less reserved in a
  condition that is available, zero in any other condition.
"""

# Quantities come rounded to six decimals from the engine.
EPSILON = 1e-6

NUMBERS = (
    "units",
    "quantity",
    "on_hand",
    "in_transit",
    "reserved",
    "available",
    "odd_count",
    "partial_count",
)


def is_odd(quantity, standard_count):
    """Whether a unit holding ``quantity`` differs from the standard count
    (never when the product has no standard count)."""
    if not standard_count:
        return False
    return abs(quantity - standard_count) > EPSILON


def is_partial(quantity, standard_count):
    """Whether a unit holds less than the standard count."""
    if not standard_count:
        return False
    return quantity < standard_count - EPSILON


def unit_figures(row):
    """The figures one balance row adds to its lines (in the order of
    ``NUMBERS``) and whether it is an odd unit."""
    quantity = row["quantity"]
    is_unit = bool(row["package_id"])
    standard = row.get("standard_count")
    transit = row["usage"] == "transit"
    reserved = row.get("reserved") or 0.0
    on_hand = 0.0 if transit else quantity
    odd = is_unit and is_odd(quantity, standard)
    return (
        1 if is_unit else 0,
        quantity,
        on_hand,
        quantity if transit else 0.0,
        reserved,
        on_hand - reserved if row["condition_available"] else 0.0,
        1 if odd else 0,
        1 if is_unit and is_partial(quantity, standard) else 0,
    ), odd


def _add(totals, figures):
    totals[0] += figures[0]
    totals[1] += figures[1]
    totals[2] += figures[2]
    totals[3] += figures[3]
    totals[4] += figures[4]
    totals[5] += figures[5]
    totals[6] += figures[6]
    totals[7] += figures[7]


def _as_line(keys, totals, standard_count):
    units, quantity, on_hand, in_transit, reserved, available, odd, partial = totals
    keys.update(
        units=int(units),
        quantity=round(quantity, 6) + 0.0,
        on_hand=round(on_hand, 6) + 0.0,
        in_transit=round(in_transit, 6) + 0.0,
        reserved=round(reserved, 6) + 0.0,
        available=round(available, 6) + 0.0,
        odd_count=int(odd),
        partial_count=int(partial),
        standard_count=standard_count,
    )
    return keys


def group_lot_balances(rows):
    """Lot lines and summary rows from balance rows (see the module's rules).

    :return: dict with ``lots`` (per product, lot, condition and ``loose``:
        the figures, ``standard_count`` and ``odd_units``, a list of
        ``{"package_id", "package", "quantity"}``) and ``summary`` (per product
        and condition: the figures, ``loose_quantity`` and ``lots``, the number
        of distinct lots), both in the order the rows first name them
    """
    # Accumulators as lists (a few hundred thousand rows at scale).
    lots = {}  # key -> [totals, standard, odd units]
    summary = {}  # key -> [totals, standard, loose quantity, lot ids]
    width = len(NUMBERS)
    for row in rows:
        figures, odd = unit_figures(row)
        standard = row.get("standard_count") or False
        product_id, condition_id = row["product_id"], row["condition_id"]
        total = summary.get((product_id, condition_id))
        if total is None:
            total = summary[product_id, condition_id] = [
                [0] * width,
                standard,
                0.0,
                set(),
            ]
        _add(total[0], figures)
        loose = not row["package_id"]
        if loose:
            total[2] += row["quantity"]
        lot_id = row["lot_id"]
        if not lot_id:
            continue
        total[3].add(lot_id)
        key = (product_id, lot_id, condition_id, loose)
        line = lots.get(key)
        if line is None:
            line = lots[key] = [[0] * width, standard, []]
        _add(line[0], figures)
        if odd:
            line[2].append(
                {
                    "package_id": row["package_id"],
                    "package": row.get("package") or False,
                    "quantity": row["quantity"],
                }
            )
    lot_lines = []
    for (product_id, lot_id, condition_id, loose), (totals, std, odd) in lots.items():
        line = _as_line(
            {
                "product_id": product_id,
                "lot_id": lot_id,
                "condition_id": condition_id,
                "loose": loose,
            },
            totals,
            std,
        )
        line["odd_units"] = odd
        lot_lines.append(line)
    summary_rows = []
    for (product_id, condition_id), (
        totals,
        std,
        loose_qty,
        lot_ids,
    ) in summary.items():
        line = _as_line(
            {"product_id": product_id, "condition_id": condition_id}, totals, std
        )
        line["loose_quantity"] = round(loose_qty, 6) + 0.0
        line["lots"] = len(lot_ids)
        summary_rows.append(line)
    return {"lots": lot_lines, "summary": summary_rows}


def sum_lot_lines(lines):
    """The figures of ``lines`` added up, per product and condition (what a
    summary row must equal when every balance of the product has a lot)."""
    totals = {}
    for line in lines:
        key = (line["product_id"], line["condition_id"])
        total = totals.setdefault(key, dict.fromkeys(NUMBERS, 0.0))
        for name in NUMBERS:
            total[name] += line[name]
    return {
        key: {name: round(value, 6) + 0.0 for name, value in total.items()}
        for key, total in totals.items()
    }


def lots_with_several_partial_units(lines):
    """The lot lines breaking the rule "at most one unit of a lot is partial
    at a time"."""
    return [line for line in lines if line["partial_count"] > 1]


def units_to_remove(units, count, standard_count=False):
    """The units "remove ``count`` units" of a lot takes: whole packages, the
    partial ones first (the smallest first), then full ones in the order
    given (e.g. oldest first), so that the lot keeps at most the partial units
    it had, never more.

    :param units: list of ``(package_id, quantity)`` of the lot
    :return: the ``(package_id, quantity)`` taken, in the order taken
    :raises ValueError: when the lot holds fewer units than ``count``
    """
    if count < 0:
        raise ValueError("cannot remove a negative number of units")
    if count > len(units):
        raise ValueError(f"the lot holds {len(units)} units, {count} cannot be removed")
    order = sorted(
        range(len(units)),
        key=lambda i: (
            not is_partial(units[i][1], standard_count),
            units[i][1] if is_partial(units[i][1], standard_count) else 0,
            i,
        ),
    )
    return [units[i] for i in order[:count]]


def odd_lot_name(lot_name, existing_names):
    """The lot code of an odd-count unit received into lot ``lot_name``: the
    lot's code with the first free suffix ``-1``, ``-2``, ... (overruns and
    underruns get their own lot code)."""
    existing = set(existing_names)
    number = 1
    while f"{lot_name}-{number}" in existing:
        number += 1
    return f"{lot_name}-{number}"


def plan_unit_removal(units, count, standard_count=False, loose_quantity=0.0):
    """What "remove ``count`` units" of a lot (or of a product without lots)
    at one location takes, as ``(package_id, quantity)`` parts.

    - When the stock there has units (packages), whole packages, chosen by
      :func:`units_to_remove` (the partial one first): a removal by unit
      never cuts a unit, so the lot keeps at most the partial units it had.
    - When it has none, the loose stock: ``count`` standard counts, or
      ``count`` of the product's unit when it has no standard count (one
      piece is one unit, e.g. empty pallets), as one part ``(False, quantity)``.

    :param units: ``(package_id, quantity)`` of the units there, oldest first
    :param loose_quantity: the stock there outside any package
    :raises ValueError: when there are fewer units (or less loose stock)
    """
    if units or count < 0:
        return units_to_remove(units, count, standard_count)
    if not count:
        return []
    quantity = round(count * (standard_count or 1.0), 6)
    if quantity > loose_quantity + EPSILON:
        raise ValueError(
            f"{loose_quantity} loose in stock, {count} units ({quantity}) cannot "
            "be removed"
        )
    return [(False, quantity)]


def receipt_lot_name(lot_name, quantity, standard_count, existing_names):
    """The lot code a receipt of one unit of ``quantity`` into lot
    ``lot_name`` gets when odd counts get their own lot code: the lot's own
    code for a standard count (or without one), else :func:`odd_lot_name`."""
    if not is_odd(quantity, standard_count):
        return lot_name
    return odd_lot_name(lot_name, existing_names)
