# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.inventory_balance.tests.common import (
    LedgerScenarioMixin,
    background_requests,
)
from odoo.addons.inventory_snapshot.tools.snapshot_checksum import (
    FIELDS,
    snapshot_checksum,
)


@tagged("post_install", "-at_install")
class TestInventorySnapshotTake(LedgerScenarioMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ledger_scenario()
        cls.Snapshot = cls.env["inventory.snapshot"]
        cls.reader = new_test_user(
            cls.env,
            login="take_reader",
            groups="inventory_snapshot.group_inventory_snapshot_read",
        )
        cls.creator = new_test_user(
            cls.env,
            login="take_creator",
            groups="inventory_snapshot.group_inventory_snapshot_create",
        )

    def _take(self, **kwargs):
        kwargs.setdefault("name", "Test snapshot")
        return self.Snapshot.browse(self.Snapshot.take_snapshot(**kwargs))

    def _lines(self, snapshot):
        lines = snapshot.line_ids.filtered(
            lambda line: line.product_id in self.products
        )
        return {
            (line.product_id.id, line.location_id.id, line.lot_id.id or False): (
                line.on_hand + line.in_transit
            )
            for line in lines
        }

    def test_snapshot_of_now_equals_live_quants(self):
        snapshot = self._take()
        self.assertTrue(snapshot.is_now)
        self.assertEqual(self._lines(snapshot), self._quants())
        quants = self.env["stock.quant"].search(
            [("location_id.usage", "in", ("internal", "transit"))]
        )
        per_key = defaultdict(float)
        for quant in quants:
            per_key[quant.product_id.id, quant.location_id.id, quant.lot_id.id] += (
                quant.quantity
            )
        self.assertEqual(
            snapshot.line_count, len([q for q in per_key.values() if q]), "row by row"
        )
        transit = snapshot.line_ids.filtered(
            lambda line: line.location_id == self.transit
        )
        self.assertEqual((transit.in_transit, transit.on_hand), (10, 0))
        self.assertEqual(
            snapshot.total_on_hand, sum(snapshot.line_ids.mapped("on_hand"))
        )

    def test_past_snapshot_equals_engine_and_native(self):
        at = self._days_ago(27)
        snapshot = self._take(moment=at)
        self.assertFalse(snapshot.is_now)
        self.assertEqual(self._lines(snapshot), self._balances(at))
        self.assertFalse(snapshot.line_ids.filtered("reserved"))
        per_product = defaultdict(float)
        for line in snapshot.line_ids.filtered(
            lambda line: line.location_id.warehouse_id == self.warehouse
        ):
            per_product[line.product_id.id] += line.on_hand
        for product in self.products.with_context(to_date=at):
            self.assertAlmostEqual(per_product[product.id], product.qty_available)

    def test_scope(self):
        snapshot = self._take(location_ids=self.bin2.ids, categ_ids=[])
        self.assertEqual(
            set(snapshot.line_ids.location_id),
            {self.bin2, self.bin2a},
            "children included",
        )
        category = self.env["product.category"].create({"name": "Snapshot scope"})
        self.p3.categ_id = category
        scoped = self._take(categ_ids=category.ids)
        self.assertEqual(scoped.line_ids.product_id, self.p3)

    def test_reserved_and_channels_of_now(self):
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
        snapshot = self._take()
        line = snapshot.line_ids.filtered(
            lambda line: line.product_id == self.p1 and line.location_id == self.bin1
        )
        self.assertEqual(line.reserved, 6)
        self.assertEqual(line.available, line.on_hand - 6)
        channels = snapshot.channel_ids.filtered(lambda c: c.product_id == self.p1)
        self.assertEqual(sum(channels.mapped("reserved")), 6)
        past = self._take(moment=self._days_ago(1))
        self.assertFalse(past.channel_ids)

    def _take_later(self, checkpoint, name="Closing"):
        """A snapshot whose lines are left to the background job (as a period
        close takes it)."""
        return self.Snapshot.browse(
            self.Snapshot._take_event_snapshot(
                name,
                "REF",
                lines_from=checkpoint,
                company_id=self.company.id,
                moment=checkpoint.moment,
            )
        )

    def test_lines_copied_from_a_checkpoint_later(self):
        at = self._days_ago(27)
        Checkpoint = self.env["inventory.ledger.checkpoint"]
        checkpoint = Checkpoint.browse(Checkpoint.build_checkpoint(at))
        cron = self.env.ref(
            "inventory_snapshot.ir_cron_inventory_snapshot_pending_lines"
        )
        triggers = background_requests(self.env, cron)
        snapshot = self._take_later(checkpoint)
        self.assertEqual(snapshot.lines_checkpoint_id, checkpoint)
        self.assertEqual((snapshot.line_count, snapshot.checksum), (0, False))
        self.assertFalse(snapshot.line_ids)
        self.assertEqual(background_requests(self.env, cron), triggers + 1)
        ordinary = self._take(moment=at)
        self.assertTrue(ordinary.line_count)
        self.Snapshot._cron_write_pending_lines()
        self.assertFalse(snapshot.lines_checkpoint_id)
        self.assertEqual(self._lines(snapshot), self._balances(at))
        self.assertEqual(snapshot.line_count, ordinary.line_count)
        self.assertEqual(snapshot.checksum, ordinary.checksum)
        for total in ("total_on_hand", "total_in_transit", "total_value"):
            self.assertAlmostEqual(snapshot[total], ordinary[total], places=6)
        # Written once: the job finds nothing more to do.
        self.Snapshot._cron_write_pending_lines()
        self.assertEqual(len(snapshot.line_ids), ordinary.line_count)

    def test_pending_lines_are_written_before_they_are_read(self):
        at = self._days_ago(27)
        Checkpoint = self.env["inventory.ledger.checkpoint"]
        checkpoint = Checkpoint.browse(Checkpoint.build_checkpoint(at))
        ordinary = self._take(moment=at)
        reads = {
            "open the lines": lambda s: s.action_open_lines(),
            "verify": lambda s: self.assertEqual(s.verify(), {str(s.id): True}),
            "compare in the wizard": lambda s: (
                self.env["inventory.snapshot.compare"]
                .create({"snapshot_ids": [Command.set([s.id, ordinary.id])]})
                .action_compare()
            ),
            # a rebuild of its checkpoint deletes the rows it copies
            "rebuild the checkpoint": lambda s: checkpoint.action_rebuild(),
        }
        for read, call in reads.items():
            with self.subTest(read=read):
                snapshot = self._take_later(checkpoint, name=read)
                call(snapshot)
                self.assertFalse(snapshot.lines_checkpoint_id)
                self.assertEqual(snapshot.line_count, ordinary.line_count)
                self.assertEqual(snapshot.checksum, ordinary.checksum)

    def test_read_only_reads_refuse_pending_lines(self):
        """The read-only reads (served by a replica) never write: while the
        job has not written a closing snapshot's lines they refuse, saying
        how to go on, and the lines stay pending for the job."""
        at = self._days_ago(27)
        Checkpoint = self.env["inventory.ledger.checkpoint"]
        checkpoint = Checkpoint.browse(Checkpoint.build_checkpoint(at))
        ordinary = self._take(moment=at)
        snapshot = self._take_later(checkpoint)
        Snapshot = self.Snapshot.with_user(self.reader)
        reads = {
            "export": lambda: snapshot.with_user(self.reader).export_snapshot("json"),
            "compare": lambda: Snapshot.compare_snapshots([snapshot.id, ordinary.id]),
            "export comparison": lambda: Snapshot.export_comparison(
                [snapshot.id, ordinary.id], "csv"
            ),
            "check integrity": lambda: snapshot.with_user(
                self.reader
            ).check_integrity(),
        }
        for read, call in reads.items():
            with self.subTest(read=read):
                with self.assertRaisesRegex(UserError, "still being copied"):
                    call()
                self.assertEqual(snapshot.lines_checkpoint_id, checkpoint)
        self.Snapshot._cron_write_pending_lines()
        self.assertEqual(
            snapshot.with_user(self.reader).check_integrity(),
            {str(snapshot.id): {"intact": True, "problems": []}},
        )
        self.assertTrue(
            snapshot.with_user(self.reader).export_snapshot("json")["content"]
        )

    def test_lines_later_only_for_the_close(self):
        at = self._days_ago(27)
        Checkpoint = self.env["inventory.ledger.checkpoint"]
        checkpoint = Checkpoint.browse(Checkpoint.build_checkpoint(at))
        # The context key the close uses, sent by a user (over RPC), is
        # ignored: the lines are written and sealed at once.
        taken = self.Snapshot.browse(
            self.Snapshot.with_user(self.creator)
            .with_context(inventory_snapshot_lines_from=checkpoint.id)
            .take_snapshot("By creator, sealed", moment=at)
        )
        self.assertFalse(taken.lines_checkpoint_id)
        self.assertTrue(taken.line_count)
        self.assertEqual(taken.verify(), {str(taken.id): True})
        # Only a snapshot of the checkpoint's company and moment, of the whole
        # company, takes its lines from it.
        for scope in (
            {"moment": self._days_ago(26)},
            {"moment": at, "location_ids": self.bin2.ids},
        ):
            with self.subTest(scope=scope), self.assertRaises(ValueError):
                self.Snapshot._take_event_snapshot(
                    "Wrong", "REF", lines_from=checkpoint, **scope
                )
        with self.assertRaises(UserError):
            taken.write({"lines_checkpoint_id": checkpoint.id})

    def test_checksum_and_tampering(self):
        snapshot = self._take()
        lines = [
            {
                name: line[name].id if name.endswith("_id") else line[name]
                for name in FIELDS
            }
            for line in snapshot.line_ids
        ]
        self.assertEqual(snapshot.checksum, snapshot_checksum(lines))
        self.assertEqual(snapshot.verify(), {str(snapshot.id): True})
        self.assertEqual(snapshot.verify_state, "ok")
        self.env.cr.execute(
            "UPDATE inventory_snapshot_line SET on_hand = on_hand + 1 WHERE id = %s",
            [snapshot.line_ids[0].id],
        )
        snapshot.line_ids.invalidate_recordset()
        self.assertEqual(snapshot.verify(), {str(snapshot.id): False})
        self.assertEqual(snapshot.verify_state, "tampered")

    def test_immutable(self):
        snapshot = self._take()
        with self.assertRaises(UserError):
            snapshot.line_ids[0].write({"on_hand": 1})
        with self.assertRaises(UserError):
            snapshot.line_ids[0].unlink()
        with self.assertRaises(UserError):
            snapshot.write({"moment": self._days_ago(3)})
        snapshot.name = "Renamed"  # the name and description stay editable
        with self.assertRaises(UserError):
            self.env["inventory.snapshot.line"].create({"snapshot_id": snapshot.id})

    def test_rights(self):
        with self.assertRaises(AccessError):
            self.Snapshot.with_user(self.reader).take_snapshot("By reader")
        snapshot_id = self.Snapshot.with_user(self.creator).take_snapshot("By creator")
        snapshot = self.Snapshot.with_user(self.reader).browse(snapshot_id)
        self.assertTrue(snapshot.line_ids.with_user(self.reader).read(["on_hand"]))
        with self.assertRaises(AccessError):
            snapshot.with_user(self.creator).unlink()
        company_b = self.env["res.company"].create({"name": "Take company B"})
        user_b = new_test_user(
            self.env,
            login="take_b",
            groups="inventory_snapshot.group_inventory_snapshot_manager",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        self.assertFalse(
            self.Snapshot.with_user(user_b).search([("id", "=", snapshot_id)])
        )
        self.assertFalse(
            self.env["inventory.snapshot.line"]
            .with_user(user_b)
            .search([("snapshot_id", "=", snapshot_id)])
        )
        with self.assertRaises(AccessError):
            self.Snapshot.with_user(user_b).take_snapshot(
                "Other company", company_id=self.company.id
            )

    def test_bad_input(self):
        with self.assertRaises(UserError):
            self._take(moment=fields.Datetime.now() + timedelta(days=1))
        with self.assertRaises(UserError):
            self._take(name="")
        with self.assertRaises(ValidationError):
            self.Snapshot._trusted().create(
                {"name": "Future", "moment": fields.Datetime.now() + timedelta(days=1)}
            )

    @mute_logger("odoo.addons.inventory_snapshot.models.inventory_snapshot")
    def test_deletion_is_logged(self):
        snapshot = self._take()
        line_ids = snapshot.line_ids.ids
        snapshot.unlink()
        self.assertFalse(self.env["inventory.snapshot.line"].browse(line_ids).exists())
        log = self.env["ir.logging"].search(
            [("path", "=", "inventory.snapshot"), ("line", "=", str(snapshot.id))]
        )
        self.assertEqual(len(log), 1)
        self.assertIn("deleted by", log.message)
