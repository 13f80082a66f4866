#!/usr/bin/env python3
"""Aged inventory of every product at a date, against the obvious ORM way.

    python3 benchmarks/bench_ageing.py --scale 1m [--scale 10m]
    python3 benchmarks/bench_ageing.py --database <copy of a generated database>

Needs ``inventory_period_end`` installed on the database.  At a moment a
quarter of the history back and at now:

1. ``inventory.ageing.ageing_at`` of every product (one statement: on hand
   from the ledger engine, FIFO layers of the incoming lines, buckets);
2. the obvious ORM way: on hand per product, warehouse and lot from
   ``inventory.ledger.balances_at``, the incoming move lines read with
   ``search_read`` and the FIFO split of ``tools/ageing_rules.py`` in Python,
   balance by balance;

both must give the same buckets.  Times (best of ``--runs`` for ours, one run of
the ORM way) and ratios are printed and appended to ``benchmarks/results.jsonl``.
"""

import argparse
import datetime
import importlib.util
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo  # noqa: E402
from generate import ensure_generated  # noqa: E402
from scales import SCALES  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results.jsonl"
_RULES = Path(__file__).resolve().parent.parent / (
    "inventory_period_end/tools/ageing_rules.py"
)


def load_rules():
    spec = importlib.util.spec_from_file_location("ageing_rules", _RULES)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def orm_ageing(env, at, rules, buckets):
    """The obvious way: balances, the incoming lines through the ORM, and the
    FIFO split in Python per balance."""
    locations = env["stock.location"].search_read(
        [("usage", "=", "internal"), ("company_id", "=", env.company.id)],
        ["warehouse_id"],
        load=None,
    )
    warehouse_of = {loc["id"]: loc["warehouse_id"] or False for loc in locations}
    on_hand = defaultdict(float)
    for row in env["inventory.ledger"].balances_at(at):
        if row["location_id"] in warehouse_of:
            key = (row["product_id"], warehouse_of[row["location_id"]], row["lot_id"])
            on_hand[key] += row["quantity"]
    incomings = defaultdict(list)
    lines = env["stock.move.line"].search_read(
        [
            ("state", "=", "done"),
            ("date", "<=", at),
            ("location_dest_id", "in", list(warehouse_of)),
        ],
        [
            "product_id",
            "lot_id",
            "location_id",
            "location_dest_id",
            "date",
            "quantity_product_uom",
        ],
        load=None,
        order="date, id",
    )
    for line in lines:
        warehouse = warehouse_of[line["location_dest_id"]]
        source = warehouse_of.get(line["location_id"], None)
        if source is not None and source == warehouse:
            continue  # moved inside the warehouse: keeps its date
        key = (line["product_id"], warehouse, line["lot_id"] or False)
        incomings[key].append((line["date"].date(), line["quantity_product_uom"]))
    return {
        key: [
            round(q, 6) for q in rules.ageing(qty, incomings[key], at.date(), buckets)
        ]
        for key, qty in on_hand.items()
        if abs(qty) > 1e-9
    }


def bench(database, label, runs):
    rules = load_rules()
    rows_out = []
    with _odoo.environment(database) as env:
        if "inventory.ageing" not in env:
            raise SystemExit(
                f"error: install inventory_period_end on {database} first "
                f"(python3 -m odoo -d {database} -i inventory_period_end "
                "--stop-after-init)"
            )
        env.cr.execute("ANALYZE")
        env.cr.execute("SELECT COUNT(*) FROM stock_move_line WHERE state = 'done'")
        lines = env.cr.fetchone()[0]
        env.cr.execute("SELECT MIN(date), MAX(date) FROM stock_move_line")
        first, last = env.cr.fetchone()
        Ageing = env["inventory.ageing"]
        buckets = env["inventory.ageing.bucket"]._buckets()
        for name, at in (
            ("past", (first + (last - first) * 3 / 4).replace(microsecond=0)),
            ("now", None),
        ):
            seconds, result = _odoo.best_of(runs, lambda at=at: Ageing.ageing_at(at))
            moment = datetime.datetime.fromisoformat(result["at"])
            ours = {
                (r["product_id"], r["warehouse_id"], r["lot_id"]): r["quantities"]
                for r in result["rows"]
            }
            started = time.perf_counter()
            naive = orm_ageing(env, moment, rules, buckets)
            naive_s = time.perf_counter() - started
            bad = [
                key
                for key in set(ours) | set(naive)
                if any(
                    abs(a - b) > 1e-6
                    for a, b in zip(
                        ours.get(key, [0.0] * len(buckets)),
                        naive.get(key, [0.0] * len(buckets)),
                        strict=True,
                    )
                )
            ]
            if bad:
                raise SystemExit(
                    f"error: ageing and the ORM way disagree on {len(bad)} balances, "
                    f"e.g. {bad[0]}: {ours.get(bad[0])} vs {naive.get(bad[0])}"
                )
            totals = [
                round(sum(q[i] for q in ours.values()), 3) for i in range(len(buckets))
            ]
            row = {
                "benchmark": "ageing",
                "date": datetime.date.today().isoformat(),
                "cores": os.cpu_count(),
                "database": label,
                "move_lines": lines,
                "at": result["at"],
                "moment": name,
                "balances": len(ours),
                "ageing_s": round(seconds, 3),
                "orm_way_s": round(naive_s, 3),
                "ratio": round(naive_s / seconds, 1),
                "bucket_totals": totals,
            }
            print(
                f"{label}: {lines:,} lines, ageing at {result['at']} ({name}): "
                f"{len(ours):,} balances in {seconds:.3f} s; the ORM way "
                f"{naive_s:.3f} s, ratio {naive_s / seconds:.1f}x, identical; "
                f"totals per bucket {totals}",
                flush=True,
            )
            rows_out.append(row)
        env.cr.rollback()
    with RESULTS.open("a") as stream:
        for row in rows_out:
            stream.write(json.dumps(row) + "\n")
    return rows_out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", action="append", choices=sorted(SCALES))
    parser.add_argument("--database", action="append")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    for database in args.database or []:
        bench(database, database, args.runs)
    for scale in args.scale or ([] if args.database else ["1m"]):
        bench(ensure_generated(scale), scale, args.runs)


if __name__ == "__main__":
    main()
