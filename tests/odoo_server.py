"""A real Odoo server for the tests that talk to one over HTTP.

One database per run, ``<INVENTORY_TEST_DB>_server``, with our addons and demo
data installed as ``scripts/run.sh`` makes the demo database (the website
bridge with ``website_sale_stock`` when Odoo has it), served on a free port on
127.0.0.1 with one worker and no cron thread, logged in as admin / admin, and
an API key of admin for the JSON-2 API. The database is dropped at the end.

The fixture ``odoo_server`` (``conftest.py``) starts it once for the whole
session and is skipped, saying why, when Odoo 19 or PostgreSQL is missing.
"""

import contextlib
import dataclasses
import os
import re
import socket
import subprocess
import sys
import time
import xmlrpc.client
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Runs made side by side (INVENTORY_TEST_DB) each get their own database.
DB = os.environ.get("INVENTORY_TEST_DB", "inventory_test") + "_server"
ADDONS = ["inventory_balance", "inventory_snapshot", "inventory_period_end"]
# Installed when Odoo has them, as scripts/run.sh does for the demo database
# (the bridge inventory_balance_website installs itself with them).
OPTIONAL = ["website_sale_stock"]

API_KEY_SCRIPT = """
from datetime import timedelta
from odoo import fields
admin = env.ref("base.user_admin")
key = env["res.users.apikeys"].with_user(admin).sudo()._generate(
    None, "tests", fields.Datetime.now() + timedelta(days=1)
)
env.cr.commit()
print("API-KEY=" + key)
"""


@dataclasses.dataclass
class Server:
    url: str
    db: str
    login: str
    password: str
    api_key: str
    log: Path

    def uid(self):
        return xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common").authenticate(
            self.db, self.login, self.password, {}
        )

    def call(self, model, method, *args, **kwargs):
        """``execute_kw`` as admin."""
        proxy = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object")
        return proxy.execute_kw(
            self.db, self.uid(), self.password, model, method, list(args), kwargs
        )


def _odoo_or_skip():
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import _odoo

        _odoo.addons_path()
        _odoo.database_exists("postgres")
    except SystemExit as exc:
        pytest.skip(f"needs Odoo 19 and PostgreSQL: {exc}")
    finally:
        sys.path.pop(0)
    return _odoo


def _free_port():
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _available(name, addons_path):
    """Whether Odoo has the addon ``name``: in the addons path, or in the
    ``addons`` folder of the source tree Odoo runs from (added by Odoo)."""
    import odoo.release

    folders = addons_path.split(",")
    folders.append(str(Path(odoo.release.__file__).resolve().parent.parent / "addons"))
    return any(
        (Path(folder) / name / "__manifest__.py").is_file() for folder in folders
    )


def _api_key(_odoo, log):
    """A new API key of admin, made by ``odoo shell``."""
    command = _odoo.odoo_command(DB, "--no-http", f"--logfile={log}")
    # ``shell`` is a sub-command: it comes before the options
    runner_end = command.index("-d")
    command = command[:runner_end] + ["shell"] + command[runner_end:]
    result = subprocess.run(
        command,
        input=API_KEY_SCRIPT,
        capture_output=True,
        text=True,
        check=True,
    )
    match = re.search(r"API-KEY=(\w+)", result.stdout)
    if not match:
        raise RuntimeError(f"no API key made: {result.stdout}{result.stderr}")
    return match.group(1)


@contextlib.contextmanager
def serve(log_dir):
    """Install, serve and yield a :class:`Server`; stop and drop at the end.

    A developer who iterates on the readme examples serves a demo database
    once and sets ``INVENTORY_TEST_SERVER=<url> <database> <api key>``: the
    tests then use that server (admin / admin) and neither install nor drop
    anything.
    """
    given = os.environ.get("INVENTORY_TEST_SERVER")
    if given:
        url, db, api_key = given.split()
        yield Server(url, db, "admin", "admin", api_key, None)
        return
    _odoo = _odoo_or_skip()
    log = Path(log_dir) / "server.log"
    addons_path = _odoo.addons_path()
    modules = ADDONS + [name for name in OPTIONAL if _available(name, addons_path)]
    subprocess.run(["dropdb", "--if-exists", DB], check=True)
    process = None
    try:
        subprocess.run(
            _odoo.odoo_command(
                DB,
                "-i",
                ",".join(modules),
                "--with-demo",
                "--stop-after-init",
                f"--logfile={log}",
            ),
            check=True,
        )
        api_key = _api_key(_odoo, log)
        port = _free_port()
        process = subprocess.Popen(
            _odoo.odoo_command(
                DB,
                f"--http-port={port}",
                "--workers=0",
                "--max-cron-threads=0",
                f"--db-filter=^{DB}$",
                f"--logfile={log}",
            )
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 180
        while True:
            try:
                xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").version()
                break
            except OSError:
                if time.time() > deadline or process.poll() is not None:
                    raise RuntimeError(f"Odoo did not start; see {log}") from None
                time.sleep(0.5)
        yield Server(url, DB, "admin", "admin", api_key, log)
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=60)
        subprocess.run(["dropdb", "--if-exists", DB], check=False)
