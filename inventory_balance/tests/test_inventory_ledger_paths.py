# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import LedgerScenarioMixin

SECOND = timedelta(seconds=1)
LINES_PER_DAY = 50000


@tagged("post_install", "-at_install")
class TestInventoryLedgerPaths(LedgerScenarioMixin, TransactionCase):
    """Every path (whole ledger, quants rolled back, a checkpoint before or
    after the moment, the cheapest one) gives the same balances on, just
    before and just after checkpoints, with back-dated lines; ``auto`` takes
    the path estimated to read the fewest rows; the compact and paged
    answers hold the same balances."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ledger_scenario()
        cls.early = cls.Checkpoint.browse(
            cls.Checkpoint.build_checkpoint(cls._days_ago(52), cls.company.id)
        )
        cls.late = cls.Checkpoint.browse(
            cls.Checkpoint.build_checkpoint(cls._days_ago(22), cls.company.id)
        )

    def _answers(self, at):
        """The balances at ``at`` by every path."""
        Checkpoint = self.env.registry["inventory.ledger.checkpoint"]
        none = self.Checkpoint.browse()
        answers = {
            method: self._balances(at, method=method)
            for method in ("auto", "ledger", "quants", "checkpoint")
        }
        for name, method in (
            ("checkpoint before", "_first_valid_after"),
            ("checkpoint after", "_latest_valid"),
        ):
            with patch.object(Checkpoint, method, return_value=none):
                try:
                    answers[name] = self._balances(at, method="checkpoint")
                except UserError:  # no checkpoint on that side
                    self.assertTrue(
                        name == "checkpoint before"
                        and at < self.early.moment
                        or name == "checkpoint after"
                        and at >= self.late.moment
                    )
        return answers

    def _assert_all_paths_equal(self, moments):
        for at in moments:
            answers = self._answers(at)
            expected = answers.pop("ledger")
            self.assertTrue(expected, at)
            for path, answer in answers.items():
                self.assertEqual(answer, expected, f"{path} at {at}")

    def _around_checkpoints(self):
        moments = []
        for checkpoint in self.early | self.late:
            moments += [checkpoint.moment - SECOND, checkpoint.moment]
            moments += [checkpoint.moment + SECOND]
        return moments + [self._days_ago(d) for d in (58, 40, 30, 3)]

    def test_all_paths_equal_around_checkpoints(self):
        self._assert_all_paths_equal(self._around_checkpoints())

    def test_all_paths_equal_with_backdated_lines(self):
        """Lines back-dated on, just before and just after each checkpoint's
        moment: the checkpoints turn stale (the engine skips them), then,
        rebuilt by the scheduled build, every path agrees again."""
        for checkpoint in self.early | self.late:
            for shift, qty in ((-SECOND, 2), (timedelta(0), 3), (SECOND, 5)):
                self._move(
                    self.p1, self.supplier, self.bin2a, qty, checkpoint.moment + shift
                )
        self.assertEqual(set((self.early | self.late).mapped("state")), {"stale"})
        for at in self._around_checkpoints():
            self.assertEqual(
                self._balances(at), self._balances(at, method="ledger"), at
            )
        self.assertEqual(self.Checkpoint._run_builds(), 0)
        self.assertEqual(set((self.early | self.late).mapped("state")), {"valid"})
        self.assertEqual(self.late.previous_id, self.early)
        # The line on the moment is inside the checkpoint, the next one after.
        on_early = self._balances(
            self.early.moment, group_by=["product", "location"], product_ids=self.p1.ids
        )
        self.assertEqual(on_early[self.p1.id, self.bin2a.id], 40 + 2 + 3)
        self._assert_all_paths_equal(self._around_checkpoints())

    def _fake_estimates(self):
        """A big ledger: ``LINES_PER_DAY`` done lines a day over the last 60
        days; 1,000 quants."""
        first = self._days_ago(60)

        def lines(ledger, date_from=None, date_to=None, **filters):
            start = max(date_from or first, first)
            end = date_to or self.now
            return max((end - start).total_seconds(), 0) / 86400 * LINES_PER_DAY

        Ledger = self.env.registry["inventory.ledger"]
        return (
            patch.object(Ledger, "_estimate_lines", autospec=True, side_effect=lines),
            patch.object(Ledger, "_estimate_quants", return_value=1000),
        )

    def test_auto_takes_the_cheapest_path(self):
        by_lines, by_quants = self._fake_estimates()
        company = self.company.ids
        with by_lines, by_quants:
            for days, method, checkpoint in (
                (51, "checkpoint", self.early),  # just after the early one
                (24, "checkpoint", self.late),  # just before the late one
                (45, "checkpoint", self.early),  # fewer lines since the early one
                (33, "checkpoint", self.late),  # fewer lines up to the late one
                (35, "ledger", None),  # 13 days to the late one weigh 26
                (21, "checkpoint", self.late),
                (2, "quants", None),  # nearer now than the late one
            ):
                at = self._days_ago(days)
                resolved, checkpoints = self.Ledger._resolve_method(at, company)
                self.assertEqual(resolved, method, days)
                if checkpoint:
                    self.assertEqual(checkpoints, checkpoint, days)
                costs = self.Ledger._path_costs(at, company)[0]
                self.assertEqual(set(costs), {"ledger", "quants", "checkpoint"})
                self.assertLessEqual(costs[resolved], costs["ledger"])
            # The rows-SQL seam never rolls back the quants: the cheaper of
            # the others (here the late checkpoint, 20 days of lines, against
            # 58 for the whole ledger).
            method = self.Ledger._balance_rows_sql(self._days_ago(2), company)[2]
            self.assertEqual(method, "checkpoint")
            # When the date a balance last changed is asked: never quants,
            # never a later checkpoint.
            method, checkpoints = self.Ledger._resolve_method(
                self._days_ago(46), company, with_last_date=True
            )
            self.assertEqual((method, checkpoints), ("checkpoint", self.early))
            # 28 days ago the late checkpoint (6 days after) is the cheapest,
            # but with the date of the last change the early one (24 days
            # before) weighs more than the 32 days of the whole ledger.
            self.assertEqual(
                self.Ledger._resolve_method(self._days_ago(28), company),
                ("checkpoint", self.late),
            )
            self.assertEqual(
                self.Ledger._resolve_method(
                    self._days_ago(28), company, with_last_date=True
                )[0],
                "ledger",
            )
            # Without checkpoints: the whole ledger early, the quants late.
            (self.early | self.late).sudo().write({"state": "stale"})
            self.assertEqual(
                self.Ledger._resolve_method(self._days_ago(55), company)[0], "ledger"
            )
            self.assertEqual(
                self.Ledger._resolve_method(self._days_ago(5), company)[0], "quants"
            )
            self.assertEqual(
                self.Ledger._resolve_method(
                    self._days_ago(5), company, with_last_date=True
                )[0],
                "ledger",
            )

    def test_whole_ledger_when_the_checkpoint_reads_more(self):
        """A checkpoint far from the moment costs its rows and the lines
        between (summed by one process: ``DELTA_WEIGHT``): the whole ledger
        is taken when it reads fewer; the quants' path when nearer now."""
        by_lines, by_quants = self._fake_estimates()
        company = self.company.ids
        with by_lines, by_quants:
            self.late.sudo().write({"state": "stale"})
            # 10 days ago, with the date of the last change (no quants, no
            # later checkpoint): 42 days since the early checkpoint against
            # 50 days of the whole ledger.
            at = self._days_ago(10)
            costs = self.Ledger._path_costs(at, company, with_last_date=True)[0]
            self.assertLess(costs["ledger"], costs["checkpoint"])
            self.assertEqual(
                self.Ledger._resolve_method(at, company, with_last_date=True)[0],
                "ledger",
            )
            # The rows seam (never the quants): the whole ledger as well.
            self.assertEqual(self.Ledger._balance_rows_sql(at, company)[2], "ledger")
            # Just after the early checkpoint it is the cheapest again.
            self.assertEqual(
                self.Ledger._resolve_method(
                    self._days_ago(50), company, with_last_date=True
                ),
                ("checkpoint", self.early),
            )
            # Without the date of the last change: the quants' path.
            self.assertEqual(self.Ledger._resolve_method(at, company)[0], "quants")
        # Every path still gives the same balances there.
        for moment in (at, self._days_ago(50)):
            expected = self._balances(moment, method="ledger")
            self.assertTrue(expected)
            for method in ("auto", "quants", "checkpoint"):
                self.assertEqual(
                    self._balances(moment, method=method), expected, method
                )

    def test_estimates_follow_the_filters(self):
        """The products and locations asked for reach every estimate: the
        lines, the quants and the share of a checkpoint's rows."""
        Ledger = self.env.registry["inventory.ledger"]
        seen = []

        def lines(ledger, date_from=None, date_to=None, **filters):
            seen.append(("lines", filters))
            return 1000

        def quants(ledger, product_ids=None, scope_ids=None):
            seen.append(
                ("quants", {"product_ids": product_ids, "scope_ids": scope_ids})
            )
            return 10

        def share(ledger, product_ids=None, scope_ids=None):
            seen.append(("share", {"product_ids": product_ids, "scope_ids": scope_ids}))
            return 0.5

        with (
            patch.object(Ledger, "_estimate_lines", autospec=True, side_effect=lines),
            patch.object(Ledger, "_estimate_quants", autospec=True, side_effect=quants),
            patch.object(
                Ledger, "_estimate_checkpoint_share", autospec=True, side_effect=share
            ),
        ):
            self.Ledger.balances_at(
                self._days_ago(30),
                product_ids=self.p1.ids,
                location_ids=self.bin2.ids,
            )
        self.assertEqual(
            {kind for kind, _filters in seen}, {"lines", "quants", "share"}
        )
        for _kind, filters in seen:
            self.assertEqual(filters["product_ids"], self.p1.ids)
            self.assertEqual(
                sorted(filters["scope_ids"]), sorted((self.bin2 | self.bin2a).ids)
            )
        # The real estimates: a filter never counts more rows than none.
        self.env.cr.execute("ANALYZE stock_move_line")
        self.env.cr.execute("ANALYZE stock_quant")
        scope = (self.bin2 | self.bin2a).ids
        self.assertLessEqual(
            self.Ledger._estimate_lines(None, None, self.p1.ids, scope),
            self.Ledger._estimate_lines(None, None),
        )
        self.assertLessEqual(
            self.Ledger._estimate_quants(self.p1.ids, scope),
            self.Ledger._estimate_quants(),
        )
        share = self.Ledger._estimate_checkpoint_share(self.p1.ids, scope)
        self.assertTrue(0 <= share <= 1, share)
        self.assertEqual(self.Ledger._estimate_checkpoint_share(), 1.0)

    def test_estimates_are_read_from_statistics(self):
        """The estimates come from the planner (no row read): numbers, more
        lines over a wider window."""
        self.env.cr.execute("ANALYZE stock_move_line")
        wide = self.Ledger._estimate_lines(None, None)
        narrow = self.Ledger._estimate_lines(self._days_ago(3), self._days_ago(2))
        self.assertGreaterEqual(wide, narrow)
        self.assertGreater(wide, 0)
        self.assertGreaterEqual(self.Ledger._estimate_quants(), 0)

    def test_compact_and_pages(self):
        at = self._days_ago(12)
        rows = self.Ledger.balances_at(at, product_ids=self.products.ids)
        compact = self.Ledger.balances_at(
            at, product_ids=self.products.ids, compact=True
        )
        self.assertEqual(
            compact["fields"], ["product_id", "location_id", "lot_id", "quantity"]
        )
        self.assertEqual(
            [dict(zip(compact["fields"], row, strict=True)) for row in compact["rows"]],
            rows,
        )
        self.assertIn(False, [row[2] for row in compact["rows"]])
        by_product = self.Ledger.balances_at(
            at, group_by=["product"], product_ids=self.products.ids, compact=True
        )
        self.assertEqual(by_product["fields"], ["product_id", "quantity"])
        self.assertEqual(len(by_product["rows"]), 3)
        pages = []
        for offset in range(0, len(rows), 2):
            pages += self.Ledger.balances_at(
                at, product_ids=self.products.ids, limit=2, offset=offset
            )
        self.assertEqual(pages, rows)
        page = self.Ledger.balances_at(
            at, product_ids=self.products.ids, compact=True, limit=1, offset=1
        )
        self.assertEqual(page["rows"], compact["rows"][1:2])
        with self.assertRaises(UserError):
            self.Ledger.balances_at(at, offset=-1)
        with self.assertRaises(UserError):
            self.Ledger.balances_at(at, limit="many")

    def test_every_path_in_key_order(self):
        """The compact answer of every path is the same list in the same
        order (the checkpoint's rows merged with the lines sorted alone, for a
        grouping by the first keys; sorted all together for the others), with
        False for no lot, package or owner; the date a balance last changed
        is the same from a checkpoint before the moment as from the ledger."""
        Checkpoint = self.env.registry["inventory.ledger.checkpoint"]
        none = self.Checkpoint.browse()
        groupings = (
            ["product", "location", "lot"],
            ["product", "location", "lot", "package", "owner"],
            ["product"],
            ["location", "product"],
            ["product", "lot"],
        )
        last = float("inf")
        for at in self._around_checkpoints():
            for group_by in groupings:
                expected = self.Ledger.balances_at(
                    at,
                    group_by=group_by,
                    product_ids=self.products.ids,
                    method="ledger",
                    compact=True,
                )
                keys = [row[:-1] for row in expected["rows"]]
                self.assertEqual(
                    keys,
                    sorted(keys, key=lambda k: [last if v is False else v for v in k]),
                )
                self.assertEqual(len(set(map(tuple, keys))), len(keys))
                for method in ("checkpoint", "quants", "auto"):
                    try:
                        answer = self.Ledger.balances_at(
                            at,
                            group_by=group_by,
                            product_ids=self.products.ids,
                            method=method,
                            compact=True,
                        )
                    except UserError:  # no checkpoint
                        continue
                    self.assertEqual(answer, expected, f"{method} {group_by} at {at}")
                with patch.object(Checkpoint, "_first_valid_after", return_value=none):
                    try:
                        answer = self.Ledger.balances_at(
                            at,
                            group_by=group_by,
                            product_ids=self.products.ids,
                            method="checkpoint",
                            compact=True,
                        )
                    except UserError:  # no checkpoint before
                        continue
                self.assertEqual(answer, expected, f"checkpoint before at {at}")
            if at < self.early.moment:
                continue  # no checkpoint before: the ledger alone
            dated = {}
            for method in ("ledger", "checkpoint"):
                query, used = self.Ledger._balance_sql(
                    at,
                    ["product", "location", "lot"],
                    self.company.ids,
                    product_ids=self.products.ids,
                    method=method,
                    with_last_date=True,
                )
                self.env.cr.execute(query)
                dated[used] = self.env.cr.fetchall()
            self.assertEqual(dated["checkpoint"], dated["ledger"], at)
