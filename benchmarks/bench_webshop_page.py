#!/usr/bin/env python3
"""Product page of the webshop with inventory_balance_website vs without it.

    python3 benchmarks/bench_webshop_page.py [--runs 100] [--keep]

Two databases, created when missing, without demo data:
``inv_web_bench_without`` (website_sale_stock and inventory_balance) and
``inv_web_bench_with`` (the same plus inventory_balance_website). Each gets the
same published, stock-kept product with three variants and stock in the
warehouse. One Odoo server serves both (``X-Odoo-Database`` picks the
database); the script requests the product page (``GET /shop/<product>``) and
the variant route (``POST /website_sale/get_combination_info``) as a public
visitor, alternating the two databases request by request after a warm-up, and
keeps the best and the median time of each. The "with" database is measured in
both modes of its website: exact amounts, then In stock / Low in stock labels.
The ratios are with / without. The databases are dropped at the end unless
``--keep``. Figures are printed and appended to ``benchmarks/results.jsonl``.
"""

import argparse
import datetime
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results.jsonl"
WITHOUT, WITH = "inv_web_bench_without", "inv_web_bench_with"
MODULES = {
    WITHOUT: ["website_sale_stock", "inventory_balance"],
    WITH: ["website_sale_stock", "inventory_balance", "inventory_balance_website"],
}
SETUP = """
from odoo.fields import Command
website = env.ref("website.default_website")
product = env["product.template"].search([("name", "=", "Bench Chair")])
if not product:
    color = env["product.attribute"].create({
        "name": "Bench Color",
        "create_variant": "always",
        "value_ids": [Command.create({"name": n}) for n in ("Red", "Blue", "Green")],
    })
    product = env["product.template"].create({
        "name": "Bench Chair",
        "is_storable": True,
        "list_price": 25.0,
        "website_published": True,
        "allow_out_of_stock_order": False,
        "attribute_line_ids": [Command.create({
            "attribute_id": color.id,
            "value_ids": [Command.set(color.value_ids.ids)],
        })],
    })
    stock = env["stock.warehouse"].search([], limit=1).lot_stock_id
    for quantity, variant in zip((20, 3, 0), product.product_variant_ids):
        if quantity:
            env["stock.quant"]._update_available_quantity(variant, stock, quantity)
if "inventory_stock_display" in website._fields:
    assert MODE, "the baseline database has inventory_balance_website"
    website.inventory_stock_display = MODE
print(json.dumps({
    "url": product.website_url,
    "template_id": product.id,
    "product_id": product.product_variant_ids[0].id,
    "ptavs": product.product_variant_ids[0].product_template_attribute_value_ids.ids,
}))
"""


UNINSTALL = """
import sys
sys.path.insert(0, %r)
import _odoo
with _odoo.environment(%r) as env:
    env["ir.module.module"].search(
        [("name", "=", "inventory_balance_website"), ("state", "=", "installed")]
    ).button_immediate_uninstall()
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(database, mode):
    """Create ``database`` if missing; set up the product; set the website's
    stock display to ``mode`` (when the addon is there). Return the product's
    URL and ids. Runs in a child process (one Odoo registry per process)."""
    if not _odoo.database_exists(database):
        _odoo.create_database(database, MODULES[database])
        if database == WITHOUT:
            # The bridge installs itself with website_sale_stock and
            # inventory_balance: take it out of the baseline.
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    UNINSTALL % (str(Path(__file__).resolve().parent), database),
                ],
                check=True,
            )
    code = (
        "import json, sys\n"
        "sys.path.insert(0, %r)\n"
        "import _odoo\n"
        "with _odoo.environment(%r) as env:\n"
        "    MODE = %r\n"
        % (str(Path(__file__).resolve().parent), database, mode)
        + "\n".join("    " + line for line in SETUP.strip().splitlines())
        + "\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def start_server(port):
    command = [
        sys.executable,
        "-m",
        "odoo",
        f"--addons-path={_odoo.addons_path()}",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        "--db-filter=^inv_web_bench_(with|without)$",
        "--max-cron-threads=0",
        "--log-level=warn",
    ]
    server = subprocess.Popen(command)
    for _ in range(120):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("error: the Odoo server did not start")


def measure(port, products, runs):
    """Alternate the databases request by request; best and median seconds."""
    import requests

    sessions = {}
    for database in products:
        session = requests.Session()
        session.headers["X-Odoo-Database"] = database
        sessions[database] = session
    base = f"http://127.0.0.1:{port}"

    def page(database):
        response = sessions[database].get(base + products[database]["url"])
        response.raise_for_status()
        return response.text

    def combination(database):
        info = products[database]
        response = sessions[database].post(
            base + "/website_sale/get_combination_info",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "product_template_id": info["template_id"],
                    "product_id": info["product_id"],
                    "combination": info["ptavs"],
                    "add_qty": 1,
                },
            },
        )
        response.raise_for_status()
        result = response.json()
        if "error" in result:
            raise SystemExit(f"error: {result['error']}")
        return result["result"]

    samples = {(db, what): [] for db in products for what in ("page", "json")}
    order = list(products)
    for round_ in range(runs + 5):
        order.reverse()  # neither database is always the first of a round
        for database in order:
            for what, call in (("page", page), ("json", combination)):
                started = time.perf_counter()
                call(database)
                if round_ >= 5:  # the first rounds warm up QWeb and the caches
                    samples[database, what].append(time.perf_counter() - started)
    checks = {db: (page(db), combination(db)) for db in products}
    return samples, checks


def bench(runs, keep):
    results = []
    port = free_port()
    try:
        for mode in ("exact", "label"):
            products = {WITHOUT: prepare(WITHOUT, None), WITH: prepare(WITH, mode)}
            server = start_server(port)
            try:
                samples, checks = measure(port, products, runs)
            finally:
                server.terminate()
                server.wait(timeout=60)
            with_page, with_json = checks[WITH]
            if mode == "label":
                assert "o_inventory_stock_label" in with_page
                assert "free_qty" not in with_json
            else:
                assert "free_qty" in with_json
            row = {
                "benchmark": "webshop_page",
                "date": datetime.date.today().isoformat(),
                "cores": os.cpu_count(),
                "mode": mode,
                "runs": runs,
            }
            for what in ("page", "json"):
                best_without = min(samples[WITHOUT, what])
                best_with = min(samples[WITH, what])
                row.update(
                    {
                        f"{what}_without_best_s": round(best_without, 4),
                        f"{what}_with_best_s": round(best_with, 4),
                        f"{what}_without_median_s": round(
                            statistics.median(samples[WITHOUT, what]), 4
                        ),
                        f"{what}_with_median_s": round(
                            statistics.median(samples[WITH, what]), 4
                        ),
                        f"{what}_ratio_best": round(best_with / best_without, 3),
                    }
                )
            print(
                f"{mode:>5}: product page without {row['page_without_best_s']:.4f} s, "
                f"with {row['page_with_best_s']:.4f} s, ratio "
                f"{row['page_ratio_best']:.3f} (medians "
                f"{row['page_without_median_s']:.4f} / "
                f"{row['page_with_median_s']:.4f} s); combination info "
                f"{row['json_without_best_s']:.4f} / {row['json_with_best_s']:.4f} s, "
                f"ratio {row['json_ratio_best']:.3f}"
            )
            with RESULTS.open("a") as stream:
                stream.write(json.dumps(row) + "\n")
            results.append(row)
    finally:
        if not keep:
            for database in (WITHOUT, WITH):
                subprocess.run(["dropdb", "--if-exists", database], check=False)
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    args = parser.parse_args(argv)
    bench(args.runs, args.keep)


if __name__ == "__main__":
    main()
