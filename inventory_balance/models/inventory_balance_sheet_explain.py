# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from bisect import bisect_right

from odoo import fields, models
from odoo.exceptions import UserError

from ..tools.sheet_columns import COLUMNS, FLOW_COLUMNS, column_flows
from ..tools.sheet_periods import ONE_TICK

# At most this many move lines in an export's Lines worksheet (parameter
# inventory_balance.export_max_lines); an XLSX worksheet holds 1,048,576 rows.
EXPORT_MAX_LINES = 1000000


class InventoryBalanceSheet(models.Model):
    """A sheet's cell explains itself: the done move lines behind it."""

    _inherit = "inventory.balance.sheet"

    def _explain_cell_request(self, product_id, period, column):
        """``(title, request)``: what the lines behind the cell are, as the
        arguments of ``inventory.ledger.explain.explain``, and the title
        saying so (and, for a cell typed over, by whom)."""
        self.ensure_one()
        periods = self._periods()
        if not isinstance(period, int) or not 0 <= period < len(periods):
            raise UserError(self.env._("The sheet has no period %(p)s.", p=period))
        if column not in COLUMNS or column not in self._allowed_columns():
            raise UserError(self.env._("The sheet has no column %(c)s.", c=column))
        if column == "unit_cost":
            raise UserError(self.env._("A unit cost is not made of move lines."))
        product = self.env["product.product"].browse(product_id).exists()
        if not product or product.id not in self._product_ids():
            raise UserError(self.env._("This product is not a row of the sheet."))
        start, stop = periods[period]
        moment = self.refresh_moment or fields.Datetime.now()
        first = min(start - ONE_TICK, moment)
        end = min(stop - ONE_TICK, moment)
        request = {
            "company_id": self.company_id.id,
            "location_id": self._scope_location_ids() or False,
        }
        label = self._column_labels().get(column, column)
        notes = []
        if column == "beginning":
            request["at"] = fields.Datetime.to_string(first)
            if period:
                notes.append(
                    self.env._(
                        "the balance at the period's start; the sheet's Beginning "
                        "is the previous period's End"
                    )
                )
        elif column in FLOW_COLUMNS:
            kinds, direction, sign = column_flows(column)
            request.update(
                date_from=fields.Datetime.to_string(first),
                date_to=fields.Datetime.to_string(max(first, end)),
                kinds=kinds,
                direction=direction or False,
            )
            if sign < 0:
                notes.append(self.env._("the sheet shows minus their total"))
        else:
            request["at"] = fields.Datetime.to_string(end)
            if column == "end":
                notes.append(
                    self.env._(
                        "the balance at the period's end; End is the formula %(f)s",
                        f=self.formula,
                    )
                )
            elif column in ("variance", "end_value"):
                notes.append(self.env._("the balance at the period's end"))
        if stop - ONE_TICK > moment:
            notes.append(
                self.env._("moves planned after %(m)s are not lines yet", m=moment)
            )
        override = self.override_ids.filtered(
            lambda o: (
                o.product_id.id == product.id
                and o.period == period
                and o.code == column
            )
        )[:1]
        if override:
            notes.append(
                self.env._(
                    "typed over (%(value)s) by %(user)s on %(date)s",
                    value=override.value,
                    user=override.user_id.name,
                    date=fields.Datetime.to_string(override.date),
                )
            )
        title = self.env._(
            "%(column)s of %(product)s, %(period)s",
            column=label,
            product=product.display_name,
            period=self._period_labels()[period],
        )
        if notes:
            title = f"{title} ({'; '.join(notes)})"
        return title, request

    def action_explain_cell(self, product_id, period, column):
        """The lines behind a cell of the sheet (the grid's explain link):
        Beginning, the lines up to the period's start; a flow column, that
        flow's lines in the period; End, Actual, Variance, the lines up to
        the period's end; a cell typed over says so, and by whom.

        :param product_id: the row's product variant
        :param period: index of the period, from 0
        :param column: column code, e.g. ``sales``
        :return: a window action on the lines
        """
        self.ensure_one()
        self.check_access("read")
        title, request = self._explain_cell_request(product_id, period, column)
        return self.env["inventory.ledger.explain"]._explain_action(
            title, product_id, **request
        )

    # ------------------------------------------------------------ exports
    def _export_lines(self):
        """The Lines worksheet of the XLSX export: per product of the sheet,
        its balance at the sheet's start (opening), then every done line of
        the sheet's span in its locations, with its period and running
        balance (set-based: ``inventory.ledger.explain._lines_sql``)."""
        self.ensure_one()
        ledger = self.env["inventory.ledger"]
        periods = self._periods()
        moment = self.refresh_moment or fields.Datetime.now()
        start = min(periods[0][0] - ONE_TICK, moment)
        stop = min(periods[-1][1] - ONE_TICK, moment)
        product_ids = self._product_ids()
        max_lines = ledger._limit_param(
            "inventory_balance.export_max_lines", EXPORT_MAX_LINES
        )
        rows = self.env["inventory.ledger.explain"]._export_lines_rows(
            product_ids,
            [self.company_id.id],
            self._scope_location_ids(),
            start,
            stop,
            max_lines,
        )
        if len(rows) > max_lines:
            raise UserError(
                self.env._(
                    "The rows exported have more than %(max)s move lines: export "
                    "fewer periods or product groups with their lines.",
                    max=max_lines,
                )
            )
        labels = self._period_labels()
        starts = [start for start, _stop in periods]
        return self.env["inventory.ledger.explain"]._lines_payload(
            rows,
            self.env._("Lines"),
            period_of=lambda date: labels[max(bisect_right(starts, date) - 1, 0)],
        )

    def action_export_xlsx_lines(self):
        """Export XLSX with a last worksheet of the move lines behind the
        rows."""
        self.ensure_one()
        return self.with_context(inventory_export_lines=True).action_export_xlsx()
