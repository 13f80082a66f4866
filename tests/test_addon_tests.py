"""Odoo only runs the test modules that an addon's tests/__init__.py imports."""

import ast
import os

import pytest

from .conftest import ADDONS, REPO


def imported_modules(init_file):
    """Names imported by ``from . import a, b`` in a tests/__init__.py."""
    with open(init_file, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and not node.module:
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 1:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("addon", ADDONS)
def test_every_test_file_is_imported(addon):
    tests_dir = os.path.join(REPO, addon, "tests")
    if not os.path.isdir(tests_dir):
        pytest.skip(f"{addon} has no tests/ folder")
    test_files = {
        name[:-3]
        for name in os.listdir(tests_dir)
        if name.startswith("test_") and name.endswith(".py")
    }
    init_file = os.path.join(tests_dir, "__init__.py")
    assert os.path.isfile(init_file), f"{addon}/tests has no __init__.py"
    missing = sorted(test_files - imported_modules(init_file))
    assert not missing, (
        f"{addon}/tests/__init__.py does not import {missing}: Odoo would "
        "silently never run them"
    )


@pytest.mark.parametrize("addon", ADDONS)
def test_imported_test_modules_exist(addon):
    init_file = os.path.join(REPO, addon, "tests", "__init__.py")
    if not os.path.isfile(init_file):
        pytest.skip(f"{addon} has no tests/__init__.py")
    tests_dir = os.path.dirname(init_file)
    missing = sorted(
        name
        for name in imported_modules(init_file)
        if not os.path.isfile(os.path.join(tests_dir, name + ".py"))
        and not os.path.isdir(os.path.join(tests_dir, name))
    )
    assert not missing, f"{addon}/tests/__init__.py imports missing modules {missing}"
