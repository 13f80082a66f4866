#!/usr/bin/env python3
"""Run Odoo's own tests of the modules we extend, without and with our addons.

    python3 scripts/compare_core_tests.py [--tags /stock,/stock_account]
        [--modules stock_account] [--reuse-baseline]

Odoo's tests are meant for a database holding only the tested modules and their
dependencies, and a few fail even there.  So the proof is a comparison: the same
test tags on two fresh databases with the same modules, one also with our
addons; no test that passes without them may fail with them.  Logs go to
``var/core-tests-{without,with}.log``; the new failures are printed and make the
exit code non-zero.
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import _odoo  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
OURS = "inventory_balance,inventory_snapshot,inventory_period_end"
FAILURE = re.compile(r" (?:ERROR|CRITICAL) \S+ (\S+): (?:FAIL|ERROR): (.+?)\s*$")
RESULT = re.compile(
    r"odoo\.tests\.result: (\d+) failed, (\d+) error\(s\) of (\d+) tests"
)


def run(database, modules, tags, log_path, port):
    # Odoo appends to its log file: an earlier run's failures must not count.
    Path(log_path).unlink(missing_ok=True)
    subprocess.run(["dropdb", "--if-exists", database], check=True)
    command = _odoo.odoo_command(
        database,
        "-i",
        ",".join(modules),
        "--test-enable",
        f"--test-tags={tags}",
        "--stop-after-init",
        f"--http-port={port}",
        f"--logfile={log_path}",
    )
    subprocess.run(command, check=False)
    subprocess.run(["dropdb", "--if-exists", database], check=False)


def failures(log_path):
    text = Path(log_path).read_text(errors="replace")
    failed = set()
    for line in text.splitlines():
        match = FAILURE.search(line)
        if match:
            failed.add(f"{match.group(1)}: {match.group(2)}")
    totals = RESULT.findall(text)
    if not totals:
        raise SystemExit(f"error: no test result in {log_path}")
    return failed, totals[-1]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tags", default="/stock,/stock_account")
    parser.add_argument("--modules", default="stock_account")
    parser.add_argument("--ours", default=OURS, help="our addons to add")
    parser.add_argument("--reuse-baseline", action="store_true")
    args = parser.parse_args(argv)
    var = REPO / "var"
    var.mkdir(exist_ok=True)
    modules = args.modules.split(",")
    without_log = var / "core-tests-without.log"
    with_log = var / "core-tests-with.log"
    if not (args.reuse_baseline and without_log.exists()):
        run("inventory_core_without", modules, args.tags, without_log, 8191)
    ours = args.ours.split(",")
    run("inventory_core_with", modules + ours, args.tags, with_log, 8192)
    base_failed, base_totals = failures(without_log)
    ours_failed, ours_totals = failures(with_log)
    print(f"tags {args.tags} on modules {','.join(modules)}")
    print("without our addons: {} failed, {} errors of {} tests".format(*base_totals))
    print(
        f"with {args.ours}: {{}} failed, {{}} errors of {{}} tests".format(*ours_totals)
    )
    for name in sorted(base_failed):
        print(f"  fails in both runs' baseline: {name}")
    new = sorted(ours_failed - base_failed)
    for name in new:
        print(f"  NEW FAILURE with our addons: {name}")
    if base_totals[2] != ours_totals[2]:
        print("warning: the two runs did not run the same number of tests")
    print(f"{len(new)} new failures")
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
