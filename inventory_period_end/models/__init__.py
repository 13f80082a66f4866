from . import inventory_ageing
from . import inventory_ageing_bucket
from . import inventory_period
from . import res_company
from . import res_config_settings
from . import stock_move
from . import stock_move_line
