from odoo.tools import SQL

from . import models
from . import report
from . import tools
from . import wizards
from .models.inventory_balance_run_checks import OLD_STOCK_INDEXES, STOCK_INDEXES


def uninstall_hook(env):
    """Drop the indexes the balance run created on Odoo's stock tables."""
    names = [name for name, _table, _definition in STOCK_INDEXES]
    for name in names + list(OLD_STOCK_INDEXES):
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
