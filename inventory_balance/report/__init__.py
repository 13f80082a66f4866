from . import inventory_ledger_report_mixin
from . import inventory_stock_balance_report
from . import inventory_transaction_report
from . import inventory_lot_balance_report
from . import inventory_ledger_explain_report
