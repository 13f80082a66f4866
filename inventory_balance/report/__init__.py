from . import inventory_stock_balance_report
from . import inventory_transaction_report
