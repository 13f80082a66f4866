# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Download routes of snapshot and comparison exports, streamed.

Access: the user needs read access to the model (else 403 Forbidden) and to the
record (record rules: companies, own comparisons; else 404 Not Found, as for a
record that does not exist, so that nothing is revealed about it).
"""

from werkzeug.exceptions import Forbidden, NotFound

from odoo import api, http
from odoo.http import content_disposition, request

from ..tools.snapshot_export import FORMATS


class InventorySnapshotExportController(http.Controller):
    @http.route(
        "/inventory_snapshot/<int:snapshot_id>/export/<string:file_format>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def export_snapshot(self, snapshot_id, file_format, **kwargs):
        """The lines of a snapshot as a CSV, XLSX or JSON file."""
        snapshot = self._accessible_record("inventory.snapshot", snapshot_id)
        snapshot._ensure_lines()
        return self._stream(snapshot, file_format)

    @http.route(
        "/inventory_snapshot/compare/<int:wizard_id>/export/<string:file_format>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def export_comparison(self, wizard_id, file_format, **kwargs):
        """The rows of a comparison (made in the comparison wizard) as a CSV,
        XLSX or JSON file."""
        wizard = self._accessible_record("inventory.snapshot.compare", wizard_id)
        if not wizard.compared:
            wizard._fill_lines()
        return self._stream(wizard, file_format)

    def _accessible_record(self, model, record_id):
        records = request.env[model]
        if not records.has_access("read"):
            raise Forbidden()
        record = records.browse(record_id).exists()
        if not record or not record.has_access("read"):
            raise NotFound()
        return record

    def _stream(self, record, file_format):
        if file_format not in FORMATS:
            raise NotFound()
        exporter = request.env["inventory.snapshot.export"]
        headers = [
            ("Content-Type", FORMATS[file_format]),
            (
                "Content-Disposition",
                content_disposition(exporter._filename(record, file_format)),
            ),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
        ]
        if file_format == "xlsx":
            # written to a temporary file now, then streamed from it
            body = exporter._iter(record, file_format)
        else:
            body = _lazy_chunks(record, file_format)
        return request.make_response(body, headers=headers)


def _lazy_chunks(record, file_format):
    """Produce the file while it is sent.  The request's cursor is closed by
    then, so the rows are read with a cursor of their own, opened for the
    first chunk and closed after the last one (the user's rights were checked
    before)."""
    registry = record.env.registry
    uid, context = record.env.uid, dict(record.env.context)
    model, ids = record._name, record.ids

    def chunks():
        with registry.cursor() as cr:
            env = api.Environment(cr, uid, context)
            yield from env["inventory.snapshot.export"]._chunks(
                env[model].browse(ids), file_format
            )

    return chunks()
