#!/usr/bin/env bash
# THE test command: the whole set-up, then pytest on tests/, then the Odoo
# tests of every addon at the repository root when an Odoo 19 is available.
# Closes with one line "N passed, N failed, N skipped" and exits non-zero on
# any failure.
#
#   ./scripts/test.sh [--keep-db]   set up, then run every test
#   ./scripts/test.sh --setup-only  set up, say what was found, run nothing
#
# Set-up (each step skipped when already done): the virtualenv .venv (with the
# system site packages), requirements-test.txt installed into it; Odoo 19
# found (importable, or the source tree in $ODOO_SRC, or the clone that
# scripts/run.sh makes in $ODOO_CLONE_DIR, whose requirements are installed
# into .venv); a stopped local PostgreSQL cluster started and, as root, a
# role for the current user created. Without any Odoo the pytest part runs and
# the closing lines say loudly that the Odoo tests were skipped.
#
# Environment: INVENTORY_PYTHON (the Python to make .venv from),
# INVENTORY_VENV_SYSTEM_SITE, INVENTORY_TEST_DB, INVENTORY_TEST_TAGS,
# INVENTORY_TEST_LOG_TAG, INVENTORY_TEST_PYTEST (0: only the Odoo tests), ODOO_SRC,
# ODOO_CLONE_DIR, PGHOST, PGPORT, PGUSER, PGPASSWORD.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PYTHONUNBUFFERED=1
# shellcheck source=lib/setup.sh
source "$repo/scripts/lib/setup.sh"

setup_only=0
args=()
for arg in "$@"; do
    case "$arg" in
        --setup-only) setup_only=1 ;;
        -h | --help)
            sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *) args+=("$arg") ;;
    esac
done

setup_venv
setup_pip requirements-test.txt pytest openpyxl xlsxwriter
if setup_odoo find; then
    setup_postgres
    odoo_found="${odoo_cmd[*]}"
else
    odoo_found=""
    setup_say "No Odoo 19: $odoo_why"
fi

if [[ "$setup_only" == 1 ]]; then
    echo "setup: python $py"
    echo "setup: odoo ${odoo_found:-none}"
    exit 0
fi
exec "$py" "$repo/scripts/run_tests.py" "${args[@]}"
