# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 22 for snapshots: two companies and a user per group try every
action the review tried; the matrix of what each may do, the fields nobody
writes by hand, records of another company, the seal and its chain."""

import json
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from ..models.inventory_snapshot import SEAL_FIELDS, USER_FIELDS
from ..tools.snapshot_checksum import HEADER_FIELDS, encode_header, seal_of

READ = "inventory_snapshot.group_inventory_snapshot_read"
CREATE = "inventory_snapshot.group_inventory_snapshot_create"
MANAGER = "inventory_snapshot.group_inventory_snapshot_manager"


@tagged("post_install", "-at_install")
class TestSnapshotAccess(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.Snapshot = env["inventory.snapshot"]
        cls.Checkpoint = env["inventory.ledger.checkpoint"]
        cls.company_a = env.company
        cls.company_b = env["res.company"].create({"name": "Access Snap Co B"})
        Warehouse = env["stock.warehouse"]
        cls.wh_a = Warehouse.search([("company_id", "=", cls.company_a.id)], limit=1)
        cls.wh_b = Warehouse.search([("company_id", "=", cls.company_b.id)], limit=1)
        cls.categ = env["product.category"].create({"name": "Access Snap"})
        cls.product = env["product.product"].create(
            {
                "name": "Access Snap Product",
                "is_storable": True,
                "categ_id": cls.categ.id,
            }
        )
        Quant = env["stock.quant"]
        Quant._update_available_quantity(cls.product, cls.wh_a.lot_stock_id, 5)
        Quant.with_company(cls.company_b)._update_available_quantity(
            cls.product, cls.wh_b.lot_stock_id, 7
        )
        in_a = {
            "company_id": cls.company_a.id,
            "company_ids": [Command.set(cls.company_a.ids)],
        }
        cls.reader = new_test_user(env, login="acc_snap_read", groups=READ, **in_a)
        cls.creator = new_test_user(env, login="acc_snap_create", groups=CREATE, **in_a)
        cls.manager = new_test_user(
            env, login="acc_snap_manager", groups=MANAGER, **in_a
        )
        cls.stock_user = new_test_user(
            env, login="acc_snap_stock", groups="stock.group_stock_user", **in_a
        )
        cls.manager_b = new_test_user(
            env,
            login="acc_snap_manager_b",
            groups=MANAGER,
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.snap_a = cls.Snapshot._take("A now", company=cls.company_a)
        cls.snap_b = cls.Snapshot._take("B now", company=cls.company_b)
        cls.users = {
            "read": cls.reader,
            "create": cls.creator,
            "manager": cls.manager,
            "stock": cls.stock_user,
        }

    def _days_ago(self, days):
        return fields.Datetime.now().replace(microsecond=0) - timedelta(days=days)

    def _checkpoint(self, company, days):
        return self.Checkpoint._build_at(self._days_ago(days), company)

    def _closing(self, checkpoint, name):
        """A closing snapshot as the period close takes it."""
        return self.Snapshot.browse(
            self.Snapshot._take_event_snapshot(
                name,
                name,
                lines_from=checkpoint,
                company_id=checkpoint.company_id.id,
                moment=checkpoint.moment,
            )
        )

    def _sql(self, query, *args):
        self.env.flush_all()
        self.env.cr.execute(SQL(query, *args))
        self.env.invalidate_all()

    # ------------------------------------------------------------ taking
    def test_taking_needs_the_create_group_on_every_path(self):
        expected = {"read": AccessError, "stock": AccessError}
        for group, user in self.users.items():
            Snapshot = self.Snapshot.with_user(user)
            with self.subTest(group=group, path="take_snapshot"):
                if group in expected:
                    with self.assertRaises(expected[group]):
                        Snapshot.take_snapshot(f"By {group}")
                else:
                    taken = self.Snapshot.browse(Snapshot.take_snapshot(f"By {group}"))
                    self.assertEqual(taken.user_id, user)
                    self.assertEqual(taken.company_id, self.company_a)
            with self.subTest(group=group, path="wizard"):
                Take = self.env["inventory.snapshot.take"].with_user(user)
                if group in expected:
                    with self.assertRaises(AccessError):
                        Take.create({"name": f"Wizard {group}"}).action_take()
                else:
                    action = Take.create({"name": f"Wizard {group}"}).action_take()
                    self.assertTrue(self.Snapshot.browse(action["res_id"]).exists())
            with self.subTest(group=group, path="other company"):
                with self.assertRaises(AccessError):
                    Snapshot.take_snapshot("B", company_id=self.company_b.id)

    def test_schedule_button_needs_the_create_group(self):
        Schedule = self.env["inventory.snapshot.schedule"]
        start = self._days_ago(3)
        schedule = Schedule.create(
            {"name": "Access daily", "frequency": "daily", "date_start": start}
        )
        foreign = Schedule.create(
            {
                "name": "Access daily B",
                "frequency": "daily",
                "date_start": start,
                "company_id": self.company_b.id,
            }
        )
        for group in ("read", "stock"):
            with self.subTest(group=group), self.assertRaises(AccessError):
                schedule.with_user(self.users[group]).action_take_due_snapshots()
        self.assertFalse(schedule.snapshot_ids)
        self.assertFalse(schedule.last_moment)
        with self.assertRaises(AccessError):
            foreign.with_user(self.creator).action_take_due_snapshots()
        self.assertFalse(foreign.snapshot_ids)
        schedule.with_user(self.creator).action_take_due_snapshots()
        self.assertTrue(schedule.snapshot_ids)
        self.assertEqual(set(schedule.snapshot_ids.mapped("trigger")), {"scheduled"})
        # the last moment taken is the scheduled action's own
        for user in (self.manager, self.env.user):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                schedule.with_user(user).write({"last_moment": start})
        with self.assertRaises(UserError):
            Schedule.with_user(self.manager).create(
                {"name": "Skip", "frequency": "daily", "last_moment": start}
            )

    def test_a_user_cannot_forge_the_trigger_nor_defaults(self):
        with self.assertRaises(UserError):
            self.Snapshot.with_user(self.creator).take_snapshot(
                "Forged", trigger="event", trigger_ref="WH/IN/00001"
            )
        context = {
            "default_is_closing": True,
            "default_seal": "forged",
            "default_verify_state": "ok",
            "default_previous_snapshot_id": self.snap_a.id,
            "inventory_snapshot_trusted": True,
            "inventory_snapshot_taking": True,
        }
        taken = self.Snapshot.browse(
            self.Snapshot.with_user(self.creator)
            .with_context(**context)
            .take_snapshot("Defaults")
        )
        self.assertFalse(taken.is_closing)
        self.assertFalse(taken.previous_snapshot_id)
        self.assertEqual(taken.verify_state, "unverified")
        self.assertNotEqual(taken.seal, "forged")
        self.assertEqual(taken.verify(), {str(taken.id): True})

    # ---------------------------------------------- fields set by actions
    def test_create_is_refused_to_everyone(self):
        vals = {"name": "Forged", "checksum": "x", "verify_state": "ok"}
        for group, user in self.users.items():
            error = AccessError if group in ("read", "stock") else UserError
            with self.subTest(group=group), self.assertRaises(error):
                self.Snapshot.with_user(user).create(dict(vals))
        for context in (
            {},
            {"inventory_snapshot_trusted": True},
            {"inventory_snapshot_taking": True},
        ):
            with self.subTest(context=context), self.assertRaises(UserError):
                self.Snapshot.with_context(**context).create(dict(vals))
        with self.assertRaises(UserError):
            self.snap_a.copy()

    def test_seal_fields_are_refused_to_everyone(self):
        snapshot = self.snap_a
        other_user = self.reader
        values = {
            "moment": self._days_ago(2),
            "company_id": self.company_b.id,
            "location_ids": [Command.set(self.wh_a.lot_stock_id.ids)],
            "warehouse_ids": [Command.set(self.wh_a.ids)],
            "categ_ids": [Command.set(self.categ.ids)],
            "trigger": "scheduled",
            "trigger_ref": "FORGED",
            "user_id": other_user.id,
            "schedule_id": False,
            "taken_at": self._days_ago(1),
            "is_now": False,
            "is_closing": True,
            "line_count": 99,
            "total_on_hand": 1e6,
            "total_reserved": 1,
            "total_in_transit": 1,
            "total_value": 1e9,
            "checksum": "forged",
            "seal": "forged",
            "seal_version": 9,
            "sealed_header": {},
            "previous_snapshot_id": self.snap_b.id,
            "previous_seal": "forged",
            "verify_state": "ok",
            "verify_date": fields.Datetime.now(),
            "verify_message": "forged",
            "lines_checkpoint_id": False,
            "line_ids": [Command.clear()],
            "channel_ids": [Command.clear()],
        }
        before = snapshot.read(list(values))[0]
        writers = {
            "create": (self.creator, UserError),
            "manager": (self.manager, UserError),
            "read": (self.reader, AccessError),
            "stock": (self.stock_user, AccessError),
            "superuser": (self.env.user, UserError),
        }
        for field, value in values.items():
            for who, (user, error) in writers.items():
                for context in ({}, {"inventory_snapshot_taking": True}):
                    with (
                        self.subTest(field=field, who=who, context=context),
                        self.assertRaises(error),
                    ):
                        snapshot.with_user(user).with_context(**context).write(
                            {field: value}
                        )
        self.assertEqual(snapshot.read(list(values))[0], before)
        # the name and description stay the users'
        snapshot.with_user(self.creator).write({"name": "Renamed", "description": "x"})
        self.assertEqual(snapshot.verify(), {str(snapshot.id): True})

    def test_every_stored_field_is_guarded(self):
        mail_fields = set(self.env["mail.thread"]._fields)
        own = {
            name
            for name, field in self.Snapshot._fields.items()
            if (field.store or field.type == "one2many")
            and not field.related
            and name not in mail_fields
            and name not in models_magic()
        }
        self.assertFalse(own - SEAL_FIELDS - USER_FIELDS)

    def test_lines_and_channels_are_immutable(self):
        line = self.snap_a.line_ids[:1]
        self.assertTrue(line)
        channel_model = self.env["inventory.snapshot.channel"]
        for user in (self.manager, self.env.user):
            for Model, record in (
                (self.env["inventory.snapshot.line"], line),
                (channel_model, channel_model.browse()),
            ):
                with self.subTest(user=user.login, model=Model._name):
                    with self.assertRaises(UserError):
                        Model.with_user(user).create(
                            {"snapshot_id": self.snap_a.id, "product_id": 1}
                        )
                    if record:
                        with self.assertRaises(UserError):
                            record.with_user(user).write({"on_hand": 0})
                        with self.assertRaises(UserError):
                            record.with_user(user).unlink()
        # deleting the whole snapshot: the manager only
        with self.assertRaises(AccessError):
            self.snap_a.with_user(self.creator).unlink()
        line_ids = self.snap_a.line_ids.ids
        with mute_logger("odoo.addons.inventory_snapshot.models.inventory_snapshot"):
            self.snap_a.with_user(self.manager).unlink()
        self.assertFalse(self.env["inventory.snapshot.line"].browse(line_ids).exists())

    # ------------------------------------------------------ other company
    def test_references_to_another_company_are_refused(self):
        """check_company on every Many2one to company data (trusted path, so
        that only the company check is what refuses)."""
        checkpoint_b = self._checkpoint(self.company_b, 5)
        Schedule = self.env["inventory.snapshot.schedule"]
        schedule_b = Schedule.create(
            {
                "name": "Access B",
                "frequency": "daily",
                "company_id": self.company_b.id,
            }
        )
        snapshot = self.snap_a._trusted()
        references = {
            "lines_checkpoint_id": checkpoint_b.id,
            "previous_snapshot_id": self.snap_b.id,
            "schedule_id": schedule_b.id,
            "warehouse_ids": [Command.set(self.wh_b.ids)],
            "location_ids": [Command.set(self.wh_b.lot_stock_id.ids)],
        }
        for field, value in references.items():
            with self.subTest(field=field), self.assertRaises(UserError):
                with self.env.cr.savepoint():
                    snapshot.write({field: value})
                    snapshot.flush_recordset()
        # and by the paths a user takes
        with self.assertRaises(UserError):
            self.Snapshot.with_user(self.manager).take_snapshot(
                "Scope B", warehouse_ids=self.wh_b.ids
            )
        with self.assertRaises(UserError):
            self.env["inventory.snapshot.take"].with_user(self.manager).create(
                {"name": "Scope B", "location_ids": self.wh_b.lot_stock_id.ids}
            )
        with self.assertRaises(UserError):
            Schedule.with_user(self.manager).create(
                {
                    "name": "Scope B",
                    "frequency": "daily",
                    "warehouse_ids": self.wh_b.ids,
                }
            )
        # the review's path: a snapshot of A whose lines come from B's
        # checkpoint
        with self.assertRaises(ValueError):
            self.Snapshot._take_event_snapshot(
                "Cross",
                "Cross",
                lines_from=checkpoint_b,
                company_id=self.company_a.id,
                moment=checkpoint_b.moment,
            )

    def test_another_company_snapshot_is_refused(self):
        snap_b = self.snap_b
        for group, user in self.users.items():
            mine = self.snap_a.with_user(user)
            theirs = snap_b.with_user(user)
            with self.subTest(group=group):
                for action in (
                    theirs.verify,
                    theirs.action_verify,
                    theirs.action_open_lines,
                    lambda t=theirs: t.export_snapshot("csv"),
                    lambda t=theirs: t.read(["name"]),
                ):
                    with self.assertRaises(AccessError):
                        action()
                if group == "stock":
                    with self.assertRaises(AccessError):
                        mine.verify()
                    with self.assertRaises(AccessError):
                        mine.action_open_lines()
                else:
                    self.assertEqual(mine.verify(), {str(self.snap_a.id): True})
                    self.assertEqual(
                        mine.action_open_lines()["res_model"],
                        "inventory.snapshot.line",
                    )
                    self.assertTrue(mine.export_snapshot("json")["content"])
        snap_b.invalidate_recordset()
        self.assertEqual(snap_b.verify_state, "unverified")
        self.assertFalse(snap_b.verify_date)

    def test_no_record_of_the_other_company_is_returned(self):
        Schedule = self.env["inventory.snapshot.schedule"]
        Schedule.create(
            {"name": "Rule B", "frequency": "daily", "company_id": self.company_b.id}
        )
        Schedule.create({"name": "Rule A", "frequency": "daily"})
        for model in (
            "inventory.snapshot",
            "inventory.snapshot.line",
            "inventory.snapshot.channel",
            "inventory.snapshot.schedule",
        ):
            with self.subTest(model=model):
                self.assertTrue(
                    self.env["ir.rule"].search(
                        [("model_id.model", "=", model), ("global", "=", True)]
                    ),
                    f"{model} has no record rule",
                )
                for user in (self.reader, self.creator, self.manager):
                    found = self.env[model].with_user(user).search([])
                    self.assertNotIn(self.company_b, found.company_id)
                found_b = self.env[model].with_user(self.manager_b).search([])
                self.assertNotIn(self.company_a, found_b.company_id)
        for model in ("inventory.snapshot.compare", "inventory.snapshot.compare.line"):
            with self.subTest(model=model):
                self.assertTrue(
                    self.env["ir.rule"].search([("model_id.model", "=", model)])
                )

    # ------------------------------------------------------------ bounded
    def test_comparison_input_is_bounded(self):
        other = self.Snapshot._take("A again", company=self.company_a)
        ids = [self.snap_a.id, other.id]
        Snapshot = self.Snapshot.with_user(self.reader)
        for threshold in ("nan", float("nan"), "inf", float("-inf"), -1, 1e300, "x"):
            with self.subTest(threshold=threshold):
                with self.assertRaisesRegex(UserError, "threshold"):
                    Snapshot.compare_snapshots(ids, threshold=threshold)
                with self.assertRaisesRegex(UserError, "threshold"):
                    Snapshot.export_comparison(ids, "csv", threshold=threshold)
                with self.assertRaisesRegex(UserError, "threshold"):
                    self.env["inventory.snapshot.compare"].with_user(
                        self.reader
                    ).create(
                        {"snapshot_ids": [Command.set(ids)], "threshold": threshold}
                    )
        self.assertEqual(Snapshot.compare_snapshots(ids, threshold=2)["threshold"], 2)
        with self.assertRaises(AccessError):
            Snapshot.compare_snapshots([self.snap_a.id, self.snap_b.id])
        with self.assertRaises(AccessError):
            Snapshot.compare_snapshots([self.snap_b.id], include_now=True)

    def test_requests_are_capped(self):
        other = self.Snapshot._take("A again", company=self.company_a)
        ids = [self.snap_a.id, other.id]
        Snapshot = self.Snapshot.with_user(self.reader)
        rows = Snapshot.compare_snapshots(ids)["row_count"]
        self.assertGreaterEqual(rows, 1)
        Parameter = self.env["ir.config_parameter"].sudo()
        Parameter.set_param("inventory_snapshot.max_rows_per_request", "1")
        Parameter.set_param("inventory_snapshot.max_rpc_export_rows", "0")
        self.snap_a.invalidate_recordset()
        if rows > 1:
            with self.assertRaisesRegex(UserError, "page by page"):
                Snapshot.compare_snapshots(ids)
        with self.assertRaisesRegex(UserError, "at most 1 rows"):
            Snapshot.compare_snapshots(ids, limit=2)
        page = Snapshot.compare_snapshots(ids, limit=1)
        self.assertEqual((len(page["rows"]), page["row_count"]), (1, rows))
        with self.assertRaisesRegex(UserError, "streamed"):
            self.snap_a.with_user(self.reader).export_snapshot("json")
        with self.assertRaisesRegex(UserError, "streamed"):
            Snapshot.export_comparison(ids, "json")
        self.assertFalse(
            self.env["inventory.snapshot.compare"]
            .with_user(self.reader)
            .search([])
            .filtered("compared")
        )

    # --------------------------------------------------------------- seal
    def _forge(self, snapshot, field):
        """Change ``field`` of ``snapshot`` by SQL, as the ORM refuses."""
        Snapshot = self.Snapshot
        if field in ("location_ids", "warehouse_ids", "categ_ids"):
            target = {
                "location_ids": self.wh_a.lot_stock_id,
                "warehouse_ids": self.wh_a,
                "categ_ids": self.categ,
            }[field]
            rel = Snapshot._fields[field]
            self._sql(
                "INSERT INTO %s (%s, %s) VALUES (%s, %s)",
                SQL.identifier(rel.relation),
                SQL.identifier(rel.column1),
                SQL.identifier(rel.column2),
                snapshot.id,
                target.id,
            )
            return
        column = SQL.identifier(field)
        forged = {
            "company_id": SQL("%s", self.company_b.id),
            "moment": SQL("moment - interval '1 hour'"),
            "is_now": SQL("NOT COALESCE(is_now, FALSE)"),
            "is_closing": SQL("NOT COALESCE(is_closing, FALSE)"),
            "trigger": SQL("'scheduled'"),
            "trigger_ref": SQL("'FORGED'"),
            "schedule_id": SQL(
                "%s",
                self.env["inventory.snapshot.schedule"]
                .create({"name": "Forged", "frequency": "daily"})
                .id,
            ),
            "user_id": SQL("%s", self.reader.id),
            "taken_at": SQL("taken_at - interval '1 hour'"),
            "line_count": SQL("line_count + 1"),
            "total_on_hand": SQL("total_on_hand + 1"),
            "total_reserved": SQL("total_reserved + 1"),
            "total_in_transit": SQL("total_in_transit + 1"),
            "total_value": SQL("total_value + 1"),
            "checksum": SQL("'forged'"),
            "previous_snapshot_id": SQL("%s", self.snap_b.id),
            "previous_seal": SQL("'forged'"),
            "seal": SQL("'forged'"),
        }[field]
        self._sql(
            "UPDATE inventory_snapshot SET %s = %s WHERE id = %s",
            column,
            forged,
            snapshot.id,
        )

    def test_forging_any_header_field_fails_verify_naming_it(self):
        for field in (*HEADER_FIELDS, "seal"):
            with self.subTest(field=field):
                snapshot = self.Snapshot._take(f"Forge {field}", company=self.company_a)
                self.assertEqual(snapshot.seal_version, 2)
                self.assertEqual(snapshot.verify(), {str(snapshot.id): True})
                self._forge(snapshot, field)
                self.assertEqual(snapshot.verify(), {str(snapshot.id): False})
                self.assertEqual(snapshot.verify_state, "tampered")
                self.assertIn(f"field {field}", snapshot.verify_message)
                self.assertIn(snapshot.name, snapshot.verify_message)

    def test_closing_snapshots_chain(self):
        checkpoints = [self._checkpoint(self.company_a, days) for days in (30, 20, 10)]
        first, second, third = (
            self._closing(checkpoint, f"Close {n}")
            for n, checkpoint in enumerate(checkpoints, start=1)
        )
        # the third seals the pending ones before it, oldest first
        self.Snapshot.browse(third.id)._ensure_lines()
        self.assertFalse((first | second | third).filtered("lines_checkpoint_id"))
        self.assertEqual(
            (second.previous_snapshot_id, third.previous_snapshot_id), (first, second)
        )
        self.assertFalse(first.previous_snapshot_id)
        self.assertEqual(second.previous_seal, first.seal)
        self.assertEqual(third.previous_seal, second.seal)
        self.assertTrue(all(s.is_closing for s in first | second | third))
        self.assertFalse(self.snap_a.is_closing)
        (first | second | third).verify()
        self.assertEqual(set((first | second | third).mapped("verify_state")), {"ok"})
        # a closing snapshot chained to stays
        with self.assertRaisesRegex(UserError, "chained"):
            second.with_user(self.manager).unlink()

        # Resealed: a forger changes the first one's total and recomputes its
        # seal; it verifies alone, but the chain breaks at the second one.
        self._sql(
            "UPDATE inventory_snapshot SET total_value = total_value + 100 "
            "WHERE id = %s",
            first.id,
        )
        header = self.env["inventory.snapshot.seal"]._header(first)
        encoded = encode_header(header)
        self._sql(
            "UPDATE inventory_snapshot SET sealed_header = %s, seal = %s WHERE id = %s",
            SQL("%s::jsonb", json.dumps(encoded)),
            seal_of(encoded),
            first.id,
        )
        self.assertEqual(first.verify(), {str(first.id): True})
        self.assertEqual(second.verify(), {str(second.id): False})
        self.assertIn("replaced or resealed", second.verify_message)
        self.assertIn(first.name, second.verify_message)
        # the third one names the broken link too (its chain goes back)
        self.assertEqual(third.verify(), {str(third.id): False})
        self.assertIn(f"broken at {second.name}", third.verify_message)

    def test_deleting_a_closing_snapshot_breaks_the_chain(self):
        checkpoints = [self._checkpoint(self.company_a, days) for days in (30, 20, 10)]
        first, second, third = (
            self._closing(checkpoint, f"Closing {n}")
            for n, checkpoint in enumerate(checkpoints, start=1)
        )
        self.Snapshot._cron_write_pending_lines()
        self.assertEqual(third.verify(), {str(third.id): True})
        second_id = second.id
        self._sql("DELETE FROM inventory_snapshot WHERE id = %s", second_id)
        self.assertEqual(third.verify(), {str(third.id): False})
        self.assertIn(
            f"previous closing snapshot (id {second_id}) was deleted",
            third.verify_message,
        )
        self.assertIn(
            f"{first.name} (id {first.id}) is the one before it", third.verify_message
        )

    def test_snapshots_sealed_before_the_upgrade(self):
        """Taken before 19.0.1.1.0: no header seal; their lines are still
        verified, and verify says that their header is not sealed."""
        snapshot = self.Snapshot._take("Old", company=self.company_a)
        self._sql(
            "UPDATE inventory_snapshot SET seal = NULL, seal_version = NULL, "
            "sealed_header = NULL WHERE id = %s",
            snapshot.id,
        )
        self.assertEqual(snapshot.verify(), {str(snapshot.id): True})
        self.assertIn("not sealed", snapshot.verify_message)
        self._sql(
            "UPDATE inventory_snapshot_line SET on_hand = on_hand + 1 "
            "WHERE snapshot_id = %s",
            snapshot.id,
        )
        self.assertEqual(snapshot.verify(), {str(snapshot.id): False})
        self.assertIn("lines no longer match", snapshot.verify_message)


def models_magic():
    """The ORM's own columns."""
    return {"id", "create_uid", "create_date", "write_uid", "write_date"}
