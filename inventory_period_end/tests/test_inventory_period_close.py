# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.inventory_balance.tests.common import LedgerScenarioMixin


@tagged("post_install", "-at_install")
class TestInventoryPeriodClose(LedgerScenarioMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ledger_scenario()
        cls.Period = cls.env["inventory.period"]
        cls.company.inventory_period_keep = 12
        day = cls._day_ago
        cls.first = cls.Period.create(
            {"name": "First", "date_from": day(70), "date_to": day(35)}
        )
        cls.second = cls.Period.create(
            {"name": "Second", "date_from": day(34), "date_to": day(13)}
        )
        cls.current = cls.Period.create(
            {
                "name": "Current",
                "date_from": day(12),
                "date_to": fields.Date.today() + timedelta(days=5),
            }
        )
        cls.user = new_test_user(
            cls.env,
            login="period_close_user",
            groups="stock.group_stock_user,"
            "inventory_period_end.group_inventory_period_end_user",
        )
        cls.bypass = new_test_user(
            cls.env,
            login="period_close_bypass",
            groups="stock.group_stock_manager,"
            "inventory_period_end.group_stock_lock_bypass",
        )

    @classmethod
    def _day_ago(cls, days):
        return (cls.now - timedelta(days=days)).date()

    def _balance_run(self, period):
        """A report-only balance run of the whole company at the period end."""
        return self.env["inventory.balance.run"].browse(
            self.env["inventory.balance.run"].start_report(
                {"date": period._end_moment()}
            )
        )

    def _close(self, periods):
        for period in periods.sorted("date_from"):
            self._balance_run(period)
            period.action_close()

    def _assert_snapshot_as_ordinary(self, snapshot, moment):
        """The snapshot is intact and equals one taken the ordinary way at
        ``moment`` (lines, totals, checksum)."""
        self.assertEqual(snapshot.verify(), {str(snapshot.id): True})
        Snapshot = self.env["inventory.snapshot"]
        ordinary = Snapshot.browse(
            Snapshot.take_snapshot(
                "Ordinary", moment=moment, company_id=self.company.id
            )
        )
        self.assertTrue(ordinary.line_count)
        self.assertEqual(snapshot.line_count, ordinary.line_count)
        self.assertEqual(snapshot.checksum, ordinary.checksum)
        for total in ("total_on_hand", "total_in_transit", "total_value"):
            self.assertAlmostEqual(snapshot[total], ordinary[total], places=6)

    def test_close_stores_checkpoint_snapshot_and_lock_date(self):
        moment = self.first._end_moment()
        Checkpoint = self.env["inventory.ledger.checkpoint"]
        self.assertFalse(Checkpoint.search([("moment", "=", moment)]))
        self._close(self.first)
        self.assertEqual(self.first.state, "closed")
        self.assertEqual(self.first.closed_by_id, self.env.user)
        self.assertEqual(self.company.stock_lock_date, self.first.date_to)
        moment = self.first._end_moment()
        checkpoint = self.first.checkpoint_id
        self.assertEqual(checkpoint.moment, moment)
        self.assertEqual(checkpoint.state, "valid")
        # The closing checkpoint holds the ledger's balances at the period end.
        stored = {
            (line.product_id.id, line.location_id.id, line.lot_id.id or False): (
                line.quantity
            )
            for line in checkpoint.line_ids
            if line.product_id in self.products
        }
        from_ledger = self._balances(moment, method="ledger")
        self.assertTrue(from_ledger)
        self.assertEqual(stored, from_ledger)
        snapshot = self.first.snapshot_id
        self.assertEqual(snapshot.moment, moment)
        self.assertEqual(snapshot.trigger, "event")
        self.assertEqual(snapshot.trigger_ref, "First")
        # Its lines are copied from the checkpoint by the job right after.
        self.assertEqual(snapshot.lines_checkpoint_id, checkpoint)
        self.assertFalse(snapshot.line_ids)
        self.env["inventory.snapshot"]._cron_write_pending_lines()
        self.assertFalse(snapshot.lines_checkpoint_id)
        snapped = {
            (line.product_id.id, line.location_id.id, line.lot_id.id or False): (
                line.on_hand + line.in_transit
            )
            for line in snapshot.line_ids
            if line.product_id in self.products
        }
        self.assertEqual(snapped, from_ledger)
        self._assert_snapshot_as_ordinary(snapshot, moment)
        self.assertIn("Period closed", self.first.message_ids[0].body)

    def test_close_reuses_the_checkpoint_built_at_the_period_end(self):
        """The monthly job's checkpoint at the period end is the closing
        checkpoint (the same rows): not built again; the snapshot reads it."""
        moment = self.first._end_moment()
        Checkpoint = self.env["inventory.ledger.checkpoint"]
        built = Checkpoint.browse(Checkpoint.build_checkpoint(moment, self.company.id))
        rows = built.line_ids
        self._close(self.first)
        self.assertEqual(self.first.checkpoint_id, built)
        self.assertEqual(built.line_ids, rows)
        self._assert_snapshot_as_ordinary(self.first.snapshot_id, moment)
        # A stale one is not reused: the next period's is built again.
        moment = self.second._end_moment()
        stale = Checkpoint.browse(Checkpoint.build_checkpoint(moment, self.company.id))
        stale.state = "stale"
        stale_rows = stale.line_ids
        self.assertTrue(stale_rows)
        self._close(self.second)
        self.assertEqual(self.second.checkpoint_id, stale)
        self.assertEqual(stale.state, "valid")
        self.assertTrue(stale.line_ids)
        self.assertFalse(stale.line_ids & stale_rows)  # rebuilt
        self._assert_snapshot_as_ordinary(self.second.snapshot_id, moment)

    def test_close_stores_the_ageing_at_the_end(self):
        self._close(self.first)
        self.assertEqual(self.first.ageing_state, "pending")
        self.env["inventory.period"]._cron_store_ageing()
        self.assertEqual(self.first.ageing_state, "stored")
        stored = {}
        for row in self.first.ageing_ids:
            key = (
                row.product_id.id,
                row.warehouse_id.id or False,
                row.lot_id.id or False,
            )
            stored.setdefault(key, {}).setdefault(row.bucket_id.name, 0.0)
            stored[key][row.bucket_id.name] += row.quantity
        computed = self.env["inventory.ageing"].ageing_at(self.first._end_moment())
        expected = {
            (r["product_id"], r["warehouse_id"], r["lot_id"]): {
                name: q
                for name, q in zip(computed["buckets"], r["quantities"], strict=True)
                if q
            }
            for r in computed["rows"]
        }
        self.assertTrue(expected)
        self.assertEqual(
            {k: {n: round(q, 6) for n, q in v.items() if q} for k, v in stored.items()},
            expected,
        )
        self.assertEqual(
            self.first.action_open_ageing()["domain"],
            [("period_id", "=", self.first.id)],
        )
        # Reopening forgets it: the next close stores it again.
        self.first.action_reopen()
        self.assertFalse(self.first.ageing_ids)
        self.assertFalse(self.first.ageing_state)

    def test_lock_date_blocks_moves_inside_the_closed_period(self):
        self._close(self.first)
        inside = self.now - timedelta(days=40)
        # A move done today is fine; re-dating it into the closed period is not.
        move = self._move(self.p1, self.supplier, self.bin1, 5, self.now)
        self.assertEqual(move.state, "done")
        with self.assertRaisesRegex(UserError, "locked until"):
            move.write({"date": inside})
        with self.assertRaisesRegex(UserError, "locked until"):
            move.move_line_ids.write({"date": inside})
        # A done line inside the closed period can neither change nor go.
        old_line = self.env["stock.move.line"].search(
            [("product_id", "=", self.p1.id), ("date", "<=", inside)], limit=1
        )
        self.assertTrue(old_line)
        with self.assertRaisesRegex(UserError, "locked until"):
            old_line.quantity = 1
        with self.assertRaisesRegex(UserError, "locked until"):
            old_line.write({"date": self.now})
        # Moves after the lock date are still free to change.
        move.move_line_ids.write({"date": self.now - timedelta(days=1)})
        # The dedicated group may post in a closed period.
        move.with_user(self.bypass).write({"date": inside})
        self.assertEqual(move.date, inside)

    def test_lock_date_blocks_validating_a_picking_dated_inside(self):
        self._close(self.first)
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "location_id": self.supplier.id,
                "location_dest_id": self.bin1.id,
                "move_ids": [
                    fields.Command.create(
                        {
                            "product_id": self.p1.id,
                            "product_uom_qty": 4,
                            "product_uom": self.unit.id,
                            "location_id": self.supplier.id,
                            "location_dest_id": self.bin1.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.quantity = 4
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        with self.assertRaisesRegex(UserError, "locked until"):
            picking.write({"date_done": self.now - timedelta(days=40)})
        # Odoo backdates a picking's moves through its date of transfer.
        picking.write({"date_done": self.now - timedelta(days=2)})
        self.assertEqual(picking.move_ids.date, self.now - timedelta(days=2))

    def test_lock_date_blocks_backdated_adjustments(self):
        self._close(self.first)
        adjustment = self.env["inventory.adjustment"].create(
            {
                "name": "Late count",
                "date": self._day_ago(40),
                "reason_id": self.env["inventory.adjustment.reason"]
                .search([], limit=1)
                .id,
                "line_ids": [
                    fields.Command.create(
                        {
                            "product_id": self.p1.id,
                            "location_id": self.bin1.id,
                            "change": 2,
                        }
                    )
                ],
            }
        )
        with self.assertRaisesRegex(UserError, "lock"):
            adjustment.action_confirm()
        self.assertEqual(adjustment.state, "draft")

    def test_close_needs_a_clean_balance_run(self):
        with self.assertRaisesRegex(UserError, "Run a balance run"):
            self.first.action_close()
        # A run of part of the company does not count.
        self.env["inventory.balance.run"].start_report(
            {"date": self.first._end_moment(), "product_ids": self.p1.ids}
        )
        with self.assertRaisesRegex(UserError, "Run a balance run"):
            self.first.action_close()
        # A run that found an error blocks until it is corrected.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE stock_quant SET quantity = quantity + 5 WHERE id = %s",
            [
                self.env["stock.quant"]
                .search(
                    [
                        ("product_id", "=", self.p1.id),
                        ("location_id", "=", self.bin1.id),
                    ]
                )
                .id
            ],
        )
        self.env["stock.quant"].invalidate_model()
        run = self._balance_run(self.first)
        self.assertTrue(run.line_count)
        with self.assertRaisesRegex(UserError, "found errors"):
            self.first.action_close()
        # Switching the mode sends the checked run back to draft: checked
        # again, then corrected.
        run.mode = "balance"
        self.assertEqual(run.state, "draft")
        with self.assertRaisesRegex(UserError, "Run a balance run"):
            self.first.action_close()
        run.action_run()
        run.action_apply_corrections()
        self.assertEqual(run.state, "corrected")
        self.first.action_close()
        self.assertEqual(self.first.state, "closed")

    def test_scheduled_check_at_each_period_end(self):
        Period = self.env["inventory.period"]
        Period._cron_period_end_check()
        self.assertTrue(self.first.check_run_id)
        self.assertTrue(self.second.check_run_id)
        self.assertFalse(self.current.check_run_id)
        run = self.first.check_run_id
        self.assertEqual(run.mode, "report")
        self.assertEqual(run.date, self.first._end_moment())
        activities = self.first.activity_ids
        self.assertTrue(activities)
        self.assertIn("Period-end check of First", activities[0].summary)
        self.assertTrue(
            all(
                user.has_group(
                    "inventory_period_end.group_inventory_period_end_manager"
                )
                for user in activities.user_id
            )
        )
        # Once per period: running again adds nothing.
        count = len(self.first.activity_ids)
        Period._cron_period_end_check()
        self.assertEqual(self.first.check_run_id, run)
        self.assertEqual(len(self.first.activity_ids), count)
        # A clean scheduled run lets the period close.
        self.first.action_close()
        self.assertEqual(self.first.state, "closed")

    def test_close_order_current_period_and_rights(self):
        with self.assertRaisesRegex(UserError, "Close First before Second"):
            self.second.action_close()
        with self.assertRaisesRegex(UserError, "only a period that has ended"):
            self.current.action_close()
        with self.assertRaises(AccessError):
            self.first.with_user(self.user).action_close()
        self.assertEqual(self.first.state, "open")
        self._close(self.first)
        with self.assertRaisesRegex(UserError, "already closed"):
            self.first.action_close()
        with self.assertRaisesRegex(UserError, "closed period cannot be changed"):
            self.first.date_to = self._day_ago(36)
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            self.first.unlink()

    def test_ids_that_do_not_exist(self):
        Period = self.env["inventory.period"]
        with self.assertRaisesRegex(UserError, "^company_id: no company with id 987"):
            Period.generate_periods(company_id=987654321)
        with self.assertRaisesRegex(UserError, "^period_id: no .* with id 987654321"):
            Period.close_period(987654321)
        with self.assertRaisesRegex(UserError, "^product_ids: no .* id 987654321"):
            self.env["inventory.ageing"].ageing_at(product_ids=[987654321])

    def test_reopen_is_logged_and_moves_the_lock_date_back(self):
        self._close(self.first | self.second)
        self.assertEqual(self.company.stock_lock_date, self.second.date_to)
        with self.assertRaisesRegex(UserError, "Reopen Second before First"):
            self.first.action_reopen()
        with self.assertRaises(AccessError):
            self.second.with_user(self.user).action_reopen()
        closed_at = self.second.closed_at
        self.assertTrue(closed_at)
        self.second.action_reopen()
        self.assertEqual(self.second.state, "open")
        self.assertEqual(self.company.stock_lock_date, self.first.date_to)
        self.assertIn("Period reopened by", self.second.message_ids[0].body)
        # an open period says nothing of its former close but the chatter
        self.assertFalse(self.second.closed_at)
        self.assertFalse(self.second.closed_by_id)
        self.assertIn(str(closed_at), self.second.message_ids[0].body)
        self.first.action_reopen()
        self.assertFalse(self.company.stock_lock_date)
        # Nothing locked any more: an old move may be re-dated again.
        move = self._move(self.p1, self.supplier, self.bin1, 5, self.now)
        move.write({"date": self.now - timedelta(days=40)})

    def test_checkpoints_beyond_the_kept_periods_are_pruned(self):
        self.company.inventory_period_keep = 1
        manual = self.Checkpoint.browse(
            self.Checkpoint.build_checkpoint(self.now - timedelta(days=65))
        )
        self._close(self.first)
        first_checkpoint = self.first.checkpoint_id
        self.assertTrue(first_checkpoint.exists())
        self.assertFalse(manual.exists())
        first_snapshot = self.first.snapshot_id
        self.assertEqual(first_snapshot.lines_checkpoint_id, first_checkpoint)
        self._close(self.second)
        self.assertFalse(first_checkpoint.exists())
        self.assertFalse(self.first.checkpoint_id)
        self.assertTrue(self.second.checkpoint_id.exists())
        # The closing snapshot took its lines before its checkpoint went.
        self.assertFalse(first_snapshot.lines_checkpoint_id)
        self._assert_snapshot_as_ordinary(first_snapshot, self.first._end_moment())
        # The engine still answers the pruned moments, from the ledger.
        at = self.now - timedelta(days=50)
        self.assertEqual(
            self._balances(at, method="auto"), self._balances(at, method="ledger")
        )

    def test_generate_periods(self):
        company = self.env["res.company"].create({"name": "Periods Co"})
        Period = self.Period.with_company(company)
        created = Period.browse(Period.generate_periods(company.id, "2026-03-15"))
        self.assertEqual(
            [(p.name, p.date_from, p.date_to) for p in created],
            [("2026-03", date(2026, 3, 1), date(2026, 3, 31))],
        )
        created = Period.browse(Period.generate_periods(company.id, "2026-05-02"))
        self.assertEqual(created.mapped("name"), ["2026-04", "2026-05"])
        self.assertFalse(Period.generate_periods(company.id, "2026-05-31"))
        company.inventory_period_length = "quarter"
        created = Period.browse(Period.generate_periods(company.id, "2026-08-01"))
        self.assertEqual(
            [(p.date_from, p.date_to) for p in created],
            [
                (date(2026, 6, 1), date(2026, 6, 30)),
                (date(2026, 7, 1), date(2026, 9, 30)),
            ],
        )
