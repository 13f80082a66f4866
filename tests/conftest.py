"""Shared fixtures of the plain-pytest checks: no Odoo needed, but for the
tests that ask for ``odoo_server`` (a real server, see ``odoo_server.py``;
skipped without Odoo 19 and PostgreSQL)."""

import ast
import os

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def addon_dirs():
    """Every folder at the repository root that holds a ``__manifest__.py``."""
    return sorted(
        name
        for name in os.listdir(REPO)
        if os.path.isfile(os.path.join(REPO, name, "__manifest__.py"))
    )


def read_manifest(addon):
    with open(
        os.path.join(REPO, addon, "__manifest__.py"), encoding="utf-8"
    ) as manifest:
        return ast.literal_eval(manifest.read())


ADDONS = addon_dirs()


@pytest.fixture(scope="session")
def repo():
    return REPO


@pytest.fixture(scope="session")
def odoo_server(tmp_path_factory):
    """One demo database served for the whole session (``odoo_server.py``)."""
    from .odoo_server import serve

    with serve(tmp_path_factory.mktemp("odoo")) as server:
        yield server


# pytest-odoo (OCA's runner of addon tests) loads an Odoo registry for the
# whole session as soon as it is installed. The checks in this folder need no
# database: they replace its two autouse fixtures with no-ops, so that
# ``pytest tests/`` passes with or without the plugin.
@pytest.fixture(scope="session", autouse=True)
def load_registry():
    yield


@pytest.fixture(scope="module", autouse=True)
def enable_odoo_test_flag():
    yield
