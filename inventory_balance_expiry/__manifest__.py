# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Inventory Balance - Expiry Dates",
    "summary": "Bridge between Inventory Balance and Products Expiration Date",
    "version": "19.0.1.0.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/inventory-suite/inventory-suite",
    "author": "Inventory Suite",
    "license": "LGPL-3",
    "depends": ["inventory_balance", "product_expiry"],
    "data": [
        "views/inventory_stock_balance_report_views.xml",
    ],
    "demo": [
        "demo/inventory_balance_expiry_demo.xml",
    ],
    "installable": True,
    "auto_install": True,
}
