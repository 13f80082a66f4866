from . import inventory_period
from . import inventory_balance_run
from . import inventory_balance_run_line
from . import inventory_balance_run_valuation
