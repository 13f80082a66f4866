"""Repository-wide rules."""

import os
import subprocess

from .conftest import REPO

# Built in two pieces so that this file does not mention it either.
LOCAL_ODOO = ("/opt/" + "odoo19").encode()
SKIP_DIRS = {
    ".git",
    ".venv",
    ".odoo",
    "var",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
}


def repository_files():
    """Files git tracks or would track (respecting .gitignore)."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO,
            capture_output=True,
            check=True,
        ).stdout
        return [
            p
            for p in out.decode().split("\0")
            if p and os.path.isfile(os.path.join(REPO, p))
        ]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for root, dirs, names in os.walk(REPO):
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
            files.extend(os.path.relpath(os.path.join(root, n), REPO) for n in names)
        return files


def test_no_file_mentions_the_local_odoo_snapshot():
    offenders = []
    for path in repository_files():
        with open(os.path.join(REPO, path), "rb") as f:
            if LOCAL_ODOO in f.read():
                offenders.append(path)
    assert not offenders, (
        "Odoo is a dependency found at run time; these files name one machine's "
        f"copy of it: {offenders}"
    )


def test_scripts_are_executable():
    for path in ("scripts/run.sh", "scripts/test.sh", ".ci/run"):
        full = os.path.join(REPO, path)
        assert os.path.isfile(full), f"{path} is missing"
        assert os.access(full, os.X_OK), f"{path} is not executable"


def test_gitignore_keeps_local_state_out():
    with open(os.path.join(REPO, ".gitignore"), encoding="utf-8") as f:
        ignored = f.read().split()
    for entry in (".venv/", "/.odoo/", "/var/"):
        assert entry in ignored, f".gitignore lacks {entry}"


def test_no_merge_conflict_markers():
    """A merge left unresolved must not be committed (a benchmark table once
    was, markers and all)."""
    markers = tuple(m * 7 for m in ("<", "=", ">"))
    found = []
    for path in repository_files():
        try:
            with open(os.path.join(REPO, path), encoding="utf-8") as stream:
                for number, line in enumerate(stream, 1):
                    stripped = line.rstrip("\n")
                    if stripped.startswith(markers) and (
                        stripped in markers or stripped[7:8] == " "
                    ):
                        found.append(f"{path}:{number}")
        except (UnicodeDecodeError, OSError):
            continue
    assert not found, f"merge conflict markers in {found}"
