# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The shared passes of the period-end balance run: statements that read the
ledger, the lines or the quants once for several rules, into temporary tables
(dropped at the end of the transaction) that those rules then read.

- ``balance_run_compare``: the ledger (the engine's rows, over the whole
  ledger for the virtual locations too) and the quants summed per key in one
  aggregation, keeping the keys where they differ or where several quants hold
  the key: rule a, the virtual locations' rule and the duplicates read it.
- ``balance_run_line_totals`` (over the whole ledger): one read of the done
  lines, summed per product and unit: the totals rule h compares with the
  moves', and the products whose lines may hold a quantity in the product's
  unit that is not their quantity converted (rule ``line_product_qty`` then
  reads those products' lines only).

A mixin of ``inventory.balance.run``: ``self`` is the run."""

from odoo import models
from odoo.tools import SQL

# Rules reading the comparison of the ledger with the quants.
COMPARE_RULES = ("virtual_quant_ledger", "quant_ledger", "duplicate_quant")
# Rules reading the line totals over the whole ledger.
LINE_TOTALS_RULES = ("line_product_qty", "move_lines_sum")
PASS_TABLES = (
    "balance_run_compare",
    "balance_run_line_totals",
)
# Rule h weighs each move's quantity by its id modulo this prime.
MOVE_WEIGHT_PRIME = 65521


class InventoryBalanceRunPasses(models.AbstractModel):
    _name = "inventory.balance.run.passes"
    _description = "Inventory Balance Run: shared passes"

    def _drop_pass_tables(self):
        for table in PASS_TABLES:
            self.env.cr.execute(
                SQL("DROP TABLE IF EXISTS pg_temp.%s", SQL.identifier(table))
            )

    def _prepare_passes(self, code, ctx):
        """Build the temporary tables rule ``code`` reads, once per run of
        the checks (after rule ``line_product_qty``: the comparison reads its
        findings)."""
        ledger = self.env["inventory.ledger"]
        whole_ledger = ctx["method"] == "ledger"
        if (
            code in LINE_TOTALS_RULES
            and not ctx["since"]
            and not ctx.get("line_totals")
        ):
            with ledger._aggregation_settings(work_mem="256MB"):
                self._create_line_totals_table(ctx)
        if code in COMPARE_RULES and not ctx.get("compare"):
            # From a checkpoint, grouped by sorting as the engine groups its
            # balances there (``_tune_for_aggregation``).
            with ledger._aggregation_settings(
                balances=not whole_ledger, work_mem="256MB"
            ):
                self._create_compare_table(ctx)

    def _ledger_rows_sql(self, ctx):
        """The engine's rows summing to the ledger balances now, per key
        (product, location, lot, package, owner), and the CTEs they read
        (None for none): from a checkpoint, the engine's rows seam
        (``inventory.ledger._balance_rows_sql``), for the scope's locations;
        over the whole ledger, the engine's whole-ledger rows
        (``_signed_lines_sql``, split and grouped, as ``_balance_rows_sql``
        takes them) for the scope's locations and the view and virtual ones
        together, so that the ledger is read once for both.  Those locations
        are given as ids written in the statement, so that the planner knows
        the sides read nearly every line and sums them in its parallel
        workers (at 1M lines on a loaded machine: 4.5 s instead of 7.7 s,
        summed by the leader alone)."""
        ledger = self.env["inventory.ledger"]
        if ctx["method"] != "ledger":
            ctes, rows, _method = ledger._balance_rows_sql(
                ctx["now"],
                [self.company_id.id],
                self._scope_location_ids(),
                ctx["product_ids"],
                ctx["method"],
            )
            return ctes, rows
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT id FROM (%s) s UNION SELECT id FROM (%s) v ORDER BY id",
                ledger._scope_locations_sql(
                    [self.company_id.id], self._scope_location_ids()
                ),
                self._virtual_scope_sql(),
            )
        )
        location_ids = [row[0] for row in cr.fetchall()]
        rows = ledger._signed_lines_sql(
            None,
            ctx["now"],
            ctx["product_ids"],
            split=True,
            grouped=True,
            scope_ids=location_ids,
        )
        return None, rows

    def _create_compare_table(self, ctx):
        """``balance_run_compare``: per key of the scope's locations and of
        the view and virtual ones, the ledger (with the corrections of rule
        ``line_product_qty``'s lines, see ``_line_fixes_sql``) as
        ``expected``, the quants' quantity as ``found`` and their number as
        ``quants``; only the keys that a rule reports: several quants, or a
        ledger that differs from the quants where the run knows the ledger
        (from a checkpoint, the scope's locations only: checkpoints hold no
        virtual location).  One aggregation instead of one per rule (rule a,
        ``virtual_quant_ledger``, ``duplicate_quant``).  The ledger's rows
        behind a fence (``OFFSET 0``): the conditions on the run's locations
        (materialized CTEs, which parallel workers cannot read) stay above
        it, so that the engine's rows are summed in parallel as on their
        own; the products tested on the keys, not on every row."""
        ctes, rows = self._ledger_rows_sql(ctx)
        ledger_known = (
            SQL("AND location_id IN (SELECT id FROM run_locations)")
            if ctx["method"] != "ledger"
            else SQL()
        )
        cr = self.env.cr
        cr.execute("DROP TABLE IF EXISTS pg_temp.balance_run_compare")
        cr.execute(
            SQL(
                """
            CREATE TEMPORARY TABLE balance_run_compare ON COMMIT DROP AS
            WITH %(ctes)s
            SELECT product_id, location_id, lot_id, package_id, owner_id,
                   SUM(ledger) AS expected, SUM(quant) AS found,
                   SUM(quants) AS quants
              FROM (
                SELECT product_id, location_id, lot_id, package_id, owner_id,
                       quantity::float8 AS ledger, 0::float8 AS quant, 0 AS quants
                  FROM (SELECT * FROM (%(rows)s) rows OFFSET 0) ledger
                UNION ALL
                SELECT product_id, location_id, lot_id, package_id, owner_id,
                       0::float8, quantity::float8, 1
                  FROM stock_quant
                UNION ALL
                SELECT product_id, location_id, lot_id, package_id, owner_id,
                       quantity, 0::float8, 0
                  FROM (%(fixes)s) fixes
              ) rows
             WHERE location_id IN (SELECT id FROM run_locations)
                OR location_id IN (SELECT id FROM virtual_scope)
             GROUP BY product_id, location_id, lot_id, package_id, owner_id
            HAVING product_id IN (SELECT id FROM run_products)
               AND (SUM(quants) > 1
                    OR ABS(SUM(ledger) - SUM(quant)) > %(tolerance)s %(ledger_known)s)
            """,
                ctes=SQL(", ").join(
                    [
                        ctx["context"],
                        *([ctes] if ctes else []),
                        SQL(
                            "virtual_scope AS MATERIALIZED (%s)",
                            self._virtual_scope_sql(),
                        ),
                    ]
                ),
                rows=rows,
                fixes=self._line_fixes_sql(),
                tolerance=ctx["tolerance"],
                ledger_known=ledger_known,
            )
        )
        ctx["compare"] = True

    def _create_line_totals_table(self, ctx):
        """Over the whole ledger, ``balance_run_line_totals``: the done lines
        (of every company: rule h compares them with the moves of every
        company) summed per product and unit in one read of the table:
        ``units`` and ``weighted`` (their quantity in their own unit, plain,
        an exact numeric sum, and weighted by their move's id modulo a prime,
        in float8; lines of a move only), which rule h compares with the
        moves'; and
        ``unequal``, how many have a quantity in the product's unit that is
        not their quantity (rule ``line_product_qty`` reads the lines of the
        products having such lines, or lines in another unit than the
        product's: only there can the product's figure not be the line's
        converted)."""
        products = (
            SQL("AND product_id = ANY(%s)", ctx["product_ids"])
            if ctx["product_ids"] is not None
            else SQL()
        )
        cr = self.env.cr
        cr.execute("DROP TABLE IF EXISTS pg_temp.balance_run_line_totals")
        cr.execute(
            SQL(
                """
            CREATE TEMPORARY TABLE balance_run_line_totals ON COMMIT DROP AS
            SELECT product_id, product_uom_id,
                   SUM(quantity) FILTER (WHERE move_id IS NOT NULL) AS units,
                   SUM((move_id %% %(prime)s) * quantity::float8) AS weighted,
                   COUNT(*) FILTER (WHERE quantity <> quantity_product_uom)
                       AS unequal
              FROM stock_move_line
             WHERE state = 'done' %(products)s
             GROUP BY product_id, product_uom_id
            """,
                prime=MOVE_WEIGHT_PRIME,
                products=products,
            )
        )
        cr.execute("ANALYZE balance_run_line_totals")
        ctx["line_totals"] = True

    def _line_qty_suspects(self, ctx):
        """From the line totals: ids of the storable products some of whose
        done lines are in another unit than the product's or hold a quantity
        in the product's unit that is not their quantity."""
        self.env.cr.execute(
            """
            SELECT COALESCE(ARRAY_AGG(DISTINCT t.product_id), '{}')
              FROM balance_run_line_totals t
              JOIN product_product pp ON pp.id = t.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE pt.is_storable
               AND (t.product_uom_id <> pt.uom_id OR t.unequal > 0)
            """
        )
        return self.env.cr.fetchone()[0]
