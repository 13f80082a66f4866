from . import inventory_condition
