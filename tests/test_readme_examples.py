"""The RPC examples of every addon's readme run against a real server.

Read from the readme files themselves (``<addon>/readme/*.md``), so that the
example a reader copies is the one that runs, and one that stops working fails
the suite:

- every ```` ```python ```` block, in the order of the file, in one namespace
  per addon (an example uses the ids the ones before it made); the first block
  of ``inventory_balance/readme/USAGE.md`` (the connection and the ids looked
  up by name) opens every addon's namespace, as the other readmes say;
- every ```` ```sh ```` block (the ``curl`` calls of the JSON-2 API), with the
  server's API key in ``$ODOO_API_KEY``: it must answer 200 with JSON;
- every JSON-2 call written in the text, ``POST /json/2/<model>/<method>``
  with a body, the body's names (``run_id``) taken from the addon's namespace;
- every ```` ```json ```` block must be valid JSON.

The readmes' server (``http://localhost:8069``) and database
(``inventory_demo``) are replaced by the test server's (``odoo_server``: our
addons with demo data, as ``scripts/run.sh`` sets up the demo database).

The demo database's Inventory Balance sheet is checked here too: its End
equals the actual balance on every row (issue 20).
"""

import ast
import json
import os
import re
import subprocess
import traceback
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# In the order of their dependencies: an addon's examples may use the records
# the examples before made (the same database).
ADDONS = [
    "inventory_balance",
    "inventory_snapshot",
    "inventory_period_end",
    "inventory_balance_website",
    "inventory_balance_expiry",
]
README_FILES = ("DESCRIPTION.md", "CONFIGURE.md", "USAGE.md")
FENCE = re.compile(r"^```(\w*)[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
JSON2_TEXT = re.compile(
    r"`POST (/json/2/[\w.]+/\w+)`\s+with\s+(?:the\s+body\s+)?`(\{[^`]*\})`"
)
README_URL, README_DB = "http://localhost:8069", "inventory_demo"


class Example:
    def __init__(self, addon, path, line, kind, text):
        self.addon, self.path, self.line = addon, path, line
        self.kind, self.text = kind, text

    @property
    def where(self):
        return f"{self.path.relative_to(REPO)}:{self.line}"


def readme_examples():
    """Every example of every addon's readme, in reading order."""
    examples = []
    for addon in ADDONS:
        for name in README_FILES:
            path = REPO / addon / "readme" / name
            if not path.is_file():
                continue
            text = path.read_text(encoding="utf-8")
            found = []
            for match in FENCE.finditer(text):
                line = text.count("\n", 0, match.start()) + 2
                found.append((match.start(), line, match.group(1), match.group(2)))
            # the JSON-2 calls written in the text (outside code blocks)
            prose = FENCE.sub(lambda m: " " * len(m.group(0)), text)
            for match in JSON2_TEXT.finditer(prose):
                line = text.count("\n", 0, match.start()) + 1
                body = " ".join(match.group(2).split())
                found.append((match.start(), line, "json2", (match.group(1), body)))
            for _start, line, kind, body in sorted(found, key=lambda f: f[0]):
                examples.append(Example(addon, path, line, kind, body))
    return examples


EXAMPLES = readme_examples()


def test_readmes_have_examples():
    """The parser finds the examples (a changed fence syntax would run none)."""
    kinds = {example.kind for example in EXAMPLES}
    assert {"python", "sh", "json2"} <= kinds, kinds
    addons = {example.addon for example in EXAMPLES if example.kind == "python"}
    assert {
        "inventory_balance",
        "inventory_snapshot",
        "inventory_period_end",
        "inventory_balance_website",
    } <= addons


# The ORM's own methods an addon overrides: documented by Odoo, not by us.
ORM_METHODS = {
    "create",
    "write",
    "unlink",
    "copy",
    "copy_data",
    "default_get",
    "init",
    "search_fetch",
    "name_create",
    "ensure_one",
}


def public_methods():
    """``{(model, method)}``: every public method of the suite's models and
    reports (read from the source), but the buttons (``action_*``, documented
    with their screens) and the ORM's own methods.  A method of a service
    mixin (an AbstractModel that models name in their ``_inherit`` list, as
    the sheet's refresh or the snapshot's taking) is called on those
    models."""
    classes = []
    for addon in ADDONS:
        for folder in ("models", "report"):
            for path in sorted((REPO / addon / folder).glob("*.py")):
                tree = ast.parse(path.read_text(encoding="utf-8"))
                for node in tree.body:
                    if not isinstance(node, ast.ClassDef):
                        continue
                    names = {
                        target.id: item.value
                        for item in node.body
                        if isinstance(item, ast.Assign)
                        for target in item.targets
                        if isinstance(target, ast.Name)
                    }
                    model = names.get("_name") or names.get("_inherit")
                    if not isinstance(model, ast.Constant):
                        continue
                    parents = names.get("_inherit")
                    parents = (
                        [p.value for p in parents.elts if isinstance(p, ast.Constant)]
                        if isinstance(parents, ast.List)
                        else []
                    )
                    methods = [
                        item.name
                        for item in node.body
                        if isinstance(item, ast.FunctionDef)
                        and not item.name.startswith(("_", "action_"))
                        and item.name not in ORM_METHODS
                    ]
                    classes.append((model.value, parents, methods))
    heirs = {}
    for model, parents, _methods in classes:
        for parent in parents:
            if parent != model:
                heirs.setdefault(parent, set()).add(model)

    def callers(model, seen=()):
        if model not in heirs or model in seen:
            return {model}
        return {
            caller for heir in heirs[model] for caller in callers(heir, (*seen, model))
        }

    return {
        (caller, method)
        for model, _parents, methods in classes
        for method in methods
        for caller in callers(model)
    }


def test_every_public_method_has_an_example():
    """Each public RPC method of the suite is called by a readme example."""
    code = "\n".join(example.text for example in EXAMPLES if example.kind == "python")
    methods = public_methods()
    assert ("inventory.ledger", "balances_at") in methods
    missing = sorted(
        f"{model}.{method}"
        for model, method in methods
        if not re.search(rf'"{re.escape(model)}",\s*"{method}"', code)
    )
    assert missing == [], "no readme example calls " + ", ".join(missing)


def _ids(example):
    return example.where


@pytest.fixture(scope="module")
def namespaces():
    return {}


def _localised(text, server):
    return text.replace(README_URL, server.url).replace(README_DB, server.db)


def _run_python(example, server, namespace, workdir):
    code = compile(_localised(example.text, server), example.where, "exec")
    cwd = os.getcwd()
    os.chdir(workdir)  # an example may write the file it downloaded
    try:
        exec(code, namespace)  # noqa: S102 - our own readme's example
    except Exception:  # noqa: BLE001 - the example failed: say where and why
        pytest.fail(
            f"{example.where}: the example fails\n{example.text}\n"
            + traceback.format_exc(limit=3)
        )
    finally:
        os.chdir(cwd)


def _run_sh(example, server):
    script = _localised(example.text, server).replace(
        "curl -s ", "curl -s -w '\\nHTTP %{http_code}\\n' ", 1
    )
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        capture_output=True,
        text=True,
        env=dict(os.environ, ODOO_API_KEY=server.api_key),
        timeout=300,
        check=False,
    )
    body, _, status = result.stdout.rstrip().rpartition("\nHTTP ")
    assert result.returncode == 0 and status == "200", (
        f"{example.where}: the example fails (HTTP {status})\n{example.text}\n"
        f"{result.stdout}{result.stderr}"
    )
    json.loads(body)


def _json_value(node, namespace, where):
    """The value of a JSON-2 body written in the text: JSON, where a name is
    a variable of the examples before (``run_id``)."""
    if isinstance(node, ast.Dict):
        return {
            _json_value(k, namespace, where): _json_value(v, namespace, where)
            for k, v in zip(node.keys, node.values, strict=True)
        }
    if isinstance(node, ast.List):
        return [_json_value(item, namespace, where) for item in node.elts]
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        constants = {"true": True, "false": False, "null": None}
        if node.id in constants:
            return constants[node.id]
        assert node.id in namespace, f"{where}: {node.id} is not set by an example"
        return namespace[node.id]
    raise AssertionError(f"{where}: not a JSON body: {ast.dump(node)}")


def _run_json2(example, server, namespace):
    route, body = example.text
    payload = _json_value(ast.parse(body, mode="eval").body, namespace, example.where)
    request = urllib.request.Request(
        server.url + route,
        data=json.dumps(payload).encode(),
        headers={
            "Authorization": f"Bearer {server.api_key}",
            "X-Odoo-Database": server.db,
            "Content-Type": "application/json",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        pytest.fail(
            f"{example.where}: POST {route} {body} answers {error.code}: "
            f"{error.read().decode(errors='replace')[:2000]}"
        )


@pytest.mark.parametrize("example", EXAMPLES, ids=_ids)
def test_readme_example(example, odoo_server, namespaces, tmp_path):
    if example.kind == "json":
        json.loads(example.text)
        return
    if example.kind not in ("python", "sh", "json2"):
        pytest.skip(f"{example.where}: a {example.kind or 'plain'} block")
    namespace = namespaces.get(example.addon)
    if namespace is None:
        namespace = namespaces[example.addon] = {"__name__": "readme_example"}
        opening = next(
            e
            for e in EXAMPLES
            if e.addon == "inventory_balance"
            and e.kind == "python"
            and e.path.name == "USAGE.md"
        )
        if example is not opening:
            _run_python(opening, odoo_server, namespace, tmp_path)
    if example.kind == "python":
        _run_python(example, odoo_server, namespace, tmp_path)
    elif example.kind == "sh":
        _run_sh(example, odoo_server)
    else:
        _run_json2(example, odoo_server, namespace)


def test_demo_sheet_end_is_the_stock(odoo_server):
    """The demo database's balance sheet: End == Actual on hand on every row
    and Variance 0, with the demo stock coming in by an opening adjustment
    and receipts (issue 20)."""
    call = odoo_server.call
    sheet = call(
        "ir.model.data",
        "search_read",
        [
            ["module", "=", "inventory_balance"],
            ["name", "=", "inventory_balance_sheet_demo"],
        ],
        fields=["res_id"],
    )
    assert sheet, "the demo data has no balance sheet"
    data = call("inventory.balance.sheet", "get_sheet_data", [sheet[0]["res_id"]])
    assert data["rows"], "the demo sheet has no rows"
    flows = {"adjustments": 0.0, "receipts": 0.0, "sales": 0.0}
    for row in data["rows"]:
        where = f"{row['product']}, period {row['period']}"
        assert row["actual"] is not False, where
        assert row["end"] == pytest.approx(row["actual"]), where
        assert row["variance"] == pytest.approx(0.0), where
        for code in flows:
            flows[code] += abs(row[code] or 0.0)
    # the flows the default formula leaves out are really there
    assert all(flows.values()), flows
