from odoo.tools import SQL

from . import models
from . import report
from . import tools
from . import wizards
from .models.inventory_balance_run import STOCK_INDEXES


def uninstall_hook(env):
    """Drop the indexes the balance run created on Odoo's stock tables."""
    for name, _table, _definition in STOCK_INDEXES:
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
