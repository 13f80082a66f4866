from . import inventory_period
