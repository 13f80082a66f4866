"""The benchmark's own pair of PostgreSQL 15 clusters: a primary and its hot
standby, in a work folder ``bench_replica_*`` marked with a run's token
(``bench_replica.py``). Nothing here stops or removes a cluster without that
marker.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

PG_BIN = Path(os.environ.get("BENCH_REPLICA_PG_BIN", "/usr/lib/postgresql/15/bin"))
PREFIX = "bench_replica_"
MARKER = "BENCH_REPLICA_OWNER"
DATABASE = "bench_replica"
REPLICATOR = "bench_replicator"


class Refused(Exception):
    """The script was asked to touch something it did not create."""


def port_in_use(port):
    """Whether something listens on ``port`` of 127.0.0.1 (or it cannot be
    bound)."""
    with contextlib.closing(socket.socket()) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def free_port(taken=()):
    while True:
        with contextlib.closing(socket.socket()) as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in taken:
            return port


# --------------------------------------------------------------- ownership
def owned(datadir, token):
    """Whether ``datadir`` is a cluster this run created: in a folder named
    with the prefix, holding the marker with the run's token."""
    datadir = Path(datadir)
    if not token or not datadir.parent.name.startswith(PREFIX):
        return False
    try:
        text = (datadir / MARKER).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return False
    return text.split()[:1] == [token]


def require_owned(datadir, token):
    """:raise Refused: ``datadir`` is not a cluster of this run."""
    if not owned(datadir, token):
        raise Refused(
            f"{datadir} is not a cluster this benchmark created (no marker "
            f"{MARKER} with its token in a folder {PREFIX}*): left alone"
        )


def write_marker(datadir, token, role):
    path = Path(datadir) / MARKER
    path.write_text(f"{token} {role} bench_replica.py\n", encoding="ascii")
    shutil.chown(path, "postgres", "postgres")


def as_postgres(command, **kwargs):
    return subprocess.run(["runuser", "-u", "postgres", "--", *command], **kwargs)


def stop_cluster(datadir, token, run=as_postgres):
    """Stop the cluster in ``datadir`` if it is ours and running."""
    require_owned(datadir, token)
    if not (Path(datadir) / "postmaster.pid").exists():
        return
    for mode in ("fast", "immediate"):
        done = run(
            [str(PG_BIN / "pg_ctl"), "-D", str(datadir), "-m", mode, "-w", "-t", "60"]
            + ["stop"],
            check=False,
            capture_output=True,
            text=True,
        )
        if done.returncode == 0:
            return


def remove_workdir(workdir, token, run=as_postgres):
    """Stop the clusters of ``workdir`` and remove it: only when every data
    folder in it carries this run's marker.

    :raise Refused: ``workdir`` or a cluster in it is not this run's
    """
    workdir = Path(workdir)
    if not workdir.name.startswith(PREFIX):
        raise Refused(f"{workdir} is not a folder of this benchmark ({PREFIX}*)")
    try:
        mine = (workdir / "token").read_text(encoding="ascii").strip() == token
    except OSError:
        mine = False
    if not mine:
        raise Refused(f"{workdir} belongs to another run")
    datadirs = [path for path in workdir.iterdir() if (path / "PG_VERSION").is_file()]
    for datadir in datadirs:
        require_owned(datadir, token)
    for datadir in datadirs:
        stop_cluster(datadir, token, run=run)
    shutil.rmtree(workdir)


def cleanup_command(workdir):
    """``--cleanup``: remove a work folder left by an interrupted run."""
    workdir = Path(workdir)
    try:
        token = (workdir / "token").read_text(encoding="ascii").strip()
    except OSError:
        raise Refused(f"{workdir} has no token file: not this benchmark's") from None
    remove_workdir(workdir, token)


# ---------------------------------------------------------------- clusters
class Cluster:
    def __init__(self, workdir, role, port, token):
        self.datadir = Path(workdir) / role
        self.sockdir = Path(workdir) / "sock"
        self.log = Path(workdir) / "logs" / f"{role}.log"
        self.role, self.port, self.token = role, port, token

    def settings(self):
        return {
            "port": self.port,
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.sockdir}'",
            "wal_level": "replica",
            "max_wal_senders": 4,
            "hot_standby": "on",
            "hot_standby_feedback": "on",
            "max_wal_size": "'2GB'",
            "shared_buffers": "'256MB'",
            "max_connections": 100,
            "shared_preload_libraries": "'pg_stat_statements'",
            "pg_stat_statements.track": "top",
            "track_activity_query_size": 4096,
        }

    def configure(self, **overrides):
        lines = [f"{k} = {v}" for k, v in {**self.settings(), **overrides}.items()]
        with (self.datadir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# bench_replica.py\n" + "\n".join(lines) + "\n")

    def start(self):
        require_owned(self.datadir, self.token)
        as_postgres(
            [str(PG_BIN / "pg_ctl"), "-D", str(self.datadir), "-l", str(self.log)]
            + ["-w", "-t", "120", "start"],
            check=True,
            capture_output=True,
        )

    def stop(self):
        stop_cluster(self.datadir, self.token)

    def connect(self, database=DATABASE):
        import psycopg2

        connection = psycopg2.connect(
            host="127.0.0.1", port=self.port, user="root", dbname=database
        )
        connection.autocommit = True
        return connection

    def query(self, sql, params=None, database=DATABASE):
        with contextlib.closing(self.connect(database)) as connection:
            with connection.cursor() as cr:
                cr.execute(sql, params)
                return cr.fetchall() if cr.description else None

    def pg_args(self):
        return ["-h", "127.0.0.1", "-p", str(self.port), "-U", "root"]


def make_primary(workdir, port, token):
    primary = Cluster(workdir, "primary", port, token)
    primary.datadir.mkdir(mode=0o700)
    shutil.chown(primary.datadir, "postgres", "postgres")
    as_postgres(
        [str(PG_BIN / "initdb"), "-D", str(primary.datadir), "-U", "postgres"]
        + ["-E", "UTF8", "--locale=C.UTF-8", "--auth=trust"],
        check=True,
        capture_output=True,
    )
    write_marker(primary.datadir, token, "primary")
    primary.configure()
    # Only 127.0.0.1 and the run's own socket folder; trust, as the
    # clusters live for one run.
    (primary.datadir / "pg_hba.conf").write_text(
        "local all all trust\n"
        "host all all 127.0.0.1/32 trust\n"
        "local replication all trust\n"
        "host replication all 127.0.0.1/32 trust\n",
        encoding="ascii",
    )
    primary.start()
    import psycopg2

    with contextlib.closing(
        psycopg2.connect(
            host="127.0.0.1", port=port, user="postgres", dbname="postgres"
        )
    ) as connection:
        connection.autocommit = True
        with connection.cursor() as cr:
            cr.execute("CREATE ROLE root SUPERUSER LOGIN")
            cr.execute(f"CREATE ROLE {REPLICATOR} REPLICATION LOGIN")
    return primary


def make_standby(workdir, primary, port, token):
    standby = Cluster(workdir, "standby", port, token)
    standby.datadir.mkdir(mode=0o700)
    shutil.chown(standby.datadir, "postgres", "postgres")
    as_postgres(
        [str(PG_BIN / "pg_basebackup"), "-D", str(standby.datadir), "-R"]
        + ["-X", "stream", "-c", "fast", "-h", "127.0.0.1", "-p", str(primary.port)]
        + ["-U", REPLICATOR],
        check=True,
        capture_output=True,
    )
    write_marker(standby.datadir, token, "standby")  # not the primary's copy
    standby.configure()
    standby.start()
    (in_recovery,) = standby.query("SELECT pg_is_in_recovery()")[0]
    if not in_recovery:
        raise RuntimeError("the standby is not in recovery")
    return standby


def source_locale(source):
    """The collation and character type of ``source`` (main cluster)."""
    import psycopg2

    with contextlib.closing(psycopg2.connect(dbname="postgres")) as connection:
        with connection.cursor() as cr:
            cr.execute(
                "SELECT datcollate, datctype FROM pg_database WHERE datname = %s",
                [source],
            )
            return cr.fetchone()


def load_database(primary, source, workdir):
    """Copy ``source`` of the main cluster (read only) into the primary."""
    dump = Path(workdir) / "source.dump"
    started = time.perf_counter()
    subprocess.run(
        [str(PG_BIN / "pg_dump"), "-Fc", "-Z1", "-f", str(dump), source], check=True
    )
    dumped = time.perf_counter() - started
    collate, ctype = source_locale(source)
    subprocess.run(
        [str(PG_BIN / "createdb"), *primary.pg_args(), "-T", "template0", "-E", "UTF8"]
        + [f"--lc-collate={collate}", f"--lc-ctype={ctype}", DATABASE],
        check=True,
    )
    subprocess.run(
        [str(PG_BIN / "pg_restore"), *primary.pg_args(), "-d", DATABASE, "-j", "2"]
        + ["--no-owner", "--no-acl", str(dump)],
        check=True,
    )
    dump.unlink()
    primary.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
    vacuum_analyze(primary)
    return dumped, time.perf_counter() - started


def vacuum_analyze(cluster):
    """VACUUM ANALYZE the database, as a maintained one is: planner
    statistics, hint bits and the visibility map (a standby gets them from
    the primary, it cannot make its own)."""
    subprocess.run(
        [str(PG_BIN / "vacuumdb"), *cluster.pg_args(), "-z", "-q", DATABASE],
        check=True,
    )


def wait_caught_up(primary, standby, timeout=120):
    """Wait until the standby replayed the primary's current WAL position;
    return (seconds waited, the LSN)."""
    (target,) = primary.query("SELECT pg_current_wal_lsn()")[0]
    started = time.monotonic()
    while True:
        (behind,) = standby.query(
            "SELECT pg_wal_lsn_diff(%s, pg_last_wal_replay_lsn())", [target]
        )[0]
        if behind <= 0:
            return time.monotonic() - started, target
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"the standby did not replay up to {target}")
        time.sleep(0.1)
