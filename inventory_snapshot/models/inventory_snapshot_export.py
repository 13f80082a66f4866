# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Exports of a snapshot's lines and of a comparison: CSV, XLSX and JSON.

A snapshot of a million lines is never in memory at once: its CSV is written
by PostgreSQL (``COPY ... TO STDOUT``) to a temporary file streamed from there;
otherwise the rows are read page by page (keyset pagination on an index,
``BATCH_SIZE`` rows a page): JSON and a comparison's CSV are produced chunk by
chunk, XLSX is written row by row to a temporary file in xlsxwriter's
``constant_memory`` mode.  The rendering itself
is plain Python in ``tools/snapshot_export.py``.
"""

import base64
import os
import re
import tempfile

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.inventory_balance.models.inventory_balance_sheet_explain import (
    EXPORT_MAX_LINES,
)
from odoo.addons.inventory_balance.tools.lines_export import write_lines_worksheet

from ..tools.snapshot_export import (
    COMPARED_QUANTITY,
    COMPARISON_FIELDS,
    FORMATS,
    csv_chunks,
    iso_utc,
    iter_file,
    json_chunks,
    write_xlsx,
)

BATCH_SIZE = 5000
# Rows an export over RPC holds at most (the whole file is in the answer, in
# base64); larger files are downloaded from the routes, streamed.  The system
# parameter ``inventory_snapshot.max_rpc_export_rows`` lowers or raises it.
MAX_RPC_EXPORT_ROWS = 100000
MAX_RPC_EXPORT_PARAMETER = "inventory_snapshot.max_rpc_export_rows"
# The columns of an exported snapshot line, in order.
LINE_FIELDS = (
    "product_id",
    "product",
    "default_code",
    "categ_id",
    "category",
    "warehouse_id",
    "warehouse",
    "location_id",
    "location",
    "condition_id",
    "condition",
    "lot_id",
    "lot",
    "expiration_date",
    "uom_id",
    "uom",
    "on_hand",
    "reserved",
    "available",
    "in_transit",
    "value",
)
LINE_WIDTHS = (10, 40, 16, 9, 30, 12, 20, 11, 36, 12, 20, 8, 18, 20, 8, 12) + (12,) * 5
# Key columns of a comparison row per grouping key, as exported.
COMPARISON_KEYS = {
    "product": ("product_id", "product", "default_code", "uom_id", "uom"),
    "location": ("location_id", "location"),
    "lot": ("lot_id", "lot"),
}


class InventorySnapshotExport(models.AbstractModel):
    _name = "inventory.snapshot.export"
    _description = "Inventory Snapshot Exports"

    # ------------------------------------------------------------ generic
    @api.model
    def _check_format(self, file_format):
        if file_format not in FORMATS:
            raise UserError(
                self.env._(
                    "Unknown export format %(format)s; use one of: %(known)s.",
                    format=file_format,
                    known=", ".join(FORMATS),
                )
            )
        return file_format

    @api.model
    def _max_rpc_rows(self):
        """Rows an export over RPC holds at most."""
        value = (
            self.env["ir.config_parameter"].sudo().get_param(MAX_RPC_EXPORT_PARAMETER)
        )
        try:
            return max(0, int(value)) if value else MAX_RPC_EXPORT_ROWS
        except ValueError:
            return MAX_RPC_EXPORT_ROWS

    @api.model
    def _check_rpc_size(self, count, download):
        """:raise UserError: ``count`` rows are more than an export over RPC
        holds; ``download`` says where the file is downloaded instead."""
        if count > self._max_rpc_rows():
            raise UserError(
                self.env._(
                    "This export has %(count)s rows, more than the %(max)s an "
                    "export over RPC holds: download it from %(download)s "
                    "(streamed).",
                    count=count,
                    max=self._max_rpc_rows(),
                    download=download,
                )
            )

    @api.model
    def _label_sql(self, column):
        """The user's translation of a translated (jsonb) name column."""
        return SQL(
            "COALESCE(%s ->> %s, %s ->> 'en_US')",
            column,
            self.env.lang or "en_US",
            column,
        )

    @api.model
    def _product_name_sql(self, product="pp", template="pt"):
        """The variant's name as Odoo shows it, without the internal reference
        (a column of its own): the template's name, then the values of its
        variant attributes in brackets, e.g. *Storage Box (Blue, Large)*.

        As ``product.product``'s display name: the values of attributes that
        create variants, leaving out those of a line with a single value
        (counting archived values only when one of the variant's is archived),
        in the order of the attribute lines."""
        product, template = SQL.identifier(product), SQL.identifier(template)
        value = self._label_sql(SQL("pav.name"))
        return SQL(
            """
            CONCAT(%(template_name)s, (
                SELECT ' (' || string_agg(%(value)s, ', ' ORDER BY ptal.sequence,
                       pa.sequence, pa.id, ptal.id, pav.sequence, pav.id, ptav.id)
                       || ')'
                  FROM product_variant_combination pvc
                  JOIN product_template_attribute_value ptav
                    ON ptav.id = pvc.product_template_attribute_value_id
                  JOIN product_template_attribute_line ptal
                    ON ptal.id = ptav.attribute_line_id
                  JOIN product_attribute pa ON pa.id = ptav.attribute_id
                  JOIN product_attribute_value pav
                    ON pav.id = ptav.product_attribute_value_id
                 WHERE pvc.product_product_id = %(product)s.id
                   AND pa.create_variant <> 'no_variant'
                   AND (SELECT COUNT(*)
                          FROM product_template_attribute_value other
                         WHERE other.attribute_line_id = ptav.attribute_line_id
                           AND (other.ptav_active OR EXISTS (
                                SELECT 1
                                  FROM product_variant_combination own
                                  JOIN product_template_attribute_value own_v
                                    ON own_v.id
                                       = own.product_template_attribute_value_id
                                 WHERE own.product_product_id = %(product)s.id
                                   AND NOT own_v.ptav_active))) > 1
            ))
            """,
            template_name=self._label_sql(SQL("%s.name", template)),
            value=value,
            product=product,
        )

    @api.model
    def _product_names_sql(self, product_ids):
        """Rows ``(id, name)``: the variant name (``_product_name_sql``) of each
        product of ``product_ids`` (ids, or an SQL query of ids)."""
        return SQL(
            """
            SELECT pp.id, %(name)s AS name
              FROM product_product pp
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE pp.id IN %(ids)s
            """,
            name=self._product_name_sql(),
            ids=SQL("(%s)", product_ids)
            if isinstance(product_ids, SQL)
            else tuple(product_ids),
        )

    @api.model
    def _name_variants(self, rows, names, id_index=0, name_index=1):
        """``rows`` (tuples) with the variant name of the product whose id is
        at ``id_index`` at ``name_index``; ``names`` caches them between
        batches (a product is named once per export)."""
        missing = {row[id_index] for row in rows if row[id_index]} - names.keys()
        if missing:
            self.env.cr.execute(self._product_names_sql(missing))
            names.update(self.env.cr.fetchall())
        return [
            (*row[:name_index], names[row[id_index]], *row[name_index + 1 :])
            if row[id_index]
            else row
            for row in rows
        ]

    @api.model
    def _filename(self, record, file_format):
        if record._name == "inventory.snapshot":
            slug = re.sub(r"[^A-Za-z0-9]+", "-", record.name or "").strip("-")[:40]
            stamp = record.moment.strftime("%Y%m%d-%H%M%S")
            base = f"snapshot-{record.id}-{slug or 'lines'}-{stamp}"
        else:
            base = f"snapshot-comparison-{record.id}"
        return f"{base}.{file_format}"

    @api.model
    def _chunks(self, record, file_format):
        """A generator of the file's bytes (CSV or JSON), reading the rows
        page by page with the cursor of ``record``'s environment as it goes."""
        if record._name == "inventory.snapshot":
            return self._snapshot_chunks(record, file_format)
        return self._comparison_chunks(record, file_format)

    @api.model
    def _write_xlsx(self, record, path):
        if record._name == "inventory.snapshot":
            return self._snapshot_xlsx(record, path)
        return self._comparison_xlsx(record, path)

    @api.model
    def _iter(self, record, file_format):
        """The file's bytes chunk by chunk. XLSX is written to a temporary
        file right away (the file is streamed, then removed); CSV and JSON
        are produced lazily."""
        self._check_format(file_format)
        if file_format != "xlsx":
            return self._chunks(record, file_format)
        handle, path = tempfile.mkstemp(prefix="inventory_snapshot_", suffix=".xlsx")
        os.close(handle)
        try:
            self._write_xlsx(record, path)
        except Exception:
            os.unlink(path)
            raise
        return iter_file(path)

    @api.model
    def _result(self, record, file_format):
        """The whole file for RPC: ``{"filename", "mimetype", "content"}``
        with the content in base64."""
        self._check_format(file_format)
        content = b"".join(self._iter(record, file_format))
        return {
            "filename": self._filename(record, file_format),
            "mimetype": FORMATS[file_format],
            "content": base64.b64encode(content).decode(),
        }

    # ----------------------------------------------------------- snapshot
    @api.model
    def _snapshot_lines_sql(self):
        """Snapshot lines ``l`` with what names them: ``pp``, ``pt``,
        ``categ``, ``wh``, ``loc``, ``cond``, ``lot``, ``uom``."""
        return SQL(
            """
            inventory_snapshot_line l
            LEFT JOIN product_product pp ON pp.id = l.product_id
            LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
            LEFT JOIN product_category categ ON categ.id = l.categ_id
            LEFT JOIN stock_warehouse wh ON wh.id = l.warehouse_id
            LEFT JOIN stock_location loc ON loc.id = l.location_id
            LEFT JOIN inventory_condition cond ON cond.id = l.condition_id
            LEFT JOIN stock_lot lot ON lot.id = l.lot_id
            LEFT JOIN uom_uom uom ON uom.id = l.uom_id
            """
        )

    @api.model
    def _snapshot_line_batches(self, snapshot, batch_size=BATCH_SIZE):
        """The lines of ``snapshot`` in ``LINE_FIELDS`` order, by product,
        location and lot (the order of the checksum), in lists of at most
        ``batch_size`` rows: keyset pagination on the lines' unique index."""
        snapshot.ensure_one()
        cr = self.env.cr
        after = (0, 0, -1)
        names = {}
        while True:
            cr.execute(
                SQL(
                    """
                SELECT l.product_id, %(product)s, pp.default_code,
                       l.categ_id, categ.complete_name, l.warehouse_id, wh.name,
                       l.location_id, loc.complete_name,
                       l.condition_id, %(condition)s, l.lot_id, lot.name,
                       l.expiration_date, l.uom_id, %(uom)s,
                       l.on_hand, l.reserved, l.available, l.in_transit, l.value,
                       COALESCE(l.lot_id, 0)
                  FROM %(lines)s
                 WHERE l.snapshot_id = %(snapshot)s
                   AND (l.snapshot_id, l.product_id, l.location_id,
                        COALESCE(l.lot_id, 0))
                       > (%(snapshot)s, %(product_after)s, %(location_after)s,
                          %(lot_after)s)
                 ORDER BY l.snapshot_id, l.product_id, l.location_id,
                          COALESCE(l.lot_id, 0)
                 LIMIT %(limit)s
                """,
                    product=self._label_sql(SQL("pt.name")),
                    condition=self._label_sql(SQL("cond.name")),
                    uom=self._label_sql(SQL("uom.name")),
                    lines=self._snapshot_lines_sql(),
                    snapshot=snapshot.id,
                    product_after=after[0],
                    location_after=after[1],
                    lot_after=after[2],
                    limit=batch_size,
                )
            )
            rows = cr.fetchall()
            if not rows:
                return
            yield [row[:-1] for row in self._name_variants(rows, names)]
            if len(rows) < batch_size:
                return
            last = rows[-1]
            after = (last[0], last[7], last[-1])

    @api.model
    def _snapshot_head(self, snapshot):
        """What the JSON export says about the snapshot before its lines."""
        currency = snapshot.company_id.currency_id
        return {
            "format": "inventory_snapshot",
            "version": 1,
            "exported_at": iso_utc(fields.Datetime.now()),
            "snapshot": {
                "id": snapshot.id,
                "name": snapshot.name,
                "description": snapshot.description or None,
                "moment": iso_utc(snapshot.moment),
                "taken_at": iso_utc(snapshot.taken_at) if snapshot.taken_at else None,
                "trigger": snapshot.trigger,
                "trigger_ref": snapshot.trigger_ref or None,
                "taken_by": snapshot.user_id.name or None,
                "company_id": snapshot.company_id.id,
                "company": snapshot.company_id.name,
                "is_now": snapshot.is_now,
                "warehouses": snapshot.warehouse_ids.mapped("name"),
                "locations": snapshot.location_ids.mapped("complete_name"),
                "categories": snapshot.categ_ids.mapped("complete_name"),
                "line_count": snapshot.line_count,
                "total_on_hand": snapshot.total_on_hand,
                "total_reserved": snapshot.total_reserved,
                "total_in_transit": snapshot.total_in_transit,
                "total_value": snapshot.total_value,
                "checksum": snapshot.checksum or None,
            },
            "units": {
                "quantities": "the unit of measure of the line's product (uom_id, uom)",
                "value": currency.name,
                "dates": "UTC, ISO 8601",
            },
            "fields": list(LINE_FIELDS),
        }

    @api.model
    def _snapshot_csv_sql(self, snapshot):
        """The lines of ``snapshot`` as CSV text columns named ``LINE_FIELDS``,
        by product, location and lot (the order of the checksum)."""
        return SQL(
            """
            SELECT l.product_id, %(product)s AS product, pp.default_code,
                   l.categ_id, categ.complete_name AS category,
                   l.warehouse_id, wh.name AS warehouse,
                   l.location_id, loc.complete_name AS location,
                   l.condition_id, %(condition)s AS condition,
                   l.lot_id, lot.name AS lot,
                   to_char(l.expiration_date, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                       AS expiration_date,
                   l.uom_id, %(uom)s AS uom,
                   l.on_hand, l.reserved, l.available, l.in_transit, l.value
              FROM %(lines)s
              LEFT JOIN (%(names)s) pn ON pn.id = l.product_id
             WHERE l.snapshot_id = %(snapshot)s
             ORDER BY l.product_id, l.location_id, COALESCE(l.lot_id, 0)
            """,
            product=SQL("pn.name"),
            # each product named once, not once per line
            names=self._product_names_sql(
                SQL(
                    "SELECT DISTINCT product_id FROM inventory_snapshot_line "
                    "WHERE snapshot_id = %s",
                    snapshot.id,
                )
            ),
            condition=self._label_sql(SQL("cond.name")),
            uom=self._label_sql(SQL("uom.name")),
            lines=self._snapshot_lines_sql(),
            snapshot=snapshot.id,
        )

    @api.model
    def _snapshot_csv(self, snapshot):
        """The CSV of a snapshot's lines, written by PostgreSQL itself (``COPY
        ... TO STDOUT``, ten times faster than formatting the rows in Python)
        to a temporary file, then streamed from it chunk by chunk."""
        self.env.flush_all()
        copy = SQL(
            "COPY (%s) TO STDOUT WITH (FORMAT csv, HEADER)",
            self._snapshot_csv_sql(snapshot),
        )
        cr = self.env.cr
        handle, path = tempfile.mkstemp(prefix="inventory_snapshot_", suffix=".csv")
        try:
            with os.fdopen(handle, "wb") as stream:
                # Odoo's cursor has no COPY of its own: its psycopg2 cursor.
                cr._obj.copy_expert(cr.mogrify(copy.code, copy.params), stream)
        except Exception:
            os.unlink(path)
            raise
        yield from iter_file(path)

    @api.model
    def _snapshot_chunks(self, snapshot, file_format):
        if file_format == "csv":
            return self._snapshot_csv(snapshot)
        batches = self._snapshot_line_batches(snapshot)
        return json_chunks(
            self._snapshot_head(snapshot),
            (
                [dict(zip(LINE_FIELDS, row, strict=True)) for row in batch]
                for batch in batches
            ),
            rows_key="lines",
        )

    @api.model
    def _snapshot_xlsx(self, snapshot, path):
        head = self._snapshot_head(snapshot)
        info = [(key, _info_value(value)) for key, value in head["snapshot"].items()]
        info += [(f"unit of {key}", value) for key, value in head["units"].items()]
        info.append(("exported_at", head["exported_at"]))
        return write_xlsx(
            path,
            LINE_FIELDS,
            self._snapshot_line_batches(snapshot),
            sheet_name="Lines",
            info=info,
            widths=LINE_WIDTHS,
        )

    # --------------------------------------------------------- comparison
    @api.model
    def _comparison_batches(self, wizard, batch_size=BATCH_SIZE):
        """The stored rows of a comparison (``COMPARISON_FIELDS`` order), in
        lists of at most ``batch_size``: keyset pagination on the sequence."""
        wizard.ensure_one()
        rows = getattr(wizard, "rows", None)
        if rows is not None:
            # a comparison in memory (``_new_comparison``): named already
            for start in range(0, len(rows), batch_size):
                yield rows[start : start + batch_size]
            return
        if not wizard.compared:
            wizard._fill_lines()
        self.env.flush_all()
        cr = self.env.cr
        after = 0
        names = {}
        while True:
            cr.execute(
                SQL(
                    """
                SELECT l.sequence, l.product_id, %(product)s, pp.default_code,
                       l.location_id, loc.complete_name, l.lot_id, lot.name,
                       l.uom_id, %(uom)s, l.quantities, l.changes,
                       l.change_percents, l.change, l.change_percent,
                       l.max_change, l.status, l.trail
                  FROM inventory_snapshot_compare_line l
                  LEFT JOIN product_product pp ON pp.id = l.product_id
                  LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  LEFT JOIN stock_location loc ON loc.id = l.location_id
                  LEFT JOIN stock_lot lot ON lot.id = l.lot_id
                  LEFT JOIN uom_uom uom ON uom.id = l.uom_id
                 WHERE l.wizard_id = %(wizard)s AND l.sequence > %(after)s
                 ORDER BY l.sequence
                 LIMIT %(limit)s
                """,
                    product=self._label_sql(SQL("pt.name")),
                    uom=self._label_sql(SQL("uom.name")),
                    wizard=wizard.id,
                    after=after,
                    limit=batch_size,
                )
            )
            rows = cr.fetchall()
            if not rows:
                return
            rows = self._name_variants(rows, names, id_index=1, name_index=2)
            yield rows
            if len(rows) < batch_size:
                return
            after = rows[-1][0]

    @api.model
    def _comparison_head(self, wizard):
        columns = wizard.columns or []
        return {
            "format": "inventory_snapshot_comparison",
            "version": 1,
            "exported_at": iso_utc(fields.Datetime.now()),
            "comparison": {
                "company_id": wizard.snapshot_ids.company_id[:1].id or None,
                "quantity": COMPARED_QUANTITY,
                "group_by": wizard.group_by.split(","),
                "only_changes": wizard.only_changes,
                "threshold": wizard.threshold,
                "row_count": wizard.line_count,
            },
            "columns": columns,
            "units": {
                "quantities": "the unit of measure of the row's product (uom_id, uom)",
                "change_percents": "percent of the earlier column (null when zero)",
                "dates": "UTC, ISO 8601",
            },
        }

    @api.model
    def _comparison_flat(self, wizard):
        """(header, row function) of the CSV and XLSX layout of a comparison:
        the compared keys, one quantity per column, then the change and the
        % change between consecutive columns, the overall change and status."""
        keys = [
            name
            for group in wizard.group_by.split(",")
            for name in COMPARISON_KEYS[group]
        ]
        names = [column["name"] for column in wizard.columns or []]
        header = list(keys)
        header += [f"qty {name}" for name in names]
        steps = [f"{names[i - 1]} → {names[i]}" for i in range(1, len(names))]
        header += [f"change {step}" for step in steps]
        header += [f"change % {step}" for step in steps]
        header += ["change", "change %", "status"]

        def flat(row):
            values = dict(zip(COMPARISON_FIELDS, row, strict=True))
            return (
                *(values[key] for key in keys),
                *values["quantities"],
                *values["changes"],
                *values["change_percents"],
                values["change"],
                values["change_percent"],
                values["status"],
            )

        return header, flat

    @api.model
    def _comparison_chunks(self, wizard, file_format):
        batches = self._comparison_batches(wizard)
        if file_format == "csv":
            header, flat = self._comparison_flat(wizard)
            return csv_chunks(
                header, ([flat(row) for row in batch] for batch in batches)
            )
        Compare = self.env["inventory.snapshot.compare"]
        return json_chunks(
            self._comparison_head(wizard),
            (
                [Compare._row_dict(row, missing=None) for row in batch]
                for batch in batches
            ),
            rows_key="rows",
        )

    @api.model
    def _comparison_xlsx(self, wizard, path):
        batches = self._comparison_batches(wizard)
        header, flat = self._comparison_flat(wizard)
        head = self._comparison_head(wizard)
        info = [(key, _info_value(value)) for key, value in head["comparison"].items()]
        info += [
            (f"column {index}", f"{column['name']} ({column['moment']})")
            for index, column in enumerate(head["columns"], start=1)
        ]
        info += [(f"unit of {key}", value) for key, value in head["units"].items()]
        info.append(("exported_at", head["exported_at"]))
        extra = None
        if getattr(wizard, "export_lines", False):
            lines = self._comparison_lines(wizard)

            def extra(workbook):
                write_lines_worksheet(workbook, lines, lines["kind_col"])

        return write_xlsx(
            path,
            header,
            ([flat(row) for row in batch] for batch in batches),
            sheet_name="Comparison",
            info=info,
            extra=extra,
        )

    @api.model
    def _comparison_lines(self, wizard):
        """The Lines worksheet of a comparison (its option Lines in the Excel
        export): per product of its rows, the balance at the first compared
        moment, then every done line up to the last one in the latest
        snapshot's scope (the explain engine's ``_lines_sql``)."""
        ledger = self.env["inventory.ledger"]
        ledger._check_ledger_access()
        line = wizard.line_ids[:1]
        if not line:
            return {"name": "Move lines", "header": [], "rows": [], "kind_col": None}
        snapshots, first, last = line._compared_moments()
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT product_id FROM inventory_snapshot_compare_line "
                "WHERE wizard_id = %s AND product_id IS NOT NULL",
                wizard.id,
            )
        )
        product_ids = sorted(row[0] for row in self.env.cr.fetchall())
        max_lines = ledger._limit_param(
            "inventory_balance.export_max_lines", EXPORT_MAX_LINES
        )
        rows = self.env["inventory.ledger.explain"]._export_lines_rows(
            product_ids,
            [snapshots.company_id[:1].id],
            snapshots[-1:]._scope_location_ids(),
            first,
            last,
            max_lines,
        )
        if len(rows) > max_lines:
            raise UserError(
                self.env._(
                    "The rows exported have more than %(max)s move lines: "
                    "export them without their lines, or compare fewer products.",
                    max=max_lines,
                )
            )
        return self.env["inventory.ledger.explain"]._lines_payload(
            rows, self.env._("Move lines")
        )


def _info_value(value):
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return value
