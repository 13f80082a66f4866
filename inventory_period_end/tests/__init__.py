from . import test_inventory_period
from . import test_inventory_period_close
from . import test_inventory_ageing
from . import test_balance_run
from . import test_balance_run_rpc
from . import test_balance_run_valuation
from . import test_access_period_end
from . import test_precision
