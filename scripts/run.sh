#!/usr/bin/env bash
# THE setup-and-run command: set up everything, create the demo database once,
# then serve it on http://localhost:$INVENTORY_HTTP_PORT (login admin / admin).
#
#   ./scripts/run.sh             set up, then serve (Ctrl-C stops)
#   ./scripts/run.sh --no-serve  set up and stop
#
# Steps: a virtualenv .venv (with the system site packages, so an Odoo already
# importable stays importable); Odoo 19 found (a) importable, (b) as a source
# tree in $ODOO_SRC, or (c) cloned into $ODOO_CLONE_DIR; our requirements;
# PostgreSQL reached through PGHOST/PGPORT/PGUSER/PGPASSWORD (a stopped local
# Debian cluster is started); the database $INVENTORY_DB created with our
# addons and demo data if it does not exist yet; then the server.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

serve=1
for arg in "$@"; do
    case "$arg" in
        --no-serve) serve=0 ;;
        -h | --help)
            sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "run.sh: unknown argument $arg (try --help)" >&2
            exit 2
            ;;
    esac
done

db="${INVENTORY_DB:-inventory_demo}"
http_port="${INVENTORY_HTTP_PORT:-8069}"
http_interface="${INVENTORY_HTTP_INTERFACE:-127.0.0.1}"

say() { printf '\n==> %s\n' "$*"; }
die() {
    printf '\nrun.sh: %s\n' "$*" >&2
    exit 1
}

# shellcheck source=lib/setup.sh
source "$repo/scripts/lib/setup.sh"

# --- 1. virtualenv ------------------------------------------------------------
setup_venv || die "no virtualenv"

# --- 2. Odoo 19 ---------------------------------------------------------------
setup_odoo clone || die "$odoo_why"
if [[ -n "$odoo_addons_path" ]]; then
    addons_path="$odoo_addons_path,$repo"
else
    addons_path="$repo"
fi

# --- 3. our requirements (pip skips what is already installed) ----------------
say "Installing requirements.txt"
"$py" -m pip install --quiet --disable-pip-version-check -r requirements.txt

# --- 4. PostgreSQL ------------------------------------------------------------
pg_check() {
    # Prints the reason and fails when PostgreSQL cannot be reached.
    (cd / && "$py" - <<'PY'
import sys
try:
    import psycopg2
    psycopg2.connect(dbname="postgres", connect_timeout=5).close()
except Exception as exc:  # ImportError or psycopg2.Error: one line, no traceback
    print((str(exc).strip() or repr(exc)).splitlines()[0])
    sys.exit(1)
PY
    )
}
pg_is_local() {
    case "${PGHOST:-}" in "" | localhost | 127.0.0.1 | ::1 | /*) return 0 ;; *) return 1 ;; esac
}
if ! pg_reason="$(pg_check)" && pg_is_local; then
    setup_postgres
    pg_reason="$(pg_check)" || true
fi
if ! pg_check >/dev/null; then
    cat >&2 <<EOF

run.sh: PostgreSQL is not reachable: ${pg_reason:-unknown error}

Start PostgreSQL (13 or newer) and tell run.sh where it is with the usual
variables, for example:

    PGHOST=localhost PGPORT=5432 PGUSER=odoo PGPASSWORD=secret ./scripts/run.sh

  PGHOST      host name, or the socket folder (e.g. /var/run/postgresql)
  PGPORT      port (default 5432)
  PGUSER      a role allowed to create databases; not 'postgres' (Odoo refuses it)
  PGPASSWORD  its password

A local role named after you can be made with:
    sudo -u postgres createuser --createdb "\$USER"
EOF
    exit 1
fi

# --- 5. the demo database -----------------------------------------------------
addons="inventory_balance,inventory_snapshot,inventory_period_end"
for extra in product_expiry mrp website_sale_stock; do
    if (cd / && "$py" - "$extra" "$addons_path" "${ODOO_SRC:-}" <<'PY'
import os
import sys
name, path, src = sys.argv[1], sys.argv[2], sys.argv[3]
dirs = path.split(",")
if not src:
    import odoo.addons
    dirs += list(odoo.addons.__path__)
    import odoo.release
    dirs.append(os.path.join(os.path.dirname(os.path.dirname(odoo.release.__file__)), "addons"))
sys.exit(not any(os.path.isfile(os.path.join(d, name, "__manifest__.py")) for d in dirs))
PY
    ); then
        addons="$addons,$extra"
    fi
done

db_state="$(cd / && "$py" - "$db" "$addons" <<'PY'
import sys
import psycopg2
db, addons = sys.argv[1], sys.argv[2].split(",")
try:
    conn = psycopg2.connect(dbname="postgres")
    with conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
        exists = cr.fetchone()
    conn.close()
except psycopg2.Error as exc:
    print("error: " + (str(exc).strip() or repr(exc)).splitlines()[0])
    sys.exit()
if not exists:
    print("absent")
    sys.exit()
try:
    with psycopg2.connect(dbname=db) as conn, conn.cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM ir_module_module WHERE state = 'installed' AND name = ANY(%s)",
            [addons],
        )
        print("ready" if cr.fetchone()[0] == len(addons) else "incomplete")
except psycopg2.Error:
    print("incomplete")
PY
)"

[[ "$db_state" == error:* ]] && die "cannot look up the database $db: ${db_state#error: }"

# A fingerprint of our addons' code: when it changes (a pull, a new version),
# an existing database is updated, or new fields and tables would be missing.
ours=()
for manifest in "$repo"/*/__manifest__.py; do
    ours+=("$(basename "$(dirname "$manifest")")")
done
ours_csv="$(IFS=,; echo "${ours[*]}")"
code_hash="$(cd "$repo" && "$py" - "${ours[@]}" <<'PY'
import hashlib, os, sys
digest = hashlib.sha256()
for addon in sorted(sys.argv[1:]):
    for root, dirs, files in sorted(os.walk(addon)):
        dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "tests"))
        for name in sorted(files):
            path = os.path.join(root, name)
            digest.update(path.encode())
            with open(path, "rb") as stream:
                digest.update(stream.read())
print(digest.hexdigest())
PY
)"

common=(--addons-path="$addons_path" --http-interface="$http_interface")
mkdir -p var
if [[ "$db_state" != ready ]]; then
    if [[ "$db_state" == absent ]]; then
        say "Creating the database $db with demo data: $addons (a few minutes)"
    else
        say "The database $db exists but lacks some addons: installing $addons"
    fi
    log="$repo/var/install-$db.log"
    if ! "${odoo_cmd[@]}" -d "$db" -i "$addons" --with-demo --stop-after-init \
        "${common[@]}" --http-port="$http_port" >"$log" 2>&1; then
        grep -E ' (ERROR|CRITICAL) ' "$log" | tail -n 20 >&2 || true
        die "installing the addons into $db failed; the full log is $log"
    fi
    if grep -qE ' (ERROR|CRITICAL) ' "$log"; then
        grep -E ' (ERROR|CRITICAL) ' "$log" | tail -n 20 >&2
        die "installing the addons into $db logged errors; the full log is $log"
    fi
    echo "Installed (log: $log). Log in as admin / admin."
else
    stored="$("$py" - "$db" <<'PY'
import sys
import psycopg2
with psycopg2.connect(dbname=sys.argv[1]) as conn, conn.cursor() as cr:
    cr.execute("SELECT value FROM ir_config_parameter WHERE key = 'inventory_suite.code_hash'")
    row = cr.fetchone()
print(row[0] if row else "")
PY
)"
    if [[ "$stored" != "$code_hash" ]]; then
        say "The addons changed since $db was set up: updating them"
        log="$repo/var/update-$db.log"
        if ! "${odoo_cmd[@]}" -d "$db" -u "$ours_csv" --stop-after-init \
            "${common[@]}" --http-port="$http_port" >"$log" 2>&1 \
            || grep -qE ' (ERROR|CRITICAL) ' "$log"; then
            grep -E ' (ERROR|CRITICAL) ' "$log" | tail -n 20 >&2 || true
            die "updating the addons in $db failed; the full log is $log"
        fi
    else
        say "The database $db is ready"
    fi
fi
"$py" - "$db" "$code_hash" <<'PY'
import sys
import psycopg2
with psycopg2.connect(dbname=sys.argv[1]) as conn, conn.cursor() as cr:
    cr.execute(
        "INSERT INTO ir_config_parameter (key, value, create_date, write_date) "
        "VALUES ('inventory_suite.code_hash', %s, now(), now()) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, write_date = now()",
        [sys.argv[2]],
    )
PY

if [[ "$serve" == 0 ]]; then
    say "Set up; not serving (--no-serve). Serve with: ./scripts/run.sh"
    exit 0
fi

# --- 6. serve -----------------------------------------------------------------
say "Serving $db on http://localhost:$http_port (interface $http_interface), login admin / admin; Ctrl-C stops"
exec "${odoo_cmd[@]}" -d "$db" --db-filter="^${db}\$" "${common[@]}" --http-port="$http_port"
