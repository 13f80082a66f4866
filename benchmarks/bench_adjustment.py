#!/usr/bin/env python3
"""Inventory adjustments at scale, against Odoo's own quant "Apply".

    python3 benchmarks/bench_adjustment.py [--scale 1m] [--lines 5000]

On the generated database of the scale, in one transaction rolled back at the
end (the database is left as it was):

1. load every stock-kept product (10k at scale 1m) into a draft adjustment;
2. confirm an adjustment of ``--lines`` changes (+1 each on distinct balances)
   vs Odoo's own inventory mode on ``--lines`` other quants (inventory quantity
   = quantity + 1, then ``action_apply_inventory``): both create and validate
   the same kind of inventory moves.

Times, the ratio (ours / Odoo's) and the checks are printed and appended to
``benchmarks/results.jsonl``.
"""

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo  # noqa: E402
from generate import ensure_generated  # noqa: E402
from scales import SCALES  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results.jsonl"


def bench(scale, count):
    database = ensure_generated(scale)
    with _odoo.environment(database) as env:
        try:
            reason = env.ref("inventory_balance.inventory_adjustment_reason_count")
            Adjustment = env["inventory.adjustment"]
            products = env["product.product"].search_count([("is_storable", "=", True)])
            # Loading three times into new drafts: the first one reads from
            # the disk what the next ones find in the caches.
            load_times = []
            for _run in range(3):
                loading = Adjustment.create(
                    {"name": "Bench load", "reason_id": reason.id}
                )
                env.flush_all()
                started = time.perf_counter()
                loading.action_load_products()
                load_times.append(time.perf_counter() - started)
                loaded = len(loading.line_ids)
            load_s, load_first_s = min(load_times), load_times[0]

            quants = env["stock.quant"].search(
                [("location_id.usage", "=", "internal"), ("quantity", ">", 0)],
                order="id",
                limit=2 * count,
            )
            # Interleaved, so both sides get the same mix of products (cost
            # methods, tracking) and locations.
            ours, theirs = quants[0::2], quants[1::2]
            adjustment = Adjustment.create(
                {
                    "name": "Bench confirm",
                    "reason_id": reason.id,
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "product_id": q.product_id.id,
                                "location_id": q.location_id.id,
                                "lot_id": q.lot_id.id,
                                "balance": q.quantity,
                                "change": 1,
                            },
                        )
                        for q in ours
                    ],
                }
            )
            # Odoo's Apply first, then ours: a run where ours went first
            # measured it on colder caches (see benchmarks/README.md).
            for quant in theirs:
                quant.with_context(inventory_mode=True).inventory_quantity = (
                    quant.quantity + 1
                )
            env.flush_all()
            env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM stock_move")
            before_apply = env.cr.fetchone()[0]
            started = time.perf_counter()
            theirs.action_apply_inventory()
            env.flush_all()
            theirs_s = time.perf_counter() - started
            started = time.perf_counter()
            adjustment.action_confirm()
            env.flush_all()
            ours_s = time.perf_counter() - started
            assert len(adjustment.move_ids) == count
            env.cr.execute(
                "SELECT COUNT(*) FROM stock_move WHERE is_inventory AND id > %s "
                "AND inventory_adjustment_id IS NULL",
                [before_apply],
            )
            assert env.cr.fetchone()[0] == count
        finally:
            env.cr.rollback()
    row = {
        "benchmark": "adjustment",
        "date": datetime.date.today().isoformat(),
        "cores": os.cpu_count(),
        "scale": scale,
        "products": products,
        "load_lines": loaded,
        "load_s": round(load_s, 3),
        "load_first_s": round(load_first_s, 3),
        "confirm_lines": count,
        "confirm_s": round(ours_s, 3),
        "odoo_apply_s": round(theirs_s, 3),
        "ratio_ours_over_odoo": round(ours_s / theirs_s, 2),
    }
    print(
        f"{scale}: load {products:,} products ({loaded:,} lines) in {load_s:.3f} s "
        f"(best of 3; first {load_first_s:.3f} s); "
        f"confirm {count:,} lines {ours_s:.2f} s vs Odoo apply {theirs_s:.2f} s, "
        f"ratio {ours_s / theirs_s:.2f}"
    )
    with RESULTS.open("a") as stream:
        stream.write(json.dumps(row) + "\n")
    return row


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="1m", choices=sorted(SCALES))
    parser.add_argument("--lines", type=int, default=5000)
    args = parser.parse_args(argv)
    bench(args.scale, args.lines)


if __name__ == "__main__":
    main()
