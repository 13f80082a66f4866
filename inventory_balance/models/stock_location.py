# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class StockLocation(models.Model):
    _inherit = "stock.location"

    condition_id = fields.Many2one(
        "inventory.condition",
        compute="_compute_condition_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        ondelete="restrict",
        help="Condition of the stock kept here. Stock in a condition that is not "
        "available counts on hand but is never reserved, delivered or sold.",
    )
    inventory_unavailable = fields.Boolean(
        string="Stock Not Available",
        compute="_compute_inventory_unavailable",
        store=True,
        help="Internal location whose condition is not available (e.g. Damaged).",
    )
    inventory_quantity = fields.Float(
        string="On Hand Here",
        compute="_compute_inventory_quantity",
        digits="Product Unit",
        help="Sum of the quantities of the quants kept in this very location "
        "(not its sublocations), all products together, in their units.",
    )
    inventory_product_count = fields.Integer(
        string="Products Here",
        compute="_compute_inventory_quantity",
        help="Number of products with a quantity in this very location.",
    )

    @api.depends("usage")
    def _compute_condition_id(self):
        good = self.env.ref(
            "inventory_balance.inventory_condition_good", raise_if_not_found=False
        )
        for location in self:
            if location.usage != "internal":
                location.condition_id = False
            elif not location.condition_id:
                location.condition_id = good

    @api.model
    def _inventory_set_default_condition(self):
        """Give the condition Good to the internal locations without one
        (active or archived): those that existed before the condition did,
        when the addon was installed, such as WH/Stock. Their children got it
        when they were created, so the stock-balance report showed a blank
        condition for WH/Stock and Good for its bins."""
        good = self.env.ref(
            "inventory_balance.inventory_condition_good", raise_if_not_found=False
        )
        if not good:
            return False
        locations = (
            self.sudo()
            .with_context(active_test=False)
            .search([("usage", "=", "internal"), ("condition_id", "=", False)])
        )
        locations.write({"condition_id": good.id})
        return True

    @api.depends("usage", "condition_id.is_available")
    def _compute_inventory_unavailable(self):
        for location in self:
            location.inventory_unavailable = bool(
                location.usage == "internal"
                and location.condition_id
                and not location.condition_id.is_available
            )

    @api.depends_context("allowed_company_ids")
    def _compute_inventory_quantity(self):
        origin_ids = [loc_id for loc_id in self._origin.ids if loc_id]
        totals = {
            location.id: (quantity, count)
            for location, quantity, count in self.env["stock.quant"]._read_group(
                [("location_id", "in", origin_ids), ("quantity", "!=", 0)],
                ["location_id"],
                ["quantity:sum", "product_id:count_distinct"],
            )
        }
        for location in self:
            quantity, count = totals.get(location._origin.id, (0.0, 0))
            location.inventory_quantity = quantity
            location.inventory_product_count = count

    def action_generate_inventory_locations(self):
        """Button of *Inventory Locations*: create the missing condition
        locations of every facility of the user's companies and say which."""
        results = self.env["stock.warehouse"].generate_inventory_locations()
        if not results:
            message = self.env._(
                "Every facility already has its inventory locations: nothing "
                "was created."
            )
        else:
            created = self.browse(
                [loc_id for row in results for loc_id in row["location_ids"]]
            )
            message = self.env._(
                "Created %(count)s inventory locations: %(names)s.",
                count=len(created),
                names=", ".join(created.mapped("complete_name")),
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Inventory locations"),
                "message": message,
                "type": "success" if results else "info",
                "sticky": bool(results),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
