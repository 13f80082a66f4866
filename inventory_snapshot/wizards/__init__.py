from . import inventory_snapshot_take
