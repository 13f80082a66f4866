"""The classification of done move lines into kinds of flow."""

import importlib.util
from pathlib import Path

import pytest

_path = Path(__file__).resolve().parent.parent / "inventory_balance/tools/flow_rules.py"
_spec = importlib.util.spec_from_file_location("flow_rules", _path)
flow_rules = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(flow_rules)
classify = flow_rules.classify_flow


@pytest.mark.parametrize(
    "source, destination, scrap, kind",
    [
        ("supplier", "internal", False, "receipt"),
        ("internal", "customer", False, "delivery"),
        ("production", "internal", False, "production_in"),
        ("internal", "production", False, "production_out"),
        ("inventory", "internal", False, "adjustment"),
        ("internal", "inventory", False, "adjustment"),
        ("internal", "inventory", True, "scrap"),
        ("internal", "internal", False, "transfer"),
        ("internal", "transit", False, "transit_out"),
        ("transit", "internal", False, "transit_in"),
        ("customer", "internal", False, "return"),
        ("internal", "supplier", False, "return"),
        ("supplier", "transit", False, "receipt"),
        ("supplier", "customer", False, "other"),  # dropship: no stock flow
        ("view", "internal", False, "other"),
    ],
)
def test_classification(source, destination, scrap, kind):
    assert classify(source, destination, scrap) == kind


def test_every_rule_gives_a_known_kind():
    for _sources, _destinations, _scrap, kind in flow_rules.FLOW_RULES:
        assert kind in flow_rules.FLOW_KINDS


def test_scrap_flag_only_matters_for_scrap():
    assert classify("supplier", "internal", True) == "receipt"
    assert flow_rules.nets_to_zero("transfer")
    assert not flow_rules.nets_to_zero("delivery")
