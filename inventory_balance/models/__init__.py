from . import inventory_condition
from . import inventory_ledger
from . import inventory_ledger_checkpoint
from . import inventory_ledger_checkpoint_line
from . import stock_move
from . import stock_move_line
