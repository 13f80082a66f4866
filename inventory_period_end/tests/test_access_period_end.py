# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The review of issue 22, replayed: two companies, a user per group, every
way to forge the period-end records or to change a closed period, and the
matrix of who may do what."""

from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.inventory_balance.tests.common import LedgerScenarioMixin

from ..tools.workflow_guard import workflow

ACCOUNTING = "account.group_account_readonly"


@tagged("post_install", "-at_install")
class TestAccessPeriodEnd(LedgerScenarioMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ledger_scenario()
        cls.Run = cls.env["inventory.balance.run"]
        cls.Period = cls.env["inventory.period"]
        cls.company_b = cls.env["res.company"].create({"name": "Period-end B"})
        cls.warehouse_b = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company_b.id)], limit=1
        )
        stock_user = "base.group_user,stock.group_stock_user"
        cls.users = {
            "pe_user": new_test_user(
                cls.env,
                login="acc_pe_user",
                groups=f"{stock_user},"
                "inventory_period_end.group_inventory_period_end_user",
            ),
            "pe_manager": new_test_user(
                cls.env,
                login="acc_pe_manager",
                groups="base.group_user,stock.group_stock_manager,"
                "inventory_period_end.group_inventory_period_end_manager",
            ),
            "stock_user": new_test_user(
                cls.env, login="acc_stock_user", groups=stock_user
            ),
            "snapshot_read": new_test_user(
                cls.env,
                login="acc_snapshot_read",
                groups=f"{stock_user},inventory_snapshot.group_inventory_snapshot_read",
            ),
            "accountant": new_test_user(
                cls.env,
                login="acc_accountant",
                groups=f"{stock_user},{ACCOUNTING},"
                "inventory_period_end.group_inventory_period_end_user",
            ),
        }
        cls.admin = cls.env.ref("base.user_admin")
        cls.bypass = new_test_user(
            cls.env,
            login="acc_bypass",
            groups="base.group_user,stock.group_stock_manager,"
            "inventory_period_end.group_stock_lock_bypass",
        )
        day = cls._day_ago
        cls.period = cls.Period.create(
            {"name": "Access first", "date_from": day(70), "date_to": day(35)}
        )
        cls.period_b = cls.Period.create(
            {
                "name": "Access B",
                "company_id": cls.company_b.id,
                "date_from": day(70),
                "date_to": day(35),
            }
        )
        cls.run_b = cls.Run.create({"company_id": cls.company_b.id})
        cls.run_b.action_run()

    @classmethod
    def _day_ago(cls, days):
        return (cls.now - timedelta(days=days)).date()

    def _clean_run(self, period=None):
        period = period or self.period
        return self.Run.browse(self.Run.start_report({"date": period._end_moment()}))

    def _lock(self, days=35):
        """The stock locked as a close leaves it (the close itself is tested
        in test_inventory_period_close)."""
        self.company.sudo().stock_lock_date = self._day_ago(days)

    # ------------------------------------------------------------ runs
    def test_run_workflow_fields_refused_to_everyone(self):
        """Nobody, administrators included, creates a run checked or writes
        a run's state, authorship, timestamps or counts."""
        future = fields.Datetime.now() + timedelta(days=30)
        run = self._clean_run()
        for name in ("pe_user", "pe_manager", "accountant"):
            user = self.users[name]
            with self.subTest(user=name):
                with self.assertRaises(AccessError):
                    self.Run.with_user(user).create(
                        {"state": "done", "started_at": future}
                    )
                for vals in (
                    {"state": "corrected"},
                    {"state": "done"},
                    {"started_at": future},
                    {"started_by": self.admin.id},
                    {"corrected_by": user.id},
                    {"line_count": 0},
                    {"proposed_count": 0},
                    {"ended_at": future},
                    {"line_ids": [Command.clear()]},
                    {"name": "Forged"},
                ):
                    with self.assertRaises(AccessError):
                        run.with_user(user).write(vals)
        with self.assertRaises(AccessError):
            run.with_user(self.admin).write({"state": "corrected"})
        # A context key sent over RPC opens nothing.
        with self.assertRaises(AccessError):
            run.with_user(self.users["pe_manager"]).with_context(
                inventory_period_end_workflow=True
            ).write({"state": "corrected"})
        for name in ("stock_user", "snapshot_read"):
            with self.subTest(user=name), self.assertRaises(AccessError):
                self.Run.with_user(self.users[name]).create({})
        self.assertEqual(run.state, "done")

    def test_run_parameters_belong_to_the_check(self):
        """Changing what a checked run checks sends it back to draft; a
        corrected run's are frozen."""
        run = self.Run.with_user(self.users["pe_user"]).create(
            {"product_ids": [Command.set(self.products.ids)], "mode": "balance"}
        )
        run.action_run()
        self.assertEqual(run.state, "done")
        run.write({"product_ids": [Command.clear()]})
        self.assertEqual(run.state, "draft")
        # A disagreement to correct (a run that corrects nothing stays
        # checked).
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE stock_quant SET quantity = quantity + 1 WHERE id = %s",
            [self.env["stock.quant"].search([("quantity", ">", 0)], limit=1).id],
        )
        self.env.invalidate_all()
        run.action_run()
        run.with_user(self.users["pe_manager"]).action_apply_corrections()
        self.assertEqual(run.state, "corrected")
        with self.assertRaises(UserError):
            run.with_user(self.users["pe_manager"]).write({"mode": "report"})

    def test_findings_immutable(self):
        run = self._clean_run()
        line = workflow(self.env["inventory.balance.run.line"]).create(
            {
                "run_id": run.id,
                "company_id": self.company.id,
                "rule_code": "quant_ledger",
                "severity": "error",
                "product_id": self.p1.id,
                "action": "proposed",
            }
        )
        valuation = run.valuation_ids[:1]
        self.assertTrue(valuation)
        Line = self.env["inventory.balance.run.line"]
        line = Line.browse(line.id)  # out of the workflow environment
        for user in (self.users["pe_manager"], self.admin):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    line.with_user(user).write({"action": "taken"})
                with self.assertRaises(AccessError):
                    line.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    Line.with_user(user).create(
                        {
                            "run_id": run.id,
                            "company_id": self.company.id,
                            "rule_code": "negative",
                            "severity": "error",
                            "action": "taken",
                        }
                    )
                with self.assertRaises(AccessError):
                    valuation.with_user(user).write({"value": 0})
                with self.assertRaises(AccessError):
                    valuation.with_user(user).unlink()
        # Not even the superuser outside the actions.
        with self.assertRaises(AccessError):
            line.sudo().write({"action": "taken"})
        with self.assertRaises(AccessError):
            valuation.sudo().write({"value": 0})

    # --------------------------------------------------------- the close
    def test_close_requires_a_genuine_clean_run(self):
        """The runs the review forged (checked with a future start, written
        corrected over an error) do not satisfy the close even when they
        reach the table (here by SQL, as if the guards were bypassed)."""
        manager = self.users["pe_manager"]
        period = self.period.with_user(manager)
        future = fields.Datetime.now() + timedelta(days=30)
        forged = self.Run.create({"date": period._end_moment()})
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE inventory_balance_run SET state = 'done', started_at = %s, "
                "started_by = %s, ended_at = %s WHERE id = %s",
                future,
                manager.id,
                future,
                forged.id,
            )
        )
        self.env.invalidate_all()
        with self.assertRaises(UserError):
            period.action_close()
        # A genuine run with an error finding, then written corrected.
        self._sql_corrupt_quant()
        run = self._clean_run()
        self.assertTrue(run.line_count)
        self.env.cr.execute(
            SQL(
                "UPDATE inventory_balance_run SET state = 'corrected' WHERE id = %s",
                run.id,
            )
        )
        self.env.invalidate_all()
        with self.assertRaises(UserError):
            period.action_close()
        # Its findings deleted behind its back: the counts disagree.
        self.env.cr.execute(
            SQL("DELETE FROM inventory_balance_run_line WHERE run_id = %s", run.id)
        )
        self.env.invalidate_all()
        with self.assertRaises(UserError):
            period.action_close()
        self._sql_repair_quant()
        self._clean_run()
        period.action_close()
        self.assertEqual(self.period.state, "closed")

    def _sql_corrupt_quant(self):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE stock_quant SET quantity = quantity + 7 "
                "WHERE product_id = %s AND location_id = %s",
                self.p1.id,
                self.bin1.id,
            )
        )
        self.env.invalidate_all()

    def _sql_repair_quant(self):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE stock_quant SET quantity = quantity - 7 "
                "WHERE product_id = %s AND location_id = %s",
                self.p1.id,
                self.bin1.id,
            )
        )
        self.env.invalidate_all()

    def test_period_state_only_through_close_and_reopen(self):
        """Even administrators cannot close or reopen by writing the state
        (nor the closing fields); the actions do, and log it."""
        for user in (self.users["pe_manager"], self.admin):
            with self.subTest(user=user.login):
                for vals in (
                    {"state": "closed"},
                    {"closed_by_id": user.id},
                    {"closed_at": fields.Datetime.now()},
                    {"check_run_id": self.run_b.id},
                    {"ageing_state": "stored"},
                ):
                    with self.assertRaises(AccessError):
                        self.period.with_user(user).write(vals)
                with self.assertRaises(AccessError):
                    self.Period.with_user(user).create(
                        {
                            "name": "Forged closed",
                            "date_from": self._day_ago(400),
                            "date_to": self._day_ago(380),
                            "state": "closed",
                        }
                    )
        for name in ("pe_user", "stock_user", "snapshot_read"):
            with self.subTest(user=name):
                with self.assertRaises(AccessError):
                    self.period.with_user(self.users[name]).action_close()
        manager = self.users["pe_manager"]
        self._clean_run()
        self.period.with_user(manager).action_close()
        self.assertEqual(self.period.state, "closed")
        with self.assertRaises(AccessError):
            self.period.with_user(self.admin).write({"state": "open"})
        self.assertEqual(self.company.stock_lock_date, self.period.date_to)
        messages = len(self.period.message_ids)
        self.period.with_user(manager).action_reopen()
        self.assertEqual(self.period.state, "open")
        self.assertFalse(self.company.stock_lock_date)
        self.assertGreater(len(self.period.message_ids), messages)

    # -------------------------------------------------- the stock lock
    def _draft_move_inside(self):
        move = self.env["stock.move"].create(
            {
                "product_id": self.p1.id,
                "product_uom": self.unit.id,
                "product_uom_qty": 3,
                "location_id": self.supplier.id,
                "location_dest_id": self.bin1.id,
                "company_id": self.company.id,
                "date": self.now - timedelta(days=40),
            }
        )
        return move

    def _done_move_inside(self):
        return self._move(
            self.p1, self.supplier, self.bin1, 2, self.now - timedelta(days=40)
        )

    def test_lock_guards_state_changes_and_unlink(self):
        done = self._done_move_inside()
        draft = self._draft_move_inside()
        self._lock()
        for name in ("pe_manager", "stock_user"):
            user = self.users[name]
            with self.subTest(user=name):
                # Into the ledger: a draft move dated inside written done.
                with self.assertRaises(UserError):
                    draft.with_user(user).write({"state": "done"})
                # Out of it: cancelled, sent back to draft, deleted.
                for state in ("cancel", "draft", "assigned"):
                    with self.assertRaises(UserError):
                        done.with_user(user).write({"state": state})
                with self.assertRaises(UserError):
                    done.with_user(user).unlink()
                with self.assertRaises(UserError):
                    done.move_line_ids.with_user(user).unlink()
                # Changed: re-located, re-dated, product changed.
                for vals in (
                    {"location_dest_id": self.bin2.id},
                    {"date": self.now},
                    {"product_id": self.p3.id},
                ):
                    with self.assertRaises(UserError):
                        done.with_user(user).write(vals)
        # A line of an open move moved into the done move of the period.
        other = self._draft_move_inside()
        other.write({"date": self.now})
        line = self.env["stock.move.line"].create(
            {
                "move_id": other.id,
                "date": self.now - timedelta(days=40),
                "product_id": self.p1.id,
                "product_uom_id": self.unit.id,
                "quantity": 1,
                "location_id": self.supplier.id,
                "location_dest_id": self.bin1.id,
            }
        )
        with self.assertRaises(UserError):
            line.with_user(self.users["pe_manager"]).write({"move_id": done.id})
        self.assertEqual(done.state, "done")
        self.assertEqual(draft.state, "draft")
        # What does not touch the ledger stays allowed: an open move of the
        # period cancelled; the move validated today.
        draft.with_user(self.users["pe_manager"]).write({"state": "cancel"})
        self.assertEqual(draft.state, "cancel")
        late = self._draft_move_inside()
        late._action_confirm()
        late.quantity = 3
        late.picked = True
        late._action_done()
        self.assertEqual(late.state, "done")

    def test_lock_bypass_group_and_stale_checkpoint(self):
        """The group allowed to post in closed periods still may; the
        checkpoints after the change are then stale."""
        done = self._done_move_inside()
        checkpoint = self.Checkpoint._build_at(
            self.now - timedelta(days=20), self.company
        )
        self.assertEqual(checkpoint.state, "valid")
        self._lock()
        done.with_user(self.bypass).write({"state": "cancel"})
        self.assertEqual(done.move_line_ids.state, "cancel")
        self.assertEqual(checkpoint.state, "stale")

    # ------------------------------------------------- companies
    def test_other_company_never_returned(self):
        user = self.users["pe_manager"]
        for model in (
            "inventory.period",
            "inventory.balance.run",
            "inventory.balance.run.line",
            "inventory.balance.run.valuation",
            "inventory.period.ageing",
        ):
            with self.subTest(model=model):
                records = self.env[model].with_user(user).search([])
                self.assertNotIn(self.company_b, records.mapped("company_id"))
        for action in ("action_run", "get_counts", "export_xlsx"):
            with self.subTest(action=action), self.assertRaises(AccessError):
                getattr(self.run_b.with_user(user), action)()
        with self.assertRaises(AccessError):
            self.period_b.with_user(user).action_close()
        with self.assertRaises(AccessError):
            self.Run.with_user(user).create({"company_id": self.company_b.id})

    def test_references_check_company(self):
        """Every reference to company data checks the company: one record
        of company B per field, refused."""
        product_b = self.env["product.product"].create(
            {"name": "B only", "is_storable": True, "company_id": self.company_b.id}
        )
        others = {
            "product.product": product_b,
            "stock.location": self.warehouse_b.lot_stock_id,
            "stock.warehouse": self.warehouse_b,
            "stock.lot": self.env["stock.lot"].create(
                {
                    "name": "LB-B",
                    "product_id": product_b.id,
                    "company_id": self.company_b.id,
                }
            ),
            "res.partner": self.env["res.partner"].create(
                {"name": "Owner B", "company_id": self.company_b.id}
            ),
            "inventory.balance.run": self.run_b,
            "inventory.period": self.period_b,
        }
        run = self._clean_run()
        owners = {
            "inventory.balance.run": run,
            "inventory.balance.run.line": None,
            "inventory.balance.run.valuation": None,
            "inventory.period": self.period,
            "inventory.period.ageing": None,
        }
        base = {
            "inventory.balance.run.line": {
                "run_id": run.id,
                "company_id": self.company.id,
                "rule_code": "quant_ledger",
                "severity": "error",
                "action": "reported",
            },
            "inventory.balance.run.valuation": {
                "run_id": run.id,
                "company_id": self.company.id,
            },
            "inventory.period.ageing": {
                "period_id": self.period.id,
                "company_id": self.company.id,
            },
        }
        checked = 0
        for model, record in owners.items():
            Model = self.env[model]
            for name, field in Model._fields.items():
                if (
                    field.type not in ("many2one", "many2many")
                    or field.related
                    or name.startswith(("message_", "activity_"))
                    or name in ("company_id", "currency_id", "create_uid", "write_uid")
                ):
                    continue
                comodel = self.env[field.comodel_name]
                if "company_id" not in comodel._fields and (
                    "company_ids" not in comodel._fields
                ):
                    continue
                if field.comodel_name.startswith(("mail.", "res.users")):
                    continue
                with self.subTest(model=model, field=name):
                    self.assertTrue(field.check_company, f"{model}.{name}")
                    other = others.get(field.comodel_name)
                    if not other or (model, name) == (
                        "inventory.period.ageing",
                        "period_id",
                    ):
                        continue
                    value = (
                        other.id
                        if field.type == "many2one"
                        else [Command.set(other.ids)]
                    )
                    with self.assertRaises(UserError):
                        if record is None:
                            workflow(Model).create({**base[model], name: value})
                        else:
                            workflow(record).write({name: value})
                        self.env.flush_all()
                    checked += 1
        self.assertGreaterEqual(checked, 12)

    # ----------------------------------------------- accounting figures
    def test_stock_account_figures_need_an_accounting_group(self):
        run = self._clean_run()
        workflow(self.env["inventory.balance.run.line"]).create(
            {
                "run_id": run.id,
                "company_id": self.company.id,
                "rule_code": "valuation_fifo",
                "severity": "warning",
                "product_id": self.p1.id,
                "action": "reported",
                "expected": 10,
                "found": 12,
            }
        )
        user, accountant = self.users["pe_user"], self.users["accountant"]
        with self.assertRaises(AccessError):
            run.with_user(user).read(["total_value"])
        with self.assertRaises(AccessError):
            run.with_user(user).valuation_summary()
        self.assertFalse(
            self.env["inventory.balance.run.valuation"]
            .with_user(user)
            .search([("run_id", "=", run.id)])
        )
        visible = self.env["inventory.balance.run.line"].with_user(user)
        self.assertFalse(visible.search([("rule_code", "=", "valuation_fifo")]))
        # They still count: the user sees how many, not what.
        self.assertEqual(run.with_user(user).get_counts()["valuation_fifo"], 1)
        self.assertTrue(run.with_user(accountant).read(["total_value"]))
        self.assertTrue(run.with_user(accountant).valuation_summary())
        self.assertTrue(
            self.env["inventory.balance.run.line"]
            .with_user(accountant)
            .search([("run_id", "=", run.id), ("rule_code", "=", "valuation_fifo")])
        )

    # --------------------------------------------------- bounded work
    def test_big_runs_go_to_the_background(self):
        user = self.users["pe_user"]
        run = self.Run.with_user(user).create(
            {"check_valuation": True, "product_ids": [Command.set(self.products.ids)]}
        )
        with patch.object(
            type(self.Run),
            "_background_threshold",
            lambda self, key, default: (
                0 if key == "background_valuation_moves" else default
            ),
        ):
            run.action_run()
            self.assertEqual(run.state, "queued")
            self.assertFalse(run.line_ids)
            with self.assertRaises(UserError):
                run.action_run()
            with self.assertRaises(UserError):
                run.write({"check_valuation": False})
            # Without the valuation rules, the same run is answered at once.
            quick = self.Run.with_user(user).create(
                {"product_ids": [Command.set(self.products.ids)]}
            )
            quick.action_run()
            self.assertEqual(quick.state, "done")
        self.Run._cron_run_queued(commit=False)
        self.assertEqual(run.state, "done")
        self.assertEqual(run.started_by, user)
        self.assertTrue(run.ended_at)
        # A threshold that is not a sane number falls back to the default.
        parse = self.Run._parse_threshold
        for raw in ("nan", "-5", "1e400", "inf", "", False, None, "10" * 20):
            self.assertEqual(parse(raw, 123), 123, raw)
        self.assertEqual(parse(" 0 ", 123), 0)
        self.assertEqual(parse("250000", 123), 250000)

    def test_numbers_within_a_sane_range(self):
        with self.assertRaises(ValidationError):
            self.company.inventory_period_keep = -1
        with self.assertRaises(ValidationError):
            self.company.inventory_period_keep = 10**9
        Bucket = self.env["inventory.ageing.bucket"]
        for vals in (
            {"days_from": -5, "days_to": 10},
            {"days_from": 10, "days_to": 5},
            {"days_from": 0, "days_to": 10**7},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                Bucket.create({"name": "Bad", **vals})
        with self.assertRaises(UserError):
            self.Period.generate_periods(self.company.id, "2999-12-31")
        many = self.Period.create(
            [
                {
                    "name": f"Day {i}",
                    "date_from": self._day_ago(300 - i),
                    "date_to": self._day_ago(300 - i),
                }
                for i in range(13)
            ]
        )
        with self.assertRaises(UserError):
            many.action_close()

    def test_context_key_is_refused_even_in_a_sudo_path(self):
        """An internal ``sudo()`` that kept a caller's RPC context carries the
        workflow key as a plain JSON value: refused, the marker is an object no
        RPC can send."""
        run = self._clean_run()
        with self.assertRaises(AccessError):
            run.sudo().with_context(inventory_period_end_workflow=True).write(
                {"state": "corrected"}
            )
        self.assertEqual(run.state, "done")
