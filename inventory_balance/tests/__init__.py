from . import test_inventory_condition
from . import test_inventory_ledger
from . import test_stock_history_generator
