from . import period_rules
