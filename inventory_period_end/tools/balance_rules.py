# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The rules of the period-end balance run and the source-of-truth matrix.

Pure Python (no Odoo import), tested by plain pytest.  A rule is a named check
with a code, a severity and a message; the matrix says, per rule and per
truth policy, which figure wins and which correction a correcting run makes.
The Odoo model runs one SQL statement per rule and asks this module what to do
with each finding; it does not decide that itself.

Truth policies:

- ``ledger`` (default): the done move lines are the truth; quants are
  recomputed from them.
- ``counted``: the quants (the counted stock) are the truth; inventory moves
  are posted so that the ledger matches them.

The source of truth, rule by rule (``BalanceRule.truth`` says it for each):

- quantities of quants, in every location (internal, transit, view,
  virtual): the ledger of done move lines, each line counted with its
  ``quantity`` in the line's unit converted to the product's unit; a line's
  stored ``quantity_product_uom`` that disagrees is corrected from it first
  (rule ``line_product_qty``), never the other way round;
- a correction never creates what the ledger does not show: a stray quant in
  a view or virtual location is moved back where the ledger lacks it (or
  removed), it is never re-created at the other end;
- quants a correction creates or changes carry their lot's expiration and
  removal dates, an incoming date from the ledger (the key's last incoming
  line) and Odoo's inventory fields in their normal state;
- ``in_date``: the ledger, the date of the key's last done line into its
  location (product, location, lot, destination package, owner).  A quant
  the correction creates takes it (now when the ledger has no such line); a
  quant whose quantity the correction changes takes it in the same UPDATE
  (its own kept when the ledger has no such line); a quant the correction
  leaves at its quantity (its reservation or lot dates corrected, or a stray
  quant moved back whole) keeps its own;
- one quant per key (product, location, lot, package, owner);
- reservations: the move lines not done;
- lot dates on quants: the lot;
- what no figure settles (negative stock, a lot of another product, stock
  of a product no longer storable, a serial in several places, valuation
  flags, reserved above on hand that the reservations do not explain) is
  reported, with why, for a person to settle.

Report-only proposes what the correcting run does, no more: a finding of a
reported rule that a proposed correction of the same key settles (negative
stock, stock without a lot, in an archived location or a serial beyond one
unit in one place (counting the quants of the run's scope only), once the
key is set to the ledger; an aged inventory that differs from the quants
where the proposed quantity and line corrections of its product, lot and
warehouse make them agree (under the counted policy, the adjustment moving
the ledger to the quants); reserved above on hand
once the reservation follows the move lines and fits; a duplicate made of a
stray quant moved back) is marked proposed with that correction, the
correcting run checking it again after its corrections; a stray quant moved
back takes no more than its location's surplus.

Whatever the policy, reservations follow the reserved move lines, zero quants
are purged (when the run's option says so), the stock in transit beyond the
open moves out of it is written off (option *balance goods in transit*), the
cost of AVCO products follows the cost their valued moves give (option
*recalculate costs*), and findings that no figure can settle automatically
(negative stock, move lines that do not add up, lot problems, open moves
expecting more than is in transit, FIFO values) are reported, never corrected.
"""

from dataclasses import dataclass

SEVERITIES = ("error", "warning", "info")
POLICIES = ("ledger", "counted")

# Corrections a correcting run knows how to make.
CORRECTIONS = (
    "set_line_product_qty",
    "move_stray_quant",
    "merge_quants",
    "set_quant_lot_dates",
    "set_quant_to_ledger",
    "post_inventory_move",
    "set_reserved_to_move_lines",
    "purge_quant",
    "post_closing_entry",
    "post_transit_surplus",
    "recalculate_cost",
    "none",
)


class BalanceRuleError(ValueError):
    """An unknown rule, policy or option."""


@dataclass(frozen=True)
class Correction:
    """What a correcting run does with a finding under one policy."""

    winner: str  # the figure taken as the truth ("ledger", "quant", ...)
    action: str  # one of CORRECTIONS
    message: str  # what the line says once the correction is taken


@dataclass(frozen=True)
class BalanceRule:
    code: str
    letter: str  # the check's letter in the specification (a .. i)
    name: str
    severity: str
    message: str  # what the line says while the correction is only proposed
    corrections: tuple  # ((policy, Correction), ...)
    option: str = ""  # a run option that must be set for the correction
    # When set, only the findings where the figure found exceeds the one
    # expected (a surplus) are corrected; the others (a shortfall) are
    # reported with this message.
    shortfall_message: str = ""
    # The figure this rule takes as the truth (documentation, shown in the
    # matrix and the readme).
    truth: str = "the done move lines (the ledger)"

    def correction(self, policy):
        """The correction under ``policy`` (``ledger`` or ``counted``)."""
        if policy not in POLICIES:
            raise BalanceRuleError(f"Unknown truth policy {policy!r}")
        return dict(self.corrections)[policy]

    def corrects(self, policy, options=(), shortfall=False):
        """Whether a correcting run changes anything for this rule (for a
        finding that is a ``shortfall``, when the rule tells them apart)."""
        if self.option and self.option not in options:
            return False
        if shortfall and self.shortfall_message:
            return False
        return self.correction(policy).action != "none"


def _same(correction):
    return tuple((policy, correction) for policy in POLICIES)


_REPORTED = "Reported only: no figure can settle it automatically"

RULES = (
    BalanceRule(
        code="quant_ledger",
        letter="a",
        name="Quant quantity vs ledger",
        severity="error",
        message="Quant quantity differs from the ledger",
        corrections=(
            (
                "ledger",
                Correction(
                    "ledger",
                    "set_quant_to_ledger",
                    "Quant adjusted to ledger quantity",
                ),
            ),
            (
                "counted",
                Correction(
                    "quant",
                    "post_inventory_move",
                    "Inventory move posted so that the ledger matches the quant",
                ),
            ),
        ),
    ),
    BalanceRule(
        code="reserved",
        letter="b",
        name="Reserved quantity vs reserved move lines",
        severity="error",
        message="Reserved quantity on quants differs from the reserved move lines",
        corrections=_same(
            Correction(
                "move_lines",
                "set_reserved_to_move_lines",
                "Reserved quantity recomputed from the move lines",
            )
        ),
    ),
    BalanceRule(
        code="negative",
        letter="c",
        name="Negative quant",
        severity="error",
        message="Negative stock where negative stock is not allowed",
        corrections=_same(Correction("none", "none", _REPORTED)),
    ),
    BalanceRule(
        code="lot_missing",
        letter="d",
        name="Tracked product without lot",
        severity="error",
        message="Stock of a tracked product without a lot or serial number",
        corrections=_same(Correction("none", "none", _REPORTED)),
    ),
    BalanceRule(
        code="serial_quantity",
        letter="d",
        name="Serial number not one unit in one place",
        severity="error",
        message="A serial number holds a quantity other than 1 in total",
        corrections=_same(Correction("none", "none", _REPORTED)),
    ),
    BalanceRule(
        code="package_location",
        letter="e",
        name="Package location vs quant location",
        severity="warning",
        message="The quant is not where its package is",
        corrections=_same(Correction("none", "none", _REPORTED)),
    ),
    BalanceRule(
        code="archived_location",
        letter="e",
        name="Stock in an archived location",
        severity="warning",
        message="Stock in an archived location",
        corrections=_same(Correction("none", "none", _REPORTED)),
    ),
    BalanceRule(
        code="view_location",
        letter="e",
        name="Stock in a view location",
        severity="error",
        message="Stock in a view location, which Odoo forbids",
        corrections=_same(
            Correction(
                "ledger",
                "move_stray_quant",
                "Stray quant moved back where the ledger has the stock (removed "
                "where it has none)",
            )
        ),
        truth="the ledger (nothing moves into a view location)",
    ),
    BalanceRule(
        code="transit_open_moves",
        letter="f",
        name="Transit stock vs open moves",
        severity="warning",
        message="Stock in transit differs from the open moves out of transit",
        corrections=_same(
            Correction(
                "open_moves",
                "post_transit_surplus",
                "Stock in transit beyond the open moves written off by a "
                "period-end adjustment",
            )
        ),
        option="balance_transit",
        shortfall_message="The open moves out of transit expect more than is in "
        "transit. Reported only, no goods can be invented: receive what arrived, "
        "then cancel or reduce the rest of the open moves (or find the missing "
        "goods)",
    ),
    BalanceRule(
        code="valuation_account",
        letter="g",
        name="Stock value vs valuation account",
        severity="error",
        message="The balance of the stock valuation account differs from the "
        "stock value",
        corrections=_same(
            Correction(
                "stock_value",
                "post_closing_entry",
                "Closing entry posted to the stock valuation account",
            )
        ),
        option="check_valuation",
    ),
    BalanceRule(
        code="valuation_remaining",
        letter="g",
        name="Remaining quantity of valued receipts vs on hand",
        severity="warning",
        message="The valued receipts left (FIFO/AVCO remaining quantity) do not "
        "cover the stock on hand: Odoo values the rest at the last receipt's "
        "price. Reported only: find where the stock came from without a valued "
        "receipt (the quantity rules, an import) and value it with an inventory "
        "adjustment",
        corrections=_same(Correction("none", "none", _REPORTED)),
    ),
    BalanceRule(
        code="valuation_fifo",
        letter="g",
        name="FIFO cost vs value of the remaining receipts",
        severity="warning",
        message="The FIFO cost differs from the value of the remaining receipts "
        "per unit on hand. Not corrected: a FIFO value is the value of its "
        "receipts, which only the receipts' own values can change (Adjust "
        "Valuation on the move); Odoo sets the cost again at the next move",
        corrections=_same(Correction("none", "none", _REPORTED)),
    ),
    BalanceRule(
        code="valuation_avco",
        letter="g",
        name="AVCO cost vs cost of the valued moves",
        severity="warning",
        message="The average cost differs from the cost replayed from the valued moves",
        corrections=_same(
            Correction(
                "moves",
                "recalculate_cost",
                "Cost recalculated from the valued moves (Odoo's cost change, "
                "recorded in the product's value history)",
            )
        ),
        option="recalculate_costs",
    ),
    BalanceRule(
        code="move_lines_sum",
        letter="h",
        name="Done move vs its move lines",
        severity="warning",
        message="The quantities of the done move's lines do not add up to its "
        "quantity (the ledger follows the lines)",
        corrections=_same(Correction("none", "none", _REPORTED)),
    ),
    BalanceRule(
        code="ageing_on_hand",
        letter="j",
        name="Aged inventory vs on hand",
        severity="warning",
        message="The aged inventory differs from the quantity on hand",
        corrections=_same(Correction("none", "none", _REPORTED)),
        option="check_ageing",
    ),
    BalanceRule(
        code="virtual_quant_ledger",
        letter="a",
        name="Quant vs ledger in a virtual location",
        severity="warning",
        message="Quant quantity in a virtual location (vendors, customers, "
        "inventory, production) differs from the ledger",
        corrections=_same(
            Correction(
                "ledger",
                "move_stray_quant",
                "Stray quant moved back where the ledger has the stock, else set "
                "to the ledger",
            )
        ),
        truth="the ledger of done move lines into and out of the location",
    ),
    BalanceRule(
        code="duplicate_quant",
        letter="a",
        name="Several quants for one key",
        severity="error",
        message="Several quants hold one product, location, lot, package and owner",
        corrections=_same(
            Correction(
                "one_quant",
                "merge_quants",
                "Quants of the key merged into one (quantities and reservations "
                "summed)",
            )
        ),
        truth="one quant per key (Odoo's own invariant)",
    ),
    BalanceRule(
        code="reserved_above_on_hand",
        letter="b",
        name="Reserved above on hand",
        severity="error",
        message="The quant reserves more than it holds. Manual where the "
        "quantity and reservation rules find nothing: the reserved move lines ask "
        "for more than the ledger puts there; unreserve the transfers",
        corrections=_same(Correction("none", "none", _REPORTED)),
        truth="the ledger (on hand) and the move lines (reserved)",
    ),
    BalanceRule(
        code="lot_product",
        letter="d",
        name="Lot of another product",
        severity="error",
        message="The quant's lot or serial number belongs to another product. "
        "Manual: no figure says which product the stock is; move it to a lot "
        "of its product with an adjustment",
        corrections=_same(Correction("none", "none", _REPORTED)),
        truth="the lot's product",
    ),
    BalanceRule(
        code="not_storable",
        letter="d",
        name="Stock of a product no longer storable",
        severity="error",
        message="Stock held by a product that is not storable any more. Manual: "
        "make it storable again, or write the stock off first",
        corrections=_same(Correction("none", "none", _REPORTED)),
        truth="the product's type",
    ),
    BalanceRule(
        code="lot_dates",
        letter="d",
        name="Quant expiry dates vs its lot's",
        severity="warning",
        message="The quant's expiration or removal date differs from its lot's",
        corrections=_same(
            Correction(
                "lot", "set_quant_lot_dates", "Quant dates set to its lot's dates"
            )
        ),
        truth="the lot's expiration and removal dates",
    ),
    BalanceRule(
        code="line_product_qty",
        letter="h",
        name="Move line quantity in the product's unit",
        severity="error",
        message="The done move line's quantity in the product's unit disagrees "
        "with its quantity in the line's unit",
        corrections=_same(
            Correction(
                "line_quantity",
                "set_line_product_qty",
                "Quantity in the product's unit recomputed from the line's "
                "quantity (checkpoints after it marked stale)",
            )
        ),
        truth="the line's quantity in its own unit",
    ),
    BalanceRule(
        code="valuation_flags",
        letter="g",
        name="Move valuation flags vs locations",
        severity="warning",
        message="The done move's valuation (incoming, outgoing, value) disagrees "
        "with its locations (standard cost). Manual: revalue the move in Odoo "
        "(Adjust Valuation)",
        corrections=_same(Correction("none", "none", _REPORTED)),
        truth="the move's locations",
    ),
    BalanceRule(
        code="zero_quant",
        letter="i",
        name="Zero quant",
        severity="info",
        message="Quant with no quantity and no reservation",
        corrections=_same(Correction("none", "purge_quant", "Zero quant purged")),
        option="purge_zero_quants",
    ),
)

RULES_BY_CODE = {rule.code: rule for rule in RULES}
# The stages in which a correcting run corrects one batch, each checked again
# after the corrections of the stage before, which it depends on: the lines'
# quantities in the product's unit first (the ledger reads them); the stray
# quants of view and virtual locations moved back (so that the quantity rule
# does not re-create their stock where they came from; before the merge of
# duplicates, which would fold a stray into the quant of its key); one quant
# per key and the lots' dates; then quantities (they may create or merge quants) and
# reservations on the resulting
# quants; then the stock in transit beyond the open moves (the quantity
# corrected first); then the purge of what became zero; then the AVCO costs
# (from the moves, those written off included).
CORRECTION_STAGES = (
    ("line_product_qty",),
    ("view_location", "virtual_quant_ledger"),
    ("duplicate_quant", "lot_dates"),
    ("quant_ledger", "reserved"),
    ("transit_open_moves",),
    ("zero_quant",),
    ("valuation_avco",),
)
CORRECTION_ORDER = tuple(code for stage in CORRECTION_STAGES for code in stage)
# Rules of the product's valuation: whole products, so only in runs not
# limited to locations; their value impact comes from their own statement.
VALUATION_RULES = ("valuation_remaining", "valuation_fifo", "valuation_avco")
# Rules whose statements add a ``detail`` column: the line's message names
# what disagrees (every location of a serial, ...).
DETAILED_RULES = ("serial_quantity", "valuation_flags", "lot_product")
# Corrections of the whole company, made once after the batches of products.
COMPANY_CORRECTIONS = ("valuation_account",)


def get_rule(code):
    try:
        return RULES_BY_CODE[code]
    except KeyError:
        raise BalanceRuleError(f"Unknown balance rule {code!r}") from None


def rule_selection():
    """``(code, name)`` pairs for a selection field, in rule order."""
    return [(rule.code, rule.name) for rule in RULES]


def truth_matrix(policy, options=()):
    """The matrix under ``policy``: one row per rule ``(code, name, winner,
    action, message)``; the action is ``none`` where the run's ``options``
    leave the rule's correction out."""
    rows = []
    for rule in RULES:
        correction = rule.correction(policy)
        action = correction.action if rule.corrects(policy, options) else "none"
        rows.append(
            (rule.code, rule.name, correction.winner, action, correction.message)
        )
    return rows


def line_action(code, policy, options=(), shortfall=False):
    """``(action, correction)`` of a new finding: ``proposed`` with the
    correction's action where a correcting run would correct it, else
    ``reported`` and ``none``."""
    rule = get_rule(code)
    if rule.corrects(policy, options, shortfall):
        return "proposed", rule.correction(policy).action
    return "reported", "none"


def line_message(code, policy, options=(), taken=False, shortfall=False):
    """What a finding's line says: the correction's message once taken,
    ``<rule message>; proposed: <correction>`` while it is only proposed, the
    rule's message alone when the rule is reported only, and the rule's
    message with its shortfall message for a shortfall it does not correct."""
    rule = get_rule(code)
    if shortfall and rule.shortfall_message:
        return f"{rule.message}. {rule.shortfall_message}"
    if not rule.corrects(policy, options):
        return rule.message
    message = rule.correction(policy).message
    if taken:
        return message
    return f"{rule.message}; proposed: {message[0].lower()}{message[1:]}"


def counts_by_rule(codes):
    """``{code: count}`` for every rule (zeros included), from the codes of
    the findings; an unknown code is an error."""
    counts = {rule.code: 0 for rule in RULES}
    for code in codes:
        if code not in counts:
            raise BalanceRuleError(f"Unknown balance rule {code!r}")
        counts[code] += 1
    return counts
