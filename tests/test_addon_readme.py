"""Each addon's README.rst is generated from its readme/ fragments and current."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_readme_rst_is_current():
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "gen_addon_readme.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_markdown_code_becomes_literal_block():
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        from gen_addon_readme import markdown_to_rst
    finally:
        sys.path.pop(0)
    rst = markdown_to_rst("Call it:\n\n```python\nx = 1\n```\nDone `here`.")
    assert "::\n\n    x = 1\n" in rst
    assert "``here``" in rst
