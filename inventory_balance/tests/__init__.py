from . import test_stock_history_generator
