#!/usr/bin/env python3
"""Fill an Odoo 19 database with a consistent stock history at a chosen scale.

    python3 benchmarks/generate.py -d DB --products 10000 --locations 40 \\
        --move-lines 1000000 [--lot-share 0.2] [--days 730] [--valued-share 0.5]
    python3 benchmarks/generate.py -d DB --scale 1m

The database is created (with inventory_balance and stock_account) when it does
not exist.  Everything is written in one transaction: on any error nothing is
kept.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo  # noqa: E402
from scales import SCALES, spec_kwargs  # noqa: E402


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "-d",
        "--database",
        required=True,
        help="database to fill; 'auto' with --scale: inventory_bench_<scale>, once",
    )
    parser.add_argument("--scale", choices=sorted(SCALES))
    parser.add_argument("--products", type=int)
    parser.add_argument("--locations", type=int, help="number of bins")
    parser.add_argument("--move-lines", type=int)
    parser.add_argument("--lot-share", type=float)
    parser.add_argument("--days", type=int, help="date span of the history")
    parser.add_argument("--valued-share", type=float, help="FIFO/AVCO products")
    parser.add_argument("--seed", type=int)
    return parser.parse_args(argv)


def build_spec(args):
    spec_module = _odoo.load_spec_module()
    kwargs = spec_kwargs(args.scale) if args.scale else {}
    for name in (
        "products",
        "locations",
        "move_lines",
        "lot_share",
        "days",
        "valued_share",
        "seed",
    ):
        value = getattr(args, name)
        if value is not None:
            kwargs[name] = value
    try:
        return spec_module.GeneratorSpec(**kwargs)
    except spec_module.GeneratorSpecError as exc:
        raise SystemExit(f"error: {exc}") from None


def generate(database, spec_kwargs_):
    """Generate into ``database`` (created if missing); returns the result dict."""
    if not _odoo.database_exists(database):
        print(f"creating database {database} ...", flush=True)
        _odoo.create_database(database)
    with _odoo.environment(database) as env:
        from odoo.addons.inventory_balance.tools import (
            GeneratorSpec,
            StockHistoryGenerator,
        )

        started = time.time()

        def progress(message):
            print(f"[{time.time() - started:7.1f} s] {message}", flush=True)

        generator = StockHistoryGenerator(
            env, GeneratorSpec(**spec_kwargs_), progress=progress
        )
        result = generator.run()
        env.cr.commit()
        progress("committed")
        env.cr.execute(
            "ANALYZE stock_move_line; ANALYZE stock_move; ANALYZE stock_quant"
        )
        progress("analyzed")
        return result


def ensure_generated(scale):
    """Name of the database holding exactly the named scale, generated into a
    new database ``inventory_bench_<scale>`` when missing."""
    import json

    database = f"inventory_bench_{scale}"
    kwargs = spec_kwargs(scale)
    marker = json.dumps(kwargs, sort_keys=True)
    if _odoo.database_exists(database):
        with _odoo.environment(database) as env:
            found = env["ir.config_parameter"].get_param("inventory_bench.spec")
        if found == marker:
            return database
        raise SystemExit(
            f"error: {database} exists but was not generated for scale {scale}; "
            f"drop it (dropdb {database}) and run again"
        )
    generate(database, kwargs)
    with _odoo.environment(database) as env:
        env["ir.config_parameter"].set_param("inventory_bench.spec", marker)
    return database


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    if args.scale and args.database == "auto":
        print(f"database {ensure_generated(args.scale)} holds scale {args.scale}")
        return
    spec = build_spec(args)
    import dataclasses

    result = generate(args.database, dataclasses.asdict(spec))
    print(
        f"generated {spec.move_lines:,} move lines for {spec.products:,} products "
        f"in {spec.locations} bins into {args.database} in {result['seconds']} s "
        f"(tag {result['tag']})"
    )


if __name__ == "__main__":
    main()
