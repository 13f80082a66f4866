from . import test_inventory_snapshot
from . import test_inventory_snapshot_take
from . import test_inventory_snapshot_schedule
