"""Inventory adjustments confirmed by parallel XML-RPC clients on a real server.

4 clients x 25 confirmations of +1 on the same product and location must end
with on hand = start + 100: no lost update, and no error left to a client
(Odoo retries a transaction that lost a serialization race).

Needs an importable Odoo 19 and a reachable PostgreSQL: it creates the database
``<INVENTORY_TEST_DB>_concurrency`` (dropped at the end), serves it on a free
port on 127.0.0.1, and is skipped, saying why, when either is missing.
"""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import xmlrpc.client
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

# Runs made side by side (INVENTORY_TEST_DB) each get their own database.
DB = os.environ.get("INVENTORY_TEST_DB", "inventory_test") + "_concurrency"
CLIENTS, ROUNDS = 4, 25


def _odoo_or_skip():
    try:
        import _odoo

        _odoo.addons_path()
        _odoo.database_exists("postgres")
    except SystemExit as exc:
        pytest.skip(f"needs Odoo 19 and PostgreSQL: {exc}")
    return _odoo


def _free_port():
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    _odoo = _odoo_or_skip()
    log = tmp_path_factory.mktemp("odoo") / "server.log"
    subprocess.run(["dropdb", "--if-exists", DB], check=True)
    subprocess.run(
        _odoo.odoo_command(
            DB, "-i", "inventory_balance", "--stop-after-init", f"--logfile={log}"
        ),
        check=True,
    )
    port = _free_port()
    process = subprocess.Popen(
        _odoo.odoo_command(
            DB,
            f"--http-port={port}",
            "--workers=0",
            "--max-cron-threads=0",
            f"--logfile={log}",
        )
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while True:
            try:
                xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").version()
                break
            except OSError:
                if time.time() > deadline or process.poll() is not None:
                    raise RuntimeError(f"Odoo did not start; see {log}") from None
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=60)
        subprocess.run(["dropdb", "--if-exists", DB], check=False)


def _call(url, uid, model, method, *args, **kwargs):
    proxy = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=False)
    return proxy.execute_kw(DB, uid, "admin", model, method, list(args), kwargs)


def test_parallel_confirmations_lose_nothing(server):
    uid = xmlrpc.client.ServerProxy(f"{server}/xmlrpc/2/common").authenticate(
        DB, "admin", "admin", {}
    )
    assert uid, "admin/admin must log in"
    product_id = _call(
        server, uid, "product.product", "create", {"name": "Raced", "is_storable": True}
    )
    stock_id = _call(
        server,
        uid,
        "stock.warehouse",
        "search_read",
        [],
        fields=["lot_stock_id"],
        limit=1,
    )[0]["lot_stock_id"][0]
    errors = []

    def client(index):
        for round_ in range(ROUNDS):
            try:
                adjustment_id = _call(
                    server,
                    uid,
                    "inventory.adjustment",
                    "create_draft",
                    f"Race {index}-{round_}",
                    "top_up",
                    lines=[
                        {"product_id": product_id, "location_id": stock_id, "change": 1}
                    ],
                )
                _call(server, uid, "inventory.adjustment", "confirm", [adjustment_id])
            except Exception as exc:  # noqa: BLE001 - any error is a failure
                errors.append(f"client {index} round {round_}: {exc}")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    on_hand = _call(
        server, uid, "product.product", "read", [product_id], fields=["qty_available"]
    )[0]["qty_available"]
    assert on_hand == CLIENTS * ROUNDS
    done = _call(
        server,
        uid,
        "inventory.adjustment",
        "search_count",
        [("name", "=like", "Race %"), ("state", "=", "done")],
    )
    assert done == CLIENTS * ROUNDS
