"""The test command sets everything up from a fresh clone.

Each test copies the repository's files (what git tracks or would track, so
no ``.venv``, ``.odoo`` or ``var``) into a throw-away folder and runs
``scripts/test.sh --setup-only`` there, as a new user's first command would:

- with the Odoo this Python can import (the virtualenv sees the system's
  packages), the test requirements end up importable in the new ``.venv``;
- with Odoo only as a source tree (``ODOO_SRC``) and an isolated virtualenv
  that cannot import Odoo, Odoo's own requirements are installed into it and
  ``odoo-bin`` runs from it.

Both need pip to reach its index (or a warm cache) and are skipped, saying
why, without an Odoo 19 on this machine.
"""

import os
import shutil
import subprocess
import sys

import pytest

from .conftest import REPO
from .test_repository import repository_files


def _odoo_source_tree():
    """An Odoo 19 source tree: $ODOO_SRC, or the one this Python imports."""
    src = os.environ.get("ODOO_SRC")
    if src and os.path.isfile(os.path.join(src, "odoo-bin")):
        return src
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
    if probe.returncode == 0:
        root = probe.stdout.strip()
        if os.path.isfile(os.path.join(root, "odoo-bin")):
            return root
    return None


def _odoo_importable():
    return (
        subprocess.run(
            [sys.executable, "-c", "import odoo.release"],
            capture_output=True,
            cwd="/",
        ).returncode
        == 0
    )


def _fresh_clone(tmp_path):
    clone = tmp_path / "clone"
    for path in repository_files():
        target = clone / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(os.path.join(REPO, path), target)
    assert not (clone / ".venv").exists()
    return clone


def _environment(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("INVENTORY_", "ODOO_", "VIRTUAL_ENV"))
    }
    env["INVENTORY_PYTHON"] = sys.executable
    env.update(extra)
    return env


def _setup_only(clone, env):
    res = subprocess.run(
        ["bash", "scripts/test.sh", "--setup-only"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=1200,
    )
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    found = dict(
        line.split(" ", 2)[1:]
        for line in res.stdout.splitlines()
        if line.startswith("setup: ") and len(line.split(" ", 2)) == 3
    )
    return found, res.stdout


def _imports(python, modules):
    return subprocess.run(
        [python, "-c", "import " + ", ".join(modules)],
        capture_output=True,
        text=True,
        cwd="/",
    )


def test_setup_with_importable_odoo(tmp_path):
    if not _odoo_importable():
        pytest.skip("no Odoo importable by this Python")
    clone = _fresh_clone(tmp_path)
    found, out = _setup_only(clone, _environment())
    python = str(clone / ".venv" / "bin" / "python")
    assert found["python"] == python, out
    assert found["odoo"] == f"{python} -m odoo", out
    res = _imports(python, ["pytest", "openpyxl", "xlsxwriter", "psycopg2", "odoo"])
    assert res.returncode == 0, res.stderr


def test_setup_with_odoo_source_tree_only(tmp_path):
    src = _odoo_source_tree()
    if not src:
        pytest.skip("no Odoo 19 source tree (set ODOO_SRC)")
    clone = _fresh_clone(tmp_path)
    env = _environment(ODOO_SRC=src, INVENTORY_VENV_SYSTEM_SITE="0")
    found, out = _setup_only(clone, env)
    python = str(clone / ".venv" / "bin" / "python")
    assert found["odoo"] == f"{python} {src}/odoo-bin", out
    # Isolated: the virtualenv cannot import Odoo, yet has all it needs to run it.
    assert _imports(python, ["odoo"]).returncode != 0
    res = _imports(python, ["pytest", "openpyxl", "psycopg2", "lxml", "werkzeug"])
    assert res.returncode == 0, res.stderr
    version = subprocess.run(
        [python, os.path.join(src, "odoo-bin"), "--version"],
        capture_output=True,
        text=True,
        cwd=clone,
    )
    assert version.returncode == 0, version.stderr
    assert "19." in version.stdout
    # A second run finds it all in place.
    again, _out = _setup_only(clone, env)
    assert again == found
