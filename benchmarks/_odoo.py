"""Open an Odoo 19 environment on a database, for the generator and benchmarks.

Odoo is found the way the test command finds it: importable already, or a
source tree given by ``ODOO_SRC``.  The repository root is added to the addons
path.  PostgreSQL comes from the usual ``PG*`` variables.
"""

import contextlib
import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BASE_MODULES = ["inventory_balance", "stock_account"]
_CONFIGURED = False


def _odoo_src():
    src = os.environ.get("ODOO_SRC")
    if src:
        src = Path(src).resolve()
        if not (src / "odoo" / "release.py").exists():
            raise SystemExit(f"error: ODOO_SRC={src} is not an Odoo source tree")
        if str(src) not in sys.path:
            sys.path.insert(0, str(src))
        return src
    return None


def addons_path():
    src = _odoo_src()
    try:
        import odoo.release

        import odoo.addons
    except ImportError as exc:
        raise SystemExit(
            "error: Odoo 19 is not importable; install it or set ODOO_SRC "
            f"to an Odoo 19 source tree ({exc})"
        ) from exc
    if odoo.release.version_info[0] != 19:
        raise SystemExit(f"error: Odoo {odoo.release.version} found, 19 needed")
    paths = [str(Path(p)) for p in odoo.addons.__path__ if Path(p).is_dir()]
    if src and (src / "addons").is_dir():
        paths.append(str(src / "addons"))
    paths.append(str(REPO))
    return ",".join(dict.fromkeys(paths))


def load_spec_module():
    """The generator's pure spec module, loaded without Odoo."""
    path = REPO / "inventory_balance" / "tools" / "generator_spec.py"
    spec = importlib.util.spec_from_file_location("generator_spec", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def odoo_command(database, *args):
    """Command line running the Odoo server on ``database``."""
    path = addons_path()
    src = _odoo_src()
    runner = [str(src / "odoo-bin")] if src else ["-m", "odoo"]
    return [
        sys.executable,
        *runner,
        "-d",
        database,
        f"--addons-path={path}",
        "--http-interface=127.0.0.1",
        *args,
    ]


def database_exists(database):
    import psycopg2

    try:
        connection = psycopg2.connect(dbname="postgres")
    except psycopg2.OperationalError as exc:
        raise SystemExit(
            "error: PostgreSQL is not reachable; set PGHOST, PGPORT, PGUSER "
            f"(and PGPASSWORD): {exc}"
        ) from exc
    with contextlib.closing(connection), connection.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
        return bool(cr.fetchone())


def create_database(database, modules=BASE_MODULES):
    """Create ``database`` with ``modules`` installed (no demo data)."""
    command = odoo_command(
        database, "-i", ",".join(modules), "--stop-after-init", "--log-level=warn"
    )
    subprocess.run(command, check=True)


@contextlib.contextmanager
def environment(database):
    """Yield a superuser environment on ``database``; commits on success."""
    import odoo
    from odoo.tools import config

    global _CONFIGURED
    if not _CONFIGURED:
        _CONFIGURED = True
        config.parse_config(
            [
                f"--addons-path={addons_path()}",
                "--log-level=warn",
                "--http-interface=127.0.0.1",
            ]
        )
    from odoo.modules.registry import Registry

    registry = Registry(database)
    with registry.cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})


def best_of(runs, function):
    """Best time of ``runs`` calls of ``function``, and its last result."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return min(times), result
