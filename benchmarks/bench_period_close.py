#!/usr/bin/env python3
"""Closing an inventory month at scale, against the closing balances computed
the obvious ORM way.

    python3 benchmarks/bench_period_close.py --scale 1m [--scale 10m]
    python3 benchmarks/bench_period_close.py --database <copy of a generated database>

Needs ``inventory_period_end`` installed on the generated database of each
scale (``inventory_bench_<scale>``) and the monthly checkpoints that
``bench_ledger_engine.py`` builds.  In one transaction rolled back at the end
(the database is left as it was):

1. the closing checkpoint of the last full month is dropped, so that the close
   builds it incrementally from the month before (with ``--keep-checkpoint``
   it is kept, as the monthly job built it, and the close reuses it);
2. a clean report-only balance run at the month's end is recorded when the
   period close asks for one (its time is ``bench_balance_run.py``'s subject);
3. ``action_close`` of that month is timed: closing checkpoint (built from the
   month before), closing snapshot, stock lock date, pruning; then, on its own,
   the background job that copies the snapshot's lines from the checkpoint's
   rows right after the close (its totals checked against the checkpoint's);
   and, rolled back to before the close, the close again after the monthly job
   has built the month-end checkpoint (the job timed on its own), which the
   close then reuses;
4. the closing balances per product, location and lot are computed the obvious
   ORM way (``_read_group`` of the done move lines in and out of the internal
   locations up to the month's end), and compared with the checkpoint.

Times and the ratio are printed and appended to ``benchmarks/results.jsonl``.
"""

import argparse
import datetime
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


def last_month_end(moment):
    first = datetime.datetime(moment.year, moment.month, 1)
    return first - datetime.timedelta(seconds=1)


def orm_closing_balances(env, moment, company):
    """Balances at ``moment`` per (product, location, lot), the ORM way."""
    MoveLine = env["stock.move.line"]
    base = [
        ("state", "=", "done"),
        ("date", "<=", moment),
        ("company_id", "=", company.id),
    ]
    balances = defaultdict(float)
    for side, sign in (("location_dest_id", 1), ("location_id", -1)):
        for product, location, lot, quantity in MoveLine._read_group(
            [*base, (f"{side}.usage", "in", ("internal", "transit"))],
            ["product_id", side, "lot_id"],
            ["quantity_product_uom:sum"],
        ):
            balances[product.id, location.id, lot.id or False] += sign * quantity
    return {key: round(q, 6) for key, q in balances.items() if abs(q) > 1e-9}


def bench(database, scale, keep_checkpoint=False):
    with _odoo.environment(database) as env:
        if "inventory.period" not in env:
            raise SystemExit(
                f"error: install inventory_period_end on {database} first "
                f"(python3 -m odoo -d {database} -i inventory_period_end "
                "--stop-after-init)"
            )
        env.cr.execute("ANALYZE")
        company = env.company
        env.cr.execute("SELECT MAX(date) FROM stock_move_line WHERE state = 'done'")
        moment = last_month_end(env.cr.fetchone()[0])
        Checkpoint = env["inventory.ledger.checkpoint"]
        previous = Checkpoint.search(
            [
                ("company_id", "=", company.id),
                ("moment", "<", moment),
                ("state", "=", "valid"),
            ],
            order="moment desc",
            limit=1,
        )
        if not previous:
            raise SystemExit(
                "error: no earlier checkpoint; run bench_ledger_engine.py first"
            )
        env.cr.execute("SELECT COUNT(*) FROM stock_move_line WHERE state = 'done'")
        lines = env.cr.fetchone()[0]
        env.cr.execute(
            "SELECT COUNT(*) FROM stock_move_line WHERE state = 'done' "
            "AND date > %s AND date <= %s",
            [previous.moment, moment],
        )
        month_lines = env.cr.fetchone()[0]
        try:
            later = [("company_id", "=", company.id), ("moment", ">", moment)]
            if not keep_checkpoint:
                later[-1] = ("moment", ">=", moment)
            Checkpoint.search(later).unlink()
            Period = env["inventory.period"]
            Period.search([("company_id", "=", company.id)]).filtered(
                lambda p: p.state == "open"
            ).unlink()
            if Period.search_count([("company_id", "=", company.id)]):
                raise SystemExit(f"error: {database} has closed periods already")
            period = Period.create(
                {
                    "name": f"{moment:%Y-%m}",
                    "company_id": company.id,
                    "date_from": moment.date().replace(day=1),
                    "date_to": moment.date(),
                }
            )
            run_s = None
            if "inventory.balance.run" in env:
                started = time.perf_counter()
                run = env["inventory.balance.run"].create(
                    {"company_id": company.id, "date": moment, "mode": "report"}
                )
                run.action_run()
                run_s = time.perf_counter() - started
            env.flush_all()
            env.cr.execute("SAVEPOINT before_close")
            # The close building the closing checkpoint itself, incrementally.
            started = time.perf_counter()
            period.action_close()
            env.flush_all()
            close_s = time.perf_counter() - started
            checkpoint = period.checkpoint_id
            snapshot = period.snapshot_id
            started = time.perf_counter()
            naive = orm_closing_balances(env, moment, company)
            naive_s = time.perf_counter() - started
            env.cr.execute(
                "SELECT product_id, location_id, lot_id, SUM(quantity) "
                "FROM inventory_ledger_checkpoint_line WHERE checkpoint_id = %s "
                "GROUP BY product_id, location_id, lot_id",
                [checkpoint.id],
            )
            stored = {
                (p, loc, lot or False): round(float(q), 6)
                for p, loc, lot, q in env.cr.fetchall()
                if abs(q) > 1e-9
            }
            if stored != naive:
                raise SystemExit(
                    f"error: the closing checkpoint and the ORM disagree on "
                    f"{len(set(stored.items()) ^ set(naive.items()))} balances"
                )
            balances = checkpoint.line_count
            # The snapshot's lines, copied by the job that runs right after.
            started = time.perf_counter()
            env["inventory.snapshot"]._cron_write_pending_lines()
            env.flush_all()
            lines_job_s = time.perf_counter() - started
            snapshot_lines = snapshot.line_count
            if snapshot.lines_checkpoint_id or not snapshot_lines:
                raise SystemExit("error: the closing snapshot has no lines")
            snapped = snapshot.total_on_hand + snapshot.total_in_transit
            if abs(snapped - checkpoint.total_quantity) > 1e-6:
                raise SystemExit(
                    f"error: the closing snapshot holds {snapped}, its "
                    f"checkpoint {checkpoint.total_quantity}"
                )
            # Rolled back to before the close: the month-end checkpoint
            # built by the monthly job beforehand (its own time), then the
            # close, which reuses it (measured second, after the rolled-back
            # rows of the first close).
            env.cr.execute("ROLLBACK TO SAVEPOINT before_close")
            env.invalidate_all()
            started = time.perf_counter()
            Checkpoint.build_checkpoint(moment, company.id)
            env.flush_all()
            job_s = time.perf_counter() - started
            started = time.perf_counter()
            period.action_close()
            env.flush_all()
            reuse_s = time.perf_counter() - started
            row = {
                "benchmark": "period_close",
                "date": datetime.date.today().isoformat(),
                "cores": os.cpu_count(),
                "scale": scale,
                "move_lines": lines,
                "month_lines": month_lines,
                "moment": str(moment),
                "balances": balances,
                "snapshot_lines": snapshot_lines,
                "balance_run_s": round(run_s, 3) if run_s is not None else None,
                "close_s": round(close_s, 3),
                "snapshot_lines_job_s": round(lines_job_s, 3),
                "kept_month_checkpoint": keep_checkpoint,
                "monthly_checkpoint_job_s": round(job_s, 3),
                "close_reusing_month_checkpoint_s": round(reuse_s, 3),
                "orm_closing_balances_s": round(naive_s, 3),
                "ratio": round(naive_s / close_s, 1),
            }
            print(
                f"{scale:>5}: {lines:,} lines ({month_lines:,} in the month), "
                f"close of {moment:%Y-%m}"
                + (" (month's checkpoint kept)" if keep_checkpoint else "")
                + f": {close_s:.3f} s "
                f"({balances:,} balances, snapshot of "
                f"{snapshot_lines:,} lines, copied by the job right after in "
                f"{lines_job_s:.3f} s); closing balances the ORM way "
                f"{naive_s:.3f} s, ratio {naive_s / close_s:.1f}x, identical"
                + (f"; report-only balance run {run_s:.3f} s" if run_s else "")
                + f"; with the month's checkpoint built beforehand by the monthly "
                f"job ({job_s:.3f} s), the close takes {reuse_s:.3f} s",
                flush=True,
            )
        finally:
            env.cr.rollback()
        with RESULTS.open("a") as stream:
            stream.write(json.dumps(row) + "\n")
        return row


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", action="append", choices=sorted(SCALES))
    parser.add_argument("--database", action="append")
    parser.add_argument(
        "--keep-checkpoint",
        action="store_true",
        help="keep the database's own checkpoint at the month's end (built by "
        "the monthly job): the first close reuses it",
    )
    args = parser.parse_args(argv)
    for database in args.database or []:
        bench(database, database, args.keep_checkpoint)
    for scale in args.scale or ([] if args.database else ["1m"]):
        bench(ensure_generated(scale), scale, args.keep_checkpoint)


if __name__ == "__main__":
    main()
