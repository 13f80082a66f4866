from . import inventory_snapshot_take
from . import inventory_snapshot_compare_line
from . import inventory_snapshot_compare
