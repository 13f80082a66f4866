# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Inventory Period End",
    "summary": "Period-end balance function: reconcile ledger, quants and "
    "valuation, then close the period",
    "version": "19.0.1.0.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/inventory-suite/inventory-suite",
    "author": "Inventory Suite",
    "license": "LGPL-3",
    "depends": ["inventory_snapshot", "stock_account"],
    "data": [
        "security/inventory_period_end_groups.xml",
        "security/ir.model.access.csv",
        "security/inventory_period_end_security.xml",
        "data/ir_sequence_data.xml",
        "data/inventory_ageing_bucket_data.xml",
        "views/inventory_balance_run_views.xml",
        "views/inventory_period_views.xml",
        "views/res_config_settings_views.xml",
        "report/inventory_ageing_report_views.xml",
        "views/menus.xml",
        "data/ir_cron_data.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "inventory_period_end/static/src/findings/*",
        ],
        "web.assets_tests": [
            "inventory_period_end/static/tests/tours/*",
        ],
    },
    "uninstall_hook": "uninstall_hook",
    "installable": True,
}
