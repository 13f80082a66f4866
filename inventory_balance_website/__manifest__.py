# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Inventory Balance - Webshop Stock Display",
    "summary": "Show exact stock amounts or only In stock / Low in stock labels on "
    "the webshop, per website, without leaking the figures",
    "version": "19.0.1.0.0",
    "category": "Website/Website",
    "website": "https://github.com/inventory-suite/inventory-suite",
    "author": "Inventory Suite",
    "license": "LGPL-3",
    "depends": ["inventory_balance", "website_sale_stock"],
    "data": [
        "views/res_config_settings_views.xml",
        "views/website_sale_templates.xml",
    ],
    "demo": [
        "demo/website_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "inventory_balance_website/static/src/js/*",
            "inventory_balance_website/static/src/xml/*",
        ],
        "web.assets_tests": [
            "inventory_balance_website/static/tests/tours/*",
        ],
    },
    "installable": True,
    "auto_install": True,
}
