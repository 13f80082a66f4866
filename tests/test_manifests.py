"""Every addon's manifest is valid and consistent with the files on disk."""

import ast
import os
import re
import xml.etree.ElementTree as ET

import pytest

from .conftest import ADDONS, REPO, read_manifest

VERSION = re.compile(r"^19\.0\.\d+\.\d+\.\d+$")
LICENSES = {
    "AGPL-3",
    "GPL-2",
    "GPL-2 or any later version",
    "GPL-3",
    "GPL-3 or any later version",
    "LGPL-3",
    "OPL-1",
    "OEEL-1",
    "Other OSI approved licence",
    "Other proprietary",
}
REQUIRED_KEYS = ("name", "summary", "version", "license", "author", "depends")


def test_there_are_addons():
    assert {"inventory_balance", "inventory_snapshot", "inventory_period_end"} <= set(
        ADDONS
    )


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_is_a_literal_dict(addon):
    with open(os.path.join(REPO, addon, "__manifest__.py"), encoding="utf-8") as f:
        tree = ast.parse(f.read())
    exprs = [node for node in tree.body if isinstance(node, ast.Expr)]
    assert len(exprs) == 1 and isinstance(exprs[0].value, ast.Dict), (
        "a manifest holds exactly one dict literal"
    )
    assert isinstance(read_manifest(addon), dict)


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_keys(addon):
    manifest = read_manifest(addon)
    missing = [key for key in REQUIRED_KEYS if not manifest.get(key)]
    assert not missing, f"{addon}: missing manifest keys {missing}"
    assert VERSION.match(manifest["version"]), (
        f"{addon}: version {manifest['version']!r} is not 19.0.x.y.z"
    )
    assert manifest["license"] in LICENSES, f"{addon}: license {manifest['license']}"
    assert isinstance(manifest["depends"], list)
    assert all(isinstance(dep, str) and dep for dep in manifest["depends"])
    assert "description" not in manifest, "use readme/DESCRIPTION.md instead"


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_files_exist(addon):
    manifest = read_manifest(addon)
    missing = [
        path
        for key in ("data", "demo")
        for path in manifest.get(key, [])
        if not os.path.isfile(os.path.join(REPO, addon, path))
    ]
    assert not missing, f"{addon}: files listed in the manifest do not exist"


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_files_listed_once(addon):
    manifest = read_manifest(addon)
    files = manifest.get("data", []) + manifest.get("demo", [])
    duplicates = sorted({path for path in files if files.count(path) > 1})
    assert not duplicates, f"{addon}: listed more than once: {duplicates}"


def defines_groups(addon, path):
    """True when the data file creates ``res.groups`` records."""
    if not path.endswith(".xml"):
        return False
    try:
        root = ET.parse(os.path.join(REPO, addon, path)).getroot()
    except (OSError, ET.ParseError):
        return False
    return any(record.get("model") == "res.groups" for record in root.iter("record"))


@pytest.mark.parametrize("addon", ADDONS)
def test_groups_before_access_rights(addon):
    data = read_manifest(addon).get("data", [])
    access = [i for i, path in enumerate(data) if path.endswith("ir.model.access.csv")]
    groups = [i for i, path in enumerate(data) if defines_groups(addon, path)]
    if access and groups:
        assert max(groups) < min(access), (
            f"{addon}: the XML files defining security groups must load before "
            "ir.model.access.csv"
        )


@pytest.mark.parametrize("addon", ADDONS)
def test_data_xml_files_parse(addon):
    manifest = read_manifest(addon)
    broken = []
    for path in manifest.get("data", []) + manifest.get("demo", []):
        full = os.path.join(REPO, addon, path)
        if path.endswith(".xml") and os.path.isfile(full):
            try:
                ET.parse(full)
            except ET.ParseError as exc:
                broken.append(f"{path}: {exc}")
    assert not broken, f"{addon}: XML files that do not parse: {broken}"


@pytest.mark.parametrize("addon", ADDONS)
def test_dependencies_between_our_addons_exist(addon):
    ours = {
        dep for dep in read_manifest(addon)["depends"] if dep.startswith("inventory_")
    }
    missing = ours - set(ADDONS)
    assert not missing, f"{addon} depends on addons not in this repository: {missing}"


@pytest.mark.parametrize("addon", ADDONS)
def test_addon_has_readme_and_icon(addon):
    base = os.path.join(REPO, addon)
    assert os.path.isfile(os.path.join(base, "readme", "DESCRIPTION.md"))
    icon = os.path.join(base, "static", "description", "icon.png")
    assert os.path.isfile(icon)
    with open(icon, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n", "icon.png is not a PNG file"


@pytest.mark.parametrize("addon", ADDONS)
def test_addon_is_a_python_package(addon):
    assert os.path.isfile(os.path.join(REPO, addon, "__init__.py"))
