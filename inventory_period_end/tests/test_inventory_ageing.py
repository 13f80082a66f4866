# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.inventory_balance.tests.common import LedgerScenarioMixin

from ..tools.ageing_rules import ageing


@tagged("post_install", "-at_install")
class TestInventoryAgeing(LedgerScenarioMixin, TransactionCase):
    """A hand-computed ageing: receipts on known dates, a partial delivery,
    an internal transfer, a customer return, a negative adjustment, a transfer
    from another warehouse, lots, and a negative balance."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ledger_scenario()
        cls.Ageing = cls.env["inventory.ageing"]
        Product = cls.env["product.product"]
        cls.p = Product.create(
            {"name": "Aged P", "is_storable": True, "standard_price": 2.0}
        )
        cls.lotted = Product.create(
            {"name": "Aged L", "is_storable": True, "tracking": "lot"}
        )
        cls.short = Product.create({"name": "Aged N", "is_storable": True})
        cls.lot_old = cls.env["stock.lot"].create(
            {"name": "AGE-OLD", "product_id": cls.lotted.id}
        )
        cls.lot_new = cls.env["stock.lot"].create(
            {"name": "AGE-NEW", "product_id": cls.lotted.id}
        )
        cls.wh2 = cls.env["stock.warehouse"].create(
            {"name": "Ageing WH2", "code": "AGW2", "company_id": cls.company.id}
        )
        cls.loss = cls.env["stock.location"].search(
            [
                ("usage", "=", "inventory"),
                ("company_id", "in", [cls.company.id, False]),
            ],
            limit=1,
        )
        d = cls._days_ago
        move = cls._move
        move(cls.p, cls.supplier, cls.stock, 10, d(400))
        move(cls.p, cls.supplier, cls.stock, 20, d(200))
        move(cls.p, cls.supplier, cls.stock, 30, d(100))
        move(cls.p, cls.stock, cls.customer, 25, d(50))
        move(cls.p, cls.stock, cls.bin1, 12, d(40))  # keeps its dates
        move(cls.p, cls.supplier, cls.wh2.lot_stock_id, 7, d(30))
        move(cls.p, cls.customer, cls.stock, 4, d(20))  # a return comes in
        move(cls.p, cls.wh2.lot_stock_id, cls.stock, 3, d(15))  # comes in at WH1
        move(cls.p, cls.bin1, cls.loss, 6, d(10))  # negative adjustment
        move(cls.p, cls.supplier, cls.stock, 8, d(5))
        move(cls.lotted, cls.supplier, cls.stock, 5, d(200), lot=cls.lot_old)
        move(cls.lotted, cls.supplier, cls.stock, 3, d(10), lot=cls.lot_new)
        move(cls.short, cls.stock, cls.customer, 2, d(3))  # goes negative

    def _rows(self, at=None, **kwargs):
        kwargs.setdefault("product_ids", (self.p | self.lotted | self.short).ids)
        result = self.Ageing.ageing_at(at, **kwargs)
        return {
            (r["product_id"], r["warehouse_id"], r["lot_id"]): r for r in result["rows"]
        }, result

    def test_hand_computed_ageing_now(self):
        rows, result = self._rows()
        self.assertEqual(
            result["buckets"],
            ["0-30 days", "31-90 days", "91-180 days", "181-365 days", "Over 365 days"],
        )
        wh1 = self.warehouse.id
        # WH1: 10 + 20 + 30 - 25 + 4 + 3 - 6 + 8 = 44 left: the newest first,
        # 8 (5 days), 3 (15), 4 (20), then 29 of the 30 of 100 days ago.
        p_wh1 = rows[self.p.id, wh1, False]
        self.assertEqual(p_wh1["on_hand"], 44)
        self.assertEqual(p_wh1["quantities"], [15, 0, 29, 0, 0])
        self.assertEqual(p_wh1["values"], [30, 0, 58, 0, 0])
        # WH2: 7 received 30 days ago, 3 sent to WH1.
        self.assertEqual(
            rows[self.p.id, self.wh2.id, False]["quantities"], [4, 0, 0, 0, 0]
        )
        self.assertEqual(
            rows[self.lotted.id, wh1, self.lot_old.id]["quantities"], [0, 0, 0, 5, 0]
        )
        self.assertEqual(
            rows[self.lotted.id, wh1, self.lot_new.id]["quantities"], [3, 0, 0, 0, 0]
        )
        # A negative balance is unexplained: the oldest bucket, still summing up.
        self.assertEqual(
            rows[self.short.id, wh1, False]["quantities"], [0, 0, 0, 0, -2]
        )
        self.assertEqual(len(rows), 5)

    def test_hand_computed_ageing_in_the_past(self):
        # 45 days ago: after the delivery, before the transfer and the return;
        # 35 left: 30 of 100 days ago (55 days old), 5 of 200 (155 days old).
        rows, _result = self._rows(self._days_ago(45))
        p_wh1 = rows[self.p.id, self.warehouse.id, False]
        self.assertEqual(p_wh1["on_hand"], 35)
        self.assertEqual(p_wh1["quantities"], [0, 30, 5, 0, 0])
        self.assertNotIn((self.p.id, self.wh2.id, False), rows)

    def test_buckets_always_sum_to_on_hand(self):
        """At several dates, for every product of the company (the ledger
        scenario's too): buckets add up to the engine's on hand per warehouse,
        and equal the pure FIFO rule fed with the incoming moves."""
        internal = self.env["stock.location"].search(
            [("usage", "=", "internal"), ("company_id", "=", self.company.id)]
        )
        warehouse_of = {loc.id: loc.warehouse_id.id or False for loc in internal}
        for days in (0, 12, 45, 120, 300):
            at = self.now - timedelta(days=days)
            rows, result = self._rows(at, product_ids=None)
            on_hand = defaultdict(float)
            for balance in self.env["inventory.ledger"].balances_at(at):
                if balance["location_id"] in warehouse_of:
                    key = (
                        balance["product_id"],
                        warehouse_of[balance["location_id"]],
                        balance["lot_id"],
                    )
                    on_hand[key] += balance["quantity"]
            on_hand = {k: round(v, 6) for k, v in on_hand.items() if abs(v) > 1e-9}
            self.assertEqual({k: r["on_hand"] for k, r in rows.items()}, on_hand)
            for row in rows.values():
                self.assertAlmostEqual(sum(row["quantities"]), row["on_hand"])
            # The pure rule, fed with the incoming lines of P at WH1.
            lines = self.env["stock.move.line"].search(
                [
                    ("product_id", "=", self.p.id),
                    ("state", "=", "done"),
                    ("date", "<=", at),
                    ("location_dest_id.warehouse_id", "=", self.warehouse.id),
                    ("location_dest_id.usage", "=", "internal"),
                ],
                order="date, id",
            )
            incomings = [
                (line.date.date(), line.quantity)
                for line in lines
                if line.location_id.warehouse_id != self.warehouse
                or line.location_id.usage != "internal"
            ]
            key = (self.p.id, self.warehouse.id, False)
            expected = ageing(on_hand.get(key, 0.0), incomings, at.date())
            found = rows[key]["quantities"] if key in rows else [0.0] * 5
            self.assertEqual(found, expected, f"{days} days ago")

    def test_year_boundary_of_the_last_bucket(self):
        """Only incoming lines younger than the last bucket are read: a layer
        365 days old is still in 181-365 days, one of 366 days is over."""
        edge = self.env["product.product"].create(
            {"name": "Aged edge", "is_storable": True}
        )
        self._move(edge, self.supplier, self.stock, 2, self._days_ago(366))
        self._move(edge, self.supplier, self.stock, 3, self._days_ago(365))
        self._move(edge, self.supplier, self.stock, 4, self._days_ago(30))
        self._move(edge, self.supplier, self.stock, 5, self._days_ago(31))
        rows, _result = self._rows(product_ids=edge.ids)
        self.assertEqual(
            rows[edge.id, self.warehouse.id, False]["quantities"], [4, 5, 0, 3, 2]
        )
        report = self.env["inventory.ageing.report"].search(
            [("product_id", "=", edge.id)]
        )
        self.assertEqual(
            sorted((r.age_days, r.bucket_id.name) for r in report),
            [
                (30, "0-30 days"),
                (31, "31-90 days"),
                (365, "181-365 days"),
                (366, "Over 365 days"),
            ],
        )

    def test_report_rows_and_slow_movers(self):
        Report = self.env["inventory.ageing.report"]
        domain = [("product_id", "=", self.p.id)]
        groups = Report.formatted_read_group(domain, ["bucket_id"], ["quantity:sum"])
        found = {g["bucket_id"][1]: g["quantity:sum"] for g in groups}
        self.assertEqual(found, {"0-30 days": 19, "91-180 days": 29})
        rows = Report.search(domain + [("warehouse_id", "=", self.warehouse.id)])
        self.assertEqual(
            sorted((r.age_days, r.quantity) for r in rows),
            [(5, 8), (15, 3), (20, 4), (100, 29)],
        )
        self.assertEqual(
            set(rows.mapped("incoming_year")),
            {(self.now - timedelta(days=n)).year for n in (5, 15, 20, 100)},
        )
        # P left WH1 10 days ago (the adjustment); the lot product never left.
        self.assertEqual(set(rows.mapped("days_without_outgoing")), {10})
        slow = Report.search(
            [
                ("product_id", "in", (self.p | self.lotted).ids),
                "|",
                ("days_without_outgoing", ">=", 90),
                ("days_without_outgoing", "=", False),
            ]
        )
        self.assertEqual(slow.product_id, self.lotted)
        past = Report.with_context(
            inventory_at=fields.Datetime.to_string(self._days_ago(45))
        ).search(domain)
        self.assertEqual(sum(past.mapped("quantity")), 35)

    def test_buckets_by_configuration_and_errors(self):
        Bucket = self.env["inventory.ageing.bucket"]
        Bucket.search([]).active = False
        Bucket.create(
            [
                {"name": "Young", "days_from": 0, "days_to": 60},
                {"name": "Old", "days_from": 61, "days_to": 0},
            ]
        )
        rows, result = self._rows()
        self.assertEqual(result["buckets"], ["Young", "Old"])
        self.assertEqual(
            rows[self.p.id, self.warehouse.id, False]["quantities"], [15, 29]
        )
        Bucket.create({"name": "Gap", "days_from": 100, "days_to": 0})
        with self.assertRaisesRegex(UserError, "Fix the ageing buckets"):
            self.Ageing.ageing_at()
        with self.assertRaises(UserError):
            self.Ageing.ageing_at(fields.Datetime.now() + timedelta(days=2))

    def test_balance_run_checks_the_ageing_against_on_hand(self):
        Run = self.env["inventory.balance.run"]
        run = Run.browse(Run.start_report({"check_ageing": True}))
        self.assertFalse(
            run.line_ids.filtered(lambda line: line.rule_code == "ageing_on_hand")
        )
        # Quants drifting from the ledger: the ageing (from the ledger) no
        # longer adds up to what the quants hold; rule a's proposed
        # correction of the quant settles it, so it is proposed with it.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE stock_quant SET quantity = quantity + 5 "
            "WHERE product_id = %s AND location_id = %s",
            [self.p.id, self.stock.id],
        )
        self.env["stock.quant"].invalidate_model()
        run = Run.browse(Run.start_report({"check_ageing": True}))
        found = run.line_ids.filtered(lambda line: line.rule_code == "ageing_on_hand")
        self.assertEqual(
            [
                (f.product_id, f.location_id, f.expected, f.found, f.action)
                for f in found
            ],
            [(self.p, self.warehouse.lot_stock_id, 49, 44, "proposed")],
        )
        self.assertEqual(found.correction, "set_quant_to_ledger")
        self.assertIn("settled by setting the quants to the ledger", found.message)
        # Not asked: not checked.
        run = Run.browse(Run.start_report({}))
        self.assertFalse(
            run.line_ids.filtered(lambda line: line.rule_code == "ageing_on_hand")
        )

    def test_balance_run_ageing_settled_by_the_corrections(self):
        """The aged inventory finding of quants drifting from the ledger is
        proposed with rule a's correction, under either truth policy, and the
        correcting run settles it: the ledger policy sets the quants to the
        ledger, the counted one posts an adjustment that moves the ledger
        (and with it the aged inventory) to the quants."""
        Run = self.env["inventory.balance.run"]
        for policy in ("ledger", "counted"):
            with self.subTest(policy=policy):
                self.env.cr.execute("SAVEPOINT ageing_policy")
                try:
                    self.env.flush_all()
                    self.env.cr.execute(
                        "UPDATE stock_quant SET quantity = quantity + 5 "
                        "WHERE product_id = %s AND location_id = %s",
                        [self.p.id, self.stock.id],
                    )
                    self.env["stock.quant"].invalidate_model()
                    values = {
                        "check_ageing": True,
                        "truth_policy": policy,
                        "mode": "balance",
                    }
                    run = Run.browse(Run.start_report(values))
                    found = run.line_ids.filtered(
                        lambda line: line.rule_code == "ageing_on_hand"
                    )
                    self.assertEqual(
                        (found.product_id, found.action), (self.p, "proposed")
                    )
                    outcome = run.apply_corrections()
                    self.assertEqual(outcome["corrected"]["ageing_on_hand"], 1)
                    self.assertEqual(outcome["remaining"]["ageing_on_hand"], 0)
                    # (the scenario's negative balance is reported, not ours)
                    again = Run.browse(Run.start_report({"check_ageing": True}))
                    self.assertEqual(
                        set(again.line_ids.mapped("rule_code")), {"negative"}
                    )
                finally:
                    self.env.cr.execute("ROLLBACK TO SAVEPOINT ageing_policy")
                    self.env.invalidate_all()

    def test_rights(self):
        outsider = new_test_user(
            self.env, login="ageing_outsider", groups="base.group_user"
        )
        with self.assertRaises(AccessError):
            self.Ageing.with_user(outsider).ageing_at()
        reader = new_test_user(
            self.env, login="ageing_reader", groups="stock.group_stock_user"
        )
        rows = self.Ageing.with_user(reader).ageing_at(product_ids=[self.p.id])["rows"]
        self.assertEqual(len(rows), 2)
