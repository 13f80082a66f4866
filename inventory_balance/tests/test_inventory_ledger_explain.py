# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import LedgerScenarioMixin
from .readonly import ReadOnlyCaseMixin, is_readonly_method

SECOND = timedelta(seconds=1)


class ExplainScenarioMixin(LedgerScenarioMixin):
    """The ledger scenario plus a package, a line dated exactly at a
    checkpoint's moment, a back-dated line and two checkpoints."""

    @classmethod
    def _setup_explain_scenario(cls):
        cls._setup_ledger_scenario()
        cls.Explain = cls.env["inventory.ledger.explain"]
        cls.pack = cls.env["stock.package"].create({"name": "Explain pack"})
        d = cls._days_ago
        cls._move_package(cls.p1, cls.supplier, cls.bin2a, 6, d(33), result=cls.pack)
        cls._move_package(cls.p1, cls.bin2a, cls.customer, 2, d(12), source=cls.pack)
        # exactly at the later checkpoint's moment (counted in it)
        cls._move(cls.p1, cls.supplier, cls.bin1, 5, d(22))
        # exactly at the earlier checkpoint's moment, in a lot
        cls._move(cls.p2, cls.supplier, cls.bin2a, 4, d(52), lot=cls.lot_b)
        cls.early = cls.Checkpoint.browse(
            cls.Checkpoint.build_checkpoint(d(52), cls.company.id)
        )
        cls.late = cls.Checkpoint.browse(
            cls.Checkpoint.build_checkpoint(d(22), cls.company.id)
        )

    @classmethod
    def _move_package(cls, product, src, dst, qty, date, source=None, result=None):
        move = cls.env["stock.move"].create(
            {
                "product_id": product.id,
                "product_uom": cls.unit.id,
                "product_uom_qty": qty,
                "location_id": src.id,
                "location_dest_id": dst.id,
                "company_id": cls.company.id,
                "move_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_id": cls.unit.id,
                            "quantity": qty,
                            "location_id": src.id,
                            "location_dest_id": dst.id,
                            "package_id": source.id if source else False,
                            "result_package_id": result.id if result else False,
                        }
                    )
                ],
            }
        )
        move._action_confirm()
        move.picked = True
        move._action_done()
        move.write({"date": date})
        move.move_line_ids.write({"date": date})
        return move

    def _engine_figure(self, product, at, location=None, children=True, **key):
        """The balance of a key from balances_at, summed in Python."""
        rows = self.Ledger.balances_at(
            at,
            group_by=("product", "location", "lot", "package", "owner"),
            product_ids=product.ids,
        )
        total = 0.0
        for row in rows:
            loc = self.env["stock.location"].browse(row["location_id"])
            if location and (
                loc != location
                if not children
                else not loc.parent_path.startswith(location.parent_path)
            ):
                continue
            if any(
                (row[name] or "none") != (value or "none")
                for name, value in key.items()
            ):
                continue
            total += row["quantity"]
        return round(total, 6)

    def _explained(self, product, **kwargs):
        """explain() read whole; checks that the opening plus the lines make
        the closing and that the running balances add up."""
        answer = self.Explain.explain(product.id, limit=10000, **kwargs)
        running = answer["opening"]["quantity"]
        for line in answer["lines"]:
            running += line["quantity"]
            self.assertAlmostEqual(line["running_balance"], running, places=6)
        self.assertAlmostEqual(running, answer["closing"], places=6)
        self.assertEqual(answer["count"], len(answer["lines"]))
        return answer


@tagged("post_install", "-at_install")
class TestInventoryLedgerExplain(ExplainScenarioMixin, TransactionCase):
    """explain(): the opening (nearest checkpoint) plus the signed lines make
    the figure the engine gives, for every kind of key and moment, on and
    around checkpoints, with lots, packages, child locations, back-dated
    lines; flows over a period equal movements()."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_explain_scenario()

    def _moments(self):
        d = self._days_ago
        return [
            d(58),
            d(52) - SECOND,
            d(52),
            d(52) + SECOND,
            d(33),
            d(22) - SECOND,
            d(22),
            d(22) + SECOND,
            d(12),
            d(1),
        ]

    def test_balance_keys_at_moments(self):
        keys = [
            (self.p1, {}),
            (self.p1, {"location": self.stock}),
            (self.p1, {"location": self.bin2}),
            (self.p1, {"location": self.bin2, "children": False}),
            (self.p1, {"location": self.bin2a}),
            (self.p1, {"location": self.transit}),
            (self.p1, {"package_id": self.pack.id}),
            (self.p1, {"package_id": "none"}),
            (self.p2, {"lot_id": self.lot_a.id}),
            (self.p2, {"lot_id": self.lot_b.id, "location": self.bin2}),
            (self.p3, {"location": self.bin1}),
        ]
        for at in self._moments():
            for product, key in keys:
                key = dict(key)
                location = key.pop("location", None)
                children = key.pop("children", True)
                with self.subTest(at=at, product=product.name, key=key):
                    answer = self._explained(
                        product,
                        at=fields.Datetime.to_string(at),
                        location_id=location.id if location else None,
                        with_children=children,
                        **key,
                    )
                    engine_key = {
                        k: (False if v == "none" else v) for k, v in key.items()
                    }
                    self.assertAlmostEqual(
                        answer["closing"],
                        self._engine_figure(
                            product, at, location, children, **engine_key
                        ),
                        places=6,
                    )

    def test_opening_from_nearest_checkpoint(self):
        d = self._days_ago
        answer = self._explained(self.p1, at=fields.Datetime.to_string(d(30)))
        self.assertEqual(
            answer["opening"]["date"], fields.Datetime.to_string(self.early.moment)
        )
        answer = self._explained(self.p1, at=fields.Datetime.to_string(d(22)))
        # the line dated at the checkpoint's moment is in its opening
        self.assertEqual(
            answer["opening"]["date"], fields.Datetime.to_string(self.late.moment)
        )
        self.assertEqual(answer["lines"], [])
        self.assertAlmostEqual(
            answer["opening"]["quantity"], self._engine_figure(self.p1, d(22))
        )
        answer = self._explained(self.p1, at=fields.Datetime.to_string(d(58)))
        self.assertFalse(answer["opening"]["date"])  # no checkpoint before
        self.assertEqual(answer["opening"]["quantity"], 0.0)
        self.assertEqual(len(answer["lines"]), 1)

    def test_period_and_flows(self):
        d = self._days_ago
        start, stop = d(52), d(12)
        answer = self._explained(
            self.p1,
            date_from=fields.Datetime.to_string(start),
            date_to=fields.Datetime.to_string(stop),
            location_id=self.stock.id,
        )
        self.assertAlmostEqual(
            answer["opening"]["quantity"],
            self._engine_figure(self.p1, start, self.stock),
        )
        self.assertAlmostEqual(
            answer["closing"], self._engine_figure(self.p1, stop, self.stock)
        )
        self.assertTrue(
            all(
                fields.Datetime.to_string(start)
                < line["date"]
                <= fields.Datetime.to_string(stop)
                for line in answer["lines"]
            )
        )
        movements = self.Ledger.movements(
            date_from=start,
            date_to=stop,
            group_by=("product", "kind"),
            product_ids=self.p1.ids,
            location_ids=self.stock.ids,
        )
        for flow in movements:
            with self.subTest(kind=flow["kind"]):
                answer = self._explained(
                    self.p1,
                    date_from=fields.Datetime.to_string(start),
                    date_to=fields.Datetime.to_string(stop),
                    location_id=self.stock.id,
                    kinds=flow["kind"],
                )
                self.assertEqual(answer["opening"]["quantity"], 0.0)
                self.assertAlmostEqual(answer["closing"], flow["quantity"])
                for direction, figure in (
                    ("in", flow["quantity_in"]),
                    ("out", -flow["quantity_out"]),
                ):
                    answer = self._explained(
                        self.p1,
                        date_from=fields.Datetime.to_string(start),
                        date_to=fields.Datetime.to_string(stop),
                        location_id=self.stock.id,
                        kinds=[flow["kind"]],
                        direction=direction,
                    )
                    self.assertAlmostEqual(answer["closing"], figure)

    def test_backdated_line_and_stale_checkpoint(self):
        d = self._days_ago
        # a line back-dated inside the late checkpoint's history
        self._move(self.p1, self.bin1, self.customer, 7, d(30))
        self.assertEqual(self.late.state, "stale")
        for at in (d(25), d(22), d(5)):
            with self.subTest(at=at):
                answer = self._explained(self.p1, at=fields.Datetime.to_string(at))
                self.assertAlmostEqual(
                    answer["closing"], self._engine_figure(self.p1, at)
                )
                # never from the stale checkpoint
                self.assertEqual(
                    answer["opening"]["date"],
                    fields.Datetime.to_string(self.early.moment),
                )

    def test_pages(self):
        whole = self._explained(self.p1)
        self.assertGreater(len(whole["lines"]), 3)
        seen = []
        for offset in range(0, len(whole["lines"]), 2):
            page = self.Explain.explain(self.p1.id, limit=2, offset=offset)
            self.assertEqual(page["opening"], whole["opening"])
            self.assertEqual(page["closing"], whole["closing"])
            self.assertEqual(page["count"], whole["count"])
            seen += page["lines"]
        self.assertEqual(seen, whole["lines"])
        past = self.Explain.explain(self.p1.id, limit=2, offset=1000)
        self.assertEqual(past["lines"], [])
        self.assertEqual(past["closing"], whole["closing"])

    def test_warehouse_condition_company_keys(self):
        at = fields.Datetime.to_string(self._days_ago(1))
        every = self._explained(self.p1, at=at)
        in_warehouse = self._explained(self.p1, at=at, warehouse_id=self.warehouse.id)
        self.assertAlmostEqual(
            in_warehouse["closing"],
            self._engine_figure(
                self.p1, self._days_ago(1), self.warehouse.view_location_id
            ),
        )
        good = self.env.ref("inventory_balance.inventory_condition_good")
        in_good = self._explained(self.p1, at=at, condition_id=good.id)
        # transit has no condition
        self.assertAlmostEqual(
            in_good["closing"],
            every["closing"]
            - self._engine_figure(self.p1, self._days_ago(1), self.transit),
        )
        company = self._explained(self.p1, at=at, company_id=self.company.id)
        self.assertAlmostEqual(company["closing"], every["closing"])

    def test_bad_requests(self):
        for kwargs in (
            {"at": "yesterday"},
            {"kinds": ["sales"], "date_from": "2026-01-01"},
            {"kinds": ["delivery"]},
            {"direction": "up", "date_from": "2026-01-01"},
            {"at": "2026-01-01", "date_to": "2026-02-01"},
            {"date_from": "2026-02-01", "date_to": "2026-01-01"},
            {"lot_id": "nothing"},
            {"location_id": 10**9},
            {"limit": 10**6},
        ):
            with self.subTest(kwargs=kwargs), self.assertRaises(UserError):
                self.Explain.explain(self.p1.id, **kwargs)
        with self.assertRaises(UserError):
            self.Explain.explain(False)


@tagged("post_install", "-at_install")
class TestInventoryLedgerExplainReadOnly(
    ExplainScenarioMixin, ReadOnlyCaseMixin, TransactionCase
):
    """explain() and the lines' list are reads: @api.readonly, and they
    answer the same on a read-only cursor (a hot standby's)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_explain_scenario()

    def test_explain_read_only(self):
        self.assertTrue(
            is_readonly_method(self.env, "inventory.ledger.explain", "explain")
        )
        # fixed moments: "now" moves between the two answers
        now = fields.Datetime.to_string(self._days_ago(0))
        requests = [
            {"at": fields.Datetime.to_string(self._days_ago(30))},
            {"location_id": self.bin2.id, "package_id": "none", "at": now},
            {
                "date_to": now,
                "date_from": fields.Datetime.to_string(self._days_ago(52)),
                "kinds": ["delivery", "receipt"],
                "limit": 2,
                "offset": 1,
            },
        ]
        expected = [self.Explain.explain(self.p1.id, **r) for r in requests]
        action = self.Explain._explain_action("T", self.p1.id, **requests[0])
        rows = (
            self.env[action["res_model"]]
            .with_context(**action["context"])
            .web_search_read([], {"quantity": {}, "running_balance": {}})
        )
        with self.read_only_env() as env:
            for request, answer in zip(requests, expected, strict=True):
                with self.subTest(request=request):
                    self.assertEqual(
                        env["inventory.ledger.explain"].explain(self.p1.id, **request),
                        answer,
                    )
            self.assertEqual(
                env[action["res_model"]]
                .with_context(**action["context"])
                .web_search_read([], {"quantity": {}, "running_balance": {}}),
                rows,
            )
