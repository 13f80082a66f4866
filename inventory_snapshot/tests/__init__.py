from . import test_inventory_snapshot
