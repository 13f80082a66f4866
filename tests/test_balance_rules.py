"""The rules of the period-end balance run and its source-of-truth matrix."""

import importlib.util
from pathlib import Path

import pytest

_path = (
    Path(__file__).resolve().parent.parent
    / "inventory_period_end/tools/balance_rules.py"
)
_spec = importlib.util.spec_from_file_location("balance_rules", _path)
rules = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rules)


def test_codes_unique_and_known_severities():
    codes = [rule.code for rule in rules.RULES]
    assert len(codes) == len(set(codes))
    assert {rule.severity for rule in rules.RULES} <= set(rules.SEVERITIES)
    assert rules.rule_selection()[0] == ("quant_ledger", "Quant quantity vs ledger")


def test_every_rule_has_a_correction_per_policy():
    for rule in rules.RULES:
        for policy in rules.POLICIES:
            assert rule.correction(policy).action in rules.CORRECTIONS


def test_correction_order_covers_every_correcting_rule():
    correcting = {
        rule.code
        for rule in rules.RULES
        for policy in rules.POLICIES
        if rule.correction(policy).action != "none"
    }
    assert correcting == set(rules.CORRECTION_ORDER) | set(rules.COMPANY_CORRECTIONS)
    assert not set(rules.CORRECTION_ORDER) & set(rules.COMPANY_CORRECTIONS)


def test_matrix_ledger_truth():
    matrix = {row[0]: row[2:] for row in rules.truth_matrix("ledger")}
    assert matrix["quant_ledger"] == (
        "ledger",
        "set_quant_to_ledger",
        "Quant adjusted to ledger quantity",
    )
    assert matrix["reserved"][:2] == ("move_lines", "set_reserved_to_move_lines")
    # Purging zero quants is an option of the run.
    assert matrix["zero_quant"][1] == "none"
    assert matrix["negative"][1] == "none"
    assert matrix["move_lines_sum"][1] == "none"
    # Checking the valuation accounts is an option of the run.
    assert matrix["valuation_account"][1] == "none"


def test_matrix_counted_truth():
    matrix = {
        row[0]: row[2:] for row in rules.truth_matrix("counted", ("purge_zero_quants",))
    }
    assert matrix["quant_ledger"][:2] == ("quant", "post_inventory_move")
    assert matrix["reserved"][1] == "set_reserved_to_move_lines"
    assert matrix["zero_quant"][1] == "purge_quant"
    assert matrix["valuation_account"][1] == "none"
    matrix = {
        row[0]: row[2:] for row in rules.truth_matrix("counted", ("check_valuation",))
    }
    assert matrix["valuation_account"][:2] == ("stock_value", "post_closing_entry")


def test_unknown_policy_and_rule():
    with pytest.raises(rules.BalanceRuleError):
        rules.get_rule("quant_ledger").correction("gut_feeling")
    with pytest.raises(rules.BalanceRuleError):
        rules.get_rule("nope")
    with pytest.raises(rules.BalanceRuleError):
        rules.counts_by_rule(["quant_ledger", "nope"])


def test_messages():
    assert (
        rules.line_message("quant_ledger", "ledger", taken=True)
        == "Quant adjusted to ledger quantity"
    )
    assert rules.line_message("quant_ledger", "ledger") == (
        "Quant quantity differs from the ledger; proposed: quant adjusted to "
        "ledger quantity"
    )
    assert rules.line_message("zero_quant", "ledger") == (
        "Quant with no quantity and no reservation"
    )
    assert (
        rules.line_message("zero_quant", "ledger", ("purge_zero_quants",), taken=True)
        == "Zero quant purged"
    )
    assert rules.line_message("negative", "counted", taken=True) == (
        "Negative stock where negative stock is not allowed"
    )


def test_counts_by_rule_lists_every_rule():
    counts = rules.counts_by_rule(["reserved", "reserved", "zero_quant"])
    assert counts["reserved"] == 2 and counts["zero_quant"] == 1
    assert set(counts) == {rule.code for rule in rules.RULES}
    assert sum(counts.values()) == 3


def test_transit_surplus_written_off_shortfall_reported():
    options = ("balance_transit",)
    for policy in rules.POLICIES:
        assert rules.line_action("transit_open_moves", policy, options) == (
            "proposed",
            "post_transit_surplus",
        )
        # No goods can be invented: a shortfall is reported, whatever the policy.
        assert rules.line_action(
            "transit_open_moves", policy, options, shortfall=True
        ) == ("reported", "none")
        # Without the option nothing is corrected.
        assert rules.line_action("transit_open_moves", policy) == ("reported", "none")
    message = rules.line_message(
        "transit_open_moves", "ledger", options, shortfall=True
    )
    assert message.startswith("Stock in transit differs from the open moves")
    assert "no goods can be invented" in message
    assert rules.line_message("transit_open_moves", "ledger", options, taken=True) == (
        "Stock in transit beyond the open moves written off by a period-end adjustment"
    )
    matrix = {row[0]: row[2:4] for row in rules.truth_matrix("counted", options)}
    assert matrix["transit_open_moves"] == ("open_moves", "post_transit_surplus")
    # A rule without a shortfall message corrects both directions.
    assert rules.line_action("quant_ledger", "ledger", shortfall=True) == (
        "proposed",
        "set_quant_to_ledger",
    )


def test_valuation_rules():
    assert set(rules.VALUATION_RULES) <= set(rules.RULES_BY_CODE)
    assert {rules.get_rule(code).letter for code in rules.VALUATION_RULES} == {"g"}
    options = ("recalculate_costs",)
    for policy in rules.POLICIES:
        matrix = {row[0]: row[2:4] for row in rules.truth_matrix(policy, options)}
        assert matrix["valuation_avco"] == ("moves", "recalculate_cost")
        assert matrix["valuation_fifo"][1] == "none"
        assert matrix["valuation_remaining"][1] == "none"
        assert (
            rules.truth_matrix(policy)[
                [r.code for r in rules.RULES].index("valuation_avco")
            ][3]
            == "none"
        )
    assert "Not corrected" in rules.line_message("valuation_fifo", "ledger", options)
    assert rules.line_message("valuation_avco", "ledger", options).endswith(
        "proposed: cost recalculated from the valued moves (Odoo's cost change, "
        "recorded in the product's value history)"
    )


def test_correction_stages():
    # Quantities before transit (the surplus is what remains once the quants
    # follow the ledger), transit before the purge (a write-off leaves a zero
    # quant), the costs last.
    flat = [code for stage in rules.CORRECTION_STAGES for code in stage]
    assert tuple(flat) == rules.CORRECTION_ORDER
    assert len(flat) == len(set(flat))
    assert flat.index("quant_ledger") < flat.index("transit_open_moves")
    assert flat.index("transit_open_moves") < flat.index("zero_quant")
    assert flat[-1] == "valuation_avco"


def test_every_rule_names_its_source_of_truth():
    for rule in rules.RULES:
        assert rule.truth, rule.code


def test_stages_never_make_stock_worse():
    """The lines' quantities are corrected before anything reads the ledger;
    stray quants are moved back before rule a could re-create their stock and
    before duplicates are merged (which would fold a stray into its key)."""
    order = rules.CORRECTION_ORDER
    assert order.index("line_product_qty") == 0
    for stray in ("view_location", "virtual_quant_ledger"):
        assert order.index(stray) < order.index("quant_ledger")
        assert order.index(stray) < order.index("duplicate_quant")
        assert rules.get_rule(stray).correction("counted").action == (
            "move_stray_quant"
        )
    assert rules.get_rule("line_product_qty").correction("ledger").winner == (
        "line_quantity"
    )


def test_manual_rules_say_why():
    for code in ("lot_product", "not_storable", "valuation_flags"):
        rule = rules.get_rule(code)
        assert not rule.corrects("ledger", ("purge_zero_quants",))
        assert "Manual" in rules.line_message(code, "ledger")
    assert set(rules.DETAILED_RULES) <= set(rules.RULES_BY_CODE)
