from . import inventory_adjustment
from . import inventory_snapshot
from . import inventory_snapshot_channel
from . import inventory_snapshot_line
from . import inventory_snapshot_schedule
from . import stock_picking
from . import stock_picking_type
from . import inventory_snapshot_export
