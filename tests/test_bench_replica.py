"""The replica benchmark's own rules (``benchmarks/bench_replica.py``): its
arguments are refused with a message and exit code 2, and it never stops or
removes a PostgreSQL cluster it did not create. No cluster is created here:
the functions are called on folders made by hand, with the command runner
replaced."""

import contextlib
import socket
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
try:
    import _replica_pair as pair
    import bench_replica
finally:
    sys.path.remove(str(BENCHMARKS))

TOKEN = "0123456789abcdef"


def refuse_commands(*args, **kwargs):
    raise AssertionError(f"a command was run: {args}")


@pytest.fixture(autouse=True)
def no_real_commands(monkeypatch):
    """Whatever happens, no PostgreSQL tool runs in these tests."""
    monkeypatch.setattr(pair, "as_postgres", refuse_commands)
    monkeypatch.setattr(pair.subprocess, "run", refuse_commands)


@pytest.fixture
def listening():
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def exit_code(capsys, *argv):
    with pytest.raises(SystemExit) as raised:
        bench_replica.main(list(argv))
    return raised.value.code, capsys.readouterr().err


def make_cluster(folder, token=TOKEN, running=True):
    """A folder that looks like a data folder (PG_VERSION), marked with
    ``token`` unless None."""
    folder.mkdir(parents=True)
    (folder / "PG_VERSION").write_text("15\n")
    if running:
        (folder / "postmaster.pid").write_text("4242\n")
    if token is not None:
        (folder / pair.MARKER).write_text(f"{token} primary bench_replica.py\n")
    return folder


def make_workdir(tmp_path, token=TOKEN, name="bench_replica_abc"):
    workdir = tmp_path / name
    workdir.mkdir()
    (workdir / "token").write_text(token + "\n")
    return workdir


# ---------------------------------------------------------------- arguments
def test_clients_are_parsed():
    assert bench_replica.parse_clients("1,4,8") == [1, 4, 8]
    assert bench_replica.parse_clients(" 2 , 16") == [2, 16]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "numbers separated by commas"),
        ("1,,4", "numbers separated by commas"),
        ("0", "between 1 and 64"),
        ("65", "between 1 and 64"),
        ("-1", "not a whole number"),
        ("1.5", "not a whole number"),
        ("four", "not a whole number"),
        ("4,4", "given twice"),
    ],
)
def test_bad_clients_are_refused(text, reason):
    with pytest.raises(ValueError, match=reason):
        bench_replica.parse_clients(text)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--clients", "0"], "--clients: 0 is not between 1 and 64"),
        (["--clients", "1,x"], "not a whole number"),
        (["--seconds", "1"], "--seconds 1: between 5 and 3600"),
        (["--seconds", "soon"], "invalid int value"),
        (["--writers", "-1"], "--writers -1"),
        (["--snapshot-bins", "0"], "--snapshot-bins 0"),
        (["--source", "x; DROP DATABASE y"], "not a database name"),
        (["--primary-port", "80"], "--primary-port 80: between 1024 and 65535"),
        (["--workdir", "/no/such/folder"], "no such folder"),
        (["--order", "replica"], "--order 'replica': replica,primary or"),
        (["--order", "primary,primary"], "replica,primary or primary,replica"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(capsys, argv, message):
    code, err = exit_code(capsys, *argv)
    assert code == 2
    assert message in err


def test_a_port_in_use_is_refused(capsys, listening):
    code, err = exit_code(capsys, "--standby-port", str(listening))
    assert code == 2
    assert f"--standby-port {listening}: in use on 127.0.0.1" in err


def test_the_same_port_twice_is_refused(capsys):
    port = pair.free_port()
    code, err = exit_code(capsys, "--primary-port", str(port), "--http-port", str(port))
    assert code == 2
    assert f"--http-port {port}: given twice" in err


def test_good_arguments_get_free_distinct_ports(tmp_path):
    args = bench_replica.build_parser().parse_args(
        ["--clients", "1,4,8", "--workdir", str(tmp_path)]
    )
    assert bench_replica.validate(args) == []
    assert args.client_counts == [1, 4, 8]
    ports = [args.primary_port, args.standby_port, args.http_port, args.gevent_port]
    assert len(set(ports)) == 4
    assert not any(pair.port_in_use(port) for port in ports)
    assert list(tmp_path.iterdir()) == [], "validating created something"


# ---------------------------------------------------------------- ownership
def test_only_a_marked_cluster_of_the_run_is_owned(tmp_path):
    workdir = make_workdir(tmp_path)
    mine = make_cluster(workdir / "primary")
    assert pair.owned(mine, TOKEN)
    assert not pair.owned(mine, "another-token")
    assert not pair.owned(mine, "")
    unmarked = make_cluster(workdir / "standby", token=None)
    assert not pair.owned(unmarked, TOKEN)
    # the marker in a folder that is not the benchmark's: not ours either
    elsewhere = make_cluster(tmp_path / "main" / "15")
    assert not pair.owned(elsewhere, TOKEN)
    assert not pair.owned(Path("/var/lib/postgresql/15/main"), TOKEN)


def test_a_foreign_cluster_is_not_stopped(tmp_path):
    calls = []
    foreign = make_cluster(make_workdir(tmp_path) / "primary", token=None)
    with pytest.raises(pair.Refused, match="not a cluster this benchmark created"):
        pair.stop_cluster(foreign, TOKEN, run=lambda *a, **k: calls.append(a))
    assert calls == []
    other_run = make_cluster(tmp_path / "bench_replica_zz" / "primary", token="zz")
    with pytest.raises(pair.Refused):
        pair.stop_cluster(other_run, TOKEN, run=lambda *a, **k: calls.append(a))
    assert calls == []


def test_a_foreign_cluster_is_not_started(tmp_path):
    cluster = pair.Cluster(make_workdir(tmp_path), "primary", 5999, TOKEN)
    make_cluster(cluster.datadir, token=None, running=False)
    with pytest.raises(pair.Refused):
        cluster.start()


def test_an_own_cluster_is_stopped(tmp_path):
    calls = []

    class Done:
        returncode = 0

    def run(command, **kwargs):
        calls.append(command)
        return Done()

    mine = make_cluster(make_workdir(tmp_path) / "primary")
    pair.stop_cluster(mine, TOKEN, run=run)
    assert len(calls) == 1
    assert calls[0][-1] == "stop" and str(mine) in calls[0]


def test_a_work_folder_with_a_foreign_cluster_is_left_whole(tmp_path):
    calls = []
    workdir = make_workdir(tmp_path)
    make_cluster(workdir / "primary")
    make_cluster(workdir / "standby", token="feedfacefeedface")
    with pytest.raises(pair.Refused):
        pair.remove_workdir(workdir, TOKEN, run=lambda *a, **k: calls.append(a))
    assert calls == []
    assert (workdir / "primary" / "PG_VERSION").exists()
    assert (workdir / "standby" / "PG_VERSION").exists()


@pytest.mark.parametrize(
    ("name", "token"),
    [("pgdata", TOKEN), ("bench_replica_abc", "feedfacefeedface")],
)
def test_a_folder_not_of_the_run_is_not_removed(tmp_path, name, token):
    workdir = make_workdir(tmp_path, token=token, name=name)
    make_cluster(workdir / "primary", token=token)
    with pytest.raises(pair.Refused):
        pair.remove_workdir(workdir, TOKEN, run=refuse_commands)
    assert (workdir / "primary" / "PG_VERSION").exists()


def test_an_own_work_folder_is_stopped_and_removed(tmp_path):
    calls = []

    class Done:
        returncode = 0

    workdir = make_workdir(tmp_path)
    make_cluster(workdir / "primary")
    make_cluster(workdir / "standby")
    pair.remove_workdir(workdir, TOKEN, run=lambda c, **k: calls.append(c) or Done())
    assert len(calls) == 2
    assert not workdir.exists()


def test_cleanup_of_a_foreign_folder_exits_2(capsys, tmp_path):
    foreign = tmp_path / "bench_replica_old"
    make_cluster(foreign / "primary", token=None)  # no token file either
    code, err = exit_code(capsys, "--cleanup", str(foreign))
    assert code == 2
    assert "not this benchmark's" in err
    assert (foreign / "primary" / "PG_VERSION").exists()
