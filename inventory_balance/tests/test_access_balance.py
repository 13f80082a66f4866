# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The access matrix of inventory_balance, the way a security review tries it
over RPC: two companies, a user per group (plain stock user, balance user,
adjustment user, balance manager, and the administrator), every action on the
addon's records; allowed where the group should allow it, refused with
AccessError/UserError elsewhere, and no record of the other company ever
returned."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestAccessBalance(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Balance B Co"})
        Warehouse = cls.env["stock.warehouse"]
        cls.stock_a = Warehouse.search(
            [("company_id", "=", cls.company_a.id)], limit=1
        ).lot_stock_id
        cls.warehouse_b = Warehouse.search(
            [("company_id", "=", cls.company_b.id)], limit=1
        )
        cls.stock_b = cls.warehouse_b.lot_stock_id
        cls.category = cls.env["product.category"].create({"name": "Access goods"})
        Product = cls.env["product.product"]
        cls.pa = Product.create(
            {"name": "Access A", "is_storable": True, "categ_id": cls.category.id}
        )
        cls.pb = Product.create(
            {"name": "Access B", "is_storable": True, "categ_id": cls.category.id}
        )
        cls.product_b_only = Product.create(
            {
                "name": "Access of B only",
                "is_storable": True,
                "categ_id": cls.category.id,
                "company_id": cls.company_b.id,
            }
        )
        cls.lotted = Product.create(
            {"name": "Access lotted", "is_storable": True, "tracking": "lot"}
        )
        cls.lot_b = cls.env["stock.lot"].create(
            {
                "name": "ACC-B",
                "product_id": cls.lotted.id,
                "company_id": cls.company_b.id,
            }
        )
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(cls.pa, cls.stock_a, 10)
        Quant.with_company(cls.company_b)._update_available_quantity(
            cls.pa, cls.stock_b, 7
        )
        cls.reason = cls.env["inventory.adjustment.reason"].search(
            [("code", "=", "count")]
        )

        def user(login, groups, company=cls.company_a):
            return new_test_user(
                cls.env,
                login=login,
                groups=groups,
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )

        cls.stock_user = user("acc_stock", "stock.group_stock_user")
        cls.balance_user = user(
            "acc_balance", "inventory_balance.group_inventory_balance_user"
        )
        cls.adjuster = user(
            "acc_adjuster", "inventory_balance.group_inventory_adjustment"
        )
        cls.manager = user(
            "acc_manager", "inventory_balance.group_inventory_balance_manager"
        )
        cls.admin = cls.env.ref("base.user_admin")
        cls.users = {
            "stock": cls.stock_user,
            "balance": cls.balance_user,
            "adjuster": cls.adjuster,
            "manager": cls.manager,
            "admin": cls.admin,
        }
        # Stock moved in both companies, through confirmed adjustments.
        Adjustment = cls.env["inventory.adjustment"]
        cls.done_a = Adjustment.browse(
            Adjustment.with_user(cls.adjuster).create_draft(
                "Access count A",
                "count",
                lines=[
                    {
                        "product_id": cls.pa.id,
                        "location_id": cls.stock_a.id,
                        "change": 2,
                    },
                    {
                        "product_id": cls.pb.id,
                        "location_id": cls.stock_a.id,
                        "change": 3,
                    },
                ],
            )
        )
        cls.done_a.with_user(cls.adjuster).confirm()
        cls.done_b = Adjustment.with_company(cls.company_b).create(
            {
                "name": "Access count B",
                "reason_id": cls.reason.id,
                "company_id": cls.company_b.id,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": cls.pa.id,
                            "location_id": cls.stock_b.id,
                            "change": 4,
                        }
                    )
                ],
            }
        )
        cls.done_b.with_company(cls.company_b).action_confirm()
        # A checkpoint per company, built by their own paths.
        Checkpoint = cls.env["inventory.ledger.checkpoint"]
        cls.moment = fields.Datetime.now()  # after the adjustments' moves
        cls.checkpoint_a = Checkpoint.browse(
            Checkpoint.with_user(cls.manager).build_checkpoint(
                fields.Datetime.to_string(cls.moment), cls.company_a.id
            )
        )
        cls.checkpoint_b = Checkpoint.with_company(cls.company_b)._build_at(
            cls.moment, cls.company_b
        )
        # A sheet per company.
        Sheet = cls.env["inventory.balance.sheet"]
        cls.sheet_a = Sheet.with_user(cls.balance_user).create(
            {"name": "Access sheet A", "category_ids": [Command.set(cls.category.ids)]}
        )
        cls.sheet_b = Sheet.with_company(cls.company_b).create(
            {
                "name": "Access sheet B",
                "company_id": cls.company_b.id,
                "category_ids": [Command.set(cls.category.ids)],
            }
        )
        cls.sheet_b.action_refresh()
        cls.sheet_b.set_override(cls.pa.id, 0, "sales", 5)

    def _draft_a(self, user=None, change=1.0):
        Adjustment = self.env["inventory.adjustment"].with_user(user or self.adjuster)
        return Adjustment.browse(
            Adjustment.create_draft(
                "Access draft",
                "count",
                lines=[
                    {
                        "product_id": self.pa.id,
                        "location_id": self.stock_a.id,
                        "change": change,
                    }
                ],
            )
        )

    # ---------------------------------------------------------- checkpoints
    def test_checkpoint_rows_written_only_by_the_build(self):
        self.assertTrue(self.checkpoint_a.line_ids)
        line = self.checkpoint_a.line_ids[0]
        for name, user in self.users.items():
            checkpoint = self.checkpoint_a.with_user(user).with_context(
                inventory_ledger_checkpoint_build=True
            )
            Checkpoint = checkpoint.browse()
            with self.subTest(user=name):
                self.assertEqual(checkpoint.state, "valid")  # every group reads
                for vals in (
                    {"state": "stale"},
                    {"total_quantity": 1.0},
                    {"moment": fields.Datetime.now()},
                    {"company_id": self.company_b.id},
                    {"previous_id": self.checkpoint_b.id},
                ):
                    with self.assertRaises(AccessError):
                        checkpoint.write(vals)
                with self.assertRaises(AccessError):
                    Checkpoint.create(
                        {"company_id": self.company_a.id, "moment": self.moment}
                    )
                with self.assertRaises(AccessError):
                    checkpoint.unlink()
                with self.assertRaises(AccessError):
                    line.with_user(user).write({"quantity": 1e6})
                with self.assertRaises(AccessError):
                    line.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    line.with_user(user).create(
                        {
                            "checkpoint_id": self.checkpoint_a.id,
                            "product_id": self.pa.id,
                            "location_id": self.stock_b.id,
                            "quantity": 1,
                        }
                    )
        # Not even a superuser path writes rows or headers, outside the build
        # (marking stale only takes trust away).
        with self.assertRaises(AccessError):
            self.checkpoint_a.write({"total_quantity": 1.0})
        with self.assertRaises(AccessError):
            self.checkpoint_a.write(
                {"state": "valid", "previous_id": self.checkpoint_b.id}
            )
        with self.assertRaises(AccessError):
            line.write({"quantity": 1e6})
        with self.assertRaises(AccessError):
            line.unlink()
        rows = self.checkpoint_a.line_ids.mapped(
            lambda r: (r.product_id, r.location_id, r.quantity)
        )
        self.checkpoint_a.write({"state": "stale"})
        self.assertEqual(self.checkpoint_a.state, "stale")
        # The build's actions: managers only, their own companies only.
        for name in ("stock", "balance", "adjuster"):
            with self.subTest(user=name), self.assertRaises(AccessError):
                self.checkpoint_a.with_user(self.users[name]).action_rebuild()
        with self.assertRaises(UserError):
            self.checkpoint_a.with_user(self.manager).build_checkpoint(
                fields.Datetime.to_string(self.moment), self.company_b.id
            )
        self.checkpoint_a.with_user(self.manager).action_rebuild()
        self.assertEqual(self.checkpoint_a.state, "valid")
        self.assertEqual(
            self.checkpoint_a.line_ids.mapped(
                lambda r: (r.product_id, r.location_id, r.quantity)
            ),
            rows,
        )

    def test_checkpoints_of_the_other_company_never_returned(self):
        for name, user in self.users.items():
            with self.subTest(user=name):
                Checkpoint = self.env["inventory.ledger.checkpoint"].with_user(user)
                found = Checkpoint.search([])
                self.assertIn(self.checkpoint_a, found)
                self.assertNotIn(self.checkpoint_b, found)
                Line = self.env["inventory.ledger.checkpoint.line"].with_user(user)
                self.assertFalse(
                    Line.search([("checkpoint_id", "=", self.checkpoint_b.id)])
                )
                with self.assertRaises(AccessError):
                    self.checkpoint_b.with_user(user).read(["total_quantity"])

    # ---------------------------------------------------------- adjustments
    def test_adjustment_rights_by_group(self):
        for name in ("stock", "balance"):
            with self.subTest(user=name), self.assertRaises(AccessError):
                self._draft_a(self.users[name])
        self.assertEqual(self.done_a.with_user(self.balance_user).state, "done")
        with self.assertRaises(AccessError):
            self.done_a.with_user(self.stock_user).read(["state"])
        draft = self._draft_a(self.manager)
        for name in ("stock", "balance"):
            user = self.users[name]
            with self.subTest(user=name):
                with self.assertRaises(AccessError):
                    draft.with_user(user).action_confirm()
                with self.assertRaises(AccessError):
                    draft.with_user(user).action_cancel()
        draft.with_user(self.adjuster).action_cancel()
        self.assertEqual(draft.state, "cancel")
        with self.assertRaises(UserError):
            draft.with_user(self.adjuster).write(
                {"line_ids": [Command.create({"product_id": self.pa.id})]}
            )
        draft.with_user(self.adjuster).action_draft()
        draft.with_user(self.adjuster).confirm()
        self.assertEqual(draft.state, "done")
        self.assertEqual(draft.confirmed_by, self.adjuster)

    def test_confirmed_adjustment_cannot_be_reopened_or_changed(self):
        adjustment = self._draft_a()
        adjustment.with_user(self.adjuster).confirm()
        moves = adjustment.move_ids
        self.assertEqual(len(moves), 1)
        line = adjustment.line_ids
        for name in ("adjuster", "manager", "admin"):
            done = adjustment.with_user(self.users[name]).with_context(
                inventory_adjustment_workflow=True
            )
            with self.subTest(user=name):
                for vals in (
                    {"state": "draft"},
                    {"state": "cancel"},
                    {"confirmed_by": self.manager.id},
                    {"confirmed_at": fields.Datetime.now()},
                    {"move_ids": [Command.clear()]},
                ):
                    with self.assertRaises(AccessError):
                        done.write(vals)
                for vals in (
                    {"name": "Renamed"},
                    {"date": fields.Date.today() - timedelta(days=3)},
                    {"reason_id": self.reason.id},
                    {"line_ids": [Command.delete(line.id)]},
                ):
                    with self.assertRaises(UserError):
                        done.write(vals)
                with self.assertRaises(UserError):
                    line.with_user(self.users[name]).write({"change": 50})
                with self.assertRaises(UserError):
                    line.with_user(self.users[name]).unlink()
                with self.assertRaises(UserError):
                    line.with_user(self.users[name]).create(
                        {
                            "adjustment_id": adjustment.id,
                            "product_id": self.pb.id,
                            "location_id": self.stock_a.id,
                            "change": 1,
                        }
                    )
                with self.assertRaises(UserError):
                    done.unlink()
                with self.assertRaises(UserError):
                    done.action_draft()
                # Confirming again does nothing.
                done.action_confirm()
        # Not even a superuser path reopens it by writing the state.
        with self.assertRaises(AccessError):
            adjustment.write({"state": "draft"})
        self.assertEqual(adjustment.state, "done")
        self.assertEqual(adjustment.move_ids, moves)
        self.assertEqual(line.change, 1)
        # Workflow fields are not given at creation either.
        Adjustment = self.env["inventory.adjustment"].with_user(self.adjuster)
        for vals in (
            {"state": "done"},
            {"confirmed_by": self.adjuster.id},
            {"confirmed_at": fields.Datetime.now()},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                Adjustment.create(
                    {"name": "Forged", "reason_id": self.reason.id, **vals}
                )
        draft = self._draft_a()
        with self.assertRaises(AccessError):
            draft.line_ids.with_user(self.adjuster).write({"move_id": moves.id})
        with self.assertRaises(AccessError):
            draft.with_user(self.adjuster).write(
                {
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": self.pb.id,
                                "location_id": self.stock_a.id,
                                "move_id": moves.id,
                            }
                        )
                    ]
                }
            )

    def test_adjustment_quantities_are_finite_and_sane(self):
        draft = self._draft_a()
        for change in (float("nan"), float("inf"), float("-inf"), 1e300, -1e13):
            with self.subTest(change=change), self.assertRaises(ValidationError):
                draft.line_ids.with_user(self.adjuster).write({"change": change})
        with self.assertRaises(ValidationError):
            self._draft_a(change=float("nan"))
        draft.line_ids.with_user(self.adjuster).write({"change": -5})
        self.assertEqual(draft.line_ids.change, -5)

    def test_adjustment_references_stay_in_the_company(self):
        draft = self._draft_a().with_user(self.adjuster)
        with self.assertRaises(UserError):
            draft.write({"location_id": self.stock_b.id})
        line = draft.line_ids
        for vals in (
            {"product_id": self.product_b_only.id},
            {"location_id": self.stock_b.id},
            {"product_id": self.lotted.id, "lot_id": self.lot_b.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                line.write(vals)
        with self.assertRaises(AccessError):
            line.write({"move_id": self.done_b.move_ids[0].id})
        for name, user in self.users.items():
            if name == "stock":
                continue
            with self.subTest(user=name):
                found = self.env["inventory.adjustment"].with_user(user).search([])
                self.assertIn(self.done_a, found)
                self.assertNotIn(self.done_b, found)
                lines = self.env["inventory.adjustment.line"].with_user(user).search([])
                self.assertNotIn(self.done_b.line_ids, lines)
                self.assertFalse(
                    lines.filtered(lambda row: row.company_id != self.company_a)
                )
                with self.assertRaises(AccessError):
                    self.done_b.with_user(user).read(["name"])

    # --------------------------------------------------------------- sheets
    def test_sheet_rights_by_group(self):
        with self.assertRaises(AccessError):
            self.sheet_a.with_user(self.stock_user).read(["name"])
        with self.assertRaises(AccessError):
            self.sheet_a.with_user(self.stock_user).get_sheet_data()
        for name in ("balance", "adjuster", "manager"):
            sheet = self.sheet_a.with_user(self.users[name])
            with self.subTest(user=name):
                sheet.refresh()
                self.assertEqual(sheet.refresh_state, "done")
                sheet.set_override(self.pa.id, 0, "sales", 3)
                override = sheet.override_ids.filtered(lambda o: o.code == "sales")
                self.assertEqual(override.user_id, self.users[name])
                self.assertEqual(override.value, 3)
        with self.assertRaises(AccessError):
            self.sheet_a.with_user(self.balance_user).set_override(
                self.pa.id, 0, "unit_cost", 3
            )
        self.sheet_a.with_user(self.manager).set_override(self.pa.id, 0, "unit_cost", 3)

    def test_sheet_records_of_the_other_company(self):
        column_b = self.sheet_b.column_ids[0]
        override_b = self.sheet_b.override_ids
        self.assertTrue(override_b)
        for name in ("balance", "adjuster", "manager", "admin"):
            user = self.users[name]
            with self.subTest(user=name):
                Sheet = self.env["inventory.balance.sheet"].with_user(user)
                self.assertNotIn(self.sheet_b, Sheet.search([]))
                Column = self.env["inventory.balance.sheet.column"].with_user(user)
                self.assertFalse(Column.search([("sheet_id", "=", self.sheet_b.id)]))
                Override = self.env["inventory.balance.sheet.override"].with_user(user)
                self.assertFalse(Override.search([("sheet_id", "=", self.sheet_b.id)]))
                Cell = self.env["inventory.balance.sheet.cell"].with_user(user)
                self.assertFalse(Cell.search([("sheet_id", "=", self.sheet_b.id)]))
                with self.assertRaises(AccessError):
                    column_b.with_user(user).write({"visible": False})
                with self.assertRaises(AccessError):
                    column_b.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    override_b.with_user(user).write({"value": 1})
                with self.assertRaises(AccessError):
                    self.sheet_b.with_user(user).get_sheet_data()
                with self.assertRaises(AccessError):
                    self.sheet_b.with_user(user).set_override(self.pa.id, 0, "sales", 1)
        self.assertTrue(column_b.exists())
        self.assertEqual(override_b.value, 5)
        # A sheet's references stay in its company.
        sheet = self.sheet_a.with_user(self.balance_user)
        with self.assertRaises(UserError):
            sheet.write({"warehouse_ids": [Command.set(self.warehouse_b.ids)]})
        with self.assertRaises(UserError):
            sheet.write({"location_ids": [Command.set(self.stock_b.ids)]})
        Override = self.env["inventory.balance.sheet.override"].with_user(
            self.balance_user
        )
        with self.assertRaises(UserError):
            Override.create(
                {
                    "sheet_id": self.sheet_a.id,
                    "product_id": self.product_b_only.id,
                    "period": 0,
                    "code": "sales",
                    "value": 1,
                }
            )

    def test_override_authorship_and_numbers(self):
        sheet = self.sheet_a.with_user(self.balance_user)
        Override = self.env["inventory.balance.sheet.override"].with_user(
            self.balance_user
        )
        base = {
            "sheet_id": self.sheet_a.id,
            "product_id": self.pa.id,
            "period": 1,
            "code": "sales",
            "value": 2,
        }
        for forged in (
            {"user_id": self.manager.id},
            {"date": fields.Datetime.now() - timedelta(days=30)},
        ):
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                Override.create({**base, **forged})
        override = Override.create(base)
        self.assertEqual(override.user_id, self.balance_user)
        for forged in ({"user_id": self.manager.id}, {"date": fields.Datetime.now()}):
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                override.write(forged)
        override.with_user(self.adjuster).write({"value": 4})
        self.assertEqual(override.user_id, self.adjuster)
        for value in (float("nan"), float("inf"), float("-inf"), 1e300, -1e300):
            with self.subTest(value=value):
                with self.assertRaises(UserError):
                    sheet.set_override(self.pa.id, 0, "sales", value)
                with self.assertRaises(ValidationError):
                    override.write({"value": value})
        for value in ("nan", "inf", "1e300", "lots"):
            with self.subTest(value=value), self.assertRaises(UserError):
                sheet.set_override(self.pa.id, 0, "sales", value)
        with self.assertRaises(UserError):
            sheet.set_override(self.pa.id, "first", "sales", 1)
        sheet.set_override(self.pa.id, 0, "sales", "-12.5")
        self.assertEqual(
            sheet.override_ids.filtered(lambda o: o.period == 0).value, -12.5
        )

    # --------------------------------------------------------------- bounds
    def _param(self, name, value):
        self.env["ir.config_parameter"].set_param(f"inventory_balance.{name}", value)

    def test_sheet_requests_are_bounded(self):
        sheet = self.sheet_a.with_user(self.balance_user)
        sheet.refresh()
        periods = len(sheet._periods())
        self.assertEqual(periods, 3)
        self.assertEqual(sheet.product_count, 2)
        self.assertEqual(len(sheet.get_sheet_data()["rows"]), 2 * periods)
        self._param("sheet_max_rows", str(periods))
        with self.assertRaisesRegex(UserError, "at most 1 products"):
            sheet.get_sheet_data()
        with self.assertRaises(UserError):
            sheet.get_sheet_data(limit=2)
        first = sheet.get_sheet_data(limit=1)["rows"]
        second = sheet.get_sheet_data(offset=1, limit=1)["rows"]
        self.assertEqual(len(first), periods)
        self.assertEqual(
            {r["product_id"] for r in first + second}, {self.pa.id, self.pb.id}
        )
        with self.assertRaises(UserError):
            sheet.get_sheet_data(offset=-1, limit=1)
        grid = sheet.get_grid_data(limit=500)
        self.assertEqual((grid["limit"], len(grid["rows"]), grid["total"]), (1, 1, 2))
        self._param("sheet_export_max_rows", str(periods))
        with self.assertRaises(UserError):
            sheet.export_xlsx()
        with self.assertRaises(UserError):
            sheet.export_csv()
        self._param("sheet_export_max_rows", str(2 * periods))
        self.assertTrue(sheet.export_xlsx()["content"])

    def test_large_refresh_goes_to_the_background(self):
        sheet = self.sheet_a.with_user(self.balance_user)
        sheet.refresh()
        self.assertEqual(sheet.refresh_state, "done")
        # The size is products x periods: 2 x 3 = 6.
        self._param("sheet_background_threshold", "5")
        sheet.refresh()  # over RPC too: no context key forces it now
        self.assertEqual(sheet.refresh_state, "queued")
        self.env["inventory.balance.sheet"]._cron_refresh_sheets()
        self.assertEqual(sheet.refresh_state, "done")
        self._param("sheet_background_threshold", "6")
        sheet.with_context(sheet_refresh_now=True).action_refresh()
        self.assertEqual(sheet.refresh_state, "done")
        # Many periods go to the background whatever the products.
        self._param("sheet_background_periods", "2")
        sheet.with_context(sheet_refresh_now=True).refresh()
        self.assertEqual(sheet.refresh_state, "queued")

    def test_movements_and_transactions_are_bounded(self):
        Ledger = self.env["inventory.ledger"].with_user(self.balance_user)
        scope = {
            "group_by": ["product", "kind"],
            "product_ids": [self.pa.id, self.pb.id],
        }
        rows = Ledger.movements(**scope)
        self.assertEqual(
            {(r["product_id"], r["quantity"]) for r in rows},
            {(self.pa.id, 2.0), (self.pb.id, 3.0)},
        )
        self._param("movements_max_rows", "1")
        with self.assertRaises(UserError):
            Ledger.movements(**scope)
        with self.assertRaises(UserError):
            Ledger.movements(**scope, limit=2)
        pages = Ledger.movements(**scope, limit=1) + Ledger.movements(
            **scope, limit=1, offset=1
        )
        self.assertEqual(pages, rows)
        report = self.env["inventory.transaction.report"].with_user(self.balance_user)
        now = fields.Datetime.now()
        self.assertTrue(report.search([("product_id", "=", self.pa.id)]))
        long_span = report.with_context(
            inventory_date_from=fields.Datetime.to_string(now - timedelta(days=800))
        )
        with self.assertRaises(UserError):
            long_span.search([])
        wizard = (
            self.env["inventory.transaction.wizard"]
            .with_user(self.balance_user)
            .create({"date_from": now - timedelta(days=800), "date_to": now})
        )
        with self.assertRaises(UserError):
            wizard.action_open_report()
        # No row of the other company in the reports.
        self.assertFalse(report.search([("company_id", "=", self.company_b.id)]))
        self.assertTrue(Ledger.balances_at(product_ids=[self.pa.id]))
        self.assertEqual(Ledger.balances_at(company_ids=[self.company_b.id]), [])
        self.assertEqual(Ledger.movements(company_ids=[self.company_b.id]), [])

    def test_context_key_is_refused_even_in_a_sudo_path(self):
        """An internal ``sudo()`` that kept a caller's RPC context carries the
        workflow keys as plain JSON values: refused, the marker is an object
        no RPC can send."""
        adjustment = self._draft_a()
        adjustment.with_user(self.adjuster).confirm()
        with self.assertRaises(AccessError):
            adjustment.sudo().with_context(inventory_adjustment_workflow=True).write(
                {"state": "draft"}
            )
        with self.assertRaises(AccessError):
            self.checkpoint_a.sudo().with_context(
                inventory_ledger_checkpoint_build=True
            ).write({"total_quantity": 1.0})
        self.assertEqual(adjustment.state, "done")

    def test_moves_linked_to_an_adjustment_only_by_its_confirm(self):
        adjustment = self._draft_a()
        adjustment.with_user(self.adjuster).confirm()
        self.assertEqual(len(adjustment.move_ids), 1)
        move = adjustment.move_ids
        stray = self.env["stock.move"].create(
            {
                "product_id": self.pa.id,
                "product_uom": self.pa.uom_id.id,
                "product_uom_qty": 1,
                "location_id": move.location_id.id,
                "location_dest_id": move.location_dest_id.id,
                "company_id": self.company_a.id,
            }
        )
        for env_user in (self.adjuster, self.manager, self.admin):
            with self.subTest(user=env_user.login), self.assertRaises(AccessError):
                stray.with_user(env_user).with_context(
                    inventory_adjustment_workflow=True
                ).write({"inventory_adjustment_id": adjustment.id})
        with self.assertRaises(AccessError):
            self.env["stock.move"].create(
                {
                    "product_id": self.pa.id,
                    "product_uom": self.pa.uom_id.id,
                    "product_uom_qty": 1,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                    "company_id": self.company_a.id,
                    "inventory_adjustment_id": adjustment.id,
                }
            )
        self.assertEqual(adjustment.move_ids, move)
        self.assertTrue(
            self.env["stock.move"]._fields["inventory_adjustment_id"].check_company
        )

    def test_sheet_refresh_fields_written_only_by_the_refresh(self):
        sheet = self.env["inventory.balance.sheet"].create(
            {
                "name": "Forged refresh",
                "category_ids": [Command.set(self.pa.categ_id.ids)],
            }
        )
        for vals in (
            {"refresh_state": "done"},
            {"refreshed_at": fields.Datetime.now()},
            {"refreshed_by": self.manager.id},
            {"refresh_moment": fields.Datetime.now()},
            {"refresh_progress": 100.0},
        ):
            for user in (self.manager, self.admin):
                with self.subTest(vals=vals, user=user.login):
                    with self.assertRaises(AccessError):
                        sheet.with_user(user).with_context(
                            inventory_balance_sheet_refresh=True
                        ).write(vals)
        with self.assertRaises(AccessError):
            self.env["inventory.balance.sheet"].create(
                {
                    "name": "Forged",
                    "category_ids": [Command.set(self.pa.categ_id.ids)],
                    "refresh_state": "done",
                }
            )
        sheet.with_user(self.manager).refresh()
        self.assertEqual(sheet.refresh_state, "done")
        self.assertEqual(sheet.refreshed_by, self.manager)
