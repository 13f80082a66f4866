#!/usr/bin/env python3
"""Read-heavy JSON-2 clients with a hot-standby replica vs without it (issue 18).

    python3 benchmarks/bench_replica.py [--clients 1,4,8] [--seconds 30]
        [--writers 1] [--source inventory_bench_1m] [--snapshot-bins 4]
        [--primary-port P] [--standby-port S] [--http-port H]
    python3 benchmarks/bench_replica.py --cleanup <workdir>

Run as root (PostgreSQL's tools run as the ``postgres`` system user, Odoo as
root). In one run it:

1. creates its own pair of PostgreSQL 15 clusters in a new work folder
   (``/tmp/bench_replica_<token>``, ``--workdir`` to change the parent) on
   free ports: a primary (``initdb``, ``wal_level=replica``, a replication
   role, ``pg_stat_statements``) and, later, a hot standby
   (``pg_basebackup -R``); each data folder carries a marker file with the
   run's random token, and the script stops or removes only a cluster whose
   marker it wrote;
2. copies the generated database ``--source`` of the main cluster into the
   primary (``pg_dump``, read-only on the source, then ``pg_restore``),
   updates ``inventory_balance``, installs ``inventory_snapshot``, builds the
   monthly ledger checkpoints as the scheduled action does, takes two
   snapshots (a past moment and now, ``--snapshot-bins`` bins), makes an API
   key of admin, and only then makes the standby;
3. starts Odoo 19 (``--workers=2``, no cron) on the primary with
   ``--db_replica_host/--db_replica_port`` on the standby, and for each N of
   ``--clients`` runs N JSON-2 clients for ``--seconds`` calling the
   ``@api.readonly`` methods ``inventory.ledger/balances_at`` (product totals
   at past moments), ``inventory.snapshot/compare_snapshots`` (a page of 80
   rows) and ``inventory.snapshot/export_snapshot`` (CSV), while ``--writers``
   other clients create and confirm inventory adjustments (read/write: the
   primary);
4. restarts Odoo without the replica options and runs the same loads;
5. measures throughput and latency (median, p95) per N and mode; the
   clusters' own statistics before and after each load (``pg_stat_database``
   transactions and tuples, ``pg_stat_statements`` calls of the statements
   that read checkpoint lines and snapshot lines) and a sampling of
   ``pg_stat_activity``; and Odoo's log (any read-only request retried on the
   primary, any replica connection failure);
6. checks the answers: after the replica loads, the writers stopped, it waits
   until the standby replayed the primary's WAL position
   (``pg_last_wal_replay_lsn``), calls every request once more through the
   replica and once directly on the primary (an ``odoo shell`` on the
   primary), plus the balances now of the products the writers changed; every
   answer read during the loads, in both modes, must equal the primary's;
7. stops Odoo and both clusters and removes the work folder, also on error or
   on SIGINT/SIGTERM (``--keep`` keeps the folder, stopped, for a look).

Figures are printed and appended to ``benchmarks/results.jsonl``. Wrong
arguments (a bad N, a port in use, ...) are refused with a message and exit
code 2.
"""

import argparse
import contextlib
import datetime
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _odoo  # noqa: E402
from _replica_load import (  # noqa: E402
    ActivitySampler,
    adjust,
    call,
    cluster_stats,
    load,
    now_request,
    read_requests,
    stats_delta,
)
from _replica_pair import (  # noqa: E402
    DATABASE,
    PG_BIN,
    PREFIX,
    Refused,
    cleanup_command,
    free_port,
    load_database,
    make_primary,
    make_standby,
    port_in_use,
    remove_workdir,
    stop_cluster,
    vacuum_analyze,
    wait_caught_up,
)

RESULTS = Path(__file__).resolve().parent / "results.jsonl"
MAX_CLIENTS = 64


# --------------------------------------------------------------- arguments
def parse_clients(text):
    """``"1,4,8"`` -> ``[1, 4, 8]``; :raise ValueError: with the reason."""
    parts = [part.strip() for part in str(text).split(",")]
    if not text or not all(parts):
        raise ValueError(f"--clients {text!r}: give numbers separated by commas")
    counts = []
    for part in parts:
        if not re.fullmatch(r"\d+", part):
            raise ValueError(f"--clients: {part!r} is not a whole number")
        count = int(part)
        if not 1 <= count <= MAX_CLIENTS:
            raise ValueError(f"--clients: {count} is not between 1 and {MAX_CLIENTS}")
        if count in counts:
            raise ValueError(f"--clients: {count} is given twice")
        counts.append(count)
    return counts


def validate(args):
    """The reasons to refuse ``args`` (a list of messages, empty when fine).
    Fills ``args.client_counts`` and the ports left to choose."""
    errors = []
    try:
        args.client_counts = parse_clients(args.clients)
    except ValueError as exc:
        errors.append(str(exc))
    if not 5 <= args.seconds <= 3600:
        errors.append(f"--seconds {args.seconds}: between 5 and 3600")
    if not 0 <= args.writers <= 16:
        errors.append(f"--writers {args.writers}: between 0 and 16")
    if not 1 <= args.snapshot_bins <= 1000:
        errors.append(f"--snapshot-bins {args.snapshot_bins}: between 1 and 1000")
    if not re.fullmatch(r"[A-Za-z0-9_]{1,63}", args.source or ""):
        errors.append(f"--source {args.source!r}: not a database name")
    given = []
    for name in ("primary_port", "standby_port", "http_port"):
        port = getattr(args, name)
        option = "--" + name.replace("_", "-")
        if port is None:
            continue
        if not 1024 <= port <= 65535:
            errors.append(f"{option} {port}: between 1024 and 65535")
        elif port in given:
            errors.append(f"{option} {port}: given twice")
        elif port_in_use(port):
            errors.append(f"{option} {port}: in use on 127.0.0.1")
        given.append(port)
    modes = [mode.strip() for mode in str(args.order).split(",")]
    if sorted(modes) != ["primary", "replica"]:
        errors.append(f"--order {args.order!r}: replica,primary or primary,replica")
    args.modes = modes
    parent = Path(args.workdir)
    if not parent.is_dir():
        errors.append(f"--workdir {parent}: no such folder")
    if not errors:
        for name in ("primary_port", "standby_port", "http_port", "gevent_port"):
            if getattr(args, name, None) is None:
                port = free_port(given)
                setattr(args, name, port)
                given.append(port)
    return errors


def check_environment():
    """The reasons this machine cannot run the benchmark (messages)."""
    errors = []
    if os.geteuid() != 0:
        errors.append(
            "run as root: PostgreSQL's tools run as the postgres user "
            "(runuser), Odoo as root"
        )
    for tool in ("initdb", "pg_ctl", "pg_basebackup", "pg_dump", "pg_restore"):
        if not (PG_BIN / tool).is_file():
            errors.append(f"{PG_BIN / tool} is missing (PostgreSQL 15 needed)")
    if not shutil.which("runuser"):
        errors.append("runuser is missing")
    return errors


# -------------------------------------------------------------------- Odoo
SETUP_SCRIPT = """
import json
from datetime import timedelta
from odoo import fields
Checkpoint = env["inventory.ledger.checkpoint"]
Checkpoint._plan_checkpoints()
while Checkpoint._run_builds(None, commit=False):
    pass
env.cr.commit()
admin = env.ref("base.user_admin")
key = env["res.users.apikeys"].with_user(admin).sudo()._generate(
    None, "bench_replica", fields.Datetime.now() + timedelta(days=1)
)
env.cr.execute("SELECT MIN(date), MAX(date) FROM stock_move_line")
first, last = env.cr.fetchone()
env.cr.execute(
    "SELECT q.location_id FROM stock_quant q "
    "JOIN stock_location l ON l.id = q.location_id WHERE l.usage = 'internal' "
    "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT %s",
    [BINS],
)
bins = [row[0] for row in env.cr.fetchall()]
Snapshot = env["inventory.snapshot"]
past = Snapshot.take_snapshot(
    "Bench replica past", moment=first + (last - first) * 3 / 4, location_ids=bins
)
now = Snapshot.take_snapshot("Bench replica now", location_ids=bins)
snapshots = Snapshot.browse([past, now])
if any(snapshots.mapped("lines_checkpoint_id")):
    snapshots.verify()
rows = Snapshot.compare_snapshots([past, now], limit=1)["row_count"]
env.cr.execute(
    "SELECT q.product_id, q.location_id FROM stock_quant q "
    "JOIN stock_location l ON l.id = q.location_id "
    "JOIN product_product p ON p.id = q.product_id "
    "JOIN product_template t ON t.id = p.product_tmpl_id "
    "WHERE l.usage = 'internal' AND t.tracking = 'none' AND q.quantity > 0 "
    "AND q.lot_id IS NULL AND q.package_id IS NULL ORDER BY q.id LIMIT 32"
)
targets = env.cr.fetchall()
env.cr.execute("SELECT count(*) FROM inventory_ledger_checkpoint")
checkpoints = env.cr.fetchone()[0]
env.cr.commit()
print("BENCH-SETUP=" + json.dumps({
    "api_key": key,
    "first": str(first),
    "last": str(last),
    "snapshots": [past, now],
    "snapshot_lines": snapshots.mapped("line_count"),
    "compare_rows": rows,
    "targets": targets,
    "checkpoints": checkpoints,
    "admin": admin.id,
}))
"""

DIRECT_SCRIPT = """
import json
from odoo.tools import json_default
admin = env.ref("base.user_admin")
user_env = env(user=admin.id, context=admin.context_get())
out = {}
for key, (model, method, body) in REQUESTS.items():
    body = dict(body)
    ids = body.pop("ids", None)
    records = user_env[model].browse(ids) if ids else user_env[model]
    result = getattr(records, method)(**body)
    out[key] = json.loads(json.dumps(result, ensure_ascii=False, default=json_default))
print("BENCH-DIRECT=" + json.dumps(out))
"""


def odoo_db_args(primary, standby=None, data_dir=None):
    args = [
        "--db_host=127.0.0.1",
        f"--db_port={primary.port}",
        "--db_user=root",
        f"--db-filter=^{DATABASE}$",
    ]
    if standby is not None:
        args += ["--db_replica_host=127.0.0.1", f"--db_replica_port={standby.port}"]
    if data_dir:
        args.append(f"--data-dir={data_dir}")
    return args


def odoo_shell(primary, script, marker, data_dir, log):
    command = _odoo.odoo_command(
        DATABASE, *odoo_db_args(primary, data_dir=data_dir), "--no-http"
    )
    command.append(f"--logfile={log}")
    runner_end = command.index("-d")
    command = command[:runner_end] + ["shell"] + command[runner_end:]
    done = subprocess.run(
        command, input=script, capture_output=True, text=True, check=False
    )
    match = re.search(rf"^{marker}=(.*)$", done.stdout, re.M)
    if done.returncode or not match:
        raise RuntimeError(
            f"odoo shell failed ({done.returncode}): {done.stdout[-2000:]}"
            f"{done.stderr[-2000:]} (log {log})"
        )
    return json.loads(match.group(1))


def install(primary, data_dir, log):
    subprocess.run(
        _odoo.odoo_command(
            DATABASE,
            *odoo_db_args(primary, data_dir=data_dir),
            "-u",
            "inventory_balance",
            "-i",
            "inventory_snapshot",
            "--stop-after-init",
            "--no-http",
            f"--logfile={log}",
        ),
        check=True,
    )


# In prefork mode Odoo spawns its websocket process as ``python sys.argv[0]
# gevent ...`` and respawns it whenever it exits: with ``python -m odoo`` that
# is odoo/__main__.py, which cannot run as a script, and where gevent cannot
# patch (a broken zope.interface here) it dies at once, over and over. No
# client of this benchmark opens a websocket: the launcher keeps an idle
# stand-in in its place and starts Odoo's own command line otherwise.
LAUNCHER = """import signal
import sys

if sys.argv[1:2] == ["gevent"]:
    signal.pause()
else:
    import odoo.cli

    odoo.cli.main()
"""


class Odoo:
    def __init__(self, args, primary, standby, data_dir, log):
        self.url = f"http://127.0.0.1:{args.http_port}"
        self.log = Path(log)
        self.log_offset = self.log.stat().st_size if self.log.exists() else 0
        command = _odoo.odoo_command(
            DATABASE,
            *odoo_db_args(primary, standby, data_dir),
            f"--http-port={args.http_port}",
            f"--gevent-port={args.gevent_port}",
            "--workers=2",
            "--max-cron-threads=0",
            "--limit-time-real=600",
            "--limit-time-cpu=600",
            f"--logfile={log}",
        )
        launcher = Path(data_dir).parent / "odoo_launcher.py"
        launcher.write_text(LAUNCHER, encoding="utf-8")
        command[1 : command.index("-d")] = [str(launcher)]
        self.process = subprocess.Popen(command, start_new_session=True)
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/web/health", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"Odoo did not start; see {log}") from None
                time.sleep(0.5)

    def stop(self):
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)

    def log_findings(self):
        """Counts of what Odoo's log says since this server started."""
        with self.log.open(encoding="utf-8", errors="replace") as log:
            log.seek(self.log_offset)
            text = log.read()
        return {
            "retried_on_primary": text.count("retrying with a read/write cursor"),
            "replica_failures": text.count("Failed to open a readonly cursor"),
            "warnings": len(re.findall(r"^\S+ \S+ \d+ WARNING ", text, re.M)),
            "errors": len(re.findall(r"^\S+ \S+ \d+ (?:ERROR|CRITICAL) ", text, re.M)),
        }


def measure(odoo, mode, clusters, setup, requests, args, answers):
    """Warm up, then one load per N; each with the clusters' statistics."""
    for _round in range(2):
        for key, (model, method, body) in requests.items():
            _s, status, data = call(odoo.url, setup["api_key"], model, method, body)
            if status != 200:
                raise RuntimeError(f"{key} failed ({status}): {data[:500]!r}")
            answers.setdefault(key, {}).setdefault(
                hashlib.sha256(data).hexdigest(), data
            )
    if args.writers:
        _s, status, data = adjust(
            odoo, setup["api_key"], setup["targets"][0], f"Bench replica warm-up {mode}"
        )
        if status != 200:
            raise RuntimeError(f"an adjustment failed ({status}): {data[:500]!r}")
    rows = []
    for count in args.client_counts:
        time.sleep(2)  # the statistics of the warm-up reported
        before = {name: cluster_stats(c) for name, c in clusters.items()}
        sampler = ActivitySampler(clusters)
        sampler.start()
        row = load(odoo, setup, requests, count, args.writers, args.seconds, answers)
        sampler.halt.set()
        sampler.join()
        time.sleep(2)  # backends report their statistics when idle (1 s)
        after = {name: cluster_stats(c) for name, c in clusters.items()}
        row = {
            "mode": mode,
            "clients": count,
            "writers": args.writers,
            **row,
            "stats": {n: stats_delta(before[n], after[n]) for n in clusters},
            "activity": sampler.summary(),
        }
        print(json.dumps(row), flush=True)
        rows.append(row)
    return rows


def final_reads(odoo, primary, standby, setup):
    """The writers stopped: wait until the standby replayed the primary's WAL
    position, then read every request (and the balances now of the
    products the writers changed) through the replica once more.
    Return (seconds waited, LSN, key -> body)."""
    lag_s, lsn = wait_caught_up(primary, standby)
    checks = dict(read_requests(setup), now=now_request(setup))
    bodies = {}
    for key, (model, method, body) in checks.items():
        _s, status, data = call(odoo.url, setup["api_key"], model, method, body)
        if status != 200:
            raise RuntimeError(f"{key} failed ({status}): {data[:500]!r}")
        bodies[key] = data
    return lag_s, lsn, bodies


def equality(answers_by_mode, direct, final_replica):
    """Compare every answer read in the loads (both modes) and the final
    replica answers with the primary's direct answers."""
    report = {"keys": 0, "answers": 0, "distinct": 0, "mismatches": []}
    for key, expected in direct.items():
        report["keys"] += 1
        bodies = {}
        for mode, answers in answers_by_mode.items():
            for digest, data in answers.get(key, {}).items():
                bodies[mode, digest] = data
        if key in final_replica:
            bodies["final replica", "-"] = final_replica[key]
        for (mode, digest), data in bodies.items():
            report["answers"] += 1
            if json.loads(data) != expected:
                report["mismatches"].append(f"{key} ({mode}, {digest[:12]})")
        report["distinct"] += len({digest for _m, digest in bodies if digest != "-"})
    report["equal"] = not report["mismatches"]
    return report


# -------------------------------------------------------------------- main
def run(args):
    token = secrets.token_hex(8)
    workdir = Path(tempfile.mkdtemp(prefix=PREFIX, dir=args.workdir))
    workdir.chmod(0o755)
    (workdir / "token").write_text(token + "\n", encoding="ascii")
    for folder in ("sock", "logs"):  # written by the postgres user
        (workdir / folder).mkdir()
        shutil.chown(workdir / folder, "postgres", "postgres")
    data_dir, log = workdir / "odoo-data", workdir / "odoo.log"
    print(f"work folder {workdir} (token {token})", flush=True)
    odoo = None
    started = time.perf_counter()
    timings = {}
    try:
        primary = make_primary(workdir, args.primary_port, token)
        timings["copy_dump_s"], timings["copy_total_s"] = load_database(
            primary, args.source, workdir
        )
        print(f"database copied: {timings}", flush=True)
        step = time.perf_counter()
        install(primary, data_dir, log)
        setup = odoo_shell(
            primary,
            f"BINS = {args.snapshot_bins}\n" + SETUP_SCRIPT,
            "BENCH-SETUP",
            data_dir,
            log,
        )
        vacuum_analyze(primary)  # the snapshots' and checkpoints' lines
        timings["setup_s"] = round(time.perf_counter() - step, 1)
        print(
            "setup: " + json.dumps({k: v for k, v in setup.items() if k != "api_key"}),
            flush=True,
        )
        step = time.perf_counter()
        standby = make_standby(workdir, primary, args.standby_port, token)
        timings["standby_s"] = round(time.perf_counter() - step, 1)
        clusters = {"primary": primary, "standby": standby}
        requests = read_requests(setup)
        answers = {"replica": {}, "primary": {}}
        rows = []

        direct = final_replica = None
        logs = {}
        for mode in args.modes:
            odoo = Odoo(
                args, primary, standby if mode == "replica" else None, data_dir, log
            )
            rows += measure(odoo, mode, clusters, setup, requests, args, answers[mode])
            if mode == "replica":
                lag_s, lsn, final_replica = final_reads(odoo, primary, standby, setup)
            logs[mode] = odoo.log_findings()
            odoo.stop()
            odoo = None
            if mode == "replica":
                checks = dict(requests, now=now_request(setup))
                direct = odoo_shell(
                    primary,
                    f"REQUESTS = {checks!r}\n" + DIRECT_SCRIPT,
                    "BENCH-DIRECT",
                    data_dir,
                    log,
                )

        check = equality(answers, direct, final_replica)
        check.update(catch_up_wait_s=round(lag_s, 2), lsn=lsn)
        summary = {
            "benchmark": "replica",
            "date": datetime.date.today().isoformat(),
            "cores": os.cpu_count(),
            "source": args.source,
            "seconds_per_load": args.seconds,
            "writers": args.writers,
            "snapshot_lines": setup["snapshot_lines"],
            "compare_rows": setup["compare_rows"],
            "checkpoints": setup["checkpoints"],
            "requests": {k: [m, f, b] for k, (m, f, b) in requests.items()},
            "loads": rows,
            "modes": args.modes,
            "odoo_log": logs,
            "equality": check,
            "timings": timings,
            "total_s": round(time.perf_counter() - started, 1),
        }
        print(json.dumps(summary, indent=1), flush=True)
        print_table(rows, check)
        with RESULTS.open("a") as stream:
            stream.write(json.dumps(summary) + "\n")
        return 0 if check["equal"] and not any(r["failures"] for r in rows) else 1
    finally:
        if odoo is not None:
            odoo.stop()
        if args.keep:
            for role in ("standby", "primary"):
                with contextlib.suppress(Refused):
                    stop_cluster(workdir / role, token)
            print(f"kept (stopped): {workdir}; remove with --cleanup {workdir}")
        else:
            try:
                remove_workdir(workdir, token)
                print(f"removed {workdir}", flush=True)
            except Refused as exc:  # said, without hiding the run's own error
                print(f"error: {exc}", file=sys.stderr, flush=True)


def print_table(rows, check):
    print(
        "| N | mode | reads/s | median | p95 | adjustments/s | primary: ckpt/snap"
        " stmt calls, xact | standby: ckpt/snap stmt calls, xact | failures |"
    )
    for row in rows:
        p, s = row["stats"]["primary"], row["stats"]["standby"]
        print(
            f"| {row['clients']} | {row['mode']} | {row['reads_per_s']} | "
            f"{row['read_median_s']} s | {row['read_p95_s']} s | "
            f"{row['adjustments_per_s']} | {p['pgss_checkpoint_line_calls']}/"
            f"{p['pgss_snapshot_line_calls']}, {p['xact_commit']} | "
            f"{s['pgss_checkpoint_line_calls']}/{s['pgss_snapshot_line_calls']}, "
            f"{s['xact_commit']} | {row['failures']} |"
        )
    print(
        f"equality: {check['answers']} answers of {check['keys']} requests, "
        f"equal to the primary's: {check['equal']} {check['mismatches'][:5]}"
    )


def _exit_on_signal(signum, _frame):
    raise SystemExit(128 + signum)


def build_parser():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="1,4,8", help="reader counts, e.g. 1,4,8")
    parser.add_argument("--seconds", type=int, default=30, help="per N and mode")
    parser.add_argument("--writers", type=int, default=1)
    parser.add_argument("--source", default="inventory_bench_1m")
    parser.add_argument("--snapshot-bins", type=int, default=4)
    parser.add_argument(
        "--order", default="replica,primary", help="which mode is measured first"
    )
    parser.add_argument("--primary-port", type=int)
    parser.add_argument("--standby-port", type=int)
    parser.add_argument("--http-port", type=int)
    parser.add_argument("--workdir", default=tempfile.gettempdir())
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--cleanup", metavar="WORKDIR")
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.cleanup:
        try:
            cleanup_command(args.cleanup)
        except Refused as exc:
            parser.exit(2, f"error: {exc}\n")
        print(f"removed {args.cleanup}")
        return 0
    errors = validate(args)
    if errors:
        parser.error("; ".join(errors))
    errors = check_environment()
    if errors:
        parser.error("; ".join(errors))
    if not _odoo.database_exists(args.source):
        parser.error(f"--source {args.source}: no such database on the main cluster")
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGHUP, _exit_on_signal)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
