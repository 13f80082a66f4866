#!/usr/bin/env python3
"""Export each addon's translation template ``<addon>/i18n/<addon>.pot``.

Installs our addons (and what they depend on, as the test command does) into
the database ``$INVENTORY_POT_DB`` (default ``inventory_pot``, created fresh
and dropped at the end), then runs Odoo's own ``i18n export`` for every addon.
Run it with ``make pot`` after changing a translatable string; the addons'
test ``test_i18n`` fails while a term is missing from a template.
"""

import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from run_tests import (  # noqa: E402
    REPO,
    drop_db,
    external_depends,
    find_odoo,
    our_addons,
)


def main():
    odoo_cmd, odoo_dirs, why = find_odoo()
    if odoo_cmd is None:
        sys.exit(f"export_pot: no Odoo 19: {why}")
    addons = our_addons()
    db = os.environ.get("INVENTORY_POT_DB", "inventory_pot")
    addons_path = ",".join(odoo_dirs + [REPO])
    with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as conf:
        conf.write(f"[options]\naddons_path = {addons_path}\ndb_name = {db}\n")
    try:
        drop_db(odoo_cmd, db)
        modules = external_depends(addons) + list(addons)
        subprocess.run(
            odoo_cmd
            + [
                "-c",
                conf.name,
                "-d",
                db,
                "-i",
                ",".join(modules),
                "--stop-after-init",
                "--no-http",
                "--log-level=warn",
            ],
            cwd=REPO,
            check=True,
        )
        subprocess.run(
            odoo_cmd + ["i18n", "export", "-c", conf.name, "-d", db, *addons],
            cwd=REPO,
            check=True,
        )
    finally:
        drop_db(odoo_cmd, db)
        os.unlink(conf.name)
    for addon in addons:
        pot = os.path.join(REPO, addon, "i18n", f"{addon}.pot")
        print(f"{os.path.relpath(pot, REPO)}: {os.path.getsize(pot)} bytes")


if __name__ == "__main__":
    main()
