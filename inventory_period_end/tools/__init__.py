from . import period_rules
from . import balance_rules
from . import run_export
