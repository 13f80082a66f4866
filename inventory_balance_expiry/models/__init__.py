from . import inventory_stock_balance_report
