# Shared set-up steps of scripts/run.sh and scripts/test.sh (sourced, not run).
#
# Each step is a function; the caller sets `repo` (the repository root) first.
#   setup_venv            .venv made when missing; sets `py`
#   setup_pip FILE        pip install -r FILE into .venv (offline is tolerated
#                         when the modules named after FILE are importable)
#   setup_odoo MODE       Odoo 19 found: importable, $ODOO_SRC, or the clone
#                         run.sh makes in $ODOO_CLONE_DIR (MODE=clone clones
#                         it when absent); a source tree's requirements are
#                         installed into .venv. Sets `odoo_cmd` (array),
#                         `odoo_addons_path` and exports ODOO_SRC for a tree;
#                         returns 1 (with `odoo_why`) when there is none.
#   setup_postgres        a stopped local Debian cluster started, PostgreSQL
#                         installed when absent (root on Debian only), a
#                         superuser role for the current user when run as root
#
# Environment: INVENTORY_PYTHON (the Python to make .venv from),
# INVENTORY_VENV_SYSTEM_SITE (1 by default: .venv sees the system's
# packages, so an Odoo installed there stays usable; 0 makes it isolated),
# ODOO_SRC, ODOO_CLONE_DIR, PGHOST.

setup_say() { printf '\n==> %s\n' "$*"; }

setup_venv() {
    local base_python="${INVENTORY_PYTHON:-python3}"
    if [[ ! -x "$repo/.venv/bin/python" ]]; then
        local flags=(--system-site-packages)
        [[ "${INVENTORY_VENV_SYSTEM_SITE:-1}" == 0 ]] && flags=()
        setup_say "Creating the virtualenv .venv ${flags[*]:-(isolated)}"
        command -v "$base_python" >/dev/null || {
            echo "setup: no $base_python found: install Python 3.10-3.12" >&2
            return 1
        }
        "$base_python" -m venv "${flags[@]}" "$repo/.venv" || {
            echo "setup: could not create .venv (on Debian/Ubuntu: apt-get install python3-venv)" >&2
            return 1
        }
    fi
    py="$repo/.venv/bin/python"
    "$py" -c 'import sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 12)))' ||
        echo "setup: warning: Odoo 19 is tested with Python 3.10-3.12, this is $("$py" -V)" >&2
}

# setup_pip FILE [MODULE ...]: MODULEs must import when pip cannot reach its index.
setup_pip() {
    local file="$1"
    shift
    setup_say "Installing $(basename "$file") into .venv"
    if "$py" -m pip install --quiet --disable-pip-version-check -r "$file"; then
        return 0
    fi
    if [[ $# -gt 0 ]] && (cd / && "$py" -c "import $(IFS=,; echo "$*")") 2>/dev/null; then
        echo "setup: pip failed; using the packages already installed" >&2
        return 0
    fi
    echo "setup: could not install $file" >&2
    return 1
}

setup_odoo() {
    local mode="${1:-find}"
    odoo_cmd=()
    odoo_addons_path=""
    odoo_why=""
    if (cd / && "$py" -c 'import odoo.release; assert odoo.release.version_info[0] == 19') 2>/dev/null; then
        setup_say "Odoo 19 is importable: $(cd / && "$py" -c 'import odoo.release, os; print(os.path.dirname(odoo.release.__file__))')"
        odoo_cmd=("$py" -m odoo)
        return 0
    fi
    local clone_dir="${ODOO_CLONE_DIR:-$repo/.odoo/src}"
    if [[ -z "${ODOO_SRC:-}" ]]; then
        if [[ ! -f "$clone_dir/odoo-bin" && "$mode" == clone ]]; then
            setup_say "Cloning Odoo 19.0 into $clone_dir (set ODOO_SRC to use a source tree you have)"
            command -v git >/dev/null || {
                odoo_why="git is needed to clone Odoo (or set ODOO_SRC)"
                return 1
            }
            mkdir -p "$(dirname "$clone_dir")"
            git clone --depth 1 --branch 19.0 https://github.com/odoo/odoo "$clone_dir" || {
                odoo_why="could not clone Odoo 19.0; clone it yourself and set ODOO_SRC to its folder"
                return 1
            }
        fi
        if [[ ! -f "$clone_dir/odoo-bin" ]]; then
            odoo_why="no Odoo 19 importable by $py, ODOO_SRC is not set and there is no clone in $clone_dir"
            return 1
        fi
        ODOO_SRC="$clone_dir"
    fi
    if [[ ! -f "$ODOO_SRC/odoo-bin" ]]; then
        odoo_why="ODOO_SRC=$ODOO_SRC is not an Odoo source tree (no odoo-bin)"
        return 1
    fi
    ODOO_SRC="$(cd "$ODOO_SRC" && pwd)"
    export ODOO_SRC
    setup_say "Using the Odoo source tree $ODOO_SRC"
    setup_pip "$ODOO_SRC/requirements.txt" psycopg2 lxml werkzeug || {
        odoo_why="could not install Odoo's requirements (psycopg2 and python-ldap need libpq-dev, libldap2-dev, libsasl2-dev)"
        return 1
    }
    odoo_cmd=("$py" "$ODOO_SRC/odoo-bin")
    local dir
    for dir in "$ODOO_SRC/odoo/addons" "$ODOO_SRC/addons"; do
        [[ -d "$dir/base" || -d "$dir/web" ]] && odoo_addons_path="${odoo_addons_path:+$odoo_addons_path,}$dir"
    done
    return 0
}

setup_postgres() {
    local me
    me="$(id -un)"
    local local_pg=0
    case "${PGHOST:-}" in "" | localhost | 127.0.0.1 | ::1 | /*) local_pg=1 ;; esac
    [[ "$local_pg" == 1 ]] || return 0
    if ! command -v pg_lsclusters >/dev/null && ! command -v psql >/dev/null &&
        [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
        setup_say "Installing PostgreSQL (Debian packages)"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-client </dev/null
    fi
    command -v pg_lsclusters >/dev/null || return 0
    local ver name _port status _rest
    while read -r ver name _port status _rest; do
        if [[ "$status" == down ]]; then
            setup_say "Starting the local PostgreSQL cluster $ver/$name"
            pg_ctlcluster "$ver" "$name" start || echo "setup: could not start $ver/$name" >&2
        fi
    done < <(pg_lsclusters --no-header 2>/dev/null || true)
    if [[ "$me" != postgres && "$(id -u)" == 0 ]] && id postgres >/dev/null 2>&1; then
        local exists
        exists="$(su postgres -c "psql -XtAc \"SELECT 1 FROM pg_roles WHERE rolname = '$me'\"" </dev/null 2>/dev/null || true)"
        if [[ "$exists" != 1 ]]; then
            setup_say "Creating the PostgreSQL role $me"
            su postgres -c "psql -Xqc 'CREATE ROLE \"$me\" LOGIN SUPERUSER'" </dev/null || true
        fi
    fi
}
