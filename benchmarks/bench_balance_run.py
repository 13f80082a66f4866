#!/usr/bin/env python3
"""A report-only balance run on generated history, against the obvious ORM way.

    python3 benchmarks/bench_balance_run.py --scale 100k --scale 1m [--scale 10m]

For each scale (database ``inventory_bench_<scale>``, with ``inventory_period_end``
installed: ``python3 -m odoo -d inventory_bench_<scale> -i inventory_period_end
--stop-after-init`` with the repository on the addons path), in the same run:

1. a report-only balance run of the whole company with the ledger side from the
   whole ledger, then from the latest valid checkpoint (time of each rule's
   statement, and of the whole run: ``_run_now``, what ``action_run`` does in
   the request or, above 5M lines, the background job that takes the queued
   run);
   (with ``--check-valuation``, once more with the option *Check valuation*:
   the per-product FIFO/AVCO rules and the valuation accounts; with
   ``--valuation-rules``, once more with *Recalculate costs* in report-only
   mode: the per-product rules only, ``valued_moves`` being the time of the
   temporary table of valued moves they read);
2. rules a (quants vs ledger) and b (reservations vs move lines) the obvious
   ORM way: ``_read_group`` of the quants and of the done move lines (both
   sides) per key, of the open move lines per key, compared in Python.

Both ways must find the same disagreements of rules a and b.  Nothing is
committed (the runs and their findings are rolled back).  Times (best of
``--runs``) are printed and appended to ``benchmarks/results.jsonl``.
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
from scales import SCALES  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results.jsonl"


def orm_way(env, tolerance):
    """Findings of rules a and b computed with the ORM: sets of keys."""
    location_ids = set(
        env["stock.location"]
        .with_context(active_test=False)
        .search([("usage", "in", ("internal", "transit"))])
        .ids
    )
    storable = set(env["product.product"].search([("is_storable", "=", True)]).ids)
    Quant, Line = env["stock.quant"], env["stock.move.line"]
    ledger, found = defaultdict(float), defaultdict(float)
    reserved, lines = defaultdict(float), defaultdict(float)
    keys = ["product_id", "location_id", "lot_id", "package_id", "owner_id"]
    for *key, quantity, reserved_quantity in Quant._read_group(
        [("location_id", "in", list(location_ids))],
        keys,
        ["quantity:sum", "reserved_quantity:sum"],
    ):
        key = tuple(record.id for record in key)
        found[key] += quantity
        reserved[key] += reserved_quantity
    done = [("state", "=", "done")]
    for destination, source, sign in (
        ("location_dest_id", "result_package_id", 1),
        ("location_id", "package_id", -1),
    ):
        for product, location, lot, package, owner, quantity in Line._read_group(
            [*done, (destination, "in", list(location_ids))],
            ["product_id", destination, "lot_id", source, "owner_id"],
            ["quantity_product_uom:sum"],
        ):
            if product.id in storable:
                key = (product.id, location.id, lot.id, package.id, owner.id)
                ledger[key] += sign * quantity
    for *key, quantity in Line._read_group(
        [
            ("state", "not in", ("done", "cancel")),
            ("location_id", "in", list(location_ids)),
        ],
        keys,
        ["quantity_product_uom:sum"],
    ):
        key = tuple(record.id for record in key)
        if key[0] in storable:
            lines[key] += quantity

    def differ(left, right):
        return {
            key
            for key in set(left) | set(right)
            if key[0] in storable
            and abs(left.get(key, 0.0) - right.get(key, 0.0)) > tolerance
        }

    return differ(ledger, found), differ(lines, reserved)


def line_keys(run, code):
    return {
        (
            line.product_id.id,
            line.location_id.id,
            line.lot_id.id,
            line.package_id.id,
            line.owner_id.id,
        )
        for line in run.line_ids
        if line.rule_code == code
    }


def time_method(cls, name, key, times):
    """Add the time of each call of ``cls.name`` to ``times[key]``; return
    the function that puts the method back (nothing to do when missing)."""
    original = getattr(cls, name, None)
    if original is None:
        return lambda: None

    def timed(self, *args, **kwargs):
        started = time.perf_counter()
        result = original(self, *args, **kwargs)
        times[key] += time.perf_counter() - started
        return result

    setattr(cls, name, timed)
    return lambda: setattr(cls, name, original)


VALUATION_OPTIONS = {"check": "Check valuation", "rules": "Recalculate costs"}


def bench(scale, runs, database=None, valuation=None):
    database = database or f"inventory_bench_{scale}"
    if not _odoo.database_exists(database):
        raise SystemExit(f"error: {database} does not exist (benchmarks/generate.py)")
    with _odoo.environment(database) as env:
        if "inventory.balance.run" not in env.registry:
            raise SystemExit(
                f"error: inventory_period_end is not installed in {database}"
            )
        env.cr.execute("SELECT COUNT(*) FROM stock_move_line WHERE state = 'done'")
        lines = env.cr.fetchone()[0]
        products = env["product.product"].search_count([("is_storable", "=", True)])
        Run = env["inventory.balance.run"]
        checkpoint = env["inventory.ledger.checkpoint"]._latest_valid(
            datetime.datetime.now(), env.company.ids
        )
        row = {
            "benchmark": "balance_run",
            "date": datetime.date.today().isoformat(),
            "cores": os.cpu_count(),
            "scale": scale,
            "move_lines": lines,
            "products": products,
            "checkpoint": str(checkpoint.moment) if checkpoint else None,
            "valuation_option": valuation,
            # The machine is shared: its load (1, 5, 15 min) as the run began.
            "loadavg": [round(x, 2) for x in os.getloadavg()],
        }
        rule_times = defaultdict(float)
        original = type(Run)._insert_findings

        def timed(self, code, check_sql, ctx, **kwargs):
            started = time.perf_counter()
            count = original(self, code, check_sql, ctx, **kwargs)
            rule_times[code] += time.perf_counter() - started
            return count

        type(Run)._insert_findings = timed
        # The temporary tables a run builds and the warehouse valuation
        # summary, timed as rules of their own (code before 2026-12-07 has no
        # sides table; from 2026-12-08 the comparison and the line totals
        # replace it).
        restore = [
            time_method(type(Run), name, key, rule_times)
            for name, key in (
                ("_create_valued_moves_table", "valued_moves"),
                ("_create_ledger_sides_table", "ledger_sides"),
                ("_create_compare_table", "ledger_compare"),
                ("_create_line_totals_table", "line_totals"),
                ("_compute_valuation_summary", "valuation_summary"),
            )
        ]
        results = {}
        try:
            methods = ["ledger", "checkpoint"]
            if valuation:
                methods.append("valuation")
            for method in methods:
                if method == "checkpoint" and not checkpoint:
                    continue
                values = {"ledger_method": method}
                if method == "valuation":
                    values = {"ledger_method": "auto", "check_valuation": True}
                    if valuation == "rules":
                        values = {"ledger_method": "auto", "recalculate_costs": True}
                best, best_rules = None, None
                for _ in range(runs if method != "valuation" else 1):
                    env.cr.execute("SAVEPOINT bench_run")
                    rule_times.clear()
                    run = Run.create(values)
                    started = time.perf_counter()
                    # What action_run does in the request, or (above the
                    # background threshold, 5M lines by default) what the
                    # background job does once it takes the queued run.
                    run._ensure_runnable()
                    run._run_now()
                    seconds = time.perf_counter() - started
                    results[method] = {
                        "counts": run.get_counts(),
                        "a": line_keys(run, "quant_ledger"),
                        "b": line_keys(run, "reserved"),
                    }
                    env.cr.execute("ROLLBACK TO SAVEPOINT bench_run")
                    env.invalidate_all()
                    if best is None or seconds < best:
                        best, best_rules = seconds, dict(rule_times)
                row[f"run_{method}_s"] = round(best, 3)
                row[f"rules_{method}_s"] = {
                    k: round(v, 3) for k, v in best_rules.items()
                }
                row[f"findings_{method}"] = {
                    k: v for k, v in results[method]["counts"].items() if v
                }
        finally:
            type(Run)._insert_findings = original
            for undo in restore:
                undo()
        tolerance = Run._tolerance()
        started = time.perf_counter()
        orm_a, orm_b = orm_way(env, tolerance)
        row["orm_rules_a_b_s"] = round(time.perf_counter() - started, 3)
        ours = results["ledger"]
        if orm_a != ours["a"] or orm_b != ours["b"]:
            raise SystemExit(
                f"error: the ORM way finds {len(orm_a)}/{len(orm_b)} disagreements "
                f"(a/b), the run {len(ours['a'])}/{len(ours['b'])}"
            )
        if "checkpoint" in results and results["checkpoint"]["a"] != ours["a"]:
            raise SystemExit("error: checkpoint and whole-ledger runs disagree on a")
        # Rule a reads a table the run builds once for it, the virtual
        # locations and the duplicates (before 2026-12-08: the lines summed
        # per key, for it and the virtual locations): that table counts with
        # rule a, whole.
        ab = (
            row["rules_ledger_s"]["quant_ledger"]
            + row["rules_ledger_s"]["reserved"]
            + row["rules_ledger_s"].get("ledger_sides", 0.0)
            + row["rules_ledger_s"].get("ledger_compare", 0.0)
        )
        row["ratio_rules_a_b"] = round(row["orm_rules_a_b_s"] / ab, 1)
        print(
            f"{scale:>5}: {lines:,} lines, {products:,} products "
            f"(load average {row['loadavg']} at start, {os.getloadavg()[0]:.2f} "
            f"at end)\n"
            f"       report-only run, whole ledger: {row['run_ledger_s']:.3f} s "
            f"{row['rules_ledger_s']}\n"
            f"       from checkpoint {row['checkpoint']}: "
            f"{row.get('run_checkpoint_s')} s {row.get('rules_checkpoint_s')}\n"
            + (
                f"       with {VALUATION_OPTIONS[valuation]} (once): "
                f"{row['run_valuation_s']:.3f} s "
                f"{row['rules_valuation_s']}\n"
                if valuation
                else ""
            )
            + f"       findings {row['findings_ledger']}\n"
            f"       rules a+b the ORM way {row['orm_rules_a_b_s']:.3f} s vs "
            f"{ab:.3f} s in SQL ({row['ratio_rules_a_b']}x), same findings",
            flush=True,
        )
        env.cr.rollback()
        with RESULTS.open("a") as stream:
            stream.write(json.dumps(row) + "\n")
        return row


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", action="append", choices=sorted(SCALES))
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument(
        "--database", help="another database than inventory_bench_<scale>"
    )
    parser.add_argument(
        "--check-valuation",
        action="store_true",
        help="also one run with the option Check valuation (rule g)",
    )
    parser.add_argument(
        "--valuation-rules",
        action="store_true",
        help="also one report-only run with Recalculate costs (rule g's "
        "per-product rules, without Odoo's own valuation of the accounts)",
    )
    args = parser.parse_args(argv)
    valuation = (
        "check" if args.check_valuation else "rules" if args.valuation_rules else None
    )
    for scale in args.scale or ["100k", "1m"]:
        bench(scale, args.runs, args.database, valuation)


if __name__ == "__main__":
    main()
