# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import LedgerScenarioMixin


@tagged("post_install", "-at_install")
class TestInventoryReports(LedgerScenarioMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ledger_scenario()
        cls.damaged = cls.env["stock.location"].create(
            {
                "name": "Damaged shelf",
                "location_id": cls.stock.id,
                "condition_id": cls.env.ref(
                    "inventory_balance.inventory_condition_damaged"
                ).id,
            }
        )
        cls._move(cls.p3, cls.bin1, cls.damaged, 4, cls._days_ago(3))
        cls.Balance = cls.env["inventory.stock.balance.report"]
        cls.Transactions = cls.env["inventory.transaction.report"]

    def _report(self, at=None, **kwargs):
        context = {"inventory_at": fields.Datetime.to_string(at)} if at else {}
        return self.Balance.with_context(**context).search(
            [("product_id", "in", self.products.ids)], **kwargs
        )

    def test_balance_rows_equal_the_engine(self):
        for at in (None, self._days_ago(27), self._days_ago(52)):
            rows = self._report(at)
            engine = self._balances(at)
            found = {
                (r.product_id.id, r.location_id.id, r.lot_id.id or False): r.quantity
                for r in rows
            }
            self.assertEqual(found, engine)

    def test_grouped_pages_count_every_group(self):
        """The list's groups and their number come from one statement: the
        count must still be that of all groups, on every page."""
        domain = [("product_id", "in", self.products.ids)]
        for at in (None, self._days_ago(27)):
            context = {"inventory_at": fields.Datetime.to_string(at)} if at else {}
            Balance = self.Balance.with_context(**context)
            groups = Balance.formatted_read_group(
                domain, ["location_id"], ["on_hand:sum"]
            )
            self.assertGreaterEqual(len(groups), 3)
            for offset in (0, 1):
                page = Balance.web_read_group(
                    domain, ["location_id"], ["on_hand:sum"], limit=2, offset=offset
                )
                self.assertEqual(page["length"], len(groups))
                self.assertEqual(
                    [(g["location_id"], g["on_hand:sum"]) for g in page["groups"]],
                    [
                        (g["location_id"], g["on_hand:sum"])
                        for g in groups[offset : offset + 2]
                    ],
                )
                self.assertNotIn("__groups_total", page["groups"][0])
            beyond = Balance.web_read_group(
                domain, ["location_id"], ["on_hand:sum"], limit=2, offset=100
            )
            self.assertEqual((beyond["groups"], beyond["length"]), ([], 0))
        transactions = self.Transactions.with_context(
            inventory_date_from=fields.Datetime.to_string(self._days_ago(70))
        )
        all_groups = transactions.formatted_read_group(domain, ["product_id"], [])
        page = transactions.web_read_group(domain, ["product_id"], [], limit=1)
        self.assertEqual(page["length"], len(all_groups))

    def test_condition_transit_and_last_change(self):
        rows = self._report()
        damaged = rows.filtered(lambda r: r.location_id == self.damaged)
        self.assertEqual(damaged.condition_id.code, "damaged")
        self.assertEqual((damaged.on_hand, damaged.available), (4, 0))
        transit = rows.filtered(lambda r: r.location_id == self.transit)
        self.assertEqual(
            (transit.in_transit, transit.on_hand, transit.available), (10, 0, 0)
        )
        p3_bin1 = rows.filtered(
            lambda r: r.product_id == self.p3 and r.location_id == self.bin1
        )
        self.assertEqual(p3_bin1.quantity, 24 - 5 - 4)
        self.assertAlmostEqual(
            p3_bin1.last_date, self._days_ago(3), delta=timedelta(seconds=1)
        )
        # Summary per product and condition, as the pivot shows it.
        groups = self.Balance._read_group(
            [("product_id", "=", self.p3.id)],
            ["condition_id"],
            ["on_hand:sum", "available:sum"],
        )
        by_condition = {
            c.code: (on_hand, available) for c, on_hand, available in groups
        }
        self.assertEqual(by_condition, {"good": (15, 15), "damaged": (4, 0)})

    def test_last_change_per_page_equals_the_engine(self):
        """ "Last Changed" looked up for a page of rows equals the engine's last
        dates (used for many rows), now and in the past, with a checkpoint."""
        self.Checkpoint.build_checkpoint(self._days_ago(33), self.company.id)
        lot_move = self._move(
            self.p2, self.production, self.bin1, 2, self._days_ago(2), lot=self.lot_a
        )
        for at in (None, self._days_ago(27), self._days_ago(12)):
            per_row = {
                (r.product_id.id, r.location_id.id, r.lot_id.id): r.last_date
                for r in self._report(at)
            }
            self.patch(type(self.Balance), "_LAST_DATE_LOOKUP_LIMIT", 0)
            by_engine = {
                (r.product_id.id, r.location_id.id, r.lot_id.id): r.last_date
                for r in self._report(at)
            }
            self.patch(type(self.Balance), "_LAST_DATE_LOOKUP_LIMIT", 2000)
            self.assertEqual(per_row, by_engine, at)
            self.assertTrue(all(per_row.values()), "every balance has a last change")
        key = (self.p2.id, self.bin1.id, self.lot_a.id)
        # 12 days ago, the last change of lot A in bin 1 was 25 days ago.
        self.assertAlmostEqual(
            per_row[key], self._days_ago(25), delta=timedelta(seconds=1)
        )
        now_rows = {
            (r.product_id.id, r.location_id.id, r.lot_id.id): r.last_date
            for r in self._report()
        }
        self.assertAlmostEqual(now_rows[key], lot_move.date, delta=timedelta(seconds=1))

    def test_reserved_now_only(self):
        move = self.env["stock.move"].create(
            {
                "product_id": self.p1.id,
                "product_uom_qty": 6,
                "location_id": self.bin1.id,
                "location_dest_id": self.customer.id,
            }
        )
        move._action_confirm()
        move._action_assign()
        now = self._report().filtered(
            lambda r: r.product_id == self.p1 and r.location_id == self.bin1
        )
        self.assertEqual((now.reserved, now.available), (6, now.quantity - 6))
        past = self._report(self._days_ago(1)).filtered(
            lambda r: r.product_id == self.p1 and r.location_id == self.bin1
        )
        self.assertEqual(past.reserved, 0)

    def test_future_is_refused(self):
        wizard = self.env["inventory.stock.balance.wizard"].create(
            {"at": fields.Datetime.now() + timedelta(days=3)}
        )
        with self.assertRaises(UserError):
            wizard.action_open_report()
        wizard.at = self._days_ago(10)
        action = wizard.action_open_report()
        self.assertEqual(action["res_model"], "inventory.stock.balance.report")
        rows = self.Balance.with_context(**action["context"]).search(
            [("product_id", "=", self.p1.id)]
        )
        self.assertEqual(sum(rows.mapped("quantity")), 100 + 40 - 35 + 8)

    def test_export_is_the_rows_on_screen(self):
        at = self._days_ago(27)
        rows = self._report(at, order="product_id, location_id")
        exported = rows.export_data(["product_id/id", "location_id/id", "quantity"])[
            "datas"
        ]
        self.assertEqual(len(exported), len(rows))
        self.assertEqual([float(line[2]) for line in exported], rows.mapped("quantity"))

    def test_transactions_running_balance(self):
        start, end = self._days_ago(33), self._days_ago(2)
        wizard = self.env["inventory.transaction.wizard"].create(
            {"date_from": start, "date_to": end}
        )
        context = wizard.action_open_report()["context"]
        rows = self.Transactions.with_context(**context).search(
            [("product_id", "=", self.p1.id)], order="date, id"
        )
        self.assertEqual(
            sorted(set(rows.mapped("kind"))),
            ["production_in", "return", "transfer", "transit_out"],
        )
        closing = self._balances(end, product_ids=self.p1.ids)
        last_by_key = {}
        for row in rows:
            last_by_key[row.product_id.id, row.location_id.id, False] = (
                row.running_balance
            )
        for key, balance in last_by_key.items():
            self.assertEqual(balance, closing.get(key, 0.0), key)
        transfer = rows.filtered(lambda r: r.kind == "transfer")
        self.assertEqual(sorted(transfer.mapped("quantity")), [-15, 15])
        self.assertEqual(set(transfer.mapped("location_id")), {self.bin1, self.bin2})
        with self.assertRaises(UserError):
            self.env["inventory.transaction.wizard"].create(
                {"date_from": end, "date_to": start}
            ).action_open_report()

    def test_transactions_of_a_product_and_location(self):
        """The wizard asks the time span, the products and the location."""
        start, end = self._days_ago(33), self._days_ago(2)
        wizard = self.env["inventory.transaction.wizard"].create(
            {
                "date_from": start,
                "date_to": end,
                "product_ids": [(6, 0, self.p1.ids)],
                "location_id": self.bin1.id,
            }
        )
        action = wizard.action_open_report()
        rows = self.Transactions.with_context(**action["context"]).search(
            action["domain"]
        )
        self.assertTrue(rows)
        self.assertEqual(rows.product_id, self.p1)
        self.assertEqual(rows.location_id, self.bin1)
        everything = self.Transactions.with_context(**action["context"]).search(
            [("product_id", "=", self.p1.id)]
        )
        self.assertGreater(len(everything), len(rows))

    def test_value_at_cost_with_stock_account(self):
        if "value" not in self.env["stock.move"]._fields:
            self.skipTest("stock_account is not installed")
        self.p1.standard_price = 2.5
        rows = self._report().filtered(lambda r: r.product_id == self.p1)
        self.assertTrue(rows)
        for row in rows:
            self.assertAlmostEqual(row.value, row.quantity * 2.5)
