#!/usr/bin/env python3
"""Write each addon's README.rst from its readme/*.md fragments.

    python3 scripts/gen_addon_readme.py          # write
    python3 scripts/gen_addon_readme.py --check  # exit 1 when one is stale

The fragments are the source (as in the OCA); README.rst is what Odoo shows in
the Apps description and what pylint-odoo asks for.  Markdown is kept as plain
paragraphs; fenced code becomes a literal block.
"""

import ast
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SECTIONS = [
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
]


def markdown_to_rst(text):
    out, in_code = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            if not in_code:
                if out and out[-1].strip():
                    out.append("")
                out.extend(["::", ""])
            else:
                out.append("")
            in_code = not in_code
            continue
        if in_code:
            out.append(f"    {line}" if line else "")
        elif line.startswith("#"):
            title = line.lstrip("#").strip()
            out.extend([title, "~" * len(title)])
        else:
            out.append(line.replace("`", "``").replace("````", "``"))
    return "\n".join(out).strip() + "\n"


def render(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    name = manifest["name"]
    parts = [
        "=" * len(name),
        name,
        "=" * len(name),
        "",
        manifest.get("summary", ""),
        "",
        ".. This file is generated from readme/*.md by scripts/gen_addon_readme.py",
        "",
    ]
    for fragment, title in SECTIONS:
        path = addon / "readme" / fragment
        if not path.exists():
            continue
        if title:
            parts.extend([title, "=" * len(title), ""])
        parts.append(markdown_to_rst(path.read_text()))
    return "\n".join(parts).rstrip() + "\n"


def main(argv):
    check = "--check" in argv
    stale = []
    for manifest in sorted(REPO.glob("*/__manifest__.py")):
        addon = manifest.parent
        target = addon / "README.rst"
        text = render(addon)
        if target.exists() and target.read_text() == text:
            continue
        if check:
            stale.append(str(target.relative_to(REPO)))
        else:
            target.write_text(text)
            print(f"wrote {target.relative_to(REPO)}")
    if stale:
        print("stale (run scripts/gen_addon_readme.py): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
