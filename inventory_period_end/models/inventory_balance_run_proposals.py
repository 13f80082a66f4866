# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a balance run proposes for a finding where the rule's own action is
not the whole story: a reported finding that the quantity rule's correction
settles on the same key, a duplicate of a stray quant, a finding that needs a
person (manual, with why).  ``_finding_overrides`` is read by the checks'
``_insert_findings``, so that report-only proposes exactly what the
correcting run does.  A mixin of ``inventory.balance.run``: ``self`` is the
run."""

from odoo import models
from odoo.tools import SQL

from ..tools.balance_rules import get_rule
from .inventory_balance_run_checks import STRAY_RULES

# Reported rules on the quants that the quantity rule's correction settles
# where it proposes one on their key (see ``_settled_by_ledger_overrides``).
SETTLED_BY_LEDGER = ("negative", "lot_missing", "archived_location", "serial_quantity")


class InventoryBalanceRunProposals(models.AbstractModel):
    _name = "inventory.balance.run.proposals"
    _description = "Inventory Balance Run: proposals"

    def _settled_by_ledger_overrides(self, code):
        """A reported finding on the quants that the quantity rule's proposed
        correction (its key set to the ledger) settles: proposed, as the
        correcting run settles it (checked again after its corrections)."""
        tolerance = self._tolerance()
        message = self.env._(
            "%(rule)s; proposed: settled by setting the quants to the ledger",
            rule=get_rule(code).message.split(". ")[0],
        )
        if code == "serial_quantity":
            # The serial's stock in the scope once its keys hold the ledger:
            # one unit (or none) in no more than one place.  Only the quants
            # of the scope count, as in the rule (a narrowed run neither sees
            # nor corrects the others).
            condition = SQL(
                """
                EXISTS (
                    SELECT 1 FROM inventory_balance_run_line s
                     WHERE s.run_id = %(run)s AND s.rule_code = 'quant_ledger'
                       AND s.action = 'proposed' AND s.product_id = f.product_id
                       AND s.lot_id = f.lot_id)
                AND (
                    SELECT (ABS(SUM(p.post) - 1) <= %(tolerance)s
                            OR ABS(SUM(p.post)) <= %(tolerance)s)
                       AND COUNT(DISTINCT p.location_id)
                           FILTER (WHERE p.post > %(tolerance)s) <= 1
                      FROM (
                        SELECT COALESCE(k.location_id, s.location_id) AS location_id,
                               COALESCE(s.expected, k.quantity) AS post
                          FROM (SELECT location_id, package_id, owner_id,
                                       SUM(quantity) AS quantity
                                  FROM stock_quant
                                 WHERE product_id = f.product_id
                                   AND lot_id = f.lot_id AND quantity <> 0
                                   AND location_id IN (%(locations)s)
                                 GROUP BY location_id, package_id, owner_id) k
                          FULL JOIN (
                                SELECT location_id, package_id, owner_id, expected
                                  FROM inventory_balance_run_line
                                 WHERE run_id = %(run)s AND rule_code = 'quant_ledger'
                                   AND action = 'proposed'
                                   AND product_id = f.product_id
                                   AND lot_id = f.lot_id) s
                            ON s.location_id = k.location_id
                           AND s.package_id IS NOT DISTINCT FROM k.package_id
                           AND s.owner_id IS NOT DISTINCT FROM k.owner_id
                      ) p)
                """,
                run=self.id,
                tolerance=tolerance,
                locations=self._run_locations_sql(),
            )
        else:
            condition = SQL(
                """
                EXISTS (
                    SELECT 1 FROM inventory_balance_run_line s
                     WHERE s.run_id = %(run)s AND s.rule_code = 'quant_ledger'
                       AND s.action = 'proposed'
                       AND s.product_id = f.product_id
                       AND s.location_id = f.location_id
                       AND s.lot_id IS NOT DISTINCT FROM f.lot_id
                       AND s.package_id IS NOT DISTINCT FROM f.package_id
                       AND s.owner_id IS NOT DISTINCT FROM f.owner_id
                       AND %(settled)s)
                """,
                run=self.id,
                settled=SQL("s.expected >= -%s", tolerance)
                if code == "negative"
                else SQL("ABS(s.expected) <= %s", tolerance),
            )
        return [(condition, "proposed", "set_quant_to_ledger", message)]

    def _ageing_overrides(self):
        """An aged inventory finding (product, warehouse, lot) that the
        corrections of the same product and lot in the warehouse's internal
        locations settle: proposed, as the correcting run settles it (checked
        again after its corrections).  The aged inventory is the ledger's:
        the quants follow the proposed quantity findings (rule a), the ledger
        the lines whose quantity in the product's unit is corrected (rule
        h); settled when both then agree.  The same under the counted policy:
        where its adjustment keeps the quants and moves the ledger to them,
        the ledger moves by what the quants would have."""
        condition = SQL(
            """
            (SELECT ABS(f.expected + COALESCE(SUM(c.quant_change), 0)
                        - f.found - COALESCE(SUM(c.ledger_change), 0))
                    <= %(tolerance)s
               FROM (
                 SELECT s.product_id, s.location_id, s.lot_id,
                        (s.expected - s.found)::float8 AS quant_change,
                        0::float8 AS ledger_change
                   FROM inventory_balance_run_line s
                  WHERE s.run_id = %(run)s AND s.rule_code = 'quant_ledger'
                    AND s.action = 'proposed'
                 UNION ALL
                 SELECT x.product_id, x.location_id, x.lot_id, 0::float8,
                        x.quantity::float8
                   FROM (%(fixes)s) x
               ) c
               JOIN stock_location cl ON cl.id = c.location_id
              WHERE c.product_id = f.product_id
                AND c.lot_id IS NOT DISTINCT FROM f.lot_id
                AND cl.usage = 'internal' AND cl.company_id = %(company)s
                AND COALESCE(cl.warehouse_id, 0) = COALESCE(
                    (SELECT w.warehouse_id FROM stock_location w
                      WHERE w.id = f.location_id), 0)
             HAVING COUNT(*) > 0)
            """,
            run=self.id,
            fixes=self._line_fixes_sql(),
            company=self.company_id.id,
            tolerance=self._tolerance(),
        )
        message = self.env._(
            "%(rule)s; proposed: settled by setting the quants to the ledger",
            rule=get_rule("ageing_on_hand").message,
        )
        return [(condition, "proposed", "set_quant_to_ledger", message)]

    def _finding_overrides(self, code, options):
        """Findings of rule ``code`` that a correcting run treats otherwise
        than the rule's own correction, so that a report-only run proposes
        exactly what a correcting run does: ``[(condition on the finding f,
        action, correction, message)]``, the first that holds wins."""
        run_lines = SQL(
            """
            EXISTS (
                SELECT 1 FROM inventory_balance_run_line s
                  JOIN stock_quant q
                    ON q.product_id = s.product_id AND q.location_id = s.location_id
                   AND q.lot_id IS NOT DISTINCT FROM s.lot_id
                   AND q.package_id IS NOT DISTINCT FROM s.package_id
                   AND q.owner_id IS NOT DISTINCT FROM s.owner_id
                 WHERE s.run_id = %(run)s AND s.rule_code = ANY(%(codes)s)
                   AND s.found > s.expected AND s.product_id = f.product_id
                   AND s.lot_id IS NOT DISTINCT FROM f.lot_id
                   AND s.package_id IS NOT DISTINCT FROM f.package_id
                   AND s.owner_id IS NOT DISTINCT FROM f.owner_id
                   AND q.quantity > 0
                   AND q.quantity <= LEAST(s.found - s.expected, f.expected - f.found)
                                     + %(tolerance)s)
            """,
            run=self.id,
            codes=list(STRAY_RULES),
            tolerance=self._tolerance(),
        )
        if code == "quant_ledger":
            # The stock the ledger puts here is in a view or virtual location:
            # the stray quant is moved back, nothing is re-created here.
            return [
                (
                    SQL("f.found < f.expected AND %s", run_lines),
                    "proposed",
                    "move_stray_quant",
                    self.env._(
                        "Quant quantity differs from the ledger: its stock is in a "
                        "view or virtual location; proposed: the stray quant moved "
                        "back here"
                    ),
                )
            ]
        if code in SETTLED_BY_LEDGER:
            return self._settled_by_ledger_overrides(code)
        if code == "ageing_on_hand":
            return self._ageing_overrides()
        if code == "duplicate_quant":
            # A stray quant in a view or virtual location beside the one the
            # ledger puts there: moved back, it leaves one quant here.
            return [
                (
                    SQL(
                        """
                        EXISTS (
                            SELECT 1 FROM inventory_balance_run_line s
                             WHERE s.run_id = %(run)s
                               AND s.rule_code = ANY(%(codes)s)
                               AND s.action = 'proposed' AND s.found > s.expected
                               AND s.product_id = f.product_id
                               AND s.location_id = f.location_id
                               AND s.lot_id IS NOT DISTINCT FROM f.lot_id
                               AND s.package_id IS NOT DISTINCT FROM f.package_id
                               AND s.owner_id IS NOT DISTINCT FROM f.owner_id)
                        """,
                        run=self.id,
                        codes=list(STRAY_RULES),
                    ),
                    "proposed",
                    "move_stray_quant",
                    self.env._(
                        "Several quants for one key, one of them a stray quant in "
                        "a view or virtual location; proposed: the stray quant "
                        "moved back where the ledger lacks its stock"
                    ),
                )
            ]
        if code == "reserved_above_on_hand":
            # The quantity and reservation rules, checked before, propose
            # corrections of the same key that leave its reservation within
            # its stock: the correcting run settles it through them.
            def proposed(rule):
                return SQL(
                    """
                    SELECT s.expected FROM inventory_balance_run_line s
                     WHERE s.run_id = %(run)s AND s.rule_code = %(rule)s
                       AND s.action = 'proposed'
                       AND s.product_id = f.product_id
                       AND s.location_id = f.location_id
                       AND s.lot_id IS NOT DISTINCT FROM f.lot_id
                       AND s.package_id IS NOT DISTINCT FROM f.package_id
                       AND s.owner_id IS NOT DISTINCT FROM f.owner_id
                     LIMIT 1
                    """,
                    run=self.id,
                    rule=rule,
                )

            settled = SQL(
                "COALESCE((%(reserved)s), f.found) "
                "<= COALESCE((%(quantity)s), f.expected) + %(tolerance)s",
                reserved=proposed("reserved"),
                quantity=proposed("quant_ledger"),
                tolerance=self._tolerance(),
            )
            return [
                (
                    SQL("EXISTS (%s) AND %s", proposed("reserved"), settled),
                    "proposed",
                    "set_reserved_to_move_lines",
                    self.env._(
                        "The quant reserves more than it holds; proposed: its "
                        "reservation set to the reserved move lines, which fit "
                        "in its stock"
                    ),
                ),
                (
                    SQL("EXISTS (%s) AND %s", proposed("quant_ledger"), settled),
                    "proposed",
                    "set_quant_to_ledger",
                    self.env._(
                        "The quant reserves more than it holds; proposed: its "
                        "quantity set to the ledger, which holds the reservation"
                    ),
                ),
            ]
        if code == "transit_open_moves" and "balance_transit" in options:
            return [
                (
                    SQL(
                        """
                        f.found > f.expected AND (
                            EXISTS (
                                SELECT 1 FROM product_product pp
                                  JOIN product_template pt
                                    ON pt.id = pp.product_tmpl_id
                                 WHERE pp.id = f.product_id
                                   AND pt.tracking <> 'none')
                            OR EXISTS (
                                SELECT 1 FROM stock_quant q
                                 WHERE q.product_id = f.product_id
                                   AND q.location_id = f.location_id
                                   AND q.quantity <> 0
                                   AND (q.lot_id IS NOT NULL
                                        OR q.package_id IS NOT NULL
                                        OR q.owner_id IS NOT NULL)))
                        """
                    ),
                    "reported",
                    "none",
                    self.env._(
                        "Stock in transit beyond the open moves out of it, held in "
                        "lots, packages or for an owner. Manual: an adjustment of "
                        "the product's quantity cannot take it; write it off by "
                        "hand with an adjustment per lot or package"
                    ),
                )
            ]
        return []
