from . import inventory_snapshot
