# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The one scope resolver (``inventory.scope``): companies, warehouses,
locations, categories and products into locations (children included) and
products (sub-categories included); every id checked; and the two features
of this addon that go through it (the sheet and adjustments)."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from .scope_scenario import ScopeScenarioMixin

MISSING = 987654321


@tagged("post_install", "-at_install")
class TestInventoryScope(ScopeScenarioMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_scope_scenario()
        cls.Scope = cls.env["inventory.scope"]

    def resolve(self, **kwargs):
        return self.Scope._resolve(self.company, **kwargs)

    # ------------------------------------------------------------ locations
    def test_locations_with_children(self):
        view = self.warehouse.view_location_id
        scope = self.resolve(warehouse_ids=self.warehouse)
        self.assertEqual(scope.location_roots, (view.id,))
        self.assertEqual(
            list(scope.location_ids), sorted(self._internal_locations(view).ids)
        )
        self.assertIn(self.transit.id, scope.location_ids)
        self.assertIn(self.bin1a.id, scope.location_ids)
        scope = self.resolve(location_ids=self.bin1)
        self.assertEqual(set(scope.location_ids), {self.bin1.id, self.bin1a.id})
        internal = self.resolve(warehouse_ids=self.warehouse, usages=("internal",))
        self.assertNotIn(self.transit.id, internal.location_ids)
        # warehouses then locations, without duplicates
        scope = self.resolve(
            warehouse_ids=self.warehouse, location_ids=[self.bin1.id, view.id]
        )
        self.assertEqual(scope.location_roots, (view.id, self.bin1.id))
        # nothing given: every internal and transit location of the company
        whole = self.resolve()
        self.assertIsNone(whole.location_roots)
        self.assertEqual(
            set(whole.location_ids),
            set(
                self.env["stock.location"]
                .with_context(active_test=False)
                .search(
                    [
                        ("usage", "in", ["internal", "transit"]),
                        ("company_id", "=", self.company.id),
                    ]
                )
                .ids
            ),
        )
        # another company's locations are never in it
        self.assertNotIn(self.warehouse_b.lot_stock_id.id, whole.location_ids)

    # ------------------------------------------------------------- products
    def test_products_with_sub_categories_and_filters(self):
        def products(**kwargs):
            return set(self.resolve(**kwargs).product_ids)

        everything = {
            self.p_root.id,
            self.p_child.id,
            self.p_consu.id,
            self.p_archived.id,
            self.p_company_b.id,
        }
        self.assertEqual(products(categ_ids=self.categ_root), everything)
        self.assertEqual(
            products(categ_ids=self.categ_root, storable=True),
            everything - {self.p_consu.id},
        )
        self.assertEqual(
            products(categ_ids=self.categ_root, active=True),
            everything - {self.p_archived.id},
        )
        self.assertEqual(
            products(categ_ids=self.categ_root, company_products=True),
            everything - {self.p_company_b.id},
        )
        self.assertEqual(
            products(
                categ_ids=self.categ_child.id,
                storable=True,
                active=True,
                company_products=True,
            ),
            {self.p_child.id},
        )
        # the categories and the products: both must hold
        self.assertEqual(
            products(
                categ_ids=self.categ_child,
                product_ids=[self.p_child.id, self.p_root.id],
            ),
            {self.p_child.id},
        )
        self.assertEqual(
            products(product_ids=[self.p_other.id, self.p_root.id]),
            {self.p_other.id, self.p_root.id},
        )

    def test_every_product_when_none_given(self):
        scope = self.resolve(storable=True, active=True, company_products=True)
        self.assertIsNone(scope.product_ids)
        # the SQL still applies the filters, for the callers that read it
        self.env.cr.execute(scope.products_sql)
        ids = {row[0] for row in self.env.cr.fetchall()}
        self.assertIn(self.p_child.id, ids)
        self.assertIn(self.p_other.id, ids)
        for excluded in (self.p_consu, self.p_archived, self.p_company_b):
            self.assertNotIn(excluded.id, ids)

    def test_recordsets_ids_and_lists_alike(self):
        by_records = self.resolve(
            warehouse_ids=self.warehouse, categ_ids=self.categ_child
        )
        by_ids = self.resolve(
            warehouse_ids=self.warehouse.id, categ_ids=[self.categ_child.id]
        )
        by_company_id = self.Scope._resolve(
            [self.company.id],
            warehouse_ids=self.warehouse.ids,
            categ_ids=self.categ_child.ids,
        )
        self.assertEqual(by_records, by_ids)
        self.assertEqual(by_records.location_ids, by_company_id.location_ids)
        self.assertEqual(by_records.product_ids, by_company_id.product_ids)

    def test_two_statements(self):
        """The check and the resolving are one statement each, whatever the
        number of ids and the depth of the trees."""
        self.env.flush_all()
        with self.assertQueryCount(2):
            self.resolve(
                warehouse_ids=self.warehouse,
                location_ids=self.bin1 | self.bin2,
                categ_ids=self.categ_root,
                product_ids=self.p_child | self.p_root,
            )

    # ------------------------------------------------------------- bad ids
    def test_ids_that_do_not_exist(self):
        for argument, kind in (
            ("warehouse_ids", "warehouse"),
            ("location_ids", "location"),
            ("categ_ids", "product category"),
            ("product_ids", "product"),
        ):
            with (
                self.subTest(argument=argument),
                self.assertRaisesRegex(
                    UserError, f"^{argument}: no {kind} with id {MISSING} exists"
                ),
            ):
                self.resolve(**{argument: [MISSING]})
        with self.assertRaisesRegex(
            UserError, f"^company_ids: no company with id {MISSING} exists"
        ):
            self.Scope._resolve([self.company.id, MISSING])
        # the caller's argument names
        with self.assertRaisesRegex(
            UserError, f"^location_id: no location .*{MISSING}"
        ):
            self.resolve(location_ids=MISSING, names={"location": "location_id"})
        # a missing id is named before a foreign one, whatever their order
        with self.assertRaisesRegex(UserError, f"^product_ids: no product .*{MISSING}"):
            self.resolve(
                warehouse_ids=self.warehouse_b, product_ids=[self.p_child.id, MISSING]
            )
        for bad in ("7", True, [1.5], {"id": 3}):
            with (
                self.subTest(bad=bad),
                self.assertRaisesRegex(
                    UserError, "location_ids must be an id or a list"
                ),
            ):
                self.resolve(location_ids=bad)

    def test_ids_of_another_company(self):
        for argument, record in (
            ("warehouse_ids", self.warehouse_b),
            ("location_ids", self.warehouse_b.lot_stock_id),
            ("product_ids", self.p_company_b),
        ):
            with (
                self.subTest(argument=argument),
                self.assertRaisesRegex(
                    UserError,
                    f"^{argument}: the .* with id {record.id} is not of the company "
                    f"{self.company.name}",
                ),
            ):
                self.resolve(**{argument: record})
        # of both companies: accepted
        scope = self.Scope._resolve(
            self.company | self.company_b,
            warehouse_ids=self.warehouse | self.warehouse_b,
            product_ids=self.p_company_b,
        )
        self.assertIn(self.warehouse_b.lot_stock_id.id, scope.location_ids)
        self.assertEqual(scope.product_ids, (self.p_company_b.id,))
        # a shared location (no company) and a shared category are anyone's
        customers = self.env.ref("stock.stock_location_customers")
        self.assertFalse(customers.company_id)
        self.assertEqual(self.resolve(location_ids=customers).location_ids, ())

    # ---------------------------------------------------------- public RPC
    def test_resolve_scope_public(self):
        clerk = new_test_user(
            self.env, login="scope_clerk", groups="stock.group_stock_user"
        )
        answer = self.Scope.with_user(clerk).resolve_scope(
            location_ids=[self.bin1.id], categ_ids=[self.categ_child.id]
        )
        self.assertEqual(
            answer,
            {
                "company_ids": [self.company.id],
                "location_ids": sorted([self.bin1.id, self.bin1a.id]),
                "product_ids": sorted(
                    [self.p_child.id, self.p_archived.id, self.p_company_b.id]
                ),
            },
        )
        self.assertIs(self.Scope.with_user(clerk).resolve_scope()["product_ids"], False)
        with self.assertRaisesRegex(UserError, f"^company_ids: no company .*{MISSING}"):
            self.Scope.with_user(clerk).resolve_scope(company_ids=[MISSING])
        with self.assertRaisesRegex(AccessError, f"id {self.company_b.id} is not"):
            self.Scope.with_user(clerk).resolve_scope(company_ids=self.company_b.ids)
        with self.assertRaisesRegex(
            UserError, f"^location_ids: no location .*{MISSING}"
        ):
            self.Scope.with_user(clerk).resolve_scope(location_ids=[MISSING])
        stranger = new_test_user(
            self.env, login="scope_stranger", groups="base.group_user"
        )
        with self.assertRaises(AccessError):
            self.Scope.with_user(stranger).resolve_scope()

    # ------------------------------------------------------------ features
    def test_sheet_goes_through_the_resolver(self):
        sheet = self.env["inventory.balance.sheet"].create(
            {
                "name": "Scope sheet",
                "category_ids": [Command.set(self.categ_root.ids)],
                "location_ids": [Command.set(self.bin1.ids)],
                "date_from": date.today().replace(day=1),
                "date_to": date.today(),
            }
        )
        with self.spy_scope() as calls:
            products = sheet._product_ids()
            sheet.refresh()
        scope = calls[0][2]
        self.assertEqual(scope.location_roots, (self.bin1.id,))
        # the active storable products of the company, sub-groups included
        self.assertEqual(set(products), {self.p_root.id, self.p_child.id})
        self.assertEqual(set(products), set(scope.product_ids))
        self.assertTrue(all(call[2] == scope for call in calls[1:]))
        # the flows under the sheet's locations only: 7 + 3 counted in bin 1
        # and 1a, not the 11 in bin 2
        cells = self.env["inventory.balance.sheet.cell"].search(
            [("sheet_id", "=", sheet.id), ("product_id", "=", self.p_child.id)]
        )
        self.assertEqual(sum(cells.mapped("quantity")), 10)
        self.assertEqual(set(cells.product_id.ids) - set(scope.product_ids), set())

    def test_adjustment_goes_through_the_resolver(self):
        Adjustment = self.env["inventory.adjustment"]
        adjustment = Adjustment.browse(
            Adjustment.create_draft(
                "Scope adjustment",
                "count",
                location_id=self.bin1.id,
                categ_ids=self.categ_root.ids,
            )
        )
        with self.spy_scope() as calls:
            adjustment.load_products()
        ((_args, kwargs, scope),) = calls
        self.assertEqual(kwargs["usages"], ("internal",))
        self.assertEqual(set(scope.location_ids), {self.bin1.id, self.bin1a.id})
        self.assertEqual(
            {
                (line.product_id, line.location_id, line.balance)
                for line in adjustment.line_ids
            },
            {
                (self.p_root, self.bin1, 5),
                (self.p_child, self.bin1, 7),
                (self.p_child, self.bin1a, 3),
            },
        )
        # another company's location as the filter: refused, named
        with self.assertRaisesRegex(
            UserError,
            f"^location_id: the location with id {self.warehouse_b.lot_stock_id.id}",
        ):
            Adjustment.create_draft(
                "Scope B", "count", location_id=self.warehouse_b.lot_stock_id.id
            )
