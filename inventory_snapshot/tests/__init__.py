from . import test_inventory_snapshot
from . import test_inventory_snapshot_take
from . import test_inventory_snapshot_schedule
from . import test_inventory_snapshot_compare
from . import test_inventory_snapshot_export_http
from . import test_snapshot_on_adjustment
from . import test_access_snapshot
from . import test_inventory_snapshot_rpc_http
