# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from ..tools.record_ids import check_ids_exist

# The conditions every facility gets an inventory location for, in this order.
INVENTORY_LOCATION_CONDITIONS = (
    "inventory_balance.inventory_condition_damaged",
    "inventory_balance.inventory_condition_quarantine",
)


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    @api.model
    def _inventory_location_conditions(self):
        """The active conditions of ``INVENTORY_LOCATION_CONDITIONS``."""
        conditions = self.env["inventory.condition"]
        for xmlid in INVENTORY_LOCATION_CONDITIONS:
            conditions |= self.env.ref(xmlid, raise_if_not_found=False) or conditions
        return conditions.filtered("active")

    @api.model
    def generate_inventory_locations(self, company_ids=None):
        """Create the missing inventory locations of every facility.

        Every warehouse of the user's companies gets one internal location per
        standard condition (*Damaged*, *Quarantine*), named after the condition,
        as a child of the warehouse's view location: beside *Stock*, not under
        it. A warehouse that already holds an active internal location of that
        condition anywhere under its view location (e.g. a *Damaged* bin under
        *Stock*) is left alone for that condition, so a second call creates
        nothing. Creating locations needs the rights of *Inventory /
        Administrator*; the warehouses of companies the user cannot access are
        never read nor touched.

        :param company_ids: ids of companies to limit the work to, among the
            user's allowed companies (default: all of them); an id the user may
            not access raises an ``AccessError``
        :return: one dict per warehouse where something was created, in
            warehouse order: ``{"warehouse_id": int, "warehouse": str,
            "location_ids": [int, ...]}`` (empty list when nothing was missing)
        """
        Warehouse = self
        if company_ids:
            company_ids = check_ids_exist(self.env, "company_ids", company_ids).ids
            Warehouse = self.with_context(allowed_company_ids=company_ids)
        companies = Warehouse.env.companies
        warehouses = Warehouse.search([("company_id", "in", companies.ids)])
        conditions = Warehouse._inventory_location_conditions()
        if not warehouses or not conditions:
            return []
        Location = Warehouse.env["stock.location"]
        existing = {
            (warehouse.id, condition.id)
            for warehouse, condition in Location._read_group(
                [
                    ("warehouse_id", "in", warehouses.ids),
                    ("usage", "=", "internal"),
                    ("condition_id", "in", conditions.ids),
                ],
                ["warehouse_id", "condition_id"],
            )
        }
        vals_list, owners = [], []
        for warehouse in warehouses:
            for condition in conditions:
                if (warehouse.id, condition.id) in existing:
                    continue
                vals_list.append(
                    {
                        "name": condition.name,
                        "usage": "internal",
                        "location_id": warehouse.view_location_id.id,
                        "company_id": warehouse.company_id.id,
                        "condition_id": condition.id,
                    }
                )
                owners.append(warehouse)
        if not vals_list:
            return []
        locations = Location.create(vals_list)
        created = {}
        for warehouse, location in zip(owners, locations, strict=True):
            created.setdefault(warehouse, []).append(location.id)
        return [
            {
                "warehouse_id": warehouse.id,
                "warehouse": warehouse.name,
                "location_ids": location_ids,
            }
            for warehouse, location_ids in created.items()
        ]
