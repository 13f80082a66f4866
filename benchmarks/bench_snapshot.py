#!/usr/bin/env python3
"""Snapshots at scale, each against the obvious ORM way, in the same run.

    python3 benchmarks/bench_snapshot.py [--scale 10m] [--database <copy>]

On the generated database of the scale (with inventory_snapshot installed):

1. a snapshot of now (from the quants) vs reading the quants with
   ``search_read`` and summing them per key in Python;
2. a snapshot of a past moment (ledger engine from the nearest checkpoint) vs
   Odoo's native product quantities at that moment (``to_date``);
3. comparing the two snapshots (one SQL statement) vs ``search_read`` of both
   snapshots' lines joined in Python;
4. CSV and XLSX exports of the snapshot of now (streamed, batches; XLSX in
   constant-memory mode) vs Odoo's ``export_data`` of the lines written with
   xlsxwriter in normal mode; the XLSX export runs in a child process whose
   peak memory is measured.

The snapshots are deleted at the end. Figures are printed and appended to
``benchmarks/results.jsonl``.
"""

import argparse
import csv
import datetime
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo  # noqa: E402
from generate import ensure_generated  # noqa: E402
from scales import SCALES  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results.jsonl"


def timed(function):
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def xlsx_child(database, snapshot_id):
    """Run in a child process: export one snapshot to XLSX, print the seconds."""
    with _odoo.environment(database) as env:
        snapshot = env["inventory.snapshot"].browse(snapshot_id)
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
            seconds, _ = timed(
                lambda: env["inventory.snapshot.export"]._write_xlsx(
                    snapshot, handle.name
                )
            )
            size = os.path.getsize(handle.name)
    # This process's own peak: VmHWM of its memory since exec (ru_maxrss is
    # not: Linux carries the parent's peak at fork time across execve).
    with open("/proc/self/status", encoding="ascii") as status:
        peak_kb = next(
            int(line.split()[1]) for line in status if line.startswith("VmHWM:")
        )
    print(json.dumps({"seconds": seconds, "bytes": size, "peak_rss_kb": peak_kb}))


def bench(scale, database=None):
    database = database or ensure_generated(scale)
    with _odoo.environment(database) as env:
        Snapshot = env["inventory.snapshot"]
        env.cr.execute("SELECT MIN(date), MAX(date) FROM stock_move_line")
        first, last = env.cr.fetchone()
        at = first + (last - first) * 3 / 4
        internal = [("location_id.usage", "in", ("internal", "transit"))]
        quant_rows = env["stock.quant"].search_count(internal)

        now_s, now_id = timed(lambda: Snapshot.take_snapshot("Bench now"))
        env.cr.commit()

        def naive_now():
            totals = defaultdict(float)
            for row in env["stock.quant"].search_read(
                internal, ["product_id", "location_id", "lot_id", "quantity"], load=None
            ):
                totals[row["product_id"], row["location_id"], row["lot_id"]] += row[
                    "quantity"
                ]
            return totals

        naive_now_s, totals = timed(naive_now)
        snapshot = Snapshot.browse(now_id)
        assert snapshot.line_count == len([q for q in totals.values() if q])

        past_s, past_id = timed(lambda: Snapshot.take_snapshot("Bench past", moment=at))
        env.cr.commit()

        def native_past():
            env.invalidate_all()
            products = env["product.product"].search([("is_storable", "=", True)])
            return {p.id: p.qty_available for p in products.with_context(to_date=at)}

        native_past_s, native = timed(native_past)
        past = Snapshot.browse(past_id)
        per_product = defaultdict(float)
        for product_id, on_hand, transit in env["inventory.snapshot.line"]._read_group(
            [("snapshot_id", "=", past_id)],
            ["product_id"],
            ["on_hand:sum", "in_transit:sum"],
        ):
            per_product[product_id.id] += on_hand + transit
        assert all(abs(native[p] - per_product.get(p, 0.0)) < 1e-6 for p in native)

        compare_s, comparison = timed(
            lambda: Snapshot.compare_snapshots([past_id, now_id])
        )

        def naive_compare():
            sides = []
            for snapshot_id in (past_id, now_id):
                rows = env["inventory.snapshot.line"].search_read(
                    [("snapshot_id", "=", snapshot_id)],
                    ["product_id", "location_id", "lot_id", "on_hand", "in_transit"],
                    load=None,
                )
                sides.append(
                    {
                        (r["product_id"], r["location_id"], r["lot_id"]): r["on_hand"]
                        + r["in_transit"]
                        for r in rows
                    }
                )
            keys = set(sides[0]) | set(sides[1])
            return {k: (sides[0].get(k, 0.0), sides[1].get(k, 0.0)) for k in keys}

        naive_compare_s, naive_rows = timed(naive_compare)
        assert len(comparison["rows"]) == len(naive_rows)

        # What a user looks at: the first page (80 rows by name) with the
        # totals and counts of every row.
        page_s, page = _odoo.best_of(
            3, lambda: Snapshot.compare_snapshots([past_id, now_id], limit=80)
        )
        assert page["rows"] == comparison["rows"][:80]
        assert page["counts"] == comparison["counts"]
        assert page["row_count"] == len(comparison["rows"])

        exporter = env["inventory.snapshot.export"]

        def csv_export():
            size = 0
            for chunk in exporter._chunks(snapshot, "csv"):
                size += len(chunk)
            return size

        csv_s, csv_bytes = timed(csv_export)
        fields_ = [
            "product_id/id",
            "location_id/id",
            "lot_id/id",
            "on_hand",
            "in_transit",
        ]

        def naive_csv():
            lines = env["inventory.snapshot.line"].search(
                [("snapshot_id", "=", now_id)]
            )
            data = lines.export_data(fields_)["datas"]
            stream = io.StringIO()
            csv.writer(stream).writerows(data)
            return len(stream.getvalue())

        naive_csv_s, _ = timed(naive_csv)
        lines_now, lines_past = snapshot.line_count, past.line_count

    child = subprocess.run(
        [sys.executable, __file__, "--xlsx-child", database, str(now_id)],
        capture_output=True,
        text=True,
        check=True,
    )
    xlsx = json.loads(child.stdout.strip().splitlines()[-1])
    peak_mb = xlsx["peak_rss_kb"] / 1024
    with _odoo.environment(database) as env:
        Snapshot = env["inventory.snapshot"]
        (Snapshot.browse(now_id) | Snapshot.browse(past_id)).unlink()
        env.cr.commit()
    row = {
        "benchmark": "snapshot",
        "date": datetime.date.today().isoformat(),
        "cores": os.cpu_count(),
        "scale": scale,
        "quant_rows": quant_rows,
        "lines_now": lines_now,
        "lines_past": lines_past,
        "take_now_s": round(now_s, 3),
        "naive_read_quants_s": round(naive_now_s, 3),
        "take_past_s": round(past_s, 3),
        "native_past_products_s": round(native_past_s, 3),
        "compare_s": round(compare_s, 3),
        "naive_compare_s": round(naive_compare_s, 3),
        "compare_first_page_s": round(page_s, 3),
        "csv_s": round(csv_s, 3),
        "csv_mb": round(csv_bytes / 2**20, 1),
        "naive_csv_s": round(naive_csv_s, 3),
        "xlsx_s": round(xlsx["seconds"], 3),
        "xlsx_mb": round(xlsx["bytes"] / 2**20, 1),
        "xlsx_child_peak_rss_mb": round(peak_mb, 1),
    }
    print(json.dumps(row, indent=1))
    with RESULTS.open("a") as stream:
        stream.write(json.dumps(row) + "\n")
    return row


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--xlsx-child":
        xlsx_child(argv[1], int(argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="10m", choices=sorted(SCALES))
    parser.add_argument(
        "--database", help="a copy of the scale's generated database to use instead"
    )
    args = parser.parse_args(argv)
    bench(args.scale, args.database)


if __name__ == "__main__":
    main()
