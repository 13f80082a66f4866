# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Inventory Snapshots",
    "summary": "Point-in-time inventory snapshots: take, view, compare, export",
    "version": "19.0.1.1.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/inventory-suite/inventory-suite",
    "author": "Inventory Suite",
    "license": "LGPL-3",
    "depends": ["inventory_balance", "mail"],
    "data": [
        "security/inventory_snapshot_groups.xml",
        "security/ir.model.access.csv",
        "security/inventory_snapshot_security.xml",
        "security/inventory_snapshot_compare_security.xml",
        "data/ir_cron_data.xml",
        "views/inventory_snapshot_views.xml",
        "views/inventory_snapshot_export_views.xml",
        "views/inventory_snapshot_schedule_views.xml",
        "views/stock_picking_type_views.xml",
        "wizards/inventory_snapshot_take_views.xml",
        "wizards/inventory_snapshot_compare_views.xml",
        "views/menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "inventory_snapshot/static/tests/tours/*",
        ],
    },
    "installable": True,
}
