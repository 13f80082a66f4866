from . import test_inventory_period
