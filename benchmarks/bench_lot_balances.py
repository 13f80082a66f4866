#!/usr/bin/env python3
"""Lot balances with units against the plain ledger SQL, on generated history.

    python3 benchmarks/generate.py -d inventory_bench_lot_1m --scale 1m
    python3 benchmarks/bench_lot_balances.py --database inventory_bench_lot_1m

The database (generated, never used for another benchmark: it is changed) gets
a share of its lot-tracked balances put into packages once
(``inventory_balance/tools/lot_unit_generator.py``, about 3 % of the stock with
the scales' 20 % lot-tracked products), then the monthly checkpoints.  At a
moment a quarter of the history back, in the same run:

1. the plain ledger SQL: one sum of the done lines up to the moment per
   product, location, lot and package (both sides, internal and transit);
2. the engine's balances by package (``balances_at``, from the nearest
   checkpoint);
3. the full lot balances (``lot_balances``: the rows, grouped into lot lines
   and summary rows in Python);
4. the Lot Balances screen's first page, grouped by product (80 groups).

Product totals of 1 and 3 must agree; times (best of ``--runs``) are printed
and appended to ``benchmarks/results.jsonl``.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo  # noqa: E402
from bench_ledger_engine import ensure_checkpoints  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results.jsonl"


def ensure_packed(env):
    from odoo.addons.inventory_balance.tools.lot_unit_generator import (
        BENCH_PREFIX,
        pack_lot_balances,
    )

    env.cr.execute(
        "SELECT COUNT(*) FROM stock_package WHERE name LIKE %s", [BENCH_PREFIX + "%"]
    )
    if env.cr.fetchone()[0]:
        return None
    env.cr.execute(
        "SELECT COUNT(*) FROM inventory_ledger_checkpoint WHERE state = 'valid'"
    )
    if env.cr.fetchone()[0]:
        raise SystemExit(
            "error: this database has checkpoints built before its packages: "
            "use a freshly generated one"
        )
    packed = pack_lot_balances(env)
    env.cr.commit()
    print(
        f"  packed: {packed['packages']:,} packages, {packed['lines']:,} line "
        f"sides, {packed['stock_share']:.1%} of the internal stock",
        flush=True,
    )
    return packed


def bench(database, runs):
    with _odoo.environment(database) as env:
        packed = ensure_packed(env)
        env.cr.execute("ANALYZE")
        count, last_build = ensure_checkpoints(env)
        # What autovacuum does within a minute of a checkpoint (see the
        # checkpoint rows' settings): the engine then reads them index-only.
        # Committed first: the ANALYZE above locks the tables until then.
        env.cr.commit()
        subprocess.run(
            [
                "psql",
                "-q",
                "-d",
                database,
                "-c",
                "VACUUM ANALYZE inventory_ledger_checkpoint_line",
            ],
            check=True,
        )
        env.cr.execute("SELECT COUNT(*) FROM stock_move_line WHERE state = 'done'")
        lines = env.cr.fetchone()[0]
        env.cr.execute("SELECT MIN(date), MAX(date) FROM stock_move_line")
        first, last = env.cr.fetchone()
        at = (first + (last - first) * 3 / 4).replace(microsecond=0)
        at_text = str(at)
        Ledger = env["inventory.ledger"]
        Report = env["inventory.lot.balance.report"]
        env.cr.execute("SELECT COUNT(*) FROM stock_package")
        packages = env.cr.fetchone()[0]
        row = {
            "benchmark": "lot_balances",
            "date": datetime.date.today().isoformat(),
            "cores": os.cpu_count(),
            "database": database,
            "move_lines": lines,
            "packages": packages,
            "at": at_text,
            "checkpoints": count,
        }
        if packed:
            row["stock_share_packed"] = round(packed["stock_share"], 4)

        def plain_sql():
            env.cr.execute(
                """
                WITH scope AS (
                    SELECT id FROM stock_location
                     WHERE usage IN ('internal', 'transit')
                ), sides AS (
                    SELECT product_id, location_dest_id AS location_id, lot_id,
                           result_package_id AS package_id,
                           quantity_product_uom AS quantity
                      FROM stock_move_line
                     WHERE state = 'done' AND date <= %(at)s
                       AND location_dest_id IN (SELECT id FROM scope)
                    UNION ALL
                    SELECT product_id, location_id, lot_id, package_id,
                           -quantity_product_uom
                      FROM stock_move_line
                     WHERE state = 'done' AND date <= %(at)s
                       AND location_id IN (SELECT id FROM scope)
                )
                SELECT product_id, location_id, lot_id, package_id, SUM(quantity)
                  FROM sides GROUP BY 1, 2, 3, 4
                HAVING ABS(SUM(quantity)) > 1e-9
                """,
                {"at": at},
            )
            return env.cr.fetchall()

        def engine():
            return Ledger.balances_at(
                at, group_by=["product", "location", "lot", "package"]
            )

        def lot_balances():
            return Report.lot_balances(at_text)

        def first_page():
            report = Report.with_context(inventory_at=at_text)
            report.invalidate_model()
            return report.web_read_group(
                [], ["product_id"], ["units:sum", "quantity:sum"], limit=80
            )

        plain_s, plain_rows = _odoo.best_of(runs, plain_sql)
        engine_s, engine_rows = _odoo.best_of(runs, engine)
        lots_s, result = _odoo.best_of(runs, lot_balances)
        page_s, page = _odoo.best_of(runs, first_page)

        expected = defaultdict(float)
        for product_id, _loc, _lot, _pkg, quantity in plain_rows:
            expected[product_id] += float(quantity)
        found = defaultdict(float)
        for line in result["summary"]:
            found[line["product_id"]] += line["quantity"]
        bad = [
            p for p in set(expected) | set(found) if abs(expected[p] - found[p]) > 1e-6
        ]
        if bad:
            raise SystemExit(f"error: plain SQL and lot balances disagree on {bad[:5]}")
        if len(engine_rows) != len(plain_rows):
            raise SystemExit("error: the engine and the plain SQL disagree")
        row.update(
            balances=len(plain_rows),
            lot_lines=len(result["lots"]),
            summary_rows=len(result["summary"]),
            units=sum(line["units"] for line in result["summary"]),
            plain_sql_s=round(plain_s, 3),
            engine_by_package_s=round(engine_s, 3),
            lot_balances_s=round(lots_s, 3),
            first_page_s=round(page_s, 3),
            report_groups=page["length"],
            last_checkpoint_build_s=round(last_build, 3) if last_build else None,
        )
        print(
            f"{database}: {lines:,} lines, {packages:,} packages, "
            f"{row['balances']:,} balances at {at_text}\n"
            f"       plain ledger SQL {plain_s:.3f} s; engine by package "
            f"{engine_s:.3f} s; lot balances (full, {row['lot_lines']:,} lot lines, "
            f"{row['summary_rows']:,} summary rows, {row['units']:,} units) "
            f"{lots_s:.3f} s; first page grouped by product {page_s:.3f} s; "
            f"product totals identical",
            flush=True,
        )
        with RESULTS.open("a") as stream:
            stream.write(json.dumps(row) + "\n")
        return row


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    bench(args.database, args.runs)


if __name__ == "__main__":
    main()
