#!/usr/bin/env python3
"""The ledger engine against Odoo's native quantities, on generated history.

    python3 benchmarks/bench_ledger_engine.py --scale 100k --scale 1m [--scale 10m]

For each scale (database ``inventory_bench_<scale>``, generated when missing),
monthly checkpoints are built as the scheduled action would (timed), then, at a
past moment a quarter of the history back, in the same run:

1. product totals: Odoo native (``to_date`` in the context) vs the engine
   (``balances_at(group_by=["product"])``, auto method: nearest checkpoint);
2. every product x location x lot balance: the engine from its checkpoint, from
   the whole ledger, and from today's quants rolled back;
3. the stock-balance report's first page grouped by product (``web_read_group``,
   80 groups) as of that moment.

All answers must agree; times (best of ``--runs``) and ratios are printed and
appended to ``benchmarks/results.jsonl``.

    python3 benchmarks/bench_ledger_engine.py --history --scale 1m

The checkpoints that look after themselves (issue 17), on a copy of the
scale's database (``inventory_bench_<scale>_history``, made when missing)
with its checkpoints deleted, as right after the install: all balances
(``balances_at(compact=True)``, auto path) at every month end of the history
and at 20 random moments, median and worst, checked against the whole-ledger
path at each moment (timed too) and Odoo's native product totals at a sample
of moments; then the same while the history is being built (its older half
built by the scheduled build's core), once it is built, after a back-dated
adjustment 15 months back (before and after the daily job); the history
build's total time and the daily job's time.  Per state: the paths taken, the
time choosing the path took (the estimate's own cost), how many moments were
slower than the whole-ledger path and by how much at worst; once built, the
engine's statement alone too (into a temporary table, no row sent to Python).

    python3 benchmarks/bench_ledger_engine.py --history --scale 10m \
        --database bench_me_10m --in-place --runs 1 --native-moments 2

``--in-place`` works in the given database (your own copy: its checkpoints are
deleted and rebuilt, a back-dated line is added) instead of copying it first.
"""

import argparse
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
from generate import ensure_generated  # noqa: E402
from scales import SCALES  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results.jsonl"


def month_starts(first, last):
    moment = datetime.datetime(first.year, first.month, 1)
    while True:
        month = moment.month % 12 + 1
        moment = moment.replace(year=moment.year + (moment.month == 12), month=month)
        if moment > last:
            return
        yield moment - datetime.timedelta(seconds=1)


def ensure_checkpoints(env):
    """Monthly checkpoints over the history; returns (count, seconds of the
    last incremental build)."""
    Checkpoint = env["inventory.ledger.checkpoint"]
    env.cr.execute(
        "SELECT MIN(date), MAX(date) FROM stock_move_line WHERE state = 'done'"
    )
    first, last = env.cr.fetchone()
    last_build = None
    for moment in month_starts(first, last):
        if Checkpoint.search_count([("moment", "=", moment), ("state", "=", "valid")]):
            continue
        started = time.perf_counter()
        Checkpoint.build_checkpoint(moment)
        env.cr.commit()
        last_build = time.perf_counter() - started
        print(f"  checkpoint {moment} built in {last_build:.2f} s", flush=True)
    return Checkpoint.search_count([("state", "=", "valid")]), last_build


def as_map(rows, keys):
    return {tuple(row[k] for k in keys): round(row["quantity"], 6) for row in rows}


def bench(scale, runs, database=None):
    database = database or ensure_generated(scale)
    with _odoo.environment(database) as env:
        env.cr.execute("ANALYZE")
        count, last_build = ensure_checkpoints(env)
        env.cr.execute("SELECT COUNT(*) FROM stock_move_line WHERE state = 'done'")
        lines = env.cr.fetchone()[0]
        env.cr.execute("SELECT MIN(date), MAX(date) FROM stock_move_line")
        first, last = env.cr.fetchone()
        at = first + (last - first) * 3 / 4
        Ledger = env["inventory.ledger"]
        products = env["product.product"].search([("is_storable", "=", True)])
        checkpoint = env["inventory.ledger.checkpoint"]._nearest_valid(
            at, env.companies.ids
        )
        row = {
            "benchmark": "ledger_engine",
            "date": datetime.date.today().isoformat(),
            "cores": os.cpu_count(),
            "scale": scale,
            "move_lines": lines,
            "products": len(products),
            "at": str(at),
            "checkpoints": count,
            "checkpoint_age_days": round(
                (at - checkpoint.moment).total_seconds() / 86400, 1
            ),
            "last_checkpoint_build_s": round(last_build, 3) if last_build else None,
        }

        def native():
            env.invalidate_all()
            return {p.id: p.qty_available for p in products.with_context(to_date=at)}

        def ours_products():
            return Ledger.balances_at(at, group_by=["product"])

        native_s, native_result = _odoo.best_of(runs, native)
        ours_s, ours_rows = _odoo.best_of(runs, ours_products)
        ours_result = {r["product_id"]: r["quantity"] for r in ours_rows}
        bad = [
            p
            for p in native_result
            if abs(native_result[p] - ours_result.get(p, 0.0)) > 1e-6
        ]
        if bad:
            raise SystemExit(
                f"error: native and engine disagree on {len(bad)} products"
            )
        row.update(
            native_products_s=round(native_s, 3),
            engine_products_s=round(ours_s, 3),
            ratio_products=round(native_s / ours_s, 1),
        )

        keys = ("product_id", "location_id", "lot_id")
        answers = {}
        for method in ("checkpoint", "ledger", "quants"):
            seconds, rows = _odoo.best_of(
                runs,
                lambda method=method: Ledger.balances_at(
                    at, group_by=["product", "location", "lot"], method=method
                ),
            )
            answers[method] = as_map(rows, keys)
            row[f"engine_keys_{method}_s"] = round(seconds, 3)
        row["balances"] = len(answers["checkpoint"])

        from odoo.tools import SQL  # Odoo is importable once the environment is up

        def statement_only():
            # The engine's statement computed and kept in the database, as the
            # snapshots and reports use it: no rows sent to Python.
            query, _method = Ledger._balance_sql(
                at,
                ("product", "location", "lot"),
                env.companies.ids,
                method="checkpoint",
            )
            with Ledger._aggregation_settings(balances=True):
                env.cr.execute(SQL("CREATE TEMP TABLE bench_balances AS %s", query))
                count = env.cr.rowcount
            env.cr.execute("DROP TABLE bench_balances")
            return count

        seconds, count = _odoo.best_of(runs, statement_only)
        assert count == row["balances"], (count, row["balances"])
        row["engine_keys_checkpoint_statement_s"] = round(seconds, 3)

        # The worst case "within a month": no later checkpoint (a moment in
        # the current month), the earlier one a few weeks back.
        env.cr.execute("SAVEPOINT no_later_checkpoint")
        env.cr.execute(
            "UPDATE inventory_ledger_checkpoint SET state = 'stale' WHERE moment > %s",
            [at],
        )
        env.invalidate_all()
        earlier = env["inventory.ledger.checkpoint"]._nearest_valid(
            at, env.companies.ids
        )
        row["earlier_checkpoint_age_days"] = round(
            (at - earlier.moment).total_seconds() / 86400, 1
        )
        seconds, rows = _odoo.best_of(
            runs,
            lambda: Ledger.balances_at(
                at, group_by=["product", "location", "lot"], method="checkpoint"
            ),
        )
        assert as_map(rows, keys) == answers["ledger"]
        row["engine_keys_earlier_checkpoint_s"] = round(seconds, 3)
        seconds, count = _odoo.best_of(runs, statement_only)
        row["engine_keys_earlier_checkpoint_statement_s"] = round(seconds, 3)
        env.cr.execute("ROLLBACK TO SAVEPOINT no_later_checkpoint")
        env.invalidate_all()
        if not answers["checkpoint"] == answers["ledger"] == answers["quants"]:
            raise SystemExit("error: the engine's methods disagree")

        Report = env["inventory.stock.balance.report"].with_context(
            inventory_at=str(at.replace(microsecond=0))
        )

        def report_page():
            Report.invalidate_model()
            return Report.web_read_group(
                [], ["product_id"], ["on_hand:sum", "available:sum"], limit=80
            )

        report_s, page = _odoo.best_of(runs, report_page)
        row["report_first_page_s"] = round(report_s, 3)
        row["report_groups"] = page["length"]
        print(
            f"{scale:>5}: {lines:,} lines, {len(products):,} products, "
            f"{row['balances']:,} balances at {at} "
            f"(nearest checkpoint {abs(row['checkpoint_age_days'])} days "
            f"{'before' if row['checkpoint_age_days'] >= 0 else 'after'})\n"
            f"       product totals: native {native_s:.3f} s, engine {ours_s:.3f} s, "
            f"ratio {native_s / ours_s:.1f}x, identical\n"
            f"       all balances: checkpoint {row['engine_keys_checkpoint_s']:.3f} s "
            f"(statement alone {row['engine_keys_checkpoint_statement_s']:.3f} s), "
            f"earlier checkpoint only ({row['earlier_checkpoint_age_days']} days "
            f"before) {row['engine_keys_earlier_checkpoint_s']:.3f} s (statement "
            f"{row['engine_keys_earlier_checkpoint_statement_s']:.3f} s), "
            f"ledger {row['engine_keys_ledger_s']:.3f} s, "
            f"quants {row['engine_keys_quants_s']:.3f} s, identical\n"
            f"       report first page grouped by product: {report_s:.3f} s; "
            f"last monthly checkpoint build: {row['last_checkpoint_build_s']} s",
            flush=True,
        )
        with RESULTS.open("a") as stream:
            stream.write(json.dumps(row) + "\n")
        return row


def history_moments(env, first, count=20, seed=17):
    """Every month end of the history, and ``count`` random moments."""
    last = env["inventory.ledger.checkpoint"]._last_month_end()
    month_ends = list(month_starts(first, last + datetime.timedelta(seconds=1)))
    now = datetime.datetime.now().replace(microsecond=0) - datetime.timedelta(minutes=5)
    rng = random.Random(seed)
    span = (now - first).total_seconds()
    randoms = sorted(
        first + datetime.timedelta(seconds=int(rng.random() * span))
        for _ in range(count)
    )
    return month_ends, randoms


def second_without_lines_after(env, at):
    """``at``, or the nearest earlier second with no done line dated within
    the second after it.  The generator dates lines to the microsecond, and
    Odoo's native figure at ``at`` counts a line at ``at`` + 0.35 s that the
    engine (like a real Odoo ledger, dated to the second) places after it:
    the native comparison is made where both readings agree."""
    one = datetime.timedelta(seconds=1)
    while True:
        env.cr.execute(
            "SELECT 1 FROM stock_move_line WHERE state = 'done' "
            "AND date > %s AND date < %s LIMIT 1",
            (at, at + one),
        )
        if not env.cr.fetchone():
            return at
        at -= one


def backdated_adjustment(env):
    """Five units found in a bin by an adjustment dated 15 months back
    (committed); returns its date."""
    from odoo.tools import SQL

    back = env["inventory.ledger.checkpoint"]._last_month_end() - datetime.timedelta(
        days=456
    )
    env.cr.execute(
        SQL(
            "SELECT q.product_id, q.location_id FROM stock_quant q "
            "JOIN stock_location l ON l.id = q.location_id "
            "WHERE l.usage = 'internal' AND q.lot_id IS NULL AND q.quantity > 0 "
            "ORDER BY q.id LIMIT 1"
        )
    )
    product_id, location_id = env.cr.fetchone()
    loss = env["stock.location"].search(
        [
            ("usage", "=", "inventory"),
            ("company_id", "in", [env.company.id, False]),
        ],
        limit=1,
    )
    move = env["stock.move"].create(
        {
            "product_id": product_id,
            "product_uom_qty": 5,
            "location_id": loss.id,
            "location_dest_id": location_id,
            "is_inventory": True,
            "company_id": env.company.id,
        }
    )
    move._action_confirm()
    move.quantity = 5
    move.picked = True
    move._action_done()
    move.write({"date": back})
    move.move_line_ids.write({"date": back})
    env.flush_all()
    env.cr.commit()
    return back


def history_database(source, in_place=False):
    """The database the history benchmark writes to: ``source`` itself with
    ``in_place``, else its copy ``<source>_history`` (made when missing)."""
    database = source if in_place else f"{source}_history"
    if not _odoo.database_exists(database):
        from odoo.modules.registry import Registry
        from odoo.sql_db import close_db

        Registry.delete(source)  # its connections, or it cannot be copied
        close_db(source)
        print(f"copying {source} into {database} ...", flush=True)
        subprocess.run(["createdb", "-T", source, database], check=True)
    return database


def against_ledger(times, moments, taken, ledger_times):
    """The auto path's times against the whole-ledger path's at the same
    moments: ratios (median, worst), how many slower and by how much."""
    ratios = [t / ledger_times[at] for t, at in zip(times, moments, strict=True)]
    summary = {
        "worst_vs_ledger": round(max(ratios), 2),
        "median_vs_ledger": round(statistics.median(ratios), 2),
        "slower_than_ledger": sum(r > 1 for r in ratios),
        "worst_minus_ledger_s": round(
            max(t - ledger_times[at] for t, at in zip(times, moments, strict=True)),
            3,
        ),
    }
    # Where the auto path is not the whole ledger itself (there the ratio is
    # the same statement timed twice: noise).
    others = [r for r, m in zip(ratios, taken, strict=True) if m != "ledger"]
    if others:
        summary["worst_vs_ledger_other_paths"] = round(max(others), 2)
        summary["slower_than_ledger_other_paths"] = sum(r > 1 for r in others)
    return summary


def bench_history(
    scale,
    runs,
    database=None,
    in_place=False,
    native_moments=5,
    note=None,
    month_step=1,
    random_moments=20,
):
    from odoo.tools import SQL

    database = history_database(database or ensure_generated(scale), in_place)
    import psycopg2

    def vacuum():
        connection = psycopg2.connect(dbname=database)
        connection.autocommit = True
        with connection.cursor() as cr:
            cr.execute("VACUUM ANALYZE inventory_ledger_checkpoint_line")
            cr.execute("VACUUM ANALYZE inventory_ledger_checkpoint")
        connection.close()

    with _odoo.environment(database) as env:
        Ledger = env["inventory.ledger"]
        Checkpoint = env["inventory.ledger.checkpoint"]
        # As right after the install: no checkpoint (the copy's own deleted).
        env.cr.execute("DELETE FROM inventory_ledger_checkpoint_line")
        env.cr.execute("DELETE FROM inventory_ledger_checkpoint")
        env.cr.commit()
        vacuum()
        env.cr.execute("ANALYZE stock_move_line")
        env.invalidate_all()
        env.cr.execute(
            "SELECT COUNT(*), MIN(date) FROM stock_move_line WHERE state = 'done'"
        )
        lines, first = env.cr.fetchone()
        month_ends, randoms = history_moments(env, first, random_moments)
        month_ends = month_ends[::-1][::month_step][::-1]
        moments = month_ends + randoms
        products = env["product.product"].search([("is_storable", "=", True)])
        group_by = ["product", "location", "lot"]
        row = {
            "benchmark": "ledger_engine_history",
            "date": datetime.date.today().isoformat(),
            "cores": os.cpu_count(),
            "scale": scale,
            "move_lines": lines,
            "products": len(products),
            "month_ends": len(month_ends),
            "random_moments": len(randoms),
            "note": note,
        }

        def as_set(result):
            return {tuple(r[:-1]): round(r[-1], 6) for r in result["rows"]}

        def statement(at):
            # The engine's statement (auto path) computed into a temporary
            # table, as the snapshots and reports use it: no row sent to
            # Python.
            query, method = Ledger._balance_sql(at, group_by, env.companies.ids)
            with Ledger._aggregation_settings(balances=method == "checkpoint"):
                env.cr.execute(SQL("CREATE TEMP TABLE bench_balances AS %s", query))
            env.cr.execute("DROP TABLE bench_balances")

        def measure(label, reference=None, statements=False):
            """Auto path at every moment (best of ``runs``): median, worst;
            the paths taken; the estimate's own time (choosing the path);
            each answer equal to the whole ledger's; with ``statements``,
            the statement alone too."""
            times, paths, choosing, alone, taken = [], {}, [], [], []
            for at in moments:
                seconds, result = _odoo.best_of(
                    runs,
                    lambda at=at: Ledger.balances_at(
                        at, group_by=group_by, compact=True
                    ),
                )
                started = time.perf_counter()
                method = Ledger._resolve_method(at, env.companies.ids)[0]
                choosing.append(time.perf_counter() - started)
                paths[method] = paths.get(method, 0) + 1
                taken.append(method)
                times.append(seconds)
                if statements:
                    alone.append(_odoo.best_of(runs, lambda at=at: statement(at))[0])
                if reference is not None and as_set(result) != reference[at]:
                    raise SystemExit(f"error: {label}: auto != ledger at {at}")
            summary = {
                "median_s": round(statistics.median(times), 3),
                "worst_s": round(max(times), 3),
                "worst_at": str(moments[times.index(max(times))]),
                "paths": paths,
                "choosing_median_ms": round(statistics.median(choosing) * 1000, 1),
                "choosing_worst_ms": round(max(choosing) * 1000, 1),
            }
            if alone:
                summary["statement_median_s"] = round(statistics.median(alone), 3)
                summary["statement_worst_s"] = round(max(alone), 3)
            if reference is not None:
                summary.update(against_ledger(times, moments, taken, ledger_times))
            row[label] = summary
            print(f"  {label}: {summary}", flush=True)
            return times

        ledger_times = {}

        def ledger_answers(label):
            answers, times = {}, []
            for at in moments:
                seconds, result = _odoo.best_of(
                    runs,
                    lambda at=at: Ledger.balances_at(
                        at, group_by=group_by, compact=True, method="ledger"
                    ),
                )
                answers[at] = as_set(result)
                times.append(seconds)
                ledger_times[at] = seconds
            row[label] = {
                "median_s": round(statistics.median(times), 3),
                "worst_s": round(max(times), 3),
                "balances_median": int(
                    statistics.median(len(a) for a in answers.values())
                ),
            }
            print(f"  {label}: {row[label]}", flush=True)
            return answers

        print(
            f"{scale}: {lines:,} lines, {len(month_ends)} month ends and "
            f"{len(randoms)} random moments",
            flush=True,
        )
        reference = ledger_answers("whole_ledger")
        # Native product totals at a sample of the random moments (seconds
        # each).  Not at month ends: the generator dates lines to the
        # millisecond, and Odoo's native figure at 23:59:59 counts a line at
        # 23:59:59.736 that the engine (and a real Odoo ledger, dated to the
        # second) places after that moment.
        sample = randoms[:: max(len(randoms) // max(native_moments, 1), 1)][
            :native_moments
        ]
        native_times = []
        for at in sample:
            at = second_without_lines_after(env, at)
            env.invalidate_all()
            started = time.perf_counter()
            native = {p.id: p.qty_available for p in products.with_context(to_date=at)}
            native_times.append(time.perf_counter() - started)
            ours = {
                r[0]: r[1]
                for r in Ledger.balances_at(at, group_by=["product"], compact=True)[
                    "rows"
                ]
            }
            bad = [p for p in native if abs(native[p] - ours.get(p, 0.0)) > 1e-6]
            if bad:
                raise SystemExit(f"error: native != engine on {len(bad)} products")
        row["native_product_totals"] = {
            "moments": len(sample),
            "median_s": round(statistics.median(native_times), 3),
            "worst_s": round(max(native_times), 3),
        }
        print(f"  native product totals: {row['native_product_totals']}", flush=True)
        measure("no_checkpoint", reference)

        # The scheduled build's core, as the cron runs it (committing each).
        planned = Checkpoint._plan_checkpoints()
        env.cr.commit()
        todo = Checkpoint._to_build()
        build_times = []
        half = len(todo) // 2
        for checkpoint in todo[:half]:
            started = time.perf_counter()
            Checkpoint._build_at(checkpoint.moment, checkpoint.company_id)
            env.cr.commit()
            build_times.append(time.perf_counter() - started)
        vacuum()
        env.invalidate_all()
        measure("history_half_built", reference)
        for checkpoint in todo[half:]:
            started = time.perf_counter()
            Checkpoint._build_at(checkpoint.moment, checkpoint.company_id)
            env.cr.commit()
            build_times.append(time.perf_counter() - started)
        vacuum()
        env.invalidate_all()
        row["history_build"] = {
            "checkpoints": len(planned),
            "total_s": round(sum(build_times), 3),
            "median_checkpoint_s": round(statistics.median(build_times), 3),
        }
        print(f"  history build: {row['history_build']}", flush=True)
        measure("history_built", reference, statements=True)

        # A back-dated adjustment 15 months back: later checkpoints stale.
        back = backdated_adjustment(env)
        stale = Checkpoint.search_count([("state", "=", "stale")])
        row["backdated"] = {"at": str(back), "stale_checkpoints": stale}
        reference = ledger_answers("whole_ledger_after_backdating")
        measure("backdated_before_daily_job", reference)
        started = time.perf_counter()
        Checkpoint._cron_build_monthly()
        env.cr.commit()
        row["daily_job_s"] = round(time.perf_counter() - started, 3)
        print(f"  daily job ({stale} stale): {row['daily_job_s']} s", flush=True)
        vacuum()
        env.invalidate_all()
        measure("backdated_after_daily_job", reference, statements=True)
        with RESULTS.open("a") as stream:
            stream.write(json.dumps(row) + "\n")
        return row


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", action="append", choices=sorted(SCALES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--history",
        action="store_true",
        help="the checkpoints that look after themselves: history build, every "
        "month end and 20 random moments, a back-dated adjustment (issue 17)",
    )
    parser.add_argument(
        "--database",
        help="a copy of the scale's generated database (one --scale) to use instead",
    )
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="with --history and --database: work in that database (your own "
        "copy: its checkpoints are deleted and rebuilt, a line is added) "
        "instead of a copy of it",
    )
    parser.add_argument(
        "--native-moments",
        type=int,
        default=5,
        help="with --history: random moments at which Odoo's native product "
        "totals are timed and compared (about a minute each at 10M lines)",
    )
    parser.add_argument(
        "--month-step",
        type=int,
        default=1,
        help="with --history: every Nth month end only (counted back from the "
        "last), for a shorter run at 10M on a loaded machine",
    )
    parser.add_argument(
        "--random-moments",
        type=int,
        default=20,
        help="with --history: how many random moments",
    )
    parser.add_argument("--note", help="with --history: a note kept with the figures")
    args = parser.parse_args(argv)
    scales = args.scale or ["100k", "1m"]
    if args.database and len(scales) != 1:
        parser.error("--database goes with exactly one --scale")
    if args.in_place and not (args.history and args.database):
        parser.error("--in-place goes with --history and --database")
    for scale in scales:
        if args.history:
            bench_history(
                scale,
                args.runs,
                args.database,
                in_place=args.in_place,
                month_step=args.month_step,
                random_moments=args.random_moments,
                native_moments=args.native_moments,
                note=args.note,
            )
        else:
            bench(scale, args.runs, args.database)


if __name__ == "__main__":
    main()
