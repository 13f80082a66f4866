# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The corrections of the period-end balance run: per batch of products,
the findings checked again with the quants locked, then corrected as the
source-of-truth matrix of ``tools/balance_rules.py`` says.  A mixin of
``inventory.balance.run``: ``self`` is the run."""

from odoo import fields, models, modules
from odoo.tools import SQL, split_every

from ..tools.balance_rules import (
    CORRECTION_STAGES,
    RULES,
    get_rule,
    line_message,
)
from .inventory_balance_run_checks import KEY

BATCH_SIZE = 1000
# Reported rules reading the quants (and the aged inventory, the ledger's
# against the quants): checked again after a batch's corrections, which may
# have settled them.
RECHECKED_AFTER = (
    "negative",
    "lot_missing",
    "serial_quantity",
    "package_location",
    "archived_location",
    "reserved_above_on_hand",
    "lot_product",
    "not_storable",
    "ageing_on_hand",
)


class InventoryBalanceRunCorrections(models.AbstractModel):
    _name = "inventory.balance.run.corrections"
    _description = "Inventory Balance Run: corrections"

    def _apply_corrections(self):
        """Correct the proposed findings, batch by batch; return
        ``{"corrected": {code: n}, "remaining": {code: n}}``: per rule, the
        findings that a correction settled and those that remain (reported
        for a person, or that no correction could settle).  A run that
        corrected nothing stays checked."""
        self.ensure_one()
        before = self.get_counts()
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT product_id FROM inventory_balance_run_line "
                "WHERE run_id = %s AND action = 'proposed' ORDER BY product_id",
                self.id,
            )
        )
        product_ids = [row[0] for row in self.env.cr.fetchall() if row[0]]
        for batch in split_every(BATCH_SIZE, product_ids, list):
            self._correct_batch(batch)
            if not modules.module.current_test:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        if self._checks_valuation():
            self._correct_valuation()
        remaining = self._remaining_counts()
        corrected = {
            code: max(count - remaining.get(code, 0), 0)
            for code, count in before.items()
        }
        taken = sum(corrected.values())
        self._store_counts(corrected)
        if not taken:
            self.message_post(
                body=self.env._(
                    "Nothing corrected: %(remaining)s findings remain (reported "
                    "for a person, or no correction could settle them); the run "
                    "stays checked.",
                    remaining=sum(remaining.values()),
                )
            )
            return {"corrected": corrected, "remaining": remaining}
        self._write_workflow(
            {
                "state": "corrected",
                "corrected_by": self.env.user.id,
                "corrected_at": fields.Datetime.now(),
            }
        )
        self.message_post(
            body=self.env._(
                "Corrected (%(policy)s as truth): %(taken)s findings corrected on "
                "%(products)s products, %(remaining)s remain.%(documents)s",
                policy=dict(self._fields["truth_policy"].selection)[self.truth_policy],
                taken=taken,
                remaining=sum(remaining.values()),
                products=len(product_ids),
                documents="".join(
                    " " + self.env._("%(kind)s: %(names)s", kind=kind, names=names)
                    for kind, names in (
                        (
                            self.env._("Adjustments posted"),
                            ", ".join(self.adjustment_ids.mapped("name")),
                        ),
                        (
                            self.env._("Closing entries posted"),
                            ", ".join(self.sudo().account_move_ids.mapped("name")),
                        ),
                    )
                    if names
                ),
            )
        )
        return {"corrected": corrected, "remaining": remaining}

    def _correct_batch(self, product_ids):
        """Check the batch again with its quants locked, then correct it."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM stock_quant WHERE product_id = ANY(%s) "
                "ORDER BY id FOR UPDATE",
                product_ids,
            )
        )
        # Only the rules this run corrects are checked again, stage by stage,
        # each after the corrections it depends on: the others' findings do
        # not change with the corrections.
        options = self._options()
        targets = SQL(
            "SELECT * FROM inventory_balance_run_line WHERE run_id = %s "
            "AND action = 'proposed' AND product_id = ANY(%s)",
            self.id,
            product_ids,
        )
        lot_ids, package_ids = set(), set()
        for stage in CORRECTION_STAGES:
            codes = [
                code
                for code in stage
                if get_rule(code).corrects(self.truth_policy, options)
            ]
            if not codes:
                continue
            self._run_checks(product_ids, codes=codes)
            self.env.cr.execute(
                SQL(
                    "SELECT ARRAY_AGG(DISTINCT lot_id) FILTER "
                    "(WHERE lot_id IS NOT NULL), ARRAY_AGG(DISTINCT package_id) "
                    "FILTER (WHERE package_id IS NOT NULL) FROM (%s) t",
                    targets,
                )
            )
            lots_found, packages_found = self.env.cr.fetchone()
            lot_ids.update(lots_found or [])
            package_ids.update(packages_found or [])
            for code in codes:
                correction = get_rule(code).correction(self.truth_policy)
                getattr(self, f"_correct_{correction.action}")(
                    SQL("%s AND rule_code = %s", targets, code)
                )
            self.env.invalidate_all()
        # What Odoo stores from the quants follows them: the place of a lot
        # and of a package.
        self.env.invalidate_all()
        lots = self.env["stock.lot"].browse(list(lot_ids))
        packages = self.env["stock.package"].browse(list(package_ids))
        self.env.add_to_compute(lots._fields["location_id"], lots)
        self.env.add_to_compute(packages._fields["location_id"], packages)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            UPDATE inventory_balance_run_line
               SET action = 'taken', message = CASE rule_code %(messages)s END
             WHERE run_id = %(run)s AND action = 'proposed'
               AND product_id = ANY(%(products)s)
            """,
                messages=SQL(" ").join(
                    SQL(
                        "WHEN %s THEN %s",
                        rule.code,
                        line_message(
                            rule.code, self.truth_policy, self._options(), taken=True
                        ),
                    )
                    for rule in RULES
                ),
                run=self.id,
                products=product_ids,
            )
        )
        taken = self.env.cr.rowcount
        self.env.invalidate_all()
        # The reported rules that read the quants only, checked again: the
        # corrections may have settled them (a reservation above on hand
        # that the reservations explained).  The aged inventory only where
        # the batch has its findings (it reads every incoming line; the
        # corrections, which bring quants and ledger together, make none).
        codes = RECHECKED_AFTER
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM inventory_balance_run_line WHERE run_id = %s "
                "AND rule_code = 'ageing_on_hand' AND product_id = ANY(%s) LIMIT 1",
                self.id,
                product_ids,
            )
        )
        if not self.env.cr.fetchone():
            codes = tuple(code for code in codes if code != "ageing_on_hand")
        self._run_checks(product_ids, codes=codes)
        return taken

    @staticmethod
    def _key_join(left, right):
        return SQL(" AND ").join(
            SQL(
                "%s IS NOT DISTINCT FROM %s",
                SQL.identifier(left, column),
                SQL.identifier(right, column),
            )
            for column in KEY
        )

    def _quant_date_fields(self):
        """The quant's stored lot dates (``product_expiry``), if installed."""
        quant_fields = self.env["stock.quant"]._fields
        return [
            name
            for name in ("expiration_date", "removal_date")
            if name in quant_fields and quant_fields[name].store
        ]

    @staticmethod
    def _ledger_in_date_sql(key):
        """The incoming date the ledger gives the key of the row ``key``
        (product, location, lot, package, owner): the date of the key's last
        done line into its location (NULL when there is none)."""
        return SQL(
            """(SELECT MAX(ml.date) FROM stock_move_line ml
                 WHERE ml.state = 'done' AND ml.product_id = %(k)s.product_id
                   AND ml.location_dest_id = %(k)s.location_id
                   AND ml.lot_id IS NOT DISTINCT FROM %(k)s.lot_id
                   AND ml.result_package_id IS NOT DISTINCT FROM %(k)s.package_id
                   AND ml.owner_id IS NOT DISTINCT FROM %(k)s.owner_id)""",
            k=SQL.identifier(key),
        )

    def _lot_dates_set_sql(self, quant="q"):
        """``, expiration_date = lot.expiration_date, ...`` for an UPDATE of
        quants ``quant`` with their lot as ``lot`` (nothing without
        ``product_expiry``)."""
        return SQL("").join(
            SQL(
                ", %s = (SELECT lot.%s FROM stock_lot lot WHERE lot.id = %s.lot_id)",
                SQL.identifier(name),
                SQL.identifier(name),
                SQL.identifier(quant),
            )
            for name in self._quant_date_fields()
        )

    def _correct_set_line_product_qty(self, targets):
        """The line's quantity in its own unit is the truth: the done lines
        of the moves found get their quantity in the product's unit
        recomputed from it (as Odoo rounds it); the checkpoints from the
        earliest line changed on are marked stale (they summed the old
        figure), so that the engine reads the whole ledger until rebuilt."""
        product_qty = self._line_product_qty_sql()
        self.env.cr.execute(
            SQL(
                """
            WITH t AS (%(targets)s)
            UPDATE stock_move_line ml
               SET quantity_product_uom = %(product_qty)s,
                   write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
              FROM uom_uom lu, product_product pp, product_template pt, uom_uom pu
             WHERE ml.move_id IN (SELECT move_id FROM t) AND ml.state = 'done'
               AND lu.id = ml.product_uom_id AND pp.id = ml.product_id
               AND pt.id = pp.product_tmpl_id AND pu.id = pt.uom_id
               AND %(product_qty)s <> ml.quantity_product_uom
            RETURNING ml.company_id, ml.date
            """,
                targets=targets,
                product_qty=product_qty,
                uid=self.env.uid,
            )
        )
        earliest = {}
        for company_id, date in self.env.cr.fetchall():
            if company_id not in earliest or date < earliest[company_id]:
                earliest[company_id] = date
        if earliest:
            self.env["inventory.ledger.checkpoint"]._invalidate_from(earliest)
        self.env["stock.move.line"].invalidate_model(["quantity_product_uom"])

    def _correct_move_stray_quant(self, targets):
        """A quant in a view or virtual location beyond the ledger there was
        put there by hand: it is moved back to the internal location where
        the ledger lacks its stock (the shortfall rule a found for the same
        product, lot, package and owner; the largest), keeping its incoming
        date, lot dates and package; never is its stock re-created there.
        What no shortfall takes is set to the ledger of its location (removed
        where the ledger has nothing: a view location)."""
        join = self._key_join("q", "t")
        self.env.cr.execute(
            SQL(
                """
            WITH t AS (%(targets)s),
            candidate AS (
                SELECT q.id, q.product_id, q.lot_id, q.package_id, q.owner_id,
                       q.quantity, t.found - t.expected AS surplus,
                       SUM(q.quantity) OVER (
                           PARTITION BY t.id ORDER BY q.quantity DESC, q.id
                       ) AS running
                  FROM t JOIN stock_quant q ON %(join)s
                 WHERE t.found > t.expected AND q.quantity > 0
            ),
            stray AS (
                -- No more than the surplus leaves the location: the quants
                -- the location held before the stray one stay there.
                SELECT * FROM candidate
                 WHERE running <= surplus + %(tolerance)s
            ),
            home AS (
                -- Moved only where that settles both ends without overshooting
                -- either: the quant is no more than the surplus here and the
                -- shortfall there (a quant whose quantity was changed rather
                -- than moved is set to the ledger instead).
                SELECT DISTINCT ON (s.id) s.id, a.location_id
                  FROM stray s
                  JOIN inventory_balance_run_line a
                    ON a.run_id = %(run)s AND a.rule_code = 'quant_ledger'
                   AND a.found < a.expected AND a.product_id = s.product_id
                   AND a.lot_id IS NOT DISTINCT FROM s.lot_id
                   AND a.package_id IS NOT DISTINCT FROM s.package_id
                   AND a.owner_id IS NOT DISTINCT FROM s.owner_id
                 WHERE s.quantity <= LEAST(s.surplus, a.expected - a.found)
                                     + %(tolerance)s
                 ORDER BY s.id, a.expected - a.found DESC, a.id
            )
            UPDATE stock_quant q
               SET location_id = h.location_id,
                   company_id = (SELECT company_id FROM stock_location
                                  WHERE id = h.location_id),
                   reserved_quantity = 0,
                   write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
                   %(lot_dates)s
              FROM home h
             WHERE q.id = h.id
            RETURNING q.id
            """,
                targets=targets,
                join=join,
                run=self.id,
                uid=self.env.uid,
                lot_dates=self._lot_dates_set_sql(),
                tolerance=self._tolerance(),
            )
        )
        moved = [row[0] for row in self.env.cr.fetchall()]
        if moved:
            self.env["stock.quant"].invalidate_model()
        self._correct_set_quant_to_ledger(targets)

    def _correct_merge_quants(self, targets):
        """One quant per key: the key's first quant takes the quantities and
        reservations of the others, which are deleted."""
        join = self._key_join("q", "t")
        self.env.cr.execute(
            SQL(
                """
            WITH t AS (%(targets)s),
            keyed AS (
                SELECT q.id,
                       ROW_NUMBER() OVER (PARTITION BY t.id ORDER BY q.id) AS rank,
                       SUM(q.quantity) OVER (PARTITION BY t.id) AS quantity,
                       SUM(q.reserved_quantity) OVER (PARTITION BY t.id) AS reserved,
                       MIN(q.in_date) OVER (PARTITION BY t.id) AS in_date
                  FROM t JOIN stock_quant q ON %(join)s
            ),
            kept AS (
                UPDATE stock_quant q
                   SET quantity = k.quantity, reserved_quantity = k.reserved,
                       in_date = k.in_date,
                       write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
                  FROM keyed k
                 WHERE q.id = k.id AND k.rank = 1
                RETURNING q.id
            )
            DELETE FROM stock_quant q USING keyed k
             WHERE q.id = k.id AND k.rank > 1
            """,
                targets=targets,
                join=join,
                uid=self.env.uid,
            )
        )
        self.env["stock.quant"].invalidate_model()

    def _correct_set_quant_lot_dates(self, targets):
        """The lot's expiration and removal dates are the truth: the quants
        found take them."""
        lot_dates = self._lot_dates_set_sql()
        if not lot_dates:
            return
        self.env.cr.execute(
            SQL(
                """
            WITH t AS (%(targets)s)
            UPDATE stock_quant q
               SET write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
                   %(lot_dates)s
              FROM t WHERE %(join)s AND q.lot_id IS NOT NULL
            """,
                targets=targets,
                join=self._key_join("q", "t"),
                uid=self.env.uid,
                lot_dates=lot_dates,
            )
        )
        self.env["stock.quant"].invalidate_model()

    def _correct_set_quant_to_ledger(self, targets):
        """Ledger truth: one quant per key holding the ledger quantity (and
        the key's reservations, its lot's dates and, when its quantity
        changes, the incoming date of the key's last incoming line); the
        others deleted; a quant created where the
        ledger has stock and none exists; keys whose ledger balance is zero
        and hold no reservation lose their quants."""
        join = self._key_join("q", "t")
        self.env.cr.execute(
            SQL(
                """
            WITH t AS (%(targets)s),
            keyed AS (
                SELECT q.id, t.expected,
                       ROW_NUMBER() OVER (PARTITION BY t.id ORDER BY q.id) AS rank,
                       SUM(q.reserved_quantity) OVER (PARTITION BY t.id) AS reserved
                  FROM t JOIN stock_quant q ON %(join)s
            ),
            kept AS (
                UPDATE stock_quant q
                   SET quantity = k.expected, reserved_quantity = k.reserved,
                       -- A quant whose quantity changes takes the incoming
                       -- date of the key's last incoming line (the ledger);
                       -- one left at its quantity keeps its own.
                       in_date = CASE WHEN ABS(q.quantity - k.expected) <= %(tolerance)s
                           THEN q.in_date
                           ELSE COALESCE(%(last_in)s, q.in_date) END,
                       inventory_diff_quantity = CASE
                           WHEN q.inventory_quantity_set
                           THEN q.inventory_quantity - k.expected ELSE 0 END,
                       write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
                       %(lot_dates)s
                  FROM keyed k
                 WHERE q.id = k.id AND k.rank = 1
                RETURNING q.id
            )
            DELETE FROM stock_quant q USING keyed k
             WHERE q.id = k.id AND k.rank > 1
            """,
                targets=targets,
                join=join,
                uid=self.env.uid,
                lot_dates=self._lot_dates_set_sql(),
                last_in=self._ledger_in_date_sql("q"),
                tolerance=self._tolerance(),
            )
        )
        self._insert_missing_quants(targets, join, "quantity")
        self.env.cr.execute(
            SQL(
                """
            WITH t AS (%(targets)s)
            DELETE FROM stock_quant q USING t
             WHERE %(join)s AND t.expected = 0 AND q.reserved_quantity = 0
               AND NOT COALESCE(q.inventory_quantity_set, FALSE)
            """,
                targets=targets,
                join=join,
            )
        )

    def _correct_post_inventory_move(self, targets):
        """Counted stock as truth: bring the quants to the ledger, then post
        an adjustment (reason *Period-end balance*) of the difference, which
        moves both ledger and quants to the counted quantity.  Keys an
        adjustment cannot hold (packages, owners, transit) follow the ledger;
        their lines say so."""
        self.env.cr.execute(
            SQL(
                """
            WITH t AS (%(targets)s)
            SELECT t.id, t.product_id, t.location_id, t.lot_id, t.found - t.expected
              FROM t JOIN stock_location l ON l.id = t.location_id
             WHERE t.package_id IS NULL AND t.owner_id IS NULL
               AND l.usage = 'internal'
             ORDER BY t.id
            """,
                targets=targets,
            )
        )
        postable = self.env.cr.fetchall()
        self._correct_set_quant_to_ledger(targets)
        fallback = self.env._("Quant adjusted to ledger quantity")
        self.env.cr.execute(
            SQL(
                """
            WITH t AS (%(targets)s)
            UPDATE inventory_balance_run_line l
               SET action = 'taken', correction = 'set_quant_to_ledger',
                   message = %(message)s
              FROM t WHERE l.id = t.id AND NOT (l.id = ANY(%(postable)s))
            """,
                targets=targets,
                message=self.env._(
                    "%s (an adjustment holds no package, owner or transit stock)",
                    fallback,
                ),
                postable=[row[0] for row in postable],
            )
        )
        self._post_balance_adjustment(
            postable,
            self.env._("%s (counted stock)", self.name),
            self.env._("the counted stock differed from the ledger"),
        )

    def _post_balance_adjustment(self, postable, name, why):
        """Post one adjustment (reason *Period-end balance*, dated on the
        period end's day) of the changes ``postable``, rows ``(line id,
        product id, location id, lot id, change)``, confirm it, link it to the
        run and to the findings, and say on its chatter which run posted it and
        ``why``.  Return the adjustment (none when nothing is to post)."""
        if not postable:
            return self.env["inventory.adjustment"]
        self.env.invalidate_all()
        reason = self.env.ref(
            "inventory_balance.inventory_adjustment_reason_period_end"
        )
        adjustment = (
            self.env["inventory.adjustment"]
            .sudo()
            .create(
                {
                    "name": name,
                    "reason_id": reason.id,
                    "company_id": self.company_id.id,
                    "date": fields.Date.context_today(self, self.date),
                    "line_ids": [
                        fields.Command.create(
                            {
                                "product_id": product_id,
                                "location_id": location_id,
                                "lot_id": lot_id or False,
                                "change": change,
                            }
                        )
                        for _id, product_id, location_id, lot_id, change in postable
                    ],
                }
            )
        )
        adjustment.action_confirm()
        adjustment.message_post(
            body=self.env._(
                "Posted by the balance run %(run)s: %(why)s.", run=self.name, why=why
            )
        )
        self._write_workflow({"adjustment_ids": [fields.Command.link(adjustment.id)]})
        self.env.cr.execute(
            SQL(
                "UPDATE inventory_balance_run_line SET adjustment_id = %s "
                "WHERE id = ANY(%s)",
                adjustment.id,
                [row[0] for row in postable],
            )
        )
        return adjustment

    def _correct_post_transit_surplus(self, targets):
        """The open moves out of transit are the truth: what a transit
        location holds beyond them (a receiving leg cancelled, the goods left
        in transit) is written off by a period-end adjustment.  Only the
        surpluses are proposed (no goods can be invented for a shortfall), and
        only where the stock in transit is held with no lot, package or owner,
        which an adjustment of the product's quantity can take; the others are
        reported, saying so."""
        self.env.cr.execute(
            SQL(
                """
            WITH t AS (%(targets)s)
            SELECT t.id, t.product_id, t.location_id, NULL::int,
                   t.expected - t.found
              FROM t
              JOIN product_product pp ON pp.id = t.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE t.found > t.expected AND pt.tracking = 'none'
               AND NOT EXISTS (
                   SELECT 1 FROM stock_quant q
                    WHERE q.product_id = t.product_id
                      AND q.location_id = t.location_id AND q.quantity <> 0
                      AND (q.lot_id IS NOT NULL OR q.package_id IS NOT NULL
                           OR q.owner_id IS NOT NULL))
             ORDER BY t.id
            """,
                targets=targets,
            )
        )
        postable = self.env.cr.fetchall()
        self.env.cr.execute(
            SQL(
                """
            WITH t AS (%(targets)s)
            UPDATE inventory_balance_run_line l
               SET action = 'reported', correction = 'none', message = %(message)s
              FROM t WHERE l.id = t.id AND NOT (l.id = ANY(%(postable)s))
            """,
                targets=targets,
                message=self.env._(
                    "Stock in transit beyond the open moves out of it, held in lots, "
                    "packages or for an owner: not written off automatically; "
                    "write it off by hand with an adjustment per lot or package"
                ),
                postable=[row[0] for row in postable],
            )
        )
        self._post_balance_adjustment(
            postable,
            self.env._("%s (goods in transit)", self.name),
            self.env._(
                "stock in transit beyond the open moves out of transit written off"
            ),
        )
        if postable and self.purge_zero_quants:
            # The quants the write-off emptied go with it (the run purges
            # zero quants): no finding of its own for what it did itself.
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    """
                DELETE FROM stock_quant q
                 USING unnest(%s::int[], %s::int[]) AS w (product_id, location_id)
                 WHERE q.product_id = w.product_id
                   AND q.location_id = w.location_id
                   AND q.quantity = 0 AND q.reserved_quantity = 0
                   AND NOT COALESCE(q.inventory_quantity_set, FALSE)
                """,
                    [row[1] for row in postable],
                    [row[2] for row in postable],
                )
            )
            self.env["stock.quant"].invalidate_model()

    def _correct_set_reserved_to_move_lines(self, targets):
        """Reservations follow the move lines: the key's first quant holds the
        reserved quantity of its lines, the others none; a key reserved with
        no quant gets an empty one holding the reservation."""
        join = self._key_join("q", "t")
        self.env.cr.execute(
            SQL(
                """
            WITH t AS (%(targets)s),
            keyed AS (
                SELECT q.id, t.expected,
                       ROW_NUMBER() OVER (PARTITION BY t.id ORDER BY q.id) AS rank
                  FROM t JOIN stock_quant q ON %(join)s
            )
            UPDATE stock_quant q
               SET reserved_quantity = CASE WHEN k.rank = 1 THEN k.expected ELSE 0 END,
                   write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
              FROM keyed k WHERE q.id = k.id
            """,
                targets=targets,
                join=join,
                uid=self.env.uid,
            )
        )
        self._insert_missing_quants(targets, join, "reserved_quantity")

    def _insert_missing_quants(self, targets, join, column):
        """Create the quants the ``targets`` (rows with the key and
        ``expected``) need and that do not exist, with ``expected`` as their
        ``column`` (quantity or reserved_quantity) and 0 as the other, as
        Odoo would hold them: the incoming date of the key's last done line
        into it (the ledger; now when there is none), their lot's expiration
        and removal dates, the inventory fields in their normal state (no
        count set, the location's next count date computed by Odoo)."""
        expected = SQL("t.expected")
        zero = SQL("0")
        date_fields = self._quant_date_fields()
        date_columns = SQL("").join(
            SQL(", %s", SQL.identifier(name)) for name in date_fields
        )
        date_values = SQL("").join(
            SQL(
                ", (SELECT lot.%s FROM stock_lot lot WHERE lot.id = t.lot_id)",
                SQL.identifier(name),
            )
            for name in date_fields
        )
        self.env.cr.execute(
            SQL(
                """
            WITH t AS (%(targets)s)
            INSERT INTO stock_quant
                (product_id, location_id, lot_id, package_id, owner_id, company_id,
                 quantity, reserved_quantity, in_date, inventory_quantity,
                 inventory_diff_quantity, inventory_quantity_set, create_uid,
                 write_uid, create_date, write_date %(date_columns)s)
            SELECT t.product_id, t.location_id, t.lot_id, t.package_id, t.owner_id,
                   l.company_id, %(quantity)s, %(reserved)s,
                   COALESCE(%(last_in)s, now() AT TIME ZONE 'UTC'),
                   0, 0, FALSE,
                   %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                   %(date_values)s
              FROM t JOIN stock_location l ON l.id = t.location_id
             WHERE t.expected <> 0
               AND NOT EXISTS (SELECT 1 FROM stock_quant q WHERE %(join)s)
            RETURNING id
            """,
                targets=targets,
                join=join,
                uid=self.env.uid,
                quantity=expected if column == "quantity" else zero,
                reserved=expected if column == "reserved_quantity" else zero,
                date_columns=date_columns,
                date_values=date_values,
                last_in=self._ledger_in_date_sql("t"),
            )
        )
        created = self.env["stock.quant"].browse(
            [row[0] for row in self.env.cr.fetchall()]
        )
        if created:
            # Odoo's own computation of the next count date (internal and
            # transit locations), as for a quant it creates.
            self.env.add_to_compute(created._fields["inventory_date"], created)
            created.flush_recordset(["inventory_date"])

    def _correct_purge_quant(self, targets):
        """Delete the zero quants found (still zero: the batch is locked)."""
        if not self.purge_zero_quants:
            return
        self.env.cr.execute(
            SQL(
                """
            WITH t AS (%(targets)s)
            DELETE FROM stock_quant q USING t
             WHERE %(join)s AND q.quantity = 0 AND q.reserved_quantity = 0
               AND NOT COALESCE(q.inventory_quantity_set, FALSE)
            """,
                targets=targets,
                join=self._key_join("q", "t"),
            )
        )

    def _correct_none(self, targets):
        """Reported-only rules are never proposed; nothing to do."""
