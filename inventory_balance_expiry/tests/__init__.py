from . import test_stock_balance_expiry
