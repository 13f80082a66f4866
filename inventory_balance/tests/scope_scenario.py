# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A scope of every kind (a warehouse with nested bins, a transit location,
nested categories, storable, consumable, archived and another company's
products) and a spy on the scope resolver, for the resolver's tests and for
the features that go through it (the run, snapshots, the sheet and
adjustments)."""

from contextlib import contextmanager
from unittest.mock import patch


class ScopeScenarioMixin:
    @classmethod
    def _setup_scope_scenario(cls):
        env = cls.env
        cls.company = env.company
        cls.company_b = env["res.company"].create({"name": "Scope Company B"})
        Warehouse = env["stock.warehouse"]
        cls.warehouse = Warehouse.search([("company_id", "=", cls.company.id)], limit=1)
        cls.warehouse_b = Warehouse.search(
            [("company_id", "=", cls.company_b.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        Location = env["stock.location"]
        cls.bin1 = Location.create({"name": "Scope Bin 1", "location_id": cls.stock.id})
        cls.bin1a = Location.create(
            {"name": "Scope Bin 1a", "location_id": cls.bin1.id}
        )
        cls.bin2 = Location.create({"name": "Scope Bin 2", "location_id": cls.stock.id})
        cls.transit = Location.create(
            {
                "name": "Scope transit",
                "usage": "transit",
                "company_id": cls.company.id,
                "location_id": cls.warehouse.view_location_id.id,
            }
        )
        Category = env["product.category"]
        cls.categ_root = Category.create({"name": "Scope root"})
        cls.categ_child = Category.create(
            {"name": "Scope child", "parent_id": cls.categ_root.id}
        )
        cls.categ_other = Category.create({"name": "Scope other"})
        Product = env["product.product"]

        def product(name, categ, **vals):
            return Product.create(
                {"name": name, "categ_id": categ.id, "is_storable": True, **vals}
            )

        cls.p_root = product("Scope Root", cls.categ_root)
        cls.p_child = product("Scope Child", cls.categ_child)
        cls.p_consu = product("Scope Consumable", cls.categ_child, is_storable=False)
        cls.p_archived = product("Scope Archived", cls.categ_child)
        cls.p_company_b = product(
            "Scope Company B", cls.categ_child, company_id=cls.company_b.id
        )
        cls.p_other = product("Scope Other", cls.categ_other)
        # through Odoo's inventory mode: done moves, so that the ledger and
        # the quants agree
        quants = (
            env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                [
                    {
                        "product_id": prod.id,
                        "location_id": location.id,
                        "inventory_quantity": qty,
                    }
                    for prod, location, qty in (
                        (cls.p_root, cls.bin1, 5),
                        (cls.p_child, cls.bin1, 7),
                        (cls.p_child, cls.bin1a, 3),
                        (cls.p_child, cls.bin2, 11),
                        (cls.p_archived, cls.bin1a, 2),
                        (cls.p_other, cls.bin1, 13),
                    )
                ]
            )
        )
        quants.action_apply_inventory()
        cls.p_archived.active = False

    def _internal_locations(self, roots, usages=("internal", "transit")):
        """The locations under ``roots`` by the ORM's own child_of, archived
        ones included (their stock counts, as the engine counts it)."""
        return (
            self.env["stock.location"]
            .with_context(active_test=False)
            .search(
                [
                    ("id", "child_of", roots.ids),
                    ("usage", "in", list(usages)),
                    ("company_id", "=", self.company.id),
                ]
            )
        )

    @contextmanager
    def spy_scope(self):
        """Record every scope the resolver (``inventory.scope._resolve``)
        returns while the block runs: ``[(args, kwargs, scope)]``."""
        Scope = self.registry["inventory.scope"]
        original = Scope._resolve
        calls = []

        def spy(model, *args, **kwargs):
            scope = original(model, *args, **kwargs)
            calls.append((args, kwargs, scope))
            return scope

        with patch.object(Scope, "_resolve", spy):
            yield calls
