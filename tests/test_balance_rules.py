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
