from . import test_inventory_condition
from . import test_inventory_ledger
from . import test_inventory_ledger_rpc
from . import test_inventory_reports
from . import test_stock_condition
from . import test_stock_history_generator
