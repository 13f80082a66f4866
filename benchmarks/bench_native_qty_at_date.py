#!/usr/bin/env python3
"""Baseline: Odoo's native quantity at a past date for all products.

    python3 benchmarks/bench_native_qty_at_date.py --scale 100k [--scale 1m]

For each scale, uses (or creates and fills with the generator) the database
``inventory_bench_<scale>``, then times in the same run:

* native: ``product.product`` with ``to_date`` in the context, ``qty_available``
  of every storable product (Odoo's ``_compute_quantities_dict``: today's quants
  minus the moves done after the date);
* ledger: one SQL statement summing the done move lines up to the date into and
  out of internal locations, per product (the full-history path of the ledger
  engine, without checkpoints).

Both must agree for every product; the times and the ratio are printed, and a
row is appended to ``benchmarks/results.jsonl``.
"""

import argparse
import datetime
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo  # noqa: E402
from generate import ensure_generated  # noqa: E402
from scales import SCALES  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results.jsonl"

LEDGER_SQL = """
    SELECT product_id, SUM(qty) FROM (
        SELECT ml.product_id, ml.quantity_product_uom AS qty
          FROM stock_move_line ml
          JOIN stock_location l ON l.id = ml.location_dest_id
         WHERE ml.state = 'done' AND ml.date <= %(at)s AND l.usage = 'internal'
           AND ml.company_id = %(company)s
        UNION ALL
        SELECT ml.product_id, -ml.quantity_product_uom
          FROM stock_move_line ml
          JOIN stock_location l ON l.id = ml.location_id
         WHERE ml.state = 'done' AND ml.date <= %(at)s AND l.usage = 'internal'
           AND ml.company_id = %(company)s
    ) d GROUP BY product_id
"""


def bench(scale, runs):
    database = ensure_generated(scale)
    with _odoo.environment(database) as env:
        env.cr.execute("SELECT COUNT(*) FROM stock_move_line WHERE state = 'done'")
        lines = env.cr.fetchone()[0]
        env.cr.execute("SELECT MIN(date), MAX(date) FROM stock_move_line")
        first, last = env.cr.fetchone()
        at = first + (last - first) * 3 / 4  # a past date, a quarter back
        products = env["product.product"].search([("is_storable", "=", True)])
        company = env.company

        def native():
            env.invalidate_all()
            records = products.with_context(to_date=at)
            return {p.id: p.qty_available for p in records}

        def ledger():
            env.cr.execute(
                LEDGER_SQL.replace("%(at)s", "%s").replace("%(company)s", "%s"),
                (at, company.id, at, company.id),
            )
            return {product_id: float(qty) for product_id, qty in env.cr.fetchall()}

        native_time, native_result = _odoo.best_of(runs, native)
        ledger_time, ledger_result = _odoo.best_of(runs, ledger)
        disagreements = [
            product_id
            for product_id in native_result
            if abs(native_result[product_id] - ledger_result.get(product_id, 0.0))
            > 1e-6
        ]
        if disagreements:
            raise SystemExit(
                f"error: native and ledger disagree for {len(disagreements)} "
                f"products, e.g. {disagreements[:5]}"
            )
        row = {
            "benchmark": "native_qty_at_date",
            "date": datetime.date.today().isoformat(),
            "cores": os.cpu_count(),
            "scale": scale,
            "move_lines": lines,
            "products": len(products),
            "at": str(at),
            "native_s": round(native_time, 3),
            "ledger_sql_s": round(ledger_time, 3),
            "ratio_native_over_ledger": round(native_time / ledger_time, 2),
            "agree": True,
        }
        print(
            f"{scale:>5}: {lines:,} move lines, {len(products):,} products, at {at}: "
            f"native {native_time:.3f} s, ledger SQL {ledger_time:.3f} s, "
            f"ratio {native_time / ledger_time:.1f}x, all products agree"
        )
        with RESULTS.open("a") as stream:
            stream.write(json.dumps(row) + "\n")
        return row


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", action="append", choices=sorted(SCALES))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    for scale in args.scale or ["100k", "1m"]:
        bench(scale, args.runs)


if __name__ == "__main__":
    main()
