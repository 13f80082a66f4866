from . import inventory_snapshot
from . import inventory_snapshot_channel
from . import inventory_snapshot_line
