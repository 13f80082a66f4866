from . import models
from . import report
from . import wizards


def post_init_hook(env):
    """Build the monthly checkpoints of the whole history in the background:
    the scheduled build runs right after the install (see
    ``inventory.ledger.checkpoint._cron_build_monthly``)."""
    env.ref("inventory_balance.ir_cron_inventory_ledger_checkpoint")._trigger()
