#!/usr/bin/env python3
"""The Inventory Balance sheet's Refresh against the obvious ORM way.

    python3 benchmarks/bench_balance_sheet.py --database inv_sheet_bench_1m

On a generated database (a copy of ``inventory_bench_<scale>``, with
inventory_balance updated), in one transaction rolled back at the end:

1. sheets of ``--sizes`` products (the first N moved into a category of their
   own; ``all`` = every product, default ``1000,all``) over the last 3 full
   calendar months: the Refresh
   (ledger engine from the nearest checkpoint, set-based inserts), best of
   ``--runs``;
2. the same numbers the obvious ORM way: per period boundary the products'
   ``qty_available`` with ``to_date`` in the context, and per period a
   ``_read_group`` of the done moves by product and source / destination
   usage;
3. the first Beginning and the last Actual of both ways must agree.

Figures are printed and appended to ``benchmarks/results.jsonl``.
"""

import argparse
import datetime
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results.jsonl"


def last_three_months(today):
    first = today.replace(day=1)
    month = first.month - 3
    start = first.replace(
        year=first.year + (month - 1) // 12, month=(month - 1) % 12 + 1
    )
    return start, first - datetime.timedelta(days=1)


def orm_way(env, products, sheet):
    """Beginning, flows per usage pair and Actual per period, by the ORM."""
    boundaries = [start for start, _stop in sheet._periods()] + [
        sheet._periods()[-1][1]
    ]
    balances = []
    for moment in boundaries:
        at = moment - datetime.timedelta(seconds=1)
        env.invalidate_all()
        balances.append(
            {
                p.id: p.qty_available
                for p in products.with_context(
                    to_date=at, company_id=sheet.company_id.id
                )
            }
        )
    flows = []
    for start, stop in sheet._periods():
        flows.append(
            env["stock.move"]._read_group(
                [
                    ("product_id", "in", products.ids),
                    ("state", "=", "done"),
                    ("date", ">=", start),
                    ("date", "<", stop),
                ],
                ["product_id", "location_id.usage", "location_dest_id.usage"],
                ["product_qty:sum"],
            )
        )
    return balances, flows


def run(database, runs, sizes):
    figures = []
    with _odoo.environment(database) as env:
        env.cr.execute("SELECT COUNT(*) FROM stock_move_line")
        line_count = env.cr.fetchone()[0]
        env.cr.execute("SELECT COUNT(*) FROM inventory_ledger_checkpoint")
        checkpoint_count = env.cr.fetchone()[0]
        Product = env["product.product"]
        everything = Product.search([("is_storable", "=", True)], order="id")
        root = everything[:1].categ_id
        while root.parent_id:
            root = root.parent_id
        date_from, date_to = last_three_months(datetime.date.today())
        for size in sizes:
            if size == "all":
                label, categ = "all", root
            else:
                label = f"{size // 1000}k" if size >= 1000 else str(size)
                categ = env["product.category"].create(
                    {"name": f"Bench sheet {label}", "parent_id": root.id}
                )
                everything[:size].product_tmpl_id.write({"categ_id": categ.id})
            sheet = env["inventory.balance.sheet"].create(
                {
                    "name": f"Bench {label}",
                    "category_ids": [(6, 0, categ.ids)],
                    "date_from": date_from,
                    "date_to": date_to,
                }
            )
            sheet.column_ids.write({"visible": True})
            products = Product.browse(sheet._product_ids())
            env.flush_all()
            ours, _ = _odoo.best_of(runs, sheet.refresh)
            read, data = _odoo.best_of(1, sheet.get_sheet_data)
            started = time.perf_counter()
            balances, _flows = orm_way(env, products, sheet)
            orm = time.perf_counter() - started
            cells = {(r["product_id"], r["period"]): r for r in data["rows"]}
            mismatches = sum(
                1
                for p in products.ids
                if abs(cells[p, 0]["beginning"] - balances[0][p]) > 1e-6
                or abs(cells[p, 2]["actual"] - balances[3][p]) > 1e-6
            )
            figure = {
                "bench": "balance_sheet",
                "database": database,
                "move_lines": line_count,
                "checkpoints": checkpoint_count,
                "products": len(products),
                "periods": len(sheet._periods()),
                "refresh_s": round(ours, 3),
                "read_rows_s": round(read, 3),
                "orm_s": round(orm, 3),
                "ratio": round(orm / ours, 1) if ours else None,
                "mismatches": mismatches,
                "when": datetime.datetime.now().isoformat(timespec="seconds"),
            }
            print(json.dumps(figure))
            figures.append(figure)
        env.cr.rollback()
    with RESULTS.open("a", encoding="utf-8") as results:
        for figure in figures:
            results.write(json.dumps(figure) + "\n")
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--sizes",
        default="1000,all",
        help="sheet sizes in products, comma-separated; 'all' = every product",
    )
    args = parser.parse_args()
    sizes = [s if s == "all" else int(s) for s in args.sizes.split(",")]
    run(args.database, args.runs, sizes)


if __name__ == "__main__":
    main()
