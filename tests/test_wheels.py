"""The addons are pip-installable wheels, as the OCA ships its own.

Every addon has a ``pyproject.toml`` with the whool build backend. This test
builds each addon's wheel (``pip wheel --no-deps``), installs the wheels into a
fresh virtualenv that sees an Odoo 19, and installs the addons into a new
database from there: Odoo finds them under ``odoo/addons`` of the virtualenv,
with this repository on no addons path.

Needs an Odoo 19 (importable, or ``ODOO_SRC``), a reachable PostgreSQL and pip
able to fetch whool (or a warm cache); skipped, saying why, otherwise.
"""

import os
import subprocess
import sys
import sysconfig

import pytest

from .conftest import ADDONS, REPO

DB = os.environ.get("INVENTORY_TEST_DB", "inventory_test") + "_wheels"
INSTALL = ["inventory_balance", "inventory_snapshot", "inventory_period_end"]


@pytest.mark.parametrize("addon", ADDONS)
def test_pyproject_uses_whool(addon):
    with open(os.path.join(REPO, addon, "pyproject.toml"), encoding="utf-8") as f:
        text = f.read()
    assert "[build-system]" in text
    assert 'build-backend = "whool.buildapi"' in text
    assert 'requires = ["whool"]' in text


def _odoo_site():
    """(paths to put on the new virtualenv's path, core addons folder)."""
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, odoo.release; assert odoo.release.version_info[0] == 19;"
            "print(os.path.dirname(os.path.dirname(os.path.abspath("
            "odoo.release.__file__))))",
        ],
        capture_output=True,
        text=True,
        cwd="/",
    )
    paths = [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    if probe.returncode == 0:
        root = probe.stdout.strip()
    else:
        root = os.environ.get("ODOO_SRC")
        if not root or not os.path.isfile(os.path.join(root, "odoo-bin")):
            pytest.skip("no Odoo 19 importable and ODOO_SRC is not set")
        paths.append(root)
    addons = os.path.join(root, "addons")
    if not os.path.isdir(os.path.join(addons, "stock")):
        pytest.skip(f"no core addons folder next to Odoo at {root}")
    return paths, addons


def _run(cmd, **kwargs):
    res = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    assert res.returncode == 0, (
        " ".join(cmd) + "\n" + res.stdout[-3000:] + res.stderr[-3000:]
    )
    return res


def test_wheels_build_install_and_install_into_a_database(tmp_path):
    paths, core_addons = _odoo_site()
    probe = subprocess.run(
        [sys.executable, "-c", "import psycopg2; psycopg2.connect(dbname='postgres')"],
        capture_output=True,
        text=True,
    )
    if probe.returncode:
        pytest.skip(f"PostgreSQL is not reachable: {probe.stderr.strip()[-200:]}")

    wheels = tmp_path / "wheels"
    for addon in ADDONS:
        _run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--quiet",
                "--no-deps",
                "-w",
                str(wheels),
                os.path.join(REPO, addon),
            ],
            cwd=tmp_path,
        )
    built = sorted(p.name for p in wheels.glob("*.whl"))
    for addon in ADDONS:
        assert any(name.startswith(f"odoo_addon_{addon}-19.0.") for name in built), (
            built
        )

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)])
    python = str(venv / "bin" / "python")
    site = _run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
    ).stdout.strip()
    with open(os.path.join(site, "odoo_next_to.pth"), "w", encoding="utf-8") as pth:
        pth.write("\n".join(paths) + "\n")
    _run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps"]
        + [str(p) for p in wheels.glob("*.whl")]
    )
    located = _run(
        [python, "-c", "import odoo.addons.inventory_balance as m; print(m.__file__)"],
        cwd="/",
    ).stdout.strip()
    assert located.startswith(str(venv)), located

    subprocess.run(["dropdb", "--if-exists", DB], check=False, capture_output=True)
    try:
        install = _run(
            [
                python,
                "-m",
                "odoo",
                "-d",
                DB,
                "-i",
                ",".join(INSTALL),
                f"--addons-path={core_addons}",
                "--stop-after-init",
                "--http-interface=127.0.0.1",
                "--http-port=0",
                "--log-level=warn",
            ],
            cwd=tmp_path,
            timeout=1800,
        )
        problems = [
            line
            for line in (install.stdout + install.stderr).splitlines()
            if " WARNING " in line or " ERROR " in line or " CRITICAL " in line
        ]
        assert not problems, problems
        states = _run(
            [
                "psql",
                "-XtAd",
                DB,
                "-c",
                "SELECT name || '=' || state FROM ir_module_module "
                "WHERE name LIKE 'inventory_%' ORDER BY name",
            ]
        ).stdout.split()
        for addon in INSTALL:
            assert f"{addon}=installed" in states, states
    finally:
        subprocess.run(["dropdb", "--if-exists", DB], check=False, capture_output=True)
