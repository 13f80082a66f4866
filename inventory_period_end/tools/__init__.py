from . import balance_rules
