# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Put a share of a generated stock history into packages (units), for the
lot balances benchmark (``benchmarks/bench_lot_balances.py``).

Set-based SQL on a database filled by :class:`StockHistoryGenerator`, in the
caller's transaction, before any checkpoint is built (a checkpoint built
before would miss the packages).  A deterministic share of the lot-tracked
(product, lot, internal location) keys gets one package each: every done line
into that key gets it as ``result_package_id``, every done line out of it as
``package_id``, and the key's quants carry it, so that the ledger, the quants
and the engine still agree per (product, location, lot, package).  The
lot-tracked products get a packaging (``uom_ids``) of ``standard_count``
units, so that the report's standard counts and odd units are computed.
"""

from odoo.tools import SQL

BENCH_PREFIX = "BENCH-UNIT-"


def packed_keys_sql(key_share):
    """The (product, lot, location) keys to pack: lot-tracked balances in
    internal locations, a deterministic ``key_share`` of them."""
    threshold = int(round(key_share * 10000))
    return SQL(
        """
        SELECT DISTINCT q.product_id, q.lot_id, q.location_id, q.company_id
          FROM stock_quant q
          JOIN stock_location loc ON loc.id = q.location_id
         WHERE q.lot_id IS NOT NULL AND loc.usage = 'internal'
           AND abs(hashtext(q.product_id || '-' || q.lot_id || '-' || q.location_id))
               %% 10000 < %s
        """,
        threshold,
    )


def pack_lot_balances(env, key_share=0.15, standard_count=96):
    """Pack ``key_share`` of the lot-tracked keys (see the module); returns a
    dict with the number of ``packages``, of ``lines`` changed and the
    ``stock_share`` now in packages (of the internal on-hand quantity)."""
    cr = env.cr
    env.flush_all()
    cr.execute(
        SQL(
            "SELECT COUNT(*) FROM stock_package WHERE name LIKE %s",
            BENCH_PREFIX + "%",
        )
    )
    if cr.fetchone()[0]:
        raise ValueError("this database already has its benchmark packages")
    cr.execute(
        SQL(
            """
            CREATE TEMPORARY TABLE bench_unit_keys ON COMMIT DROP AS
            SELECT k.*, nextval('stock_package_id_seq')::int AS package_id
              FROM (%s) k
            """,
            packed_keys_sql(key_share),
        )
    )
    cr.execute(
        SQL(
            """
            INSERT INTO stock_package (id, name, complete_name, parent_path,
                                       company_id, location_id, pack_date,
                                       create_uid, write_uid, create_date, write_date)
            SELECT package_id, %(prefix)s || package_id, %(prefix)s || package_id,
                   package_id || '/', company_id, location_id, CURRENT_DATE,
                   %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM bench_unit_keys
            """,
            prefix=BENCH_PREFIX,
            uid=env.uid,
        )
    )
    packages = cr.rowcount
    cr.execute("CREATE INDEX ON bench_unit_keys (product_id, lot_id, location_id)")
    cr.execute("ANALYZE bench_unit_keys")
    cr.execute(
        """
        UPDATE stock_move_line ml SET result_package_id = k.package_id
          FROM bench_unit_keys k
         WHERE ml.product_id = k.product_id AND ml.lot_id = k.lot_id
           AND ml.location_dest_id = k.location_id
        """
    )
    lines = cr.rowcount
    cr.execute(
        """
        UPDATE stock_move_line ml SET package_id = k.package_id
          FROM bench_unit_keys k
         WHERE ml.product_id = k.product_id AND ml.lot_id = k.lot_id
           AND ml.location_id = k.location_id
        """
    )
    lines += cr.rowcount
    cr.execute(
        """
        UPDATE stock_quant q SET package_id = k.package_id
          FROM bench_unit_keys k
         WHERE q.product_id = k.product_id AND q.lot_id = k.lot_id
           AND q.location_id = k.location_id
        """
    )
    # A packaging of ``standard_count`` units for the lot-tracked products.
    unit = env.ref("uom.product_uom_unit")
    packaging = env["uom.uom"].create(
        {
            "name": f"Bench unit ({standard_count})",
            "relative_factor": standard_count,
            "relative_uom_id": unit.id,
        }
    )
    env.flush_all()
    field = env["product.template"]._fields["uom_ids"]
    cr.execute(
        SQL(
            """
            INSERT INTO %(relation)s (%(tmpl)s, %(uom)s)
            SELECT pt.id, %(packaging)s FROM product_template pt
             WHERE pt.tracking = 'lot'
            ON CONFLICT DO NOTHING
            """,
            relation=SQL.identifier(field.relation),
            tmpl=SQL.identifier(field.column1),
            uom=SQL.identifier(field.column2),
            packaging=packaging.id,
        )
    )
    cr.execute(
        """
        SELECT COALESCE(SUM(q.quantity) FILTER (WHERE q.package_id IS NOT NULL), 0)
               / NULLIF(SUM(q.quantity), 0)
          FROM stock_quant q JOIN stock_location loc ON loc.id = q.location_id
         WHERE loc.usage = 'internal'
        """
    )
    share = cr.fetchone()[0] or 0.0
    env.invalidate_all()
    return {"packages": packages, "lines": lines, "stock_share": float(share)}
