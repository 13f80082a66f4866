# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime, timedelta
from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, freeze_time, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestInventorySnapshotSchedule(TransactionCase):
    """Scheduled snapshots under frozen time, through real done moves."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Schedule = cls.env["inventory.snapshot.schedule"]
        cls.Snapshot = cls.env["inventory.snapshot"]
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.supplier = cls.env.ref("stock.stock_location_suppliers")
        cls.customer = cls.env.ref("stock.stock_location_customers")
        # A category of its own: the schedules' snapshots hold this product only.
        cls.categ = cls.env["product.category"].create({"name": "Scheduled goods"})
        cls.product = cls.env["product.product"].create(
            {"name": "Scheduled P", "is_storable": True, "categ_id": cls.categ.id}
        )
        cls.reader = new_test_user(
            cls.env,
            login="sched_reader",
            groups="inventory_snapshot.group_inventory_snapshot_read",
        )
        cls.manager = new_test_user(
            cls.env,
            login="sched_manager",
            groups="inventory_snapshot.group_inventory_snapshot_manager",
        )

    # ------------------------------------------------------------ helpers
    def _move(self, src, dst, qty, product=None):
        """A real done move, dated now (frozen)."""
        product = product or self.product
        move = self.env["stock.move"].create(
            {
                "product_id": product.id,
                "product_uom": product.uom_id.id,
                "product_uom_qty": qty,
                "location_id": src.id,
                "location_dest_id": dst.id,
                "company_id": self.company.id,
                "move_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_id": product.uom_id.id,
                            "quantity": qty,
                            "location_id": src.id,
                            "location_dest_id": dst.id,
                        }
                    )
                ],
            }
        )
        move._action_confirm()
        move.picked = True
        move._action_done()
        self.assertEqual(move.state, "done")
        return move

    def _schedule(self, name, frequency, **vals):
        vals.setdefault("tz", "UTC")
        vals.setdefault("categ_ids", [Command.set(self.categ.ids)])
        return self.Schedule.create({"name": name, "frequency": frequency, **vals})

    def _run_cron_daily(self, first, last, at_hour, moves=None):
        """Run the scheduled action once a day at ``at_hour`` (UTC), from the
        ``first`` to the ``last`` day included, doing the moves of each day
        just before."""
        moves = moves or {}
        day = first
        while day <= last:
            with freeze_time(datetime(day.year, day.month, day.day, at_hour)):
                for src, dst, qty in moves.get(day, []):
                    self._move(src, dst, qty)
                self.Schedule._cron_take_due_snapshots()
            day += timedelta(days=1)

    def _summary(self, schedule):
        return [
            (snapshot.moment, snapshot.name, snapshot.total_on_hand)
            for snapshot in schedule.snapshot_ids.sorted("moment")
        ]

    # -------------------------------------------------------------- tests
    def test_month_end_and_quarter_end_over_a_quarter(self):
        with freeze_time("2025-01-01 08:00:00"):
            monthly = self._schedule("Monthly", "month_end")
            quarterly = self._schedule(
                "Quarterly", "quarter_end", name_pattern="Quarter-End {quarter} {year}"
            )
        self.assertEqual(monthly.next_moment, datetime(2025, 1, 31, 23, 59, 59))
        moves = {
            date(2025, 1, 10): [(self.supplier, self.stock, 10)],
            date(2025, 2, 15): [(self.supplier, self.stock, 5)],
            date(2025, 3, 20): [(self.stock, self.customer, 3)],
        }
        self._run_cron_daily(date(2025, 1, 2), date(2025, 4, 2), 6, moves)
        self.assertEqual(
            self._summary(monthly),
            [
                (datetime(2025, 1, 31, 23, 59, 59), "Month-End January 2025", 10),
                (datetime(2025, 2, 28, 23, 59, 59), "Month-End February 2025", 15),
                (datetime(2025, 3, 31, 23, 59, 59), "Month-End March 2025", 12),
            ],
        )
        self.assertEqual(
            self._summary(quarterly),
            [(datetime(2025, 3, 31, 23, 59, 59), "Quarter-End Q1 2025", 12)],
        )
        snapshots = monthly.snapshot_ids | quarterly.snapshot_ids
        self.assertEqual(set(snapshots.mapped("trigger")), {"scheduled"})
        self.assertEqual(set(monthly.snapshot_ids.mapped("trigger_ref")), {"Monthly"})
        self.assertFalse(any(snapshots.mapped("is_now")), "past moments: the ledger")
        self.assertEqual(monthly.snapshot_count, 3)
        self.assertEqual(monthly.last_moment, datetime(2025, 3, 31, 23, 59, 59))
        self.assertEqual(monthly.next_moment, datetime(2025, 4, 30, 23, 59, 59))
        # Twice more, at the same moment and later the same day: nothing new.
        with freeze_time("2025-04-02 06:00:00"):
            self.Schedule._cron_take_due_snapshots()
        with freeze_time("2025-04-02 18:00:00"):
            self.Schedule._cron_take_due_snapshots()
        self.assertEqual(len(monthly.snapshot_ids), 3)
        self.assertEqual(len(quarterly.snapshot_ids), 1)

    def test_a_late_run_catches_up_missed_month_ends(self):
        with freeze_time("2025-01-05 10:00:00"):
            schedule = self._schedule("Late monthly", "month_end")
            self._move(self.supplier, self.stock, 7)
        with freeze_time("2025-02-10 10:00:00"):
            self._move(self.supplier, self.stock, 4)
        # The scheduled action did not run for two months.
        with freeze_time("2025-03-03 09:00:00"):
            self.Schedule._cron_take_due_snapshots()
            self.Schedule._cron_take_due_snapshots()
        self.assertEqual(
            self._summary(schedule),
            [
                (datetime(2025, 1, 31, 23, 59, 59), "Month-End January 2025", 7),
                (datetime(2025, 2, 28, 23, 59, 59), "Month-End February 2025", 11),
            ],
        )
        with freeze_time("2025-05-15 12:00:00"):
            # A delivery after the missed month-ends: not in them (the ledger).
            self._move(self.stock, self.customer, 1)
            self.Schedule._cron_take_due_snapshots()
        self.assertEqual(
            [total for _moment, _name, total in self._summary(schedule)],
            [7, 11, 11, 11],
        )
        self.assertEqual(schedule.last_moment, datetime(2025, 4, 30, 23, 59, 59))

    def test_weekly_over_three_weeks(self):
        with freeze_time("2025-01-06 09:00:00"):  # a Monday, after 08:00
            schedule = self._schedule(
                "Weekly",
                "weekly",
                weekday="0",
                hour=8.0,
                name_pattern="Week of {date} ({day}/{month_number}, {month})",
            )
        self._run_cron_daily(date(2025, 1, 7), date(2025, 1, 27), 12)
        self.assertEqual(
            [(moment, name) for moment, name, _total in self._summary(schedule)],
            [
                (datetime(2025, 1, 13, 8), "Week of 2025-01-13 (13/01, January)"),
                (datetime(2025, 1, 20, 8), "Week of 2025-01-20 (20/01, January)"),
                (datetime(2025, 1, 27, 8), "Week of 2025-01-27 (27/01, January)"),
            ],
        )

    def test_time_zone_of_the_schedule(self):
        with freeze_time("2025-01-15 10:00:00"):
            schedule = self._schedule(
                "Brussels", "month_end", tz="Europe/Brussels", hour=24.0
            )
        with freeze_time("2025-01-31 22:30:00"):  # 23:30 in Brussels
            self.Schedule._cron_take_due_snapshots()
        self.assertFalse(schedule.snapshot_ids)
        with freeze_time("2025-01-31 23:30:00"):  # 00:30 on 1 February there
            self.Schedule._cron_take_due_snapshots()
        self.assertEqual(
            [(moment, name) for moment, name, _total in self._summary(schedule)],
            [(datetime(2025, 1, 31, 22, 59, 59), "Month-End January 2025")],
        )

    def test_scope_and_inactive_schedules(self):
        other = self.env["product.product"].create(
            {"name": "Unscheduled P", "is_storable": True}
        )
        with freeze_time("2025-01-01 08:00:00"):
            schedule = self._schedule(
                "Scoped daily",
                "daily",
                hour=12.0,
                warehouse_ids=[Command.set(self.warehouse.ids)],
            )
            archived = self._schedule("Archived daily", "daily", active=False)
            self._move(self.supplier, self.stock, 2)
            self._move(self.supplier, self.stock, 9, product=other)  # not in scope
        with freeze_time("2025-01-01 13:00:00"):
            self.Schedule._cron_take_due_snapshots()
        snapshot = schedule.snapshot_ids
        self.assertEqual(len(snapshot), 1)
        self.assertEqual(snapshot.warehouse_ids, self.warehouse)
        self.assertEqual(snapshot.categ_ids, self.categ)
        self.assertEqual(snapshot.line_ids.product_id, self.product)
        self.assertFalse(archived.snapshot_ids)

    def test_a_period_is_never_taken_twice(self):
        with freeze_time("2025-01-01 08:00:00"):
            schedule = self._schedule("Unique", "daily", hour=12.0)
        due = datetime(2025, 1, 1, 12)
        with freeze_time("2025-01-01 13:00:00"):
            first = schedule._take_due_snapshot(due)
            self.assertTrue(first)
            # An earlier run took it: skipped before anything is done.
            self.assertFalse(schedule._take_due_snapshot(due))
            # A concurrent run that did not see it yet: the unique index stops
            # it and the savepoint undoes its snapshot.
            Snapshot = self.env.registry["inventory.snapshot"]
            with patch.object(Snapshot, "search_count", return_value=0):
                self.assertFalse(schedule._take_due_snapshot(due))
        self.assertEqual(schedule.snapshot_ids.ids, [first])
        self.assertEqual(
            self.Snapshot.search_count([("name", "=", schedule._snapshot_name(due))]),
            1,
        )
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.Snapshot._trusted().create(
                {"name": "Duplicate", "schedule_id": schedule.id, "moment": due}
            )
            self.env.flush_all()

    def test_the_scheduled_action(self):
        cron = self.env.ref("inventory_snapshot.ir_cron_inventory_snapshot_schedule")
        self.assertTrue(cron.active)
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "hours"))
        with freeze_time("2025-01-01 08:00:00"):
            schedule = self._schedule("Progress", "daily", hour=12.0)
        with freeze_time("2025-01-02 13:00:00"):
            cron.ir_actions_server_id.run()
        self.assertEqual(len(schedule.snapshot_ids), 2)
        # As the scheduled action runs it outside tests: a commit per
        # snapshot, with the progress.
        IrCron = self.env.registry["ir.cron"]
        with (
            freeze_time("2025-01-05 13:00:00"),
            patch.object(IrCron, "_commit_progress", autospec=True) as commit,
        ):
            taken = schedule._take_due_snapshots(commit=True)
        self.assertEqual(len(taken), 3)
        self.assertEqual(
            [(call.args[1], call.kwargs) for call in commit.call_args_list],
            [(1, {"remaining": 2}), (1, {"remaining": 1}), (1, {"remaining": 0})],
        )

    def test_name_pattern_is_checked(self):
        with self.assertRaisesRegex(ValidationError, "Unknown placeholder"):
            self._schedule("Bad", "month_end", name_pattern="End {month.__class__}")
        with self.assertRaisesRegex(ValidationError, "Lone"):
            self._schedule("Bad", "month_end", name_pattern="End {month")
        with self.assertRaisesRegex(ValidationError, "from 0 to 24"):
            self._schedule("Bad", "daily", hour=25.0)
        schedule = self._schedule("Good", "month_end", name_pattern="{{X}} {year}")
        self.assertEqual(schedule._snapshot_name(datetime(2025, 6, 30)), "{X} 2025")

    def test_rights_and_companies(self):
        schedule = self._schedule("Rights", "month_end")
        self.assertEqual(
            self.Schedule.with_user(self.reader).search([("id", "=", schedule.id)]),
            schedule,
        )
        with self.assertRaises(AccessError):
            schedule.with_user(self.reader).name = "Renamed"
        with self.assertRaises(AccessError):
            self.Schedule.with_user(self.reader).create(
                {"name": "By reader", "frequency": "daily"}
            )
        by_manager = self.Schedule.with_user(self.manager).create(
            {"name": "By manager", "frequency": "daily"}
        )
        by_manager.with_user(self.manager).hour = 6.5
        other_company = self.env["res.company"].create({"name": "Schedule Co B"})
        foreign = self.Schedule.create(
            {"name": "Foreign", "frequency": "daily", "company_id": other_company.id}
        )
        found = self.Schedule.with_user(self.manager).search([])
        self.assertIn(by_manager, found)
        self.assertNotIn(foreign, found)

    def test_a_schedule_with_snapshots_is_archived_not_deleted(self):
        with freeze_time("2025-01-01 08:00:00"):
            schedule = self._schedule("Kept", "daily", hour=12.0)
        with freeze_time("2025-01-02 13:00:00"):
            self.Schedule._cron_take_due_snapshots()
        self.assertEqual(len(schedule.snapshot_ids), 2)
        with self.assertRaises(UserError):
            schedule.unlink()
        schedule.action_archive()
        self.assertFalse(schedule.active)
        with self.assertRaises(UserError):
            schedule.snapshot_ids[0].write({"schedule_id": False})


@tagged("post_install", "-at_install")
class TestInventorySnapshotEvent(TransactionCase):
    """Event snapshots: one per validated transfer of a flagged type."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Snapshot = cls.env["inventory.snapshot"]
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.receipt_type = cls.warehouse.in_type_id
        cls.delivery_type = cls.warehouse.out_type_id
        cls.receipt_type.snapshot_on_validation = True
        cls.delivery_type.snapshot_on_validation = False
        cls.product = cls.env["product.product"].create(
            {"name": "Event P", "is_storable": True}
        )
        cls.stock_user = new_test_user(
            cls.env,
            login="event_stock_user",
            groups="stock.group_stock_user",
        )

    def _picking(self, picking_type, qty):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "location_id": picking_type.default_location_src_id.id,
                "location_dest_id": picking_type.default_location_dest_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom": self.product.uom_id.id,
                            "product_uom_qty": qty,
                            "location_id": picking_type.default_location_src_id.id,
                            "location_dest_id": (
                                picking_type.default_location_dest_id.id
                            ),
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        picking.move_ids.quantity = qty
        picking.move_ids.picked = True
        return picking

    def _event_snapshots(self, picking):
        return self.Snapshot.search(
            [("trigger", "=", "event"), ("trigger_ref", "=", picking.name)]
        )

    def test_one_snapshot_per_validated_picking_of_a_flagged_type(self):
        receipt = self._picking(self.receipt_type, 8)
        receipt.with_user(self.stock_user).button_validate()
        self.assertEqual(receipt.state, "done")
        snapshot = self._event_snapshots(receipt)
        self.assertEqual(len(snapshot), 1)
        self.assertEqual(snapshot.name, f"Validation of {receipt.name}")
        self.assertEqual(snapshot.warehouse_ids, self.warehouse)
        self.assertEqual(snapshot.user_id, self.stock_user)
        self.assertTrue(snapshot.is_now)
        line = snapshot.line_ids.filtered(lambda li: li.product_id == self.product)
        self.assertEqual(sum(line.mapped("on_hand")), 8, "taken after the moves")

        delivery = self._picking(self.delivery_type, 3)
        delivery.button_validate()
        self.assertEqual(delivery.state, "done")
        self.assertFalse(self._event_snapshots(delivery))

        two = self._picking(self.receipt_type, 1) | self._picking(self.receipt_type, 2)
        two.button_validate()
        for picking in two:
            self.assertEqual(len(self._event_snapshots(picking)), 1)
        self.assertEqual(
            self.Snapshot.search_count(
                [("trigger", "=", "event"), ("trigger_ref", "in", two.mapped("name"))]
            ),
            2,
        )

    def test_event_hook(self):
        snapshot = self.Snapshot.browse(
            self.Snapshot._take_event_snapshot(
                "Inventory adjustment confirmed",
                "ADJ/0001",
                warehouse_ids=self.warehouse.ids,
            )
        )
        self.assertEqual(
            (snapshot.name, snapshot.trigger, snapshot.trigger_ref),
            ("Inventory adjustment confirmed", "event", "ADJ/0001"),
        )
        with self.assertRaises(TypeError):
            self.Snapshot._take_event_snapshot("X", "Y", trigger="manual")
