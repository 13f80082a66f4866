# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Parameters of the stock-history scale generator, and the arithmetic that
decides what each generated move line is.

Pure Python on purpose: no Odoo import, so the rules are tested by plain pytest
(``tests/test_generator_spec.py``) and the SQL in ``stock_history_generator``
implements exactly the same arithmetic (a test compares both).

The history is a sequence of ``move_lines`` lines, each one move with one line,
dated in increasing order over ``days`` days.  Every product has ``slots``
balance keys (bin, lot); line ``i`` acts on key ``i % keys`` in round
``i // keys``.  Rounds repeat the pattern *in, out, transfer*: an incoming line
brings 20 to 30 units, an outgoing line and a transfer each take 1 to 9 units,
so no internal balance ever goes negative.
"""

import dataclasses

MAX_MOVE_LINES = 10_000_000
MAX_PRODUCTS = 1_000_000
MAX_LOCATIONS = 10_000
MAX_DAYS = 36_500
MAX_SLOTS = 3
LOTS_PER_PRODUCT = 2

# Kinds of generated lines and the location roles they go from and to.
KIND_ROUTES = {
    "receipt": ("supplier", "bin"),
    "production": ("production", "bin"),
    "adjustment_in": ("inventory", "bin"),
    "return": ("customer", "bin"),
    "delivery": ("bin", "customer"),
    "consumption": ("bin", "production"),
    "adjustment_out": ("bin", "inventory"),
    "transfer": ("bin", "next_bin"),
}


class GeneratorSpecError(ValueError):
    """Raised for arguments of the generator that make no sense."""


@dataclasses.dataclass(frozen=True)
class GeneratorSpec:
    products: int = 100
    locations: int = 4
    move_lines: int = 10_000
    lot_share: float = 0.2
    days: int = 365
    valued_share: float = 0.5
    seed: int = 1

    def __post_init__(self):
        self.validate()

    def validate(self):
        errors = []

        def _int(name, low, high):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                errors.append(f"--{name.replace('_', '-')} must be a whole number")
            elif not low <= value <= high:
                errors.append(
                    f"--{name.replace('_', '-')} must be between {low:,} and "
                    f"{high:,} (got {value:,})"
                )

        def _share(name):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                errors.append(f"--{name.replace('_', '-')} must be a number")
            elif not 0.0 <= value <= 1.0:
                errors.append(
                    f"--{name.replace('_', '-')} is a share: between 0 and 1 "
                    f"(got {value})"
                )

        _int("products", 1, MAX_PRODUCTS)
        _int("locations", 1, MAX_LOCATIONS)
        _int("move_lines", 1, MAX_MOVE_LINES)
        _int("days", 1, MAX_DAYS)
        _int("seed", 0, 2**31 - 1)
        _share("lot_share")
        _share("valued_share")
        if errors:
            raise GeneratorSpecError("; ".join(errors))

    @property
    def slots(self):
        """Balance keys (bin, lot) per product."""
        return min(self.locations, MAX_SLOTS)

    @property
    def keys(self):
        return self.products * self.slots

    @property
    def lot_products(self):
        """Products with an index below this one are lot-tracked."""
        return round(self.products * self.lot_share)

    def is_lot_tracked(self, product_index):
        return product_index < self.lot_products

    def bin_index(self, product_index, slot):
        """Index of the bin of a product's slot: slots of one product differ."""
        return (product_index + slot) % self.locations

    def lot_index(self, slot):
        return slot % LOTS_PER_PRODUCT

    def line(self, i):
        """What line ``i`` of the history is: a dict of plain values."""
        key = i % self.keys
        round_ = i // self.keys
        product_index, slot = divmod(key, self.slots)
        phase, cycle = round_ % 3, round_ // 3
        mix = (i * 2654435761 + self.seed) % 4294967296
        if phase == 0:
            quantity = 20 + mix % 11
            if product_index % 10 == 0:
                kind = "production"
            elif cycle % 7 == 3:
                kind = "adjustment_in"
            elif cycle % 11 == 5:
                kind = "return"
            else:
                kind = "receipt"
        else:
            quantity = 1 + mix % 9
            if phase == 2 and self.slots > 1:
                kind = "transfer"
            elif product_index % 10 == 1:
                kind = "consumption"
            elif cycle % 13 == 4:
                kind = "adjustment_out"
            else:
                kind = "delivery"
        return {
            "product_index": product_index,
            "slot": slot,
            "kind": kind,
            "quantity": quantity,
            "bin_index": self.bin_index(product_index, slot),
            "next_bin_index": self.bin_index(product_index, (slot + 1) % self.slots),
        }
