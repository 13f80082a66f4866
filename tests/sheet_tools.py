"""The sheet's pure modules of inventory_balance/tools, imported without Odoo
(the tools package's ``__init__`` imports the generator, which needs Odoo)."""

import importlib
import sys
import types
from pathlib import Path

TOOLS = Path(__file__).resolve().parent.parent / "inventory_balance" / "tools"

if "sheet_tools" not in sys.modules:
    _package = types.ModuleType("sheet_tools")
    _package.__path__ = [str(TOOLS)]
    sys.modules["sheet_tools"] = _package

sheet_formula = importlib.import_module("sheet_tools.sheet_formula")
sheet_periods = importlib.import_module("sheet_tools.sheet_periods")
sheet_columns = importlib.import_module("sheet_tools.sheet_columns")
sheet_export = importlib.import_module("sheet_tools.sheet_export")
