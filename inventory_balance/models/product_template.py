# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import psycopg2

from odoo import models
from odoo.exceptions import UserError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def _stock_keeping_refusal(self):
        """Why Odoo does not let this product track its inventory, or ``False``.

        Only goods (type *Goods*, ``consu``) can be storable: services, combos
        and the types other modules add are not kept in stock.
        """
        self.ensure_one()
        if self.type == "consu":
            return False
        if self.type == "service":
            return self.env._(
                "A service is not kept in stock: change its type to Goods first."
            )
        if self.type == "combo":
            return self.env._(
                "A combo product is not kept in stock, its components are: "
                "change its type to Goods first."
            )
        type_label = dict(self._fields["type"]._description_selection(self.env)).get(
            self.type, self.type
        )
        return self.env._(
            "Only goods can track their inventory, not products of type "
            "%(type)s: change its type to Goods first.",
            type=type_label,
        )

    def _activate_stock_keeping(self):
        """Turn on *Track Inventory* (``is_storable``) on these templates.

        Templates Odoo does not allow (see ``_stock_keeping_refusal``) are
        refused before any write. The others are written in one batch inside a
        savepoint; when that batch raises, it is split in halves and each half
        tried again, down to the single products that fail, so the products
        that can be activated are, and the error of each other one is kept.

        :return: ``(activated, already, refused)``: the templates switched on,
            those that already tracked their inventory, and a dict
            ``{template: reason}`` of the refused ones
        """
        self.check_access("write")
        already = self.filtered("is_storable")
        refused = {}
        for template in self - already:
            reason = template._stock_keeping_refusal()
            if reason:
                refused[template] = reason
        candidates = self - already - self.browse([t.id for t in refused])
        activated = candidates._write_stock_keeping(refused)
        return activated, already, refused

    def _write_stock_keeping(self, refused):
        """Write ``is_storable=True`` on ``self`` in a savepoint, bisecting on
        errors; the errors go to ``refused``. Return the templates written."""
        if not self:
            return self
        try:
            with self.env.cr.savepoint():
                self.write({"is_storable": True})
        except (UserError, ValueError, psycopg2.IntegrityError) as error:
            if len(self) == 1:
                refused[self] = (
                    error.args[0] if error.args and error.args[0] else str(error)
                )
                return self.browse()
            middle = len(self) // 2
            return self[:middle]._write_stock_keeping(refused) | self[
                middle:
            ]._write_stock_keeping(refused)
        return self

    def activate_stock_keeping(self):
        """Activate stock keeping (*Track Inventory*) for these products.

        Goods (type ``consu``) become storable. Services, combo products and
        any product whose write fails are refused with a reason; the others are
        activated all the same. Odoo resets the inventory of products that
        become storable from their done moves (``_reset_inventory``), as when
        the box is ticked by hand.

        :return: ``{"activated": [ids switched on], "already_active": [ids that
            already tracked their inventory], "refused": [{"id": int, "name":
            str, "reason": str}, ...]}``; ids that do not exist are refused
        """
        existing = self.exists()
        activated, already, refused = existing._activate_stock_keeping()
        return self._stock_keeping_result(
            activated, already, refused, missing=set(self.ids) - set(existing.ids)
        )

    def _stock_keeping_result(self, activated, already, refused, missing=()):
        """The JSON-safe answer of ``activate_stock_keeping`` (templates or
        variants alike): ``refused`` maps records to reasons, ``missing`` holds
        ids that do not exist."""
        return {
            "activated": activated.ids,
            "already_active": already.ids,
            "refused": [
                {"id": record.id, "name": record.display_name, "reason": reason}
                for record, reason in sorted(refused.items(), key=lambda r: r[0].id)
            ]
            + [
                {
                    "id": record_id,
                    "name": False,
                    "reason": self.env._("This product does not exist."),
                }
                for record_id in sorted(missing)
            ],
        }

    def _stock_keeping_notification(self, result):
        """The notification the list buttons show for ``result``."""
        if result["refused"]:
            message = self.env._(
                "Stock keeping activated for %(count)s products, refused for "
                "%(refused)s: %(details)s",
                count=len(result["activated"]),
                refused=len(result["refused"]),
                details="; ".join(
                    f"{row['name'] or row['id']} ({row['reason']})"
                    for row in result["refused"]
                ),
            )
        else:
            message = self.env._(
                "Stock keeping activated for %(count)s products (%(already)s "
                "already had it).",
                count=len(result["activated"]),
                already=len(result["already_active"]),
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Activate stock keeping"),
                "message": message,
                "type": "warning" if result["refused"] else "success",
                "sticky": bool(result["refused"]),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_activate_stock_keeping(self):
        """Server action of the product lists: activate stock keeping for the
        selected products and tell what was refused."""
        return self.env["product.template"]._stock_keeping_notification(
            self.activate_stock_keeping()
        )
