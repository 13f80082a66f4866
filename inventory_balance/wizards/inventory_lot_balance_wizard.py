# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class InventoryLotBalanceWizard(models.TransientModel):
    _name = "inventory.lot.balance.wizard"
    _description = "Lot Balances As Of"

    at = fields.Datetime(
        string="As of",
        help="Leave empty for now. A past moment is answered from the stock ledger.",
    )
    product_ids = fields.Many2many("product.product", string="Products")
    warehouse_ids = fields.Many2many("stock.warehouse", string="Facilities")
    location_ids = fields.Many2many(
        "stock.location",
        string="Locations",
        domain="[('usage', 'in', ('internal', 'transit'))]",
        help="These locations and their sublocations.",
    )

    def _moment(self):
        """The moment asked for (validated: never in the future), or False."""
        if not self.at:
            return False
        at = self.env["inventory.ledger"]._parse_moment(self.at)
        return fields.Datetime.to_string(at)

    def action_open_report(self):
        self.ensure_one()
        context = {
            "search_default_groupby_product": 1,
            "search_default_groupby_condition": 1,
            "search_default_groupby_lot": 1,
        }
        name = self.env._("Lot Balances")
        moment = self._moment()
        if moment:
            context["inventory_at"] = moment
            name = self.env._("Lot Balances at %(at)s", at=moment)
        domain = []
        if self.product_ids:
            domain.append(("product_id", "in", self.product_ids.ids))
        if self.warehouse_ids:
            domain.append(("warehouse_id", "in", self.warehouse_ids.ids))
        if self.location_ids:
            domain.append(("location_id", "child_of", self.location_ids.ids))
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "inventory.lot.balance.report",
            "view_mode": "list,pivot",
            "domain": domain,
            "context": context,
        }

    def action_export_xlsx(self):
        self.ensure_one()
        export = self.env["inventory.lot.balance.report"].export_lot_balances_xlsx(
            self._moment() or None,
            product_ids=self.product_ids.ids or None,
            warehouse_ids=self.warehouse_ids.ids or None,
            location_ids=self.location_ids.ids or None,
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": export["filename"],
                "datas": export["content"],
                "mimetype": "application/vnd.openxmlformats-officedocument"
                ".spreadsheetml.sheet",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
