from . import inventory_ageing_report
