# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.lot_balance_export import write_lot_balances_xlsx
from ..tools.lot_balance_rules import EPSILON, group_lot_balances, units_to_remove
from .inventory_ledger_report_mixin import LEDGER_DEPENDS


class InventoryLotBalanceReport(models.Model):
    """Lot balances with units "as of" a moment (``inventory_at`` in the
    context, default now), answered by the ledger engine: one row per unit (a
    package holding a product and lot) or loose balance and location; grouped
    by product, condition and lot, the groups are the lot lines and product
    summary rows of the WARES balances posting.

    A unit's condition is its location's condition: moving a package into a
    location of another condition changes it.  Stock in transit counts in its
    location's condition, Good when the transit location has none."""

    _name = "inventory.lot.balance.report"
    _description = "Lot Balances Report"
    _inherit = ["inventory.ledger.report.mixin"]
    _auto = False
    _order = "product_id, lot_id, condition_id, package_id, location_id"
    _ledger_balances = True

    _depends = {
        **LEDGER_DEPENDS,
        "stock.package": ["name"],
        "product.template": ["uom_id", "uom_ids", "tracking"],
        "uom.uom": ["factor", "parent_path"],
    }

    at = fields.Datetime(string="As of", compute="_compute_at")
    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", readonly=True)
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    uom_id = fields.Many2one("uom.uom", string="Unit", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial", readonly=True)
    condition_id = fields.Many2one("inventory.condition", readonly=True)
    package_id = fields.Many2one(
        "stock.package", readonly=True, help="Empty: loose stock."
    )
    location_id = fields.Many2one("stock.location", readonly=True)
    location_usage = fields.Selection(
        [("internal", "Internal"), ("transit", "Transit")], readonly=True
    )
    warehouse_id = fields.Many2one("stock.warehouse", string="Facility", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    is_loose = fields.Boolean(string="Loose", readonly=True)
    is_odd = fields.Boolean(
        string="Odd Unit",
        readonly=True,
        help="A unit whose count differs from the product's standard count.",
    )
    units = fields.Integer(readonly=True, help="Packages holding the product and lot.")
    quantity = fields.Float(digits="Product Unit", readonly=True)
    standard_count = fields.Float(
        digits="Product Unit",
        readonly=True,
        aggregator="max",
        help="Count of a full unit, from the product's largest packaging.",
    )
    odd_units = fields.Integer(readonly=True)
    on_hand = fields.Float(digits="Product Unit", readonly=True)
    in_transit = fields.Float(digits="Product Unit", readonly=True)
    reserved = fields.Float(
        digits="Product Unit",
        readonly=True,
        help="Reserved now; not recorded for a past moment.",
    )
    available = fields.Float(
        digits="Product Unit",
        readonly=True,
        help="On hand in an available condition, less what is reserved; zero "
        "in any other condition.",
    )

    @api.depends_context("inventory_at")
    def _compute_at(self):
        self.at = self._report_moment()

    def _ledger_from_checkpoint(self):
        return self.env["inventory.ledger"]._from_checkpoint(
            self._report_moment(), self.env.companies.ids
        )

    @api.model
    def _report_moment(self):
        ledger = self.env["inventory.ledger"]
        return ledger._parse_moment(self.env.context.get("inventory_at"))

    # ------------------------------------------------------------------ SQL
    @api.model
    def _standard_counts_sql(self):
        """Per product template, the count of a full unit in the product's
        unit: the largest of its packagings (``uom_ids``) measured in the same
        unit family as the product's unit."""
        field = self.env["product.template"]._fields["uom_ids"]
        return SQL(
            """
            SELECT rel.%(tmpl_col)s AS product_tmpl_id,
                   ROUND(MAX(pack.factor / base.factor)::numeric, 6)::float8
                       AS standard_count
              FROM %(relation)s rel
              JOIN product_template pt ON pt.id = rel.%(tmpl_col)s
              JOIN uom_uom base ON base.id = pt.uom_id
              JOIN uom_uom pack ON pack.id = rel.%(uom_col)s
             WHERE split_part(pack.parent_path, '/', 1)
                   = split_part(base.parent_path, '/', 1)
               AND base.factor > 0
             GROUP BY rel.%(tmpl_col)s
            """,
            relation=SQL.identifier(field.relation),
            tmpl_col=SQL.identifier(field.column1),
            uom_col=SQL.identifier(field.column2),
        )

    @api.model
    def _unit_rows_sql(
        self,
        at,
        company_ids,
        product_ids=None,
        lot_ids=None,
        location_ids=None,
        warehouse_ids=None,
        condition_ids=None,
        with_reserved=True,
    ):
        """One row per balance of a product, lot, package and location at
        ``at`` (the ledger engine's balances by package), with its condition,
        facility, standard count and reservation (now only)."""
        ledger = self.env["inventory.ledger"]
        balances, _method = ledger._balance_sql(
            at,
            ("product", "location", "lot", "package"),
            company_ids,
            location_ids=location_ids,
            product_ids=product_ids,
            lot_ids=lot_ids,
        )
        good = self.env.ref(
            "inventory_balance.inventory_condition_good", raise_if_not_found=False
        )
        where = [SQL("TRUE")]
        if warehouse_ids is not None:
            where.append(SQL("loc.warehouse_id = ANY(%s)", warehouse_ids))
        if condition_ids is not None:
            where.append(
                SQL(
                    "COALESCE(loc.condition_id, %s) = ANY(%s)",
                    good.id if good else None,
                    condition_ids,
                )
            )
        if with_reserved:
            reserved_join = SQL(
                """
                LEFT JOIN (
                    SELECT product_id, location_id, lot_id, package_id,
                           SUM(reserved_quantity) AS reserved
                      FROM stock_quant
                     WHERE reserved_quantity <> 0 AND company_id = ANY(%s)
                     GROUP BY product_id, location_id, lot_id, package_id
                ) r ON r.product_id = b.product_id AND r.location_id = b.location_id
                   AND r.lot_id IS NOT DISTINCT FROM b.lot_id
                   AND r.package_id IS NOT DISTINCT FROM b.package_id
                """,
                company_ids,
            )
            reserved = SQL("COALESCE(r.reserved, 0)::float8")
        else:
            # What was reserved at a past moment is not recorded.
            reserved_join, reserved = SQL(), SQL("0::float8")
        return SQL(
            """
            SELECT b.product_id, pp.product_tmpl_id, pt.categ_id, pt.uom_id,
                   b.lot_id, COALESCE(loc.condition_id, %(good)s) AS condition_id,
                   b.package_id, b.location_id, loc.usage AS location_usage,
                   loc.warehouse_id, loc.company_id,
                   b.package_id IS NULL AS is_loose,
                   (b.package_id IS NOT NULL AND std.standard_count > 0
                    AND ABS(b.quantity - std.standard_count) > %(epsilon)s)
                       AS is_odd,
                   CASE WHEN b.package_id IS NULL THEN 0 ELSE 1 END AS units,
                   b.quantity, std.standard_count,
                   CASE WHEN b.package_id IS NOT NULL AND std.standard_count > 0
                         AND ABS(b.quantity - std.standard_count) > %(epsilon)s
                        THEN 1 ELSE 0 END AS odd_units,
                   CASE WHEN loc.usage = 'internal' THEN b.quantity ELSE 0 END
                       AS on_hand,
                   CASE WHEN loc.usage = 'transit' THEN b.quantity ELSE 0 END
                       AS in_transit,
                   %(reserved)s AS reserved,
                   CASE WHEN loc.usage = 'internal'
                         AND COALESCE(cond.is_available, FALSE)
                        THEN b.quantity - %(reserved)s ELSE 0 END AS available,
                   COALESCE(cond.is_available, FALSE) AS condition_available,
                   pkg.name AS package_name
              FROM (%(balances)s) b
              -- Left joins on keys: the planner drops those a query does not
              -- read (the first page grouped by product reads none).
              LEFT JOIN stock_location loc ON loc.id = b.location_id
              LEFT JOIN product_product pp ON pp.id = b.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN inventory_condition cond
                     ON cond.id = COALESCE(loc.condition_id, %(good)s)
              LEFT JOIN stock_package pkg ON pkg.id = b.package_id
              LEFT JOIN (%(standard)s) std ON std.product_tmpl_id = pp.product_tmpl_id
              %(reserved_join)s
             WHERE %(where)s
            """,
            good=good.id if good else None,
            epsilon=EPSILON,
            reserved=reserved,
            reserved_join=reserved_join,
            balances=balances,
            standard=self._standard_counts_sql(),
            where=SQL(" AND ").join(where),
        )

    @property
    def _table_query(self):
        rows = self._unit_rows_sql(
            self._report_moment(),
            self.env.companies.ids,
            with_reserved=not self.env.context.get("inventory_at"),
        )
        return SQL(
            """
            SELECT row_number() OVER (ORDER BY u.product_id, u.lot_id, u.package_id,
                                               u.location_id) AS id, u.*
              FROM (%s) u
            """,
            rows,
        )

    # ------------------------------------------------------------ public API
    @api.model
    def _lot_balance_scope(self, company_ids, location_ids, warehouse_ids):
        """The engine's scope of locations: ``location_ids``, else the
        facilities' view locations (children included)."""
        ledger = self.env["inventory.ledger"]
        location_ids = ledger._parse_ids(location_ids, "location_ids")
        warehouse_ids = ledger._parse_ids(warehouse_ids, "warehouse_ids")
        if location_ids is None and warehouse_ids is not None:
            location_ids = (
                self.env["stock.warehouse"]
                .browse(warehouse_ids)
                .exists()
                .filtered(lambda w: w.company_id.id in company_ids)
                .view_location_id.ids
            ) or [0]
        return location_ids, warehouse_ids

    @api.model
    def _lot_balance_result(
        self,
        at=None,
        product_ids=None,
        lot_ids=None,
        location_ids=None,
        warehouse_ids=None,
        company_ids=None,
        condition_ids=None,
    ):
        """The lot lines and summary rows (see :meth:`lot_balances`), with
        ids; every rendering (RPC, XLSX) reads this one result.  The unit
        rows are summed over locations in SQL first (per product, lot,
        condition, usage and package), so that a product kept loose in many
        bins costs one row per condition, not one per bin."""
        ledger = self.env["inventory.ledger"]
        ledger._check_ledger_access()
        moment = ledger._parse_moment(at)
        company_ids = ledger._scope_companies(company_ids)
        result = {"at": fields.Datetime.to_string(moment), "lots": [], "summary": []}
        if not company_ids:
            return result
        location_ids, warehouse_ids = self._lot_balance_scope(
            company_ids, location_ids, warehouse_ids
        )
        self.env.flush_all()
        query = self._unit_rows_sql(
            moment,
            company_ids,
            product_ids=ledger._parse_ids(product_ids, "product_ids"),
            lot_ids=ledger._parse_ids(lot_ids, "lot_ids"),
            location_ids=location_ids,
            warehouse_ids=warehouse_ids,
            condition_ids=ledger._parse_ids(condition_ids, "condition_ids"),
            with_reserved=not at,
        )
        from_checkpoint = ledger._from_checkpoint(moment, company_ids)
        with ledger._aggregation_settings(balances=from_checkpoint, hash_joins=True):
            self.env.cr.execute(
                SQL(
                    """
                    SELECT g.*
                      FROM (
                        SELECT u.product_id, u.lot_id, u.condition_id,
                               u.condition_available, u.package_id, u.package_name,
                               u.location_usage, SUM(u.quantity) AS quantity,
                               SUM(u.reserved) AS reserved,
                               MAX(u.standard_count) AS standard_count
                          FROM (%s) u
                         GROUP BY u.product_id, u.lot_id, u.condition_id,
                                  u.condition_available, u.package_id,
                                  u.package_name, u.location_usage
                      ) g
                      LEFT JOIN stock_lot lot ON lot.id = g.lot_id
                      LEFT JOIN inventory_condition cond ON cond.id = g.condition_id
                     WHERE ABS(g.quantity) > 1e-9
                     ORDER BY g.product_id, lot.name, g.lot_id, cond.sequence,
                              g.condition_id, g.package_name, g.package_id
                    """,
                    query,
                )
            )
            fetched = self.env.cr.fetchall()
        rows = [
            {
                "product_id": product_id,
                "lot_id": lot_id or False,
                "condition_id": condition_id or False,
                "condition_available": bool(available),
                "package_id": package_id or False,
                "package": package_name or False,
                "usage": usage,
                "quantity": round(quantity, 6),
                "reserved": reserved or 0.0,
                "standard_count": standard_count or False,
            }
            for (
                product_id,
                lot_id,
                condition_id,
                available,
                package_id,
                package_name,
                usage,
                quantity,
                reserved,
                standard_count,
            ) in fetched
        ]
        result.update(group_lot_balances(rows))
        return result

    @api.model
    def _product_labels(self, product_ids):
        """``{id: (display name, reference, unit name)}`` of products, read
        in one statement: the ORM's display name costs a quarter of a
        millisecond a product, seconds for the tens of thousands of a full
        answer.  Variants with attributes keep the ORM's display name (with
        their attribute values)."""
        lang = self.env.lang or "en_US"
        self.env.cr.execute(
            SQL(
                """
                SELECT pp.id, pp.default_code,
                       COALESCE(pt.name ->> %(lang)s, pt.name ->> 'en_US'),
                       COALESCE(u.name ->> %(lang)s, u.name ->> 'en_US'),
                       COALESCE(pp.combination_indices, '') <> ''
                  FROM product_product pp
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN uom_uom u ON u.id = pt.uom_id
                 WHERE pp.id = ANY(%(ids)s)
                """,
                lang=lang,
                ids=list(product_ids),
            )
        )
        labels, variants = {}, []
        for product_id, code, name, uom, is_variant in self.env.cr.fetchall():
            labels[product_id] = (f"[{code}] {name}" if code else name, code, uom)
            if is_variant:
                variants.append(product_id)
        for product in self.env["product.product"].browse(variants):
            _name, code, uom = labels[product.id]
            labels[product.id] = (product.display_name, code, uom)
        return labels

    @api.model
    def _label_lot_balances(self, result):
        """Add the names of products, lots and conditions to the lines."""
        lines = result["lots"] + result["summary"]
        products = self._product_labels({line["product_id"] for line in lines})
        lot_ids = list({line["lot_id"] for line in result["lots"]})
        self.env.cr.execute(
            SQL("SELECT id, name FROM stock_lot WHERE id = ANY(%s)", lot_ids)
        )
        lot_names = dict(self.env.cr.fetchall())
        conditions = self.env["inventory.condition"].browse(
            {line["condition_id"] for line in lines if line["condition_id"]}
        )
        condition_codes = {c.id: c.code for c in conditions}
        condition_names = {c.id: c.name for c in conditions}
        for line in lines:
            name, code, uom = products[line["product_id"]]
            line["product"] = name
            line["default_code"] = code or False
            line["uom"] = uom
            line["condition"] = condition_codes.get(line["condition_id"], False)
            line["condition_name"] = condition_names.get(line["condition_id"], False)
            if "lot_id" in line:
                line["lot"] = lot_names[line["lot_id"]]
        return result

    @api.readonly
    @api.model
    def lot_balances(
        self,
        at=None,
        product_ids=None,
        lot_ids=None,
        location_ids=None,
        warehouse_ids=None,
        company_ids=None,
        condition_ids=None,
    ):
        """Lot balances with units at a moment, from the ledger engine (the
        WARES balances posting): per product, lot and condition the units
        (packages holding the product and lot), their count against the
        product's standard count, and the odd ones; a summary row per product
        and condition.  Read-only.

        :param at: date or datetime (UTC); a date alone means the end of that
            day; default now; never in the future.  Reservations are known
            now only (0 at a past moment).
        :param product_ids: product variants (default all)
        :param lot_ids: lots (default all)
        :param location_ids: internal/transit locations, children included
        :param warehouse_ids: facilities (their locations; stock in transit
            outside any facility is left out then)
        :param company_ids: companies (default: the user's allowed companies)
        :param condition_ids: conditions (default all)
        :return: dict with ``at`` (the moment, UTC), ``lots`` and ``summary``.
            ``lots``: one dict per product, lot, condition and ``loose``
            (stock outside any package is its own line), products with lots
            only: ``product_id``, ``product``, ``default_code``, ``uom``,
            ``lot_id``, ``lot``, ``condition_id``, ``condition`` (code),
            ``condition_name``, ``loose``, ``units``, ``quantity``,
            ``standard_count`` (False without packaging), ``odd_count``,
            ``odd_units`` (``[{"package_id", "package", "quantity"}]``),
            ``partial_count``, ``on_hand``, ``in_transit``, ``reserved``,
            ``available`` (0 in a condition that is not available).
            ``summary``: one dict per product and condition with the same
            figures (no lot, no ``odd_units``), ``loose_quantity`` and
            ``lots`` (the number of lots).  Quantities in the product's unit.
        """
        result = self._lot_balance_result(
            at,
            product_ids=product_ids,
            lot_ids=lot_ids,
            location_ids=location_ids,
            warehouse_ids=warehouse_ids,
            company_ids=company_ids,
            condition_ids=condition_ids,
        )
        return self._label_lot_balances(result)

    @api.readonly
    @api.model
    def unit_removal_plan(self, product_id, lot_id, count, location_ids=None):
        """Which units "remove ``count`` units" of a lot takes now: whole
        packages, the partial ones first, then full ones oldest first, so
        that the lot never keeps more partial units than it had.  Read-only:
        it plans, an adjustment or transfer of these packages applies it.

        :param product_id: the product
        :param lot_id: its lot
        :param count: number of units (packages) to remove
        :param location_ids: where to take them (children included; default
            the internal locations of the user's companies)
        :return: dict with ``units`` (``[{"package_id", "package",
            "location_id", "quantity"}]`` in the order taken) and
            ``quantity`` (their total)
        """
        ledger = self.env["inventory.ledger"]
        ledger._check_ledger_access()
        for value, name in ((product_id, "product_id"), (lot_id, "lot_id")):
            if not isinstance(value, int) or isinstance(value, bool):
                raise UserError(self.env._("%(name)s must be an id.", name=name))
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise UserError(self.env._("count is a number of units, 0 or more."))
        company_ids = ledger._scope_companies(None)
        self.env.flush_all()
        query = self._unit_rows_sql(
            fields.Datetime.now(),
            company_ids,
            product_ids=[product_id],
            lot_ids=[lot_id],
            location_ids=ledger._parse_ids(location_ids, "location_ids"),
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT u.package_id, u.package_name, u.location_id, u.quantity,
                       u.standard_count
                  FROM (%s) u
                 WHERE u.package_id IS NOT NULL AND u.location_usage = 'internal'
                   AND u.quantity > 0
                 ORDER BY u.package_id
                """,
                query,
            )
        )
        fetched = self.env.cr.fetchall()
        standard = fetched[0][4] if fetched else False
        units = {row[0]: row for row in fetched}
        try:
            taken = units_to_remove(
                [(row[0], row[3]) for row in fetched], count, standard
            )
        except ValueError:
            raise UserError(
                self.env._(
                    "The lot holds %(units)s units here: %(count)s cannot be removed.",
                    units=len(fetched),
                    count=count,
                )
            ) from None
        return {
            "units": [
                {
                    "package_id": package_id,
                    "package": units[package_id][1],
                    "location_id": units[package_id][2],
                    "quantity": quantity,
                }
                for package_id, quantity in taken
            ],
            "quantity": round(sum(quantity for _p, quantity in taken), 6),
        }

    @api.readonly
    @api.model
    def export_lot_balances_xlsx(self, at=None, **filters):
        """:meth:`lot_balances` as an XLSX workbook: a Summary sheet and a
        Lots sheet (odd units listed by package and count).

        :param at: and ``filters``: as for :meth:`lot_balances`
        :return: dict with ``filename`` and ``content`` (base64)
        """
        result = self.lot_balances(at, **filters)
        buffer = io.BytesIO()
        write_lot_balances_xlsx(buffer, result, self._export_labels())
        moment = result["at"].replace(":", "-").replace(" ", "_")
        return {
            "filename": f"lot_balances_{moment}.xlsx",
            "content": base64.b64encode(buffer.getvalue()).decode(),
        }

    @api.model
    def _export_labels(self):
        _ = self.env._
        return {
            "summary": _("Summary"),
            "lots": _("Lots"),
            "at": _("As of"),
            "product": _("Product"),
            "default_code": _("Reference"),
            "lot": _("Lot"),
            "condition_name": _("Condition"),
            "loose": _("Loose"),
            "units": _("Units"),
            "quantity": _("Quantity"),
            "uom": _("Unit"),
            "standard_count": _("Standard Count"),
            "odd_count": _("Odd Units"),
            "odd_units": _("Odd Units (package: count)"),
            "on_hand": _("On Hand"),
            "in_transit": _("In Transit"),
            "reserved": _("Reserved"),
            "available": _("Available"),
            "loose_quantity": _("Loose Quantity"),
            "lots_count": _("Lots"),
            "yes": _("Yes"),
        }
