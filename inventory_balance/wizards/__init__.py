from . import inventory_stock_balance_wizard
from . import inventory_transaction_wizard
from . import inventory_lot_balance_wizard
