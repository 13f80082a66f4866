# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a user arranges on an Inventory Balance sheet: numbers typed over
cells, the columns' order and visibility, the rows' order.  A mixin of
``inventory.balance.sheet``: ``self`` is the sheet."""

import math

from odoo import models
from odoo.exceptions import AccessError, UserError

from ..tools.record_ids import check_ids_exist
from ..tools.sheet_columns import COLUMNS

# The largest number typed over a cell, either way.
MAX_OVERRIDE = 1e12


class InventoryBalanceSheetEdits(models.AbstractModel):
    _name = "inventory.balance.sheet.edits"
    _description = "Inventory Balance Sheet: edits"

    def set_override(self, product_id, period, column, value):
        """Type a number over a cell (``value`` False/None removes it).

        :param product_id: product variant id (a row of the sheet)
        :param period: index of the period, from 0
        :param column: column code, e.g. ``sales``
        :param value: the number, or False to go back to the computed value
        :return: True
        """
        self.ensure_one()
        self.check_access("write")
        if column not in COLUMNS:
            raise UserError(self.env._("Unknown column %(code)s.", code=column))
        if column not in self._allowed_columns():
            raise AccessError(self.env._("You may not see or change this column."))
        try:
            period = int(period)
            product_id = int(product_id)
            if value is not False and value is not None:
                value = float(value)
        except (TypeError, ValueError):
            raise UserError(
                self.env._("The product, the period and the value are numbers.")
            ) from None
        if value is not False and value is not None:
            if isinstance(value, bool) or not math.isfinite(value):
                raise UserError(self.env._("%(value)s is not a number.", value=value))
            if abs(value) > MAX_OVERRIDE:
                raise UserError(
                    self.env._(
                        "%(value)s is out of range: a cell takes at most %(max)s "
                        "either way.",
                        value=value,
                        max=f"{MAX_OVERRIDE:g}",
                    )
                )
        if not 0 <= period < len(self._periods()):
            raise UserError(self.env._("The sheet has no period %(p)s.", p=period))
        check_ids_exist(self.env, "product_id", product_id)
        if product_id not in (self._scope().product_ids or ()):
            raise UserError(self.env._("This product is not in the sheet."))
        Override = self.env["inventory.balance.sheet.override"]
        existing = Override.search(
            [
                ("sheet_id", "=", self.id),
                ("product_id", "=", product_id),
                ("period", "=", period),
                ("code", "=", column),
            ]
        )
        if value is False or value is None:
            existing.unlink()
        elif existing:
            existing.write({"value": value})
        else:
            Override.create(
                {
                    "sheet_id": self.id,
                    "product_id": product_id,
                    "period": period,
                    "code": column,
                    "value": value,
                }
            )
        return True

    def set_grid_columns(self, codes, visible_codes):
        """Arrange the sheet's columns (for everyone who reads the sheet).

        :param codes: codes of columns the user may see, in their new order;
            they take the places those columns had, so the columns the user
            may not see (or did not name) keep theirs
        :param visible_codes: which of ``codes`` are shown; the others of
            ``codes`` are hidden
        :return: True
        """
        self.ensure_one()
        self.check_access("write")
        codes = list(codes or [])
        allowed = set(self._allowed_columns())
        columns = self.column_ids.sorted(lambda c: (c.sequence, c.id))
        by_code = {column.code: column for column in columns}
        unknown = [code for code in codes if code not in by_code]
        if unknown:
            raise UserError(
                self.env._("Unknown column %(code)s.", code=", ".join(unknown))
            )
        if set(codes) - allowed or set(visible_codes or []) - set(codes):
            raise AccessError(self.env._("You may not see or change this column."))
        if len(set(codes)) != len(codes):
            raise UserError(self.env._("A column appears once in a sheet."))
        moved = iter(codes)
        order = [
            next(moved) if column.code in codes else column.code for column in columns
        ]
        shown = set(visible_codes or [])
        for sequence, code in enumerate(order):
            vals = {"sequence": sequence}
            if code in codes:
                vals["visible"] = code in shown
            by_code[code].write(vals)
        return True

    def move_row(self, product_id, step):
        """Move a product's row up (``step`` -1) or down (1) within its
        product group, for everyone who reads the sheet (the grid, the data
        and the exports follow).

        :param product_id: product variant id (a row of the sheet)
        :param step: -1 (up) or 1 (down); at the top or bottom of its group
            the row stays
        :return: the product ids of the group, in their new order
        """
        self.ensure_one()
        self.check_access("write")
        check_ids_exist(self.env, "product_id", product_id)
        if step not in (-1, 1):
            raise UserError(self.env._("A row moves one place up (-1) or down (1)."))
        # every row of the sheet, group by group, in the order shown
        order = [
            list(products.ids) for _category, products in self._products_by_group()
        ]
        for ids in order:
            if product_id in ids:
                index = ids.index(product_id)
                target = index + step
                if 0 <= target < len(ids):
                    ids[index], ids[target] = ids[target], ids[index]
                    self.row_order = [pid for group in order for pid in group]
                return ids
        raise UserError(self.env._("This product is not in the sheet."))
