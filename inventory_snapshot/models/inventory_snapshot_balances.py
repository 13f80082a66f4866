# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The balances of an inventory snapshot, written as its lines (live quants
for a snapshot of now, the ledger engine for a past moment): inserted,
summed and checksummed in one statement; the reservations per sales
channel; and the lines a period close leaves to the background job (copied
from its checkpoint).  A mixin of ``inventory.snapshot``: ``self`` is the
snapshot."""

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class InventorySnapshotBalances(models.AbstractModel):
    _name = "inventory.snapshot.balances"
    _description = "Inventory Snapshot: balances"

    def _scope(self):
        """The snapshot's scope, resolved by the suite's one resolver
        (``inventory.scope``): every product of its categories (storable or
        not any more, archived ones included)."""
        self.ensure_one()
        return self.env["inventory.scope"]._resolve(
            self.company_id,
            self.warehouse_ids,
            self.location_ids,
            self.categ_ids,
            names={"company": "company_id"},
        )

    def _scope_location_ids(self):
        """Location ids for the engine (children included), or None for all."""
        roots = self._scope().location_roots
        return list(roots) if roots else None

    def _scope_product_ids(self):
        """Product ids of the scope's categories, or None for every product."""
        product_ids = self._scope().product_ids
        return None if product_ids is None else list(product_ids)

    def _balances_sql(self):
        """SELECT of (product_id, location_id, lot_id, on_hand_all, reserved)
        for this snapshot: live quants for a snapshot of now, the ledger engine
        for a past moment."""
        self.ensure_one()
        ledger = self.env["inventory.ledger"]
        scope = self._scope()
        location_ids = list(scope.location_roots) if scope.location_roots else None
        product_ids = None if scope.product_ids is None else list(scope.product_ids)
        company_ids = [self.company_id.id]
        if self.is_now:
            where = [
                SQL("q.company_id = %s", self.company_id.id),
                SQL(
                    "q.location_id IN (SELECT id FROM (%s) scope)",
                    ledger._scope_locations_sql(company_ids, location_ids),
                ),
            ]
            if product_ids is not None:
                where.append(SQL("q.product_id = ANY(%s)", product_ids))
            return SQL(
                """
                SELECT q.product_id, q.location_id, q.lot_id,
                       SUM(q.quantity) AS quantity,
                       SUM(q.reserved_quantity) AS reserved
                  FROM stock_quant q
                 WHERE %s
                 GROUP BY q.product_id, q.location_id, q.lot_id
                HAVING SUM(q.quantity) <> 0 OR SUM(q.reserved_quantity) <> 0
                """,
                SQL(" AND ").join(where),
            )
        balances, _method = ledger._balance_sql(
            self.moment,
            ("product", "location", "lot"),
            company_ids,
            location_ids=location_ids,
            product_ids=product_ids,
        )
        return SQL(
            "SELECT product_id, location_id, lot_id, quantity, 0 AS reserved "
            "FROM (%s) b",
            balances,
        )

    def _write_lines(self):
        """Write the lines and the header totals: one INSERT ... SELECT, whose
        statement also sums and seals the rows it inserted."""
        self.ensure_one()
        # Balances summed from a checkpoint: see the engine.
        from_checkpoint = not self.is_now and self.env[
            "inventory.ledger"
        ]._from_checkpoint(self.moment, [self.company_id.id])
        totals = self._insert_lines(self._balances_sql(), from_checkpoint)
        if self.is_now:
            self._write_channels()
        self._store_totals(totals)

    def _insert_lines(self, balances, from_checkpoint=False):
        """Insert the lines from ``balances`` (see ``_insert_lines_sql``) in
        one statement, which also sums and seals them; return its row for
        ``_store_totals``."""
        self.ensure_one()
        ledger = self.env["inventory.ledger"]
        # Every id comes from existing rows read in the same statement.
        with ledger._bulk_insert_settings(balances=from_checkpoint, hash_joins=True):
            self.env.cr.execute(
                SQL(
                    "WITH inserted AS (%s) %s",
                    self._insert_lines_sql(balances),
                    self._totals_sql("inserted"),
                )
            )
            return self.env.cr.fetchone()

    def _insert_lines_sql(self, balances):
        """The INSERT of the snapshot's lines from ``balances`` (rows of
        ``product_id``, ``location_id``, ``lot_id``, ``quantity``,
        ``reserved``), returning what ``_totals_sql`` reads.

        The lines are inserted in the order of their unique key, so that each
        goes to the key index's rightmost page."""
        self.ensure_one()
        cr = self.env.cr
        expiry = SQL("NULL::timestamp")
        cr.execute(
            "SELECT 1 FROM information_schema.columns "
            "WHERE table_name = 'stock_lot' AND column_name = 'expiration_date'"
        )
        if cr.fetchone():
            expiry = SQL("lot.expiration_date")
        return SQL(
            """
            INSERT INTO inventory_snapshot_line
                (snapshot_id, company_id, moment, product_id, categ_id, warehouse_id,
                 location_id, condition_id, lot_id, expiration_date, uom_id,
                 on_hand, reserved, available, in_transit, value)
            SELECT %(snapshot)s, %(company)s, %(moment)s, b.product_id, pt.categ_id,
                   loc.warehouse_id, b.location_id, loc.condition_id, b.lot_id,
                   %(expiry)s, pt.uom_id,
                   CASE WHEN loc.usage = 'internal' THEN b.quantity ELSE 0 END,
                   b.reserved,
                   CASE WHEN loc.usage = 'internal' AND NOT loc.inventory_unavailable
                        THEN b.quantity - b.reserved ELSE 0 END,
                   CASE WHEN loc.usage = 'transit' THEN b.quantity ELSE 0 END,
                   b.quantity * %(cost)s
              FROM (%(balances)s) b
              JOIN stock_location loc ON loc.id = b.location_id
              JOIN product_product pp ON pp.id = b.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN stock_lot lot ON lot.id = b.lot_id
             ORDER BY b.product_id, b.location_id, COALESCE(b.lot_id, 0)
            RETURNING product_id, location_id, lot_id, on_hand, reserved, in_transit,
                      value
            """,
            snapshot=self.id,
            company=self.company_id.id,
            moment=self.moment,
            expiry=expiry,
            cost=self.env["inventory.ledger"]._product_cost_sql(self.company_id.id),
            balances=balances,
        )

    @api.model
    def _totals_sql(self, inserted):
        """One row: the count, the totals and the checksum of the lines in the
        CTE ``inserted`` (see ``_insert_lines_sql``), for ``_store_totals``."""
        return SQL(
            """
            SELECT COUNT(*), COALESCE(SUM(on_hand), 0), COALESCE(SUM(reserved), 0),
                   COALESCE(SUM(in_transit), 0), COALESCE(SUM(value), 0),
                   %(checksum)s
              FROM %(inserted)s
            """,
            checksum=self._checksum_expression_sql(),
            inserted=SQL.identifier(inserted),
        )

    def _store_totals(self, totals, **vals):
        """Write the header's totals and checksum from ``_totals_sql``'s row
        (and ``vals``), then seal the header."""
        self.ensure_one()
        count, on_hand, reserved, in_transit, value, checksum = totals
        self.invalidate_recordset(["line_ids", "channel_ids"])
        self._trusted().write(
            {
                "line_count": count,
                "total_on_hand": on_hand,
                "total_reserved": reserved,
                "total_in_transit": in_transit,
                "total_value": value,
                "checksum": checksum,
                **vals,
            }
        )
        self.env["inventory.snapshot.seal"]._seal(self)

    def _write_channels(self):
        """Reserved quantity per product and sales channel, from the reserved
        move lines: the sales team or website of the sale order when
        ``sale_stock`` is installed, the point of sale with ``point_of_sale``."""
        self.ensure_one()
        Move = self.env["stock.move"]
        joins, channel = [], SQL("'Other'")
        if "sale_line_id" in Move._fields:
            joins.append(
                SQL(
                    "LEFT JOIN sale_order_line sol ON sol.id = mv.sale_line_id "
                    "LEFT JOIN sale_order so ON so.id = sol.order_id "
                    "LEFT JOIN crm_team team ON team.id = so.team_id"
                )
            )
            if "website_id" in self.env["sale.order"]._fields:
                joins.append(SQL("LEFT JOIN website web ON web.id = so.website_id"))
                channel = SQL(
                    "COALESCE('Website: ' || web.name, 'Sales team: ' || "
                    "(team.name ->> 'en_US'), %s)",
                    channel,
                )
            else:
                channel = SQL(
                    "COALESCE('Sales team: ' || (team.name ->> 'en_US'), %s)", channel
                )
        if "pos_order_id" in self.env["stock.picking"]._fields:
            joins.append(SQL("LEFT JOIN stock_picking pk ON pk.id = mv.picking_id"))
            channel = SQL(
                "CASE WHEN pk.pos_order_id IS NOT NULL THEN 'Point of Sale' "
                "ELSE %s END",
                channel,
            )
        ledger = self.env["inventory.ledger"]
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO inventory_snapshot_channel
                (snapshot_id, company_id, product_id, channel, reserved)
            SELECT %(snapshot)s, %(company)s, ml.product_id, %(channel)s,
                   SUM(ml.quantity_product_uom)
              FROM stock_move_line ml
              JOIN stock_move mv ON mv.id = ml.move_id
              %(joins)s
             WHERE ml.state NOT IN ('done', 'cancel', 'draft')
               AND ml.location_id IN (SELECT id FROM (%(scope)s) scope)
               %(products)s
             GROUP BY 3, 4
            """,
                snapshot=self.id,
                company=self.company_id.id,
                channel=channel,
                joins=SQL(" ").join(joins),
                scope=ledger._scope_locations_sql(
                    [self.company_id.id], self._scope_location_ids()
                ),
                products=SQL("AND ml.product_id = ANY(%s)", self._scope_product_ids())
                if self.categ_ids
                else SQL(),
            )
        )

    @api.model
    def _checksum_expression_sql(self):
        """The aggregate hashing the canonical text of the lines read (as
        ``snapshot_checksum`` builds it) in PostgreSQL."""
        return SQL(
            """
            encode(sha256(convert_to(COALESCE(string_agg(
                COALESCE(product_id::text, '') || '|' ||
                COALESCE(location_id::text, '') || '|' ||
                COALESCE(lot_id::text, '') || '|' ||
                ROUND(COALESCE(on_hand, 0)::numeric, 6)::text || '|' ||
                ROUND(COALESCE(reserved, 0)::numeric, 6)::text || '|' ||
                ROUND(COALESCE(in_transit, 0)::numeric, 6)::text || '|' ||
                ROUND(COALESCE(value, 0)::numeric, 6)::text || E'\\n',
                '' ORDER BY product_id, location_id, COALESCE(lot_id, 0)
            ), ''), 'UTF8')), 'hex')
            """
        )

    def _checksum_sql(self):
        """The checksum of the snapshot's stored lines."""
        return SQL(
            "SELECT %s FROM inventory_snapshot_line WHERE snapshot_id = %s",
            self._checksum_expression_sql(),
            self.id,
        )

    def _compute_checksum(self):
        self.ensure_one()
        self.env.cr.execute(self._checksum_sql())
        return self.env.cr.fetchone()[0]

    def _write_lines_later(self, checkpoint):
        """Leave the lines to the background job, which copies them from
        ``checkpoint`` (the same balances: see ``_checkpoint_balances_sql``).

        :raise ValueError: the checkpoint is not of the snapshot's company and
            moment, or the snapshot does not cover the whole company
        """
        self.ensure_one()
        if (
            checkpoint.company_id != self.company_id
            or checkpoint.moment != self.moment
            or checkpoint.state != "valid"
            or self.location_ids
            or self.warehouse_ids
            or self.categ_ids
            or self.is_now
        ):
            raise ValueError(
                f"snapshot {self.id} cannot take its lines from checkpoint "
                f"{checkpoint.id}: only a snapshot of a past moment of a whole "
                "company takes them from the valid checkpoint of that moment"
            )
        self._trusted().write({"lines_checkpoint_id": checkpoint.id})
        self.env.ref(
            "inventory_snapshot.ir_cron_inventory_snapshot_pending_lines"
        )._trigger()

    def _checkpoint_balances_sql(self):
        """The snapshot's balances from the rows of its pending checkpoint,
        summed per product, location and lot as the engine sums them."""
        self.ensure_one()
        ledger = self.env["inventory.ledger"]
        return SQL(
            """
            SELECT product_id, location_id, lot_id, %(quantity)s AS quantity,
                   0 AS reserved
              FROM inventory_ledger_checkpoint_line
             WHERE checkpoint_id = %(checkpoint)s
             GROUP BY product_id, location_id, lot_id
            HAVING %(nonzero)s
            """,
            quantity=ledger._summed_quantity_sql(),
            nonzero=ledger._nonzero_balance_sql(),
            checkpoint=self.lines_checkpoint_id.id,
        )

    def _write_pending_lines(self):
        """Write the lines left to the background job, from their checkpoint:
        one INSERT ... SELECT per snapshot, which also seals them.  The
        snapshot's row is locked first, so that two transactions (the job and
        a user opening the lines) cannot both write them."""
        if not self:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM inventory_snapshot WHERE id = ANY(%s) "
                "AND lines_checkpoint_id IS NOT NULL ORDER BY id FOR NO KEY UPDATE",
                self.ids,
            )
        )
        pending = self.browse(row[0] for row in self.env.cr.fetchall())
        pending.invalidate_recordset(["lines_checkpoint_id"])
        # Oldest first: a closing snapshot seals the previous one's seal.
        for snapshot in pending.sorted(lambda s: (s.moment, s.id)):
            if not snapshot.lines_checkpoint_id:
                continue  # written meanwhile, as the previous one of another
            totals = snapshot._insert_lines(snapshot._checkpoint_balances_sql())
            snapshot._store_totals(totals, lines_checkpoint_id=False)

    def _ensure_lines(self):
        """Write the pending lines of these snapshots now (before they are
        read); the callers checked the user's access to them first.  For the
        paths that write (the Lines and Verify buttons, ``verify``, the
        comparison wizard, the download routes), never for a read-only one:
        see ``_check_lines_written``."""
        self.sudo().filtered("lines_checkpoint_id")._write_pending_lines()

    def _check_lines_written(self):
        """The read-only paths (``export_snapshot``, ``compare_snapshots``,
        ``export_comparison``, ``check_integrity``) never write: a snapshot
        whose lines a period close left to the scheduled action (for the few
        moments until it runs) is refused, saying how to go on.

        :raise UserError: some of these snapshots have pending lines
        """
        pending = self.sudo().filtered("lines_checkpoint_id")
        if pending:
            raise UserError(
                self.env._(
                    "The lines of the snapshot %(names)s are still being copied "
                    "from the period close's checkpoint by the scheduled action "
                    "Inventory: write the pending lines of snapshots. Try again "
                    "in a moment, or write them now: the Lines or Verify button "
                    "of the snapshot, or verify over RPC.",
                    names=", ".join(pending.mapped("name")),
                )
            )

    @api.model
    def _cron_write_pending_lines(self):
        """Write the lines the period closes left to this job."""
        self.sudo().search(
            [("lines_checkpoint_id", "!=", False)]
        )._write_pending_lines()
