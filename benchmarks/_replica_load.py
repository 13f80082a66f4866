"""The replica benchmark's load (``benchmarks/bench_replica.py``): JSON-2
calls, the adjustments of the writers, the requests of the readers, the
clusters' statistics and their sampling, and the timed load itself."""

import datetime
import hashlib
import json
import statistics
import threading
import time
import urllib.error
import urllib.request

from _replica_pair import DATABASE


def call(url, api_key, model, method, body, timeout=600):
    """One JSON-2 call: (seconds, status, body bytes)."""
    request = urllib.request.Request(
        f"{url}/json/2/{model}/{method}",
        data=json.dumps(body).encode(),
        headers={
            "Authorization": f"bearer {api_key}",
            "X-Odoo-Database": DATABASE,
            "Content-Type": "application/json",
        },
        method="POST",
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data, status = response.read(), response.status
    except urllib.error.HTTPError as exc:
        data, status = exc.read(), exc.code
    except OSError as exc:  # refused, reset, timed out: counted as a failure
        data, status = str(exc).encode(), 0
    return time.perf_counter() - started, status, data


def adjust(odoo, api_key, target, name):
    """Create and confirm an adjustment of +1 on ``target`` (product,
    location): (seconds, status, body)."""
    product_id, location_id = target
    started = time.perf_counter()
    line = {"product_id": product_id, "location_id": location_id, "change": 1.0}
    _s, status, data = call(
        odoo.url,
        api_key,
        "inventory.adjustment",
        "create_draft",
        {"name": name, "reason_code": "top_up", "lines": [line]},
    )
    if status == 200:
        _s, status, data = call(
            odoo.url,
            api_key,
            "inventory.adjustment",
            "action_confirm",
            {"ids": [json.loads(data)]},
        )
    return time.perf_counter() - started, status, data


def read_requests(setup):
    """The read requests the clients cycle through: key -> (model, method,
    body)."""
    last = datetime.datetime.fromisoformat(setup["last"])
    past, now = setup["snapshots"]
    requests = {}
    for days in (30, 100, 200, 400):
        at = (last - datetime.timedelta(days=days)).replace(microsecond=0)
        requests[f"balances_at -{days}d"] = (
            "inventory.ledger",
            "balances_at",
            {"at": str(at), "group_by": ["product"], "compact": True},
        )
    rows = max(setup["compare_rows"], 1)
    for share in (0, 0.25, 0.5, 0.9):
        offset = int(rows * share) // 80 * 80
        requests[f"compare page @{offset}"] = (
            "inventory.snapshot",
            "compare_snapshots",
            {"snapshot_ids": [past, now], "limit": 80, "offset": offset},
        )
    for snapshot_id in (past, now):
        requests[f"export_snapshot {snapshot_id} csv"] = (
            "inventory.snapshot",
            "export_snapshot",
            {"ids": [snapshot_id], "file_format": "csv"},
        )
    return requests


def now_request(setup):
    return (
        "inventory.ledger",
        "balances_at",
        {
            "product_ids": sorted({p for p, _loc in setup["targets"]}),
            "group_by": ["product", "location"],
        },
    )


def kind(key):
    return key.split()[0]


# ------------------------------------------------------------- statistics
STATS_SQL = """
SELECT xact_commit, xact_rollback, tup_returned, tup_fetched,
       tup_inserted + tup_updated + tup_deleted
  FROM pg_stat_database WHERE datname = current_database()
"""
PGSS_SQL = """
SELECT COALESCE(SUM(calls) FILTER (
           WHERE query ILIKE '%%inventory_ledger_checkpoint_line%%'), 0),
       COALESCE(SUM(calls) FILTER (
           WHERE query ILIKE '%%inventory_snapshot_line%%'), 0),
       COALESCE(SUM(calls) FILTER (
           WHERE query ~* '^\\s*(INSERT|UPDATE|DELETE)'), 0),
       COALESCE(SUM(calls), 0)
  FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
 WHERE d.datname = current_database()
"""
STAT_NAMES = ["xact_commit", "xact_rollback", "tup_returned", "tup_fetched"]
STAT_NAMES += ["tup_written", "pgss_checkpoint_line_calls"]
STAT_NAMES += ["pgss_snapshot_line_calls", "pgss_write_calls", "pgss_calls"]


def cluster_stats(cluster):
    values = list(cluster.query(STATS_SQL)[0]) + list(cluster.query(PGSS_SQL)[0])
    return dict(zip(STAT_NAMES, (int(v) for v in values), strict=True))


def stats_delta(before, after):
    return {name: after[name] - before[name] for name in STAT_NAMES}


class ActivitySampler(threading.Thread):
    """Counts, every ``interval`` seconds, Odoo's active backends on each
    cluster (``pg_stat_activity``)."""

    SQL = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
        "AND state = 'active' AND pid <> pg_backend_pid() "
        "AND application_name LIKE 'odoo%%'"
    )

    def __init__(self, clusters, interval=0.2):
        super().__init__(daemon=True)
        self.clusters, self.interval = clusters, interval
        self.samples = {name: [] for name in clusters}
        self.halt = threading.Event()

    def run(self):
        import psycopg2

        connections = {name: c.connect() for name, c in self.clusters.items()}
        try:
            while not self.halt.is_set():
                for name, connection in connections.items():
                    with connection.cursor() as cr:
                        cr.execute(self.SQL, [DATABASE])
                        self.samples[name].append(cr.fetchone()[0])
                self.halt.wait(self.interval)
        except psycopg2.Error:
            return  # a cluster went away: the run is ending
        finally:
            for connection in connections.values():
                connection.close()

    def summary(self):
        return {
            name: {
                "samples": len(values),
                "mean_active": round(statistics.fmean(values), 2) if values else 0,
                "share_busy": round(sum(1 for v in values if v) / len(values), 2)
                if values
                else 0,
            }
            for name, values in self.samples.items()
        }


# ------------------------------------------------------------------- loads
def percentile(values, share):
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def load(odoo, setup, requests, readers, writers, seconds, answers):
    """``readers`` clients cycling through ``requests`` and ``writers``
    adjusting, for ``seconds``. Answers are recorded in ``answers``
    (key -> {sha256: body})."""
    stop = threading.Event()
    keys = list(requests)
    lock = threading.Lock()
    reads, writes, failures = [], [], []
    key_api = setup["api_key"]

    def reader(index):
        position = index * 3
        while not stop.is_set():
            key = keys[position % len(keys)]
            position += 1
            model, method, body = requests[key]
            seconds_, status, data = call(odoo.url, key_api, model, method, body)
            with lock:
                if status != 200:
                    failures.append((key, status, data[:300].decode(errors="replace")))
                    continue
                reads.append((key, seconds_))
                digest = hashlib.sha256(data).hexdigest()
                answers.setdefault(key, {}).setdefault(digest, data)

    def writer(index):
        targets = setup["targets"]
        position = index
        while not stop.is_set():
            target = targets[position % len(targets)]
            position += 1
            seconds_, status, data = adjust(
                odoo, key_api, target, f"Bench replica {index}-{position}"
            )
            with lock:
                if status != 200:
                    failures.append(
                        ("adjustment", status, data[:300].decode(errors="replace"))
                    )
                else:
                    writes.append(seconds_)

    threads = [
        threading.Thread(target=reader, args=(i,), daemon=True) for i in range(readers)
    ]
    threads += [
        threading.Thread(target=writer, args=(i,), daemon=True) for i in range(writers)
    ]
    started = time.perf_counter()
    try:
        for thread in threads:
            thread.start()
        time.sleep(seconds)
    finally:  # also on SIGTERM / SIGINT: the clients stop with the run
        stop.set()
        for thread in threads:
            thread.join(timeout=660)
    elapsed = time.perf_counter() - started
    latencies = [s for _k, s in reads]
    per_kind = {}
    for name in sorted({kind(k) for k in keys}):
        values = [s for k, s in reads if kind(k) == name]
        per_kind[name] = {
            "calls": len(values),
            "median_s": round(statistics.median(values), 3) if values else None,
            "p95_s": round(percentile(values, 0.95), 3) if values else None,
        }
    return {
        "elapsed_s": round(elapsed, 1),
        "reads": len(reads),
        "reads_per_s": round(len(reads) / elapsed, 2),
        "read_median_s": round(statistics.median(latencies), 3) if reads else None,
        "read_p95_s": round(percentile(latencies, 0.95), 3) if reads else None,
        "per_kind": per_kind,
        "adjustments": len(writes),
        "adjustments_per_s": round(len(writes) / elapsed, 2),
        "adjustment_median_s": round(statistics.median(writes), 3) if writes else None,
        "adjustment_p95_s": round(percentile(writes, 0.95), 3) if writes else None,
        "failures": len(failures),
        "failure_samples": failures[:3],
    }
