#!/usr/bin/env bash
# THE test command: pytest on tests/, then the Odoo tests of every addon at the
# repository root when an Odoo 19 is available. Closes with one line
# "N passed, N failed, N skipped" and exits non-zero on any failure.
#
#   ./scripts/test.sh [--keep-db]
#
# Environment: INVENTORY_PYTHON (the Python to use; default: .venv/bin/python
# when scripts/run.sh made one, else python3), INVENTORY_TEST_DB,
# INVENTORY_TEST_TAGS, ODOO_SRC, PGHOST, PGPORT, PGUSER, PGPASSWORD.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -n "${INVENTORY_PYTHON:-}" ]]; then
    py="$INVENTORY_PYTHON"
elif [[ -x "$repo/.venv/bin/python" ]]; then
    py="$repo/.venv/bin/python"
else
    py="python3"
fi
exec "$py" "$repo/scripts/run_tests.py" "$@"
