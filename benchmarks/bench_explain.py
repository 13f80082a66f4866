#!/usr/bin/env python3
"""Every figure explains itself (issue 21): the lines behind one figure.

    python3 benchmarks/bench_explain.py --database bench_me_10m [--samples 40]

On your own copy of a generated database (``createdb -T inventory_bench_10m
bench_me_10m``; the addon is updated in it first so that its index on done
lines by product and date exists, and monthly checkpoints are built when it
has none), for ``--samples`` random figures of each kind, at random moments
of the history:

- ``balance``: a product's balance at a moment (all locations; a Stock
  Balance total), opening from the nearest checkpoint;
- ``bin``: a product in one bin at a moment (a Stock Balance row, the bin
  alone);
- ``lot``: a lot at a moment;
- ``flow``: a product's deliveries in the month of the moment (a sheet cell);
- ``period``: a product's lines over the 30 days before the moment (a
  snapshot comparison row);
- ``busiest``: the product with the most lines, at a moment;

it times, in the same run:

1. ``explain(limit=80)``: the first page, the opening, the count and the
   closing (what the RPC answers);
2. the explain list's first page as the web client reads it
   (``web_search_read`` of ``inventory.ledger.explain.report``, 80 rows and
   the count);
3. the baseline: the transactions report filtered by hand on the same
   product (and bin, lot) over the same span (from the opening's moment to
   the figure's), its first page (``web_search_read``, 80 rows, newest first,
   and the count).

Each explain's closing is checked against ``balances_at`` (moments) or
``movements`` (flows).  Median, 95th percentile and worst per kind are printed
and appended to ``benchmarks/results.jsonl``.
"""

import argparse
import contextlib
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results.jsonl"
PAGE = 80
SPEC = {
    "date": {},
    "reference": {},
    "location_id": {"fields": {"display_name": {}}},
    "kind": {},
    "quantity": {},
    "running_balance": {},
}


def month_ends(first, last):
    moment = datetime.datetime(first.year, first.month, 1)
    while True:
        month = moment.month % 12 + 1
        moment = moment.replace(year=moment.year + (moment.month == 12), month=month)
        if moment > last:
            return
        yield moment - datetime.timedelta(seconds=1)


def update_addon(database):
    """The addon's current code and indexes in ``database``."""
    started = time.perf_counter()
    subprocess.run(
        _odoo.odoo_command(
            database, "-u", "inventory_balance", "--stop-after-init", "--log-level=warn"
        ),
        check=True,
    )
    return time.perf_counter() - started


def ensure_checkpoints(env):
    Checkpoint = env["inventory.ledger.checkpoint"]
    env.cr.execute(
        "SELECT MIN(date), MAX(date) FROM stock_move_line WHERE state = 'done'"
    )
    first, last = env.cr.fetchone()
    built = []
    for moment in month_ends(first, last):
        if Checkpoint.search_count([("moment", "=", moment), ("state", "=", "valid")]):
            continue
        started = time.perf_counter()
        Checkpoint.build_checkpoint(moment)
        env.cr.commit()
        built.append(time.perf_counter() - started)
        print(f"  checkpoint {moment} built in {built[-1]:.2f} s", flush=True)
    if built:
        # VACUUM runs outside a transaction: its own connection
        import psycopg2

        with contextlib.closing(psycopg2.connect(dbname=env.cr.dbname)) as conn:
            conn.autocommit = True
            with conn.cursor() as cr:
                cr.execute("VACUUM ANALYZE inventory_ledger_checkpoint_line")
    return Checkpoint.search_count([("state", "=", "valid")]), built


def timed(function):
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def sample_figures(env, samples, rng):
    """``[(kind, kwargs)]``: random figures of each kind."""
    cr = env.cr
    cr.execute("SELECT MIN(date), MAX(date) FROM stock_move_line WHERE state = 'done'")
    first, last = cr.fetchone()
    cr.execute("SELECT MAX(id) FROM stock_move_line")
    max_id = cr.fetchone()[0]

    def moment():
        return first + (last - first) * rng.uniform(0.02, 1.0)

    def random_lines(count, where="TRUE"):
        cr.execute(
            f"""
            SELECT ml.product_id, ml.location_dest_id, ml.lot_id
              FROM stock_move_line ml
              JOIN stock_location l ON l.id = ml.location_dest_id
             WHERE ml.id = ANY(%s) AND ml.state = 'done' AND l.usage = 'internal'
               AND {where}
            """,  # noqa: S608 - constant conditions of this script
            ([rng.randint(1, max_id) for _ in range(count * 20)],),
        )
        return cr.fetchall()[:count]

    figures = []
    for product, location, _lot in random_lines(samples):
        at = moment()
        figures.append(("balance", {"product_id": product, "at": at}))
        figures.append(
            (
                "bin",
                {
                    "product_id": product,
                    "at": moment(),
                    "location_id": location,
                    "with_children": False,
                },
            )
        )
        start = datetime.datetime(at.year, at.month, 1) - datetime.timedelta(seconds=1)
        month_end = (start + datetime.timedelta(days=32)).replace(
            day=1
        ) - datetime.timedelta(seconds=1)
        figures.append(
            (
                "flow",
                {
                    "product_id": product,
                    "date_from": start,
                    "date_to": min(month_end, last),
                    "kinds": ["delivery"],
                },
            )
        )
        figures.append(
            (
                "period",
                {
                    "product_id": product,
                    "date_from": at - datetime.timedelta(days=30),
                    "date_to": at,
                },
            )
        )
    for product, _location, lot in random_lines(samples, "ml.lot_id IS NOT NULL"):
        figures.append(("lot", {"product_id": product, "at": moment(), "lot_id": lot}))
    cr.execute(
        """
        SELECT product_id FROM stock_move_line WHERE state = 'done'
         GROUP BY product_id ORDER BY COUNT(*) DESC LIMIT 1
        """
    )
    busiest = cr.fetchone()[0]
    for _ in range(max(3, samples // 4)):
        figures.append(("busiest", {"product_id": busiest, "at": moment()}))
    return figures, (first, last), busiest


def expected_figure(env, kind, kwargs):
    Ledger = env["inventory.ledger"]
    if kind == "flow":
        rows = Ledger.movements(
            date_from=kwargs["date_from"],
            date_to=kwargs["date_to"],
            group_by=["product", "kind"],
            product_ids=[kwargs["product_id"]],
        )
        return sum(r["quantity"] for r in rows if r["kind"] == "delivery")
    at = kwargs.get("at") or kwargs["date_to"]
    rows = Ledger.balances_at(
        at,
        group_by=["product", "location", "lot"],
        product_ids=[kwargs["product_id"]],
    )
    total = 0.0
    for row in rows:
        if kwargs.get("location_id") and row["location_id"] != kwargs["location_id"]:
            continue
        if kwargs.get("lot_id") and row["lot_id"] != kwargs["lot_id"]:
            continue
        total += row["quantity"]
    return total


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="your own copy")
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--no-update", action="store_true")
    parser.add_argument(
        "--baseline-samples",
        type=int,
        default=3,
        help="figures per kind also opened by hand (the baseline takes seconds)",
    )
    parser.add_argument("--note", default="")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    update_s = None if args.no_update else update_addon(args.database)
    with _odoo.environment(args.database) as env:
        count, built = ensure_checkpoints(env)
        env.cr.execute("SELECT COUNT(*) FROM stock_move_line WHERE state = 'done'")
        lines = env.cr.fetchone()[0]
        env.cr.commit()
        figures, (first, last), busiest = sample_figures(env, args.samples, rng)
        Explain = env["inventory.ledger.explain"]
        Report = env["inventory.ledger.explain.report"]
        Transactions = env["inventory.transaction.report"]
        times = {}
        wrong = []
        for kind, kwargs in figures:
            request = {
                k: (
                    v.strftime("%Y-%m-%d %H:%M:%S")
                    if isinstance(v, datetime.datetime)
                    else v
                )
                for k, v in kwargs.items()
            }
            env.invalidate_all()
            explain_s, answer = timed(
                lambda request=request: Explain.explain(limit=PAGE, **request)
            )
            action = Explain._explain_action("bench", **request)
            env.invalidate_all()
            list_s, page = timed(
                lambda action=action: Report.with_context(
                    **action["context"]
                ).web_search_read([], SPEC, limit=PAGE, count_limit=10001)
            )
            figure = expected_figure(env, kind, kwargs)
            if (
                abs(figure - answer["closing"]) > 1e-6
                or page["length"] != answer["count"] + 1
            ):
                wrong.append((kind, request, figure, answer["closing"]))
            entry = times.setdefault(
                kind, {"explain": [], "list": [], "baseline": [], "lines": []}
            )
            entry["explain"].append(explain_s)
            entry["list"].append(list_s)
            entry["lines"].append(answer["count"])
            if len(entry["baseline"]) >= args.baseline_samples:
                print(
                    f"  {kind:8} lines {answer['count']:6}  explain {explain_s:.3f} s  "
                    f"list {list_s:.3f} s",
                    flush=True,
                )
                continue
            # The same lines by hand: the transactions report over the same
            # span (from the opening's moment), filtered on the product (and
            # bin, lot), its first page newest first.
            date_from = answer["opening"]["date"] or answer["date_from"]
            date_to = answer["date_to"]
            if not date_from:
                date_from = first.strftime("%Y-%m-%d %H:%M:%S")
            start = datetime.datetime.strptime(date_from, "%Y-%m-%d %H:%M:%S")
            stop = datetime.datetime.strptime(date_to, "%Y-%m-%d %H:%M:%S")
            if (stop - start).days > 366:
                start = stop - datetime.timedelta(days=366)
            domain = [("product_id", "=", kwargs["product_id"])]
            if kwargs.get("location_id"):
                domain.append(("location_id", "=", kwargs["location_id"]))
            if kwargs.get("lot_id"):
                domain.append(("lot_id", "=", kwargs["lot_id"]))
            if kwargs.get("kinds"):
                domain.append(("kind", "in", kwargs["kinds"]))
            context = {
                "inventory_date_from": start.strftime("%Y-%m-%d %H:%M:%S"),
                "inventory_date_to": date_to,
            }
            env.invalidate_all()
            baseline_s, _rows = timed(
                lambda domain=domain, context=context: Transactions.with_context(
                    **context
                ).web_search_read(
                    domain,
                    {k: v for k, v in SPEC.items() if k != "location_id"},
                    limit=PAGE,
                    count_limit=10001,
                )
            )
            entry["baseline"].append(baseline_s)
            env.cr.rollback()
            print(
                f"  {kind:8} lines {answer['count']:6}  explain {explain_s:.3f} s  "
                f"list {list_s:.3f} s  by hand {baseline_s:.3f} s",
                flush=True,
            )
        summary = {}
        for kind, entry in times.items():
            summary[kind] = {
                "n": len(entry["explain"]),
                "lines_median": statistics.median(entry["lines"]),
                "lines_max": max(entry["lines"]),
                **{
                    f"{what}_{stat}": round(function(entry[what]), 4)
                    for what in ("explain", "list", "baseline")
                    if entry[what]
                    for stat, function in (
                        ("median", statistics.median),
                        ("p95", lambda v: percentile(v, 0.95)),
                        ("max", max),
                    )
                },
            }
        row = {
            "benchmark": "explain",
            "date": datetime.date.today().isoformat(),
            "cores": os.cpu_count(),
            "database": args.database,
            "move_lines": lines,
            "checkpoints": count,
            "checkpoints_built_s": round(sum(built), 1) if built else 0,
            "update_s": round(update_s, 1) if update_s else None,
            "busiest_product": busiest,
            "history": [str(first), str(last)],
            "wrong": len(wrong),
            "summary": summary,
            "note": args.note,
        }
        print(json.dumps(row, indent=1))
        for item in wrong[:10]:
            print("WRONG", item)
        with RESULTS.open("a") as handle:
            handle.write(json.dumps(row) + "\n")
        return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
