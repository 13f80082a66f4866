# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Inventory Balance",
    "summary": "Stock ledger, balances at any date, conditions and inventory control",
    "version": "19.0.1.0.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/inventory-suite/inventory-suite",
    "author": "Inventory Suite",
    "license": "LGPL-3",
    "depends": ["stock"],
    "data": [
        "security/inventory_balance_groups.xml",
        "security/ir.model.access.csv",
        "security/inventory_balance_security.xml",
        "data/inventory_condition_data.xml",
        "data/stock_location_condition_data.xml",
        "data/ir_cron_data.xml",
        "data/inventory_adjustment_reason_data.xml",
        "views/inventory_condition_views.xml",
        "views/inventory_ledger_checkpoint_views.xml",
        "views/stock_location_views.xml",
        "views/stock_location_facility_views.xml",
        "views/product_template_views.xml",
        "views/inventory_adjustment_views.xml",
        "views/inventory_balance_sheet_views.xml",
        "report/inventory_stock_balance_report_views.xml",
        "report/inventory_transaction_report_views.xml",
        "report/inventory_lot_balance_report_views.xml",
        "report/inventory_ledger_explain_report_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/inventory_balance_demo.xml",
        "demo/stock_history_demo.xml",
        "demo/lot_balance_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "inventory_balance/static/src/sheet_grid/*",
            "inventory_balance/static/src/adjustment_change/*",
        ],
        "web.assets_tests": [
            "inventory_balance/static/tests/tours/*",
        ],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
}
