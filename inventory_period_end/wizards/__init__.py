from . import inventory_ageing_wizard
