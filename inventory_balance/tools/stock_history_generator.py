# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fill a database with a consistent stock history at a chosen scale.

Used by the benchmarks (``benchmarks/generate.py``) and by the addon's tests.
A few set-up records (warehouse, bins, categories) are created with the ORM;
products, lots, done moves, move lines and quants are written set-based in SQL,
in chunks.  The result obeys what Odoo itself maintains:

* one done ``stock.move`` per ``stock.move.line``, same product, locations,
  quantity and date;
* quants (in every location, as Odoo 19 keeps them) equal the ledger: the sum of
  done move lines into the location minus out of it, per product, location and
  lot; ``stock.lot.location_id`` as Odoo computes it;
* with ``stock_account``: ``is_in`` / ``is_out`` / ``value`` / ``price_unit`` on
  moves as Odoo 19's move-based valuation sets them.  Each product has one
  constant unit cost, so FIFO, AVCO and standard valuation agree.

What each line is comes from :class:`GeneratorSpec` (pure Python); the SQL below
computes the same arithmetic over ``generate_series``.
"""

import logging
import time
from datetime import timedelta

from odoo import fields
from odoo.tools import SQL

from .generator_spec import LOTS_PER_PRODUCT, GeneratorSpec

_logger = logging.getLogger(__name__)

CHUNK = 1_000_000


class StockHistoryGenerator:
    def __init__(self, env, spec, company=None, progress=None):
        if not isinstance(spec, GeneratorSpec):
            raise TypeError("spec must be a GeneratorSpec")
        self.env = env
        self.spec = spec
        self.company = company or env.company
        self.progress = progress or (lambda message: _logger.info(message))
        self.valued = "is_in" in env["stock.move"]._fields
        self.tag = f"GEN{int(time.time() * 1000) % 10**10:010d}"

    # ------------------------------------------------------------------ setup
    def _setup(self):
        env, spec, company = self.env, self.spec, self.company
        warehouse = env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        if not warehouse:
            raise ValueError(f"The company {company.name} has no warehouse.")
        self.warehouse = warehouse
        parent = warehouse.lot_stock_id
        self.bins = env["stock.location"].create(
            [
                {
                    "name": f"{self.tag}-BIN-{n:04d}",
                    "location_id": parent.id,
                    "usage": "internal",
                    "company_id": company.id,
                }
                for n in range(spec.locations)
            ]
        )
        Location = env["stock.location"].with_context(active_test=False)

        def _usage(usage):
            location = Location.search(
                [("usage", "=", usage), ("company_id", "in", (company.id, False))],
                order="company_id, id",
                limit=1,
            )
            if not location:
                raise ValueError(f"No location of usage {usage} found.")
            return location

        self.roles = {
            "supplier": env.ref("stock.stock_location_suppliers"),
            "customer": env.ref("stock.stock_location_customers"),
            "inventory": _usage("inventory"),
            "production": _usage("production"),
        }
        category_vals = [
            ("Standard", "standard"),
            ("FIFO", "fifo"),
            ("AVCO", "average"),
        ]
        root = env["product.category"].create({"name": f"Generated {self.tag}"})
        self.categories = env["product.category"]
        for name, method in category_vals:
            vals = {"name": name, "parent_id": root.id}
            category = env["product.category"].create(vals)
            if "property_cost_method" in category._fields:
                category.with_company(company).property_cost_method = method
            self.categories |= category
        self.uom = env.ref("uom.product_uom_unit")
        types = env["stock.picking.type"].search([("warehouse_id", "=", warehouse.id)])
        self.picking_types = {
            code: types.filtered(lambda t, code=code: t.code == code)[:1].id
            for code in ("incoming", "outgoing", "internal")
        }
        env.flush_all()

    # --------------------------------------------------------------- products
    def _required_extra(self, model_name, given):
        """Columns other installed addons make required on ``model_name``'s
        table (NOT NULL, no database default; e.g. ``publish_date`` with
        ``website_sale``), as (column list, value list) SQL to append to an
        INSERT that fills ``given``: each gets the field's default value."""
        model = self.env[model_name]
        cr = self.env.cr
        cr.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s AND is_nullable = 'NO' "
            "AND column_default IS NULL AND column_name <> 'id'",
            [model._table],
        )
        names = sorted({row[0] for row in cr.fetchall()} - set(given))
        defaults = model.default_get(names)
        missing = [n for n in names if n not in defaults or n not in model._fields]
        if missing:
            raise ValueError(
                f"{model._table}: required columns without a default: "
                f"{', '.join(missing)}"
            )
        columns = SQL("").join(SQL(", %s", SQL.identifier(n)) for n in names)
        values = SQL("").join(
            SQL(
                ", %s",
                model._fields[n].convert_to_column_insert(defaults[n], model),
            )
            for n in names
        )
        return columns, values

    def _create_products(self):
        spec, cr = self.spec, self.env.cr
        uid = self.env.uid
        standard, fifo, avco = self.categories.ids
        valued_products = round(spec.products * spec.valued_share)
        # Products with an index below valued_products are FIFO (even index) or
        # AVCO (odd index); the others are at standard price.
        cr.execute(
            SQL(
                """
            CREATE TEMP TABLE gen_product ON COMMIT DROP AS
            SELECT g - 1 AS idx,
                   %(tag)s || '-P' || lpad((g - 1)::text, 7, '0') AS code,
                   (g - 1) < %(lot_products)s AS tracked,
                   CASE WHEN (g - 1) >= %(valued)s THEN %(standard)s
                        WHEN (g - 1) %% 2 = 0 THEN %(fifo)s
                        ELSE %(avco)s END AS categ_id,
                   (1 + (g * 7919) %% 200)::numeric AS cost,
                   NULL::integer AS tmpl_id,
                   NULL::integer AS product_id
              FROM generate_series(1, %(products)s) g
            """,
                tag=self.tag,
                lot_products=spec.lot_products,
                valued=valued_products,
                standard=standard,
                fifo=fifo,
                avco=avco,
                products=spec.products,
            )
        )
        template_extra = self._required_extra(
            "product.template",
            {
                "name",
                "type",
                "is_storable",
                "service_tracking",
                "tracking",
                "uom_id",
                "categ_id",
                "default_code",
                "list_price",
                "sale_ok",
                "purchase_ok",
                "active",
                "create_uid",
                "write_uid",
                "create_date",
                "write_date",
            },
        )
        cr.execute(
            SQL(
                """
            WITH tmpl AS (
                INSERT INTO product_template
                    (name, type, is_storable, service_tracking, tracking, uom_id,
                     categ_id, default_code, list_price, sale_ok, purchase_ok,
                     active, create_uid, write_uid, create_date, write_date
                     %(extra_columns)s)
                SELECT jsonb_build_object('en_US', 'Generated product ' || code),
                       'consu', TRUE, 'no',
                       CASE WHEN tracked THEN 'lot' ELSE 'none' END,
                       %(uom)s, categ_id, code, cost * 2, TRUE, TRUE, TRUE,
                       %(uid)s, %(uid)s, now() at time zone 'UTC',
                       now() at time zone 'UTC' %(extra_values)s
                  FROM gen_product ORDER BY idx
                RETURNING id, default_code
            )
            UPDATE gen_product SET tmpl_id = tmpl.id
              FROM tmpl WHERE tmpl.default_code = gen_product.code
            """,
                uom=self.uom.id,
                uid=uid,
                extra_columns=template_extra[0],
                extra_values=template_extra[1],
            )
        )
        variant_extra = self._required_extra(
            "product.product",
            {
                "product_tmpl_id",
                "default_code",
                "combination_indices",
                "standard_price",
                "active",
                "create_uid",
                "write_uid",
                "create_date",
                "write_date",
            },
        )
        cr.execute(
            SQL(
                """
            WITH prod AS (
                INSERT INTO product_product
                    (product_tmpl_id, default_code, combination_indices,
                     standard_price, active, create_uid, write_uid, create_date,
                     write_date %(extra_columns)s)
                SELECT tmpl_id, code, '',
                       jsonb_build_object(%(company)s::text, cost), TRUE,
                       %(uid)s, %(uid)s, now() at time zone 'UTC',
                       now() at time zone 'UTC' %(extra_values)s
                  FROM gen_product ORDER BY idx
                RETURNING id, product_tmpl_id
            )
            UPDATE gen_product SET product_id = prod.id
              FROM prod WHERE prod.product_tmpl_id = gen_product.tmpl_id
            """,
                company=str(self.company.id),
                uid=uid,
                extra_columns=variant_extra[0],
                extra_values=variant_extra[1],
            )
        )
        cr.execute("CREATE INDEX ON gen_product (idx)")
        cr.execute(
            SQL(
                """
            CREATE TEMP TABLE gen_lot ON COMMIT DROP AS
            SELECT p.idx AS product_idx, n AS lot_idx, NULL::integer AS lot_id,
                   p.code || '-L' || n AS name, p.product_id
              FROM gen_product p, generate_series(0, %(lots)s - 1) n
             WHERE p.tracked
            """,
                lots=LOTS_PER_PRODUCT,
            )
        )
        cr.execute(
            SQL(
                """
            WITH lot AS (
                INSERT INTO stock_lot (name, product_id, company_id, create_uid,
                                       write_uid, create_date, write_date)
                SELECT name, product_id, %(company)s, %(uid)s, %(uid)s,
                       now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM gen_lot
                RETURNING id, name
            )
            UPDATE gen_lot SET lot_id = lot.id FROM lot WHERE lot.name = gen_lot.name
            """,
                company=self.company.id,
                uid=uid,
            )
        )
        cr.execute("CREATE INDEX ON gen_lot (product_idx, lot_idx)")
        cr.execute(
            "CREATE TEMP TABLE gen_bin (idx integer PRIMARY KEY, location_id integer)"
            " ON COMMIT DROP"
        )
        cr.execute(
            SQL(
                "INSERT INTO gen_bin SELECT n - 1, id FROM unnest(%s::int[]) "
                "WITH ORDINALITY AS t(id, n)",
                self.bins.ids,
            )
        )
        cr.execute("ANALYZE gen_product; ANALYZE gen_lot; ANALYZE gen_bin")

    # ------------------------------------------------------------------ moves
    def _line_sql(self, first, last):
        """SELECT of lines ``first`` .. ``last`` (0-based, inclusive), one row
        per line with everything a move and its line need.  The arithmetic is
        :meth:`GeneratorSpec.line`."""
        spec = self.spec
        roles = self.roles
        end = fields.Datetime.now() - timedelta(minutes=5)
        start = end - timedelta(days=spec.days)
        step = (end - start).total_seconds() / spec.move_lines
        return SQL(
            """
            WITH l AS (
                SELECT i,
                       (i %% %(keys)s) / %(slots)s AS product_idx,
                       (i %% %(keys)s) %% %(slots)s AS slot,
                       (i / %(keys)s) %% 3 AS phase,
                       (i / %(keys)s) / 3 AS cycle,
                       (i * 2654435761 + %(seed)s) %% 4294967296 AS mix
                  FROM generate_series(%(first)s::bigint, %(last)s::bigint) i
            ), k AS (
                SELECT l.*,
                       CASE WHEN phase = 0 THEN 20 + mix %% 11 ELSE 1 + mix %% 9 END
                           AS qty,
                       CASE
                         WHEN phase = 0 AND product_idx %% 10 = 0 THEN 'production'
                         WHEN phase = 0 AND cycle %% 7 = 3 THEN 'adjustment_in'
                         WHEN phase = 0 AND cycle %% 11 = 5 THEN 'return'
                         WHEN phase = 0 THEN 'receipt'
                         WHEN phase = 2 AND %(slots)s > 1 THEN 'transfer'
                         WHEN product_idx %% 10 = 1 THEN 'consumption'
                         WHEN cycle %% 13 = 4 THEN 'adjustment_out'
                         ELSE 'delivery'
                       END AS kind,
                       (product_idx + slot) %% %(locations)s AS bin_idx,
                       (product_idx + (slot + 1) %% %(slots)s) %% %(locations)s
                           AS next_bin_idx
                  FROM l
            )
            SELECT k.i, k.kind, k.qty, p.product_id, p.cost, lot.lot_id,
                   CASE k.kind
                     WHEN 'receipt' THEN %(supplier)s
                     WHEN 'production' THEN %(production)s
                     WHEN 'adjustment_in' THEN %(inventory)s
                     WHEN 'return' THEN %(customer)s
                     ELSE b.location_id END AS src,
                   CASE k.kind
                     WHEN 'delivery' THEN %(customer)s
                     WHEN 'consumption' THEN %(production)s
                     WHEN 'adjustment_out' THEN %(inventory)s
                     WHEN 'transfer' THEN nb.location_id
                     ELSE b.location_id END AS dst,
                   %(start)s::timestamp + make_interval(secs => k.i * %(step)s)
                       AS date
              FROM k
              JOIN gen_product p ON p.idx = k.product_idx
              JOIN gen_bin b ON b.idx = k.bin_idx
              JOIN gen_bin nb ON nb.idx = k.next_bin_idx
              LEFT JOIN gen_lot lot ON p.tracked AND lot.product_idx = p.idx
                                   AND lot.lot_idx = k.slot %% %(lots)s
            """,
            keys=spec.keys,
            slots=spec.slots,
            seed=spec.seed,
            first=first,
            last=last,
            locations=spec.locations,
            lots=LOTS_PER_PRODUCT,
            supplier=roles["supplier"].id,
            production=roles["production"].id,
            inventory=roles["inventory"].id,
            customer=roles["customer"].id,
            start=start,
            step=step,
        )

    def _write_moves(self):
        cr, spec = self.env.cr, self.spec
        cr.execute("LOCK TABLE stock_move, stock_move_line IN EXCLUSIVE MODE")
        # Every id written comes from existing rows: skip the per-row
        # foreign-key triggers when the role allows it.
        ledger = self.env["inventory.ledger"]
        fk_skipped = ledger._skip_foreign_key_checks()
        cr.execute("SELECT COALESCE(MAX(id), 0) FROM stock_move")
        move_base = cr.fetchone()[0]
        cr.execute("SELECT COALESCE(MAX(id), 0) FROM stock_move_line")
        line_base = cr.fetchone()[0]
        valued_columns = SQL("")
        valued_values = SQL("")
        if self.valued:
            # Bins are internal (valued); the other roles are not.
            valued_columns = SQL(", price_unit, value, is_in, is_out, is_dropship")
            valued_values = SQL(
                """, g.cost,
                   CASE WHEN g.kind IN ('receipt', 'production', 'adjustment_in',
                                        'return', 'delivery', 'consumption',
                                        'adjustment_out')
                        THEN g.qty * g.cost ELSE 0 END,
                   g.kind IN ('receipt', 'production', 'adjustment_in', 'return'),
                   g.kind IN ('delivery', 'consumption', 'adjustment_out'),
                   FALSE"""
            )
        for first in range(0, spec.move_lines, CHUNK):
            last = min(first + CHUNK, spec.move_lines) - 1
            started = time.time()
            cr.execute(
                SQL(
                    """
                CREATE TEMP TABLE gen_line ON COMMIT DROP AS %(lines)s;
                INSERT INTO stock_move
                    (id, company_id, product_id, product_uom, location_id,
                     location_dest_id, location_final_id, state, procure_method,
                     product_uom_qty, product_qty, quantity, picked, date,
                     reference, is_inventory, picking_type_id, warehouse_id,
                     create_uid, write_uid, create_date, write_date
                     %(valued_columns)s)
                SELECT %(move_base)s + g.i + 1, %(company)s, g.product_id, %(uom)s,
                       g.src, g.dst, g.dst, 'done', 'make_to_stock', g.qty, g.qty,
                       g.qty, TRUE, g.date,
                       %(tag)s || '/' || upper(g.kind) || '/' || g.i,
                       g.kind IN ('adjustment_in', 'adjustment_out'),
                       CASE WHEN g.kind IN ('receipt', 'return') THEN %(incoming)s
                            WHEN g.kind = 'delivery' THEN %(outgoing)s
                            WHEN g.kind = 'transfer' THEN %(internal)s END,
                       %(warehouse)s, %(uid)s, %(uid)s, g.date, g.date
                       %(valued_values)s
                  FROM gen_line g;
                INSERT INTO stock_move_line
                    (id, move_id, company_id, product_id, product_uom_id, lot_id,
                     location_id, location_dest_id, state, quantity,
                     quantity_product_uom, picked, date, create_uid, write_uid,
                     create_date, write_date)
                SELECT %(line_base)s + g.i + 1, %(move_base)s + g.i + 1,
                       %(company)s, g.product_id, %(uom)s, g.lot_id, g.src, g.dst,
                       'done', g.qty, g.qty, TRUE, g.date, %(uid)s, %(uid)s,
                       g.date, g.date
                  FROM gen_line g;
                DROP TABLE gen_line;
                """,
                    lines=self._line_sql(first, last),
                    move_base=move_base,
                    line_base=line_base,
                    company=self.company.id,
                    uom=self.uom.id,
                    tag=self.tag,
                    incoming=self.picking_types["incoming"] or None,
                    outgoing=self.picking_types["outgoing"] or None,
                    internal=self.picking_types["internal"] or None,
                    warehouse=self.warehouse.id,
                    uid=self.env.uid,
                    valued_columns=valued_columns,
                    valued_values=valued_values,
                )
            )
            self.progress(
                f"{last + 1:,} / {spec.move_lines:,} move lines "
                f"({time.time() - started:.1f} s for this chunk)"
            )
        if fk_skipped:
            ledger._restore_foreign_key_checks()
        cr.execute(
            "SELECT setval('stock_move_id_seq', (SELECT MAX(id) FROM stock_move))"
        )
        cr.execute(
            "SELECT setval('stock_move_line_id_seq', "
            "(SELECT MAX(id) FROM stock_move_line))"
        )
        self.move_range = (move_base + 1, move_base + spec.move_lines)
        self.line_range = (line_base + 1, line_base + spec.move_lines)

    # ----------------------------------------------------------------- quants
    def _write_quants(self):
        """Write the quants of the generated ledger, per (product, location,
        lot), in every location as Odoo does, then the lots' single location.
        The products are new, so no quant of theirs exists yet."""
        cr = self.env.cr
        first, last = self.line_range
        cr.execute(
            SQL(
                """
            CREATE TEMP TABLE gen_delta ON COMMIT DROP AS
            SELECT product_id, location_id, lot_id, SUM(qty) AS qty,
                   MIN(in_date) AS in_date
              FROM (
                SELECT product_id, location_dest_id AS location_id, lot_id,
                       quantity_product_uom AS qty, date AS in_date
                  FROM stock_move_line WHERE id BETWEEN %(first)s AND %(last)s
                UNION ALL
                SELECT product_id, location_id, lot_id, -quantity_product_uom,
                       NULL
                  FROM stock_move_line WHERE id BETWEEN %(first)s AND %(last)s
              ) d
             GROUP BY product_id, location_id, lot_id;
            INSERT INTO stock_quant
                (product_id, location_id, lot_id, company_id, quantity,
                 reserved_quantity, in_date, create_uid, write_uid, create_date,
                 write_date)
            SELECT d.product_id, d.location_id, d.lot_id, l.company_id, d.qty, 0,
                   COALESCE(d.in_date, now() at time zone 'UTC'), %(uid)s, %(uid)s,
                   now() at time zone 'UTC', now() at time zone 'UTC'
              FROM gen_delta d
              JOIN stock_location l ON l.id = d.location_id
             WHERE d.qty <> 0;
            UPDATE stock_lot lot
               SET location_id = s.location_id
              FROM (
                SELECT gl.lot_id,
                       CASE WHEN COUNT(DISTINCT q.location_id) = 1
                            THEN MIN(q.location_id) END AS location_id
                  FROM gen_lot gl
                  LEFT JOIN stock_quant q ON q.lot_id = gl.lot_id AND q.quantity > 0
                 GROUP BY gl.lot_id
              ) s
             WHERE lot.id = s.lot_id;
            DROP TABLE gen_delta;
            """,
                first=first,
                last=last,
                uid=self.env.uid,
            )
        )

    def run(self):
        """Generate the history; returns a dict of what was written."""
        started = time.time()
        self.env.flush_all()
        self.env.cr.execute(
            "DROP TABLE IF EXISTS gen_product, gen_lot, gen_bin, gen_line, gen_delta"
        )
        self._setup()
        self.progress(f"set-up done ({self.tag})")
        self._create_products()
        self.progress(f"{self.spec.products:,} products created")
        self._write_moves()
        self._write_quants()
        self.progress("quants written")
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        cr = self.env.cr
        cr.execute("SELECT product_id FROM gen_product ORDER BY idx")
        product_ids = [row[0] for row in cr.fetchall()]
        return {
            "tag": self.tag,
            "product_ids": product_ids,
            "bin_ids": self.bins.ids,
            "move_ids": list(self.move_range),
            "move_line_ids": list(self.line_range),
            "seconds": round(time.time() - started, 1),
        }
