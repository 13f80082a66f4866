# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError


class InventoryLedgerCheckpointLine(models.Model):
    """One balance of a checkpoint.  The rows are written by the checkpoint's
    build in one ``INSERT ... SELECT`` and deleted by its rebuild or prune in
    one ``DELETE``: never through the ORM, not even by administrators (the
    engine answers from them)."""

    _name = "inventory.ledger.checkpoint.line"
    _description = "Stock Ledger Checkpoint Balance"
    _log_access = False
    _check_company_auto = True

    checkpoint_id = fields.Many2one(
        "inventory.ledger.checkpoint", required=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(related="checkpoint_id.company_id")
    product_id = fields.Many2one(
        "product.product",
        required=True,
        ondelete="restrict",
        readonly=True,
        check_company=True,
    )
    location_id = fields.Many2one(
        "stock.location",
        required=True,
        ondelete="restrict",
        readonly=True,
        check_company=True,
    )
    lot_id = fields.Many2one(
        "stock.lot", ondelete="restrict", readonly=True, check_company=True
    )
    package_id = fields.Many2one(
        "stock.package", ondelete="restrict", readonly=True, check_company=True
    )
    owner_id = fields.Many2one(
        "res.partner", ondelete="restrict", readonly=True, check_company=True
    )
    quantity = fields.Float(digits="Product Unit", readonly=True)
    last_date = fields.Datetime(
        readonly=True, help="Date of the last done move line on this balance."
    )

    # The engine reads a checkpoint's rows in key order from this index alone.
    _checkpoint_key_index = models.Index(
        "(checkpoint_id, product_id, location_id, lot_id, package_id, owner_id) "
        "INCLUDE (quantity, last_date)"
    )

    def _refuse_by_hand(self):
        raise AccessError(
            self.env._(
                "Checkpoint balances are written only by the checkpoint's build "
                "(Rebuild), never by hand."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._refuse_by_hand()
        return super().create(vals_list)

    def write(self, vals):
        self._refuse_by_hand()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never_by_hand(self):
        self._refuse_by_hand()

    def init(self):
        res = super().init()
        # Replaced by the key index above (addon version 19.0.1.x).
        self.env.cr.execute(
            "DROP INDEX IF EXISTS "
            "inventory_ledger_checkpoint_line_checkpoint_location_p_014d73b8, "
            "inventory_ledger_checkpoint_line__checkpoint_id_index"
        )
        # A checkpoint inserts its balances at once (340,000 rows at 10M move
        # lines) into a table that holds every checkpoint.  By default
        # PostgreSQL vacuums an insert-only table after a fifth of its size in
        # new rows and analyzes it after a tenth: until then the engine reads
        # the new checkpoint's rows from the table instead of its index (its
        # pages not marked all-visible: 1 s instead of 0.1 s at 10M) and the
        # planner guesses one row for it.  Vacuum and analyze after each
        # checkpoint instead.
        self.env.cr.execute(
            "ALTER TABLE inventory_ledger_checkpoint_line SET ("
            "autovacuum_vacuum_insert_threshold = 10000, "
            "autovacuum_vacuum_insert_scale_factor = 0, "
            "autovacuum_analyze_threshold = 10000, "
            "autovacuum_analyze_scale_factor = 0)"
        )
        return res
