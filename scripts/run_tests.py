#!/usr/bin/env python3
"""Run the whole test suite of the repository and print one closing line.

1. The top-level ``tests/`` folder with plain pytest (no Odoo ORM needed).
2. When an Odoo 19 can be run (importable by this Python, or a source tree in
   ``$ODOO_SRC``): a fresh database, the dependencies of our addons installed
   first, then our addons installed with ``--test-enable``, the way the OCA's
   CI does it. The full log goes to ``var/odoo-test.log``; any log line at
   WARNING, ERROR or CRITICAL level counts as a failure.
3. One closing line ``N passed, N failed, N skipped`` and a non-zero exit code
   on any failure.

Standard library only: it runs before anything is installed. The Python that
runs this script is the one used for pytest and Odoo (``scripts/test.sh``
picks it from ``$INVENTORY_PYTHON``).

Environment: INVENTORY_TEST_DB (default ``inventory_test``),
INVENTORY_TEST_TAGS (passed to Odoo as ``--test-tags``), INVENTORY_TEST_PYTEST
(``0`` leaves out the pytest part, for a developer's run of some Odoo tests),
ODOO_SRC, and the usual PGHOST, PGPORT, PGUSER, PGPASSWORD.
"""

import argparse
import ast
import os
import re
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VAR = os.path.join(REPO, "var")
# INVENTORY_TEST_LOG_TAG keeps the logs of runs made side by side apart.
_LOG_TAG = os.environ.get("INVENTORY_TEST_LOG_TAG", "")
ODOO_LOG = os.path.join(VAR, f"odoo-test{_LOG_TAG and '-' + _LOG_TAG}.log")
ODOO_DEPS_LOG = os.path.join(VAR, f"odoo-test-deps{_LOG_TAG and '-' + _LOG_TAG}.log")
ODOO_CONF = os.path.join(VAR, f"odoo-test{_LOG_TAG and '-' + _LOG_TAG}.conf")
PYTEST_XML = os.path.join(VAR, f"pytest-junit{_LOG_TAG and '-' + _LOG_TAG}.xml")

# An Odoo log record: "2026-01-31 12:00:00,123 4242 WARNING dbname logger: msg"
LOG_RECORD = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \d+ "
    r"(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL) "
    r"(?P<db>\S+) (?P<logger>\S+): (?P<msg>.*)$"
)
# odoo/tests/result.py OdooTestResult.__str__, logged by odoo/service/server.py
REPORT = re.compile(
    r"(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests "
    r"when loading database '(?P<db>[^']*)'"
)
# odoo/tests/result.py OdooTestResult.addSkip
SKIPPED = re.compile(r"^skipped (?P<test>.+?) : (?P<reason>.*)$")
# odoo/tests/result.py OdooTestResult.logError: the failures themselves
TEST_FAILURE = re.compile(r"^(FAIL|ERROR): ")
# A few INFO records echoed as progress while Odoo runs
PROGRESS = re.compile(
    r"^(Loading module \S+ \(|Modules loaded|Starting post tests|\d+ post-tests in "
    r"|Initializing database)"
)

PG_SNIPPET = """
import sys
import psycopg2
try:
    conn = psycopg2.connect(dbname="postgres")
except psycopg2.Error as exc:
    print(str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc))
    sys.exit(3)
conn.close()
"""


def say(msg=""):
    print(msg, flush=True)


def banner(msg):
    say()
    say("=" * 78)
    say(msg)
    say("=" * 78)


# ---------------------------------------------------------------------------
# pytest
# ---------------------------------------------------------------------------


def run_pytest():
    """Run ``tests/`` with pytest; return (passed, failed, skipped)."""
    banner("pytest: tests/")
    if not os.path.isdir(os.path.join(REPO, "tests")):
        say("no tests/ folder: nothing to run")
        return 0, 0, 0
    probe = subprocess.run(
        [sys.executable, "-c", "import pytest"], capture_output=True, text=True
    )
    if probe.returncode:
        say(f"pytest is not installed for {sys.executable}:")
        say("  pip install -r requirements-test.txt")
        return 0, 1, 0
    os.makedirs(VAR, exist_ok=True)
    if os.path.exists(PYTEST_XML):
        os.remove(PYTEST_XML)
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-rs",
        "-p",
        "no:cacheprovider",
        f"--junitxml={PYTEST_XML}",
        "tests",
    ]
    rc = subprocess.call(cmd, cwd=REPO)
    if rc == 5:  # pytest: no tests collected
        say("pytest collected no tests")
        return 0, 0, 0
    try:
        root = ET.parse(PYTEST_XML).getroot()
    except (OSError, ET.ParseError) as exc:
        say(f"pytest exited {rc} without a readable report ({exc})")
        return 0, 1, 0
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    total = failed = skipped = 0
    for suite in suites:
        total += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
    passed = max(total - failed - skipped, 0)
    if rc not in (0, 1) and not failed:
        say(f"pytest exited with code {rc}")
        failed = 1
    return passed, failed, skipped


# ---------------------------------------------------------------------------
# Odoo
# ---------------------------------------------------------------------------


def read_manifest(addon_dir):
    with open(os.path.join(addon_dir, "__manifest__.py"), encoding="utf-8") as f:
        return ast.literal_eval(f.read())


def our_addons():
    """Installable addons at the repository root: {name: manifest}."""
    addons = {}
    for name in sorted(os.listdir(REPO)):
        path = os.path.join(REPO, name)
        if not os.path.isfile(os.path.join(path, "__manifest__.py")):
            continue
        manifest = read_manifest(path)
        if manifest.get("installable", True):
            addons[name] = manifest
    return addons


def without_missing_depends(addons, odoo_dirs):
    """Our addons whose dependencies can all be installed, and the others
    ``{name: missing dependencies}``: a bridge to an optional addon that is not
    installed here (e.g. inventory_balance_queue_job without OCA's queue_job)
    is left out of the run, and its tests with it."""
    available = set(addons)
    for path in odoo_dirs:
        available.update(
            e
            for e in os.listdir(path)
            if os.path.isfile(os.path.join(path, e, "__manifest__.py"))
        )
    kept, left_out = dict(addons), {}
    changed = True
    while changed:
        changed = False
        for name, manifest in list(kept.items()):
            missing = [
                dep
                for dep in manifest.get("depends", [])
                if dep not in available or dep in left_out
            ]
            if missing:
                left_out[name] = missing
                del kept[name]
                changed = True
    return kept, left_out


def external_depends(addons):
    """Direct dependencies of our addons that are not our addons."""
    deps = set()
    for manifest in addons.values():
        deps.update(manifest.get("depends", []))
    return sorted(deps - set(addons))


def is_addons_dir(path):
    try:
        entries = os.listdir(path)
    except OSError:
        return False
    return any(
        os.path.isfile(os.path.join(path, e, "__manifest__.py"))
        and os.path.isfile(os.path.join(path, e, "__init__.py"))
        for e in entries
    )


def find_odoo():
    """Return (command prefix, odoo addons dirs, None) or (None, None, why)."""
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, odoo.release, odoo.addons\n"
            "assert odoo.release.version_info[0] == 19, odoo.release.version\n"
            "root = os.path.dirname(os.path.abspath(odoo.release.__file__))\n"
            "paths = list(odoo.addons.__path__)\n"
            "paths.append(os.path.join(os.path.dirname(root), 'addons'))\n"
            "print('\\n'.join(paths))\n",
        ],
        capture_output=True,
        text=True,
        cwd="/",
    )
    if probe.returncode == 0:
        dirs = []
        for path in probe.stdout.splitlines():
            path = os.path.realpath(path)
            if path not in dirs and path != REPO and is_addons_dir(path):
                dirs.append(path)
        return [sys.executable, "-m", "odoo"], dirs, None
    why = (probe.stderr.strip().splitlines() or ["no output"])[-1]
    src = os.environ.get("ODOO_SRC")
    if src:
        odoo_bin = os.path.join(src, "odoo-bin")
        if os.path.isfile(odoo_bin):
            dirs = [
                d
                for d in (
                    os.path.join(src, "addons"),
                    os.path.join(src, "odoo", "addons"),
                )
                if is_addons_dir(d)
            ]
            return [sys.executable, odoo_bin], dirs, None
        return None, None, f"ODOO_SRC={src} has no odoo-bin"
    return (
        None,
        None,
        (f"no Odoo 19 importable by {sys.executable} ({why}) and ODOO_SRC is not set"),
    )


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def check_postgres():
    """Return None when PostgreSQL answers, else the reason."""
    res = subprocess.run(
        [sys.executable, "-c", PG_SNIPPET], capture_output=True, text=True
    )
    if res.returncode == 0:
        return None
    return (res.stdout.strip() or res.stderr.strip() or "unknown error").splitlines()[
        -1
    ]


def drop_db(odoo_cmd, db):
    """Drop the database and its filestore (odoo db drop); quiet if absent."""
    subprocess.run(
        odoo_cmd + ["db", "drop", db],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def run_logged(cmd, logfile, echo_levels=("WARNING", "ERROR", "CRITICAL")):
    """Run cmd with its output in logfile; echo problem records; return rc."""
    say("$ " + " ".join(cmd))
    say(f"  (full log: {os.path.relpath(logfile, REPO)})")
    with open(logfile, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            errors="replace",
        )
        echoing = False
        for line in proc.stdout:
            log.write(line)
            match = LOG_RECORD.match(line)
            if match:
                echoing = match["level"] in echo_levels
                if PROGRESS.match(match["msg"]):
                    say("  " + match["msg"].strip()[:100])
            if echoing:
                sys.stdout.write("  | " + line)
        return proc.wait()


def parse_log(logfile):
    """Read an Odoo log: the test report, skipped tests and problem records."""
    result = {"report": None, "skipped": [], "problems": []}
    record = None
    with open(logfile, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    records = []
    for line in lines:
        match = LOG_RECORD.match(line)
        if match:
            record = [match, [line]]
            records.append(record)
        elif record is not None:
            record[1].append(line)
    for match, text in records:
        msg = match["msg"]
        report = REPORT.search(msg)
        if report and match["logger"] == "odoo.tests.result":
            result["report"] = {k: int(report[k]) for k in ("failed", "errors", "run")}
            continue
        skipped = SKIPPED.match(msg)
        if skipped and match["level"] == "INFO":
            result["skipped"].append(skipped["test"] + " : " + skipped["reason"])
            continue
        if match["level"] in ("WARNING", "ERROR", "CRITICAL"):
            result["problems"].append((match, text))
    return result


def run_odoo_tests(odoo_cmd, odoo_dirs, keep_db):
    """Return (passed, failed, skipped)."""
    addons = our_addons()
    if not addons:
        say("no installable addon at the repository root")
        return 0, 0, 0
    db = os.environ.get("INVENTORY_TEST_DB") or "inventory_test"
    tags = os.environ.get("INVENTORY_TEST_TAGS")
    addons, left_out = without_missing_depends(addons, odoo_dirs)
    for name, missing in left_out.items():
        say(
            f"SKIPPED {name} and its tests: it needs {', '.join(missing)}, "
            "not installed here (see its readme)"
        )
    banner(f"Odoo tests: {', '.join(addons)} in database {db}")
    reason = check_postgres()
    if reason:
        say(f"PostgreSQL is not reachable: {reason}")
        say("Set PGHOST, PGPORT, PGUSER and PGPASSWORD (or start PostgreSQL).")
        return 0, 1, 0
    os.makedirs(VAR, exist_ok=True)
    addons_path = ",".join(odoo_dirs + [REPO])
    # For a developer's one-test-at-a-time runs with pytest-odoo on the kept
    # database: pytest --odoo-config=var/odoo-test.conf --odoo-database=DB ...
    with open(ODOO_CONF, "w", encoding="utf-8") as conf:
        conf.write(f"[options]\naddons_path = {addons_path}\ndb_name = {db}\n")
    common = [
        "--stop-after-init",
        "--http-interface=127.0.0.1",
        f"--addons-path={addons_path}",
        "--log-level=info",
    ]
    drop_db(odoo_cmd, db)
    # 1. What our addons depend on, without tests (OCA's oca_install_addons).
    deps = external_depends(addons)
    say(f"installing the dependencies first: {', '.join(deps) or 'base'}")
    rc = run_logged(
        odoo_cmd
        + ["-d", db, "-i", ",".join(deps or ["base"]), f"--http-port={free_port()}"]
        + common,
        ODOO_DEPS_LOG,
        echo_levels=("ERROR", "CRITICAL"),
    )
    if rc:
        say(f"installing the dependencies failed (exit {rc}), see {ODOO_DEPS_LOG}")
        if not keep_db:
            drop_db(odoo_cmd, db)
        return 0, 1, 0
    # 2. Our addons, with their tests (OCA's oca_run_tests).
    cmd = odoo_cmd + [
        "-d",
        db,
        "-i",
        ",".join(addons),
        "--test-enable",
        f"--http-port={free_port()}",
    ]
    if tags:
        cmd.append(f"--test-tags={tags}")
    rc = run_logged(cmd + common, ODOO_LOG)
    log = parse_log(ODOO_LOG)
    if not keep_db:
        drop_db(odoo_cmd, db)
    else:
        say(f"kept the database {db}")

    report = log["report"]
    failed = 0
    if report is None:
        say(
            "Odoo logged no test report (it stopped before the end): counted as failure"
        )
        failed += 1
        run = failures = 0
    else:
        run = report["run"]
        failures = report["failed"] + report["errors"]
        failed += failures
        say(
            f"Odoo: {run} tests run, {report['failed']} failed, "
            f"{report['errors']} error(s), {len(log['skipped'])} skipped"
        )
        if run == 0:
            say("NOTE: Odoo ran no test of our addons (no tests/test_*.py imported?)")
    for line in log["skipped"]:
        say(f"  skipped {line}")
    # Any WARNING/ERROR/CRITICAL record is a failure (the OCA's CI rule); the
    # records of the failing tests themselves are already counted above.
    extra = [
        (match, text)
        for match, text in log["problems"]
        if not (TEST_FAILURE.match(match["msg"]) and failures)
    ]
    if log["problems"]:
        say(f"{len(log['problems'])} log record(s) at WARNING level or above:")
        for _match, text in log["problems"]:
            say("  | " + "\n  | ".join(text[:30]))
            if len(text) > 30:
                say(f"  | ... ({len(text) - 30} more lines in the log)")
    failed += len(extra)
    if rc and not failed:
        say(f"Odoo exited with code {rc}")
        failed = 1
    skipped = len(log["skipped"])
    passed = max(run - failures - skipped, 0)
    return passed, failed, skipped


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--keep-db",
        action="store_true",
        help="keep the Odoo test database after the run",
    )
    args = parser.parse_args()
    os.chdir(REPO)
    say(f"Python: {sys.executable} ({sys.version.split()[0]})")

    if os.environ.get("INVENTORY_TEST_PYTEST", "1") == "0":
        say("pytest: tests/ left out (INVENTORY_TEST_PYTEST=0)")
        passed = failed = skipped = 0
    else:
        passed, failed, skipped = run_pytest()
    odoo_skip_reason = None
    odoo_cmd, odoo_dirs, why = find_odoo()
    if odoo_cmd is None:
        odoo_skip_reason = why
    else:
        o_passed, o_failed, o_skipped = run_odoo_tests(
            odoo_cmd, odoo_dirs, args.keep_db
        )
        passed += o_passed
        failed += o_failed
        skipped += o_skipped

    say()
    if odoo_skip_reason:
        say("!" * 78)
        say(f"SKIPPED Odoo tests: {odoo_skip_reason}")
        say("!" * 78)
    say(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
