# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The exports of an Inventory Balance sheet: XLSX (End as live formulas,
overrides highlighted) and CSV, from the rows computed once
(``_compute_groups``).  A mixin of ``inventory.balance.sheet``: ``self`` is
the sheet."""

import base64
import io
import zipfile

from odoo import api, models

from ..tools.sheet_columns import COLUMNS
from ..tools.sheet_export import write_csv, write_xlsx

# At most this many product-periods per export (parameter
# inventory_balance.sheet_export_max_rows).
EXPORT_MAX_ROWS = 200000


class InventoryBalanceSheetExports(models.AbstractModel):
    _name = "inventory.balance.sheet.exports"
    _description = "Inventory Balance Sheet: exports"

    def _export_payload(self):
        self.ensure_one()
        self.check_access("read")
        groups = self._products_by_group()
        self._check_page(
            sum(len(products) for _category, products in groups),
            self.env["inventory.ledger"]._limit_param(
                "inventory_balance.sheet_export_max_rows", EXPORT_MAX_ROWS
            ),
            pageable=False,
        )
        groups = self._compute_groups(groups=groups)
        allowed = set(self._allowed_columns())
        return {
            "columns": self._visible_columns(),
            "labels": {code: self.env._(spec[0]) for code, spec in COLUMNS.items()},
            "periods": self._period_labels(),
            "formula": self._formula_tree(),
            "groups": [
                {
                    "name": group["category"].display_name,
                    "rows": [
                        {
                            "product": row["product"].display_name,
                            "values": [
                                {c: v for c, v in values.items() if c in allowed}
                                for values in row["values"]
                            ],
                            "overrides": row["overrides"],
                        }
                        for row in group["rows"]
                    ],
                }
                for group in groups
            ],
        }

    @api.readonly
    def export_xlsx(self, with_lines=False):
        """The sheet as an XLSX workbook: one worksheet per product group,
        End as live Excel formulas, overrides highlighted.

        :param with_lines: add a last worksheet with the done move lines
            behind the rows (per product: its balance at the sheet's start,
            then every line of the sheet's span with its period and running
            balance)
        :return: dict with ``filename`` and ``content`` (base64)
        """
        payload = self._export_payload()
        if with_lines or self.env.context.get("inventory_export_lines"):
            payload["lines"] = self._export_lines()
        buffer = io.BytesIO()
        write_xlsx(buffer, payload)
        return {
            "filename": f"{self.name}.xlsx",
            "content": base64.b64encode(buffer.getvalue()).decode(),
        }

    @api.readonly
    def export_csv(self):
        """The sheet as CSV, one file per product group.

        :return: list of dicts with ``group``, ``filename`` and ``content``
            (base64 of UTF-8 text)
        """
        payload = self._export_payload()
        return [
            {
                "group": group["name"],
                "filename": f"{self.name} - {group['name']}.csv",
                "content": base64.b64encode(
                    write_csv(payload, group).encode()
                ).decode(),
            }
            for group in payload["groups"]
        ]

    def _download(self, filename, content, mimetype):
        attachment = self.env["ir.attachment"].create(
            {
                "name": filename,
                "datas": content,
                "mimetype": mimetype,
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_export_xlsx(self):
        self.ensure_one()
        export = self.export_xlsx()
        return self._download(
            export["filename"],
            export["content"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    def action_export_csv(self):
        self.ensure_one()
        exports = self.export_csv()
        if len(exports) == 1:
            return self._download(
                exports[0]["filename"], exports[0]["content"], "text/csv"
            )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for export in exports:
                archive.writestr(
                    export["filename"], base64.b64decode(export["content"])
                )
        return self._download(
            f"{self.name}.zip",
            base64.b64encode(buffer.getvalue()),
            "application/zip",
        )
