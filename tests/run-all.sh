#!/usr/bin/env bash
# The project's single "run all tests" command: dotnet test for the whole solution, with a PostgreSQL server.
#
# Uses FAILOVER_TEST_POSTGRES (an Npgsql connection string) when it is set and the server answers. Otherwise it
# starts a private, throwaway PostgreSQL (installing the Debian package when initdb is missing) on a free port of
# 127.0.0.1, runs the tests against it and always removes it. Extra arguments go to `dotnet test`, e.g.
#   tests/run-all.sh --filter "FullyQualifiedName~Storage"
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

say() { printf 'run-all: %s\n' "$*"; }
die() { printf 'run-all: error: %s\n' "$*" >&2; exit 1; }

redact() { sed -E 's/((password|pwd)[[:space:]]*=)[^;]*/\1***/Ig' <<<"$1"; }

# Value of KEY in an Npgsql connection string (case-insensitive key, first match), or empty.
conn_value() {
    local key="$1" conn="$2" part k parts
    IFS=';' read -ra parts <<<"$conn"
    for part in "${parts[@]}"; do
        k="${part%%=*}"
        k="$(tr -d '[:space:]' <<<"$k" | tr '[:upper:]' '[:lower:]')"
        if [[ "$k" == "$key" ]]; then
            printf '%s' "${part#*=}" | sed -E 's/^[[:space:]]+|[[:space:]]+$//g'
            return
        fi
    done
}

# True when something accepts TCP connections on HOST:PORT (or the unix socket exists).
can_connect() {
    local host="$1" port="$2"
    if [[ "$host" == /* ]]; then
        [[ -S "$host/.s.PGSQL.$port" ]]
        return
    fi
    timeout 3 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null
}

external_server_reachable() {
    local conn="$1" host port
    host="$(conn_value host "$conn")"; host="${host:-localhost}"
    host="${host%%,*}"
    port="$(conn_value port "$conn")"; port="${port:-5432}"
    can_connect "$host" "$port"
}

find_pg_bin() {
    local dir
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v initdb)")"
        return
    fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
            printf '%s' "$dir"
            return
        fi
    done
}

as_root() {
    if [[ "$(id -u)" -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        die "PostgreSQL is not installed and installing it needs root (no passwordless sudo): install the 'postgresql' package or set FAILOVER_TEST_POSTGRES"
    fi
}

install_postgres() {
    command -v apt-get >/dev/null 2>&1 \
        || die "PostgreSQL (initdb, pg_ctl) is not installed and apt-get is unavailable: install PostgreSQL or set FAILOVER_TEST_POSTGRES"
    say "installing the Debian 'postgresql' package"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
}

free_port() {
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 40000))
        if ! can_connect 127.0.0.1 "$port"; then
            printf '%s' "$port"
            return
        fi
    done
    die "found no free TCP port on 127.0.0.1"
}

pg_dir=""
pg_bin=""
pg_user=""

# Runs a PostgreSQL server binary as the owner of the data directory (initdb and postgres refuse to run as root).
as_pg() {
    if [[ -n "$pg_user" ]]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u "$pg_user" -- "$@"
        else
            su "$pg_user" -s /bin/sh -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

stop_private_server() {
    if [[ -n "$pg_dir" ]]; then
        if [[ -f "$pg_dir/data/postmaster.pid" ]]; then
            as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
        fi
        rm -rf "$pg_dir"
    fi
}

start_private_server() {
    pg_bin="$(find_pg_bin)"
    if [[ -z "$pg_bin" ]]; then
        install_postgres
        pg_bin="$(find_pg_bin)"
        [[ -n "$pg_bin" ]] || die "installed 'postgresql' but found no initdb/pg_ctl in PATH or /usr/lib/postgresql/*/bin"
    fi

    # As root the server runs as 'postgres', which must reach the directory: use /tmp, not root's TMPDIR.
    local base="${TMPDIR:-/tmp}"
    [[ "$(id -u)" -ne 0 ]] || base=/tmp
    pg_dir="$(mktemp -d "$base/failover-pg.XXXXXX")"
    trap stop_private_server EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    if [[ "$(id -u)" -eq 0 ]]; then
        pg_user=postgres
        id -u "$pg_user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$pg_user"
        chown "$pg_user" "$pg_dir"
    fi
    chmod 700 "$pg_dir"

    as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U failover -A trust -E UTF8 --locale=C --no-sync >"$pg_dir/initdb.log" 2>&1 \
        || { cat "$pg_dir/initdb.log" >&2; die "initdb failed"; }

    local port started=""
    for _ in 1 2 3 4 5; do
        port="$(free_port)"
        if as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$pg_dir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null; then
            started=yes
            break
        fi
    done
    [[ -n "$started" ]] || { cat "$pg_dir/server.log" >&2 || true; die "could not start PostgreSQL"; }

    as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U failover failover_tests
    export FAILOVER_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=failover;Database=failover_tests"
    say "PostgreSQL: private $("$pg_bin/postgres" --version | sed 's/^postgres (PostgreSQL) //') server at 127.0.0.1:$port (throwaway, removed afterwards)"
}

if [[ -n "${FAILOVER_TEST_POSTGRES:-}" ]] && external_server_reachable "$FAILOVER_TEST_POSTGRES"; then
    say "PostgreSQL: using FAILOVER_TEST_POSTGRES ($(redact "$FAILOVER_TEST_POSTGRES"))"
else
    if [[ -n "${FAILOVER_TEST_POSTGRES:-}" ]]; then
        say "FAILOVER_TEST_POSTGRES ($(redact "$FAILOVER_TEST_POSTGRES")) does not answer; starting a private server instead"
    fi
    start_private_server
fi

# dotnet test prints totals per test project; the closing line sums them so any reader sees one verdict.
test_log="$(mktemp)"
status=0
dotnet test Orleans.Failover.sln -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$test_log" || status=$?
passed="$(awk '/^ *Passed: *[0-9]+$/ { sum += $2 } END { print sum + 0 }' "$test_log")"
failed="$(awk '/^ *Failed: *[0-9]+$/ { sum += $2 } END { print sum + 0 }' "$test_log")"
# The failures again, last, each with its error message: a reader of only the end of a long log still sees why.
if [[ "$failed" -ne 0 ]]; then
    echo "failed tests:"
    awk '
        /^ *Failed [A-Za-z_][A-Za-z0-9_.]*/ && !/^ *Failed: / { print; in_message = 0; lines = 0; next }
        /^ *Error Message:/ { in_message = 1; next }
        /^ *(Stack Trace|Standard Output Messages):/ { in_message = 0; next }
        in_message && lines < 12 { print "    " $0; lines++ }
    ' "$test_log"
fi
rm -f "$test_log"
echo "tests: $passed passed, $failed failed"
if [[ "$status" -eq 0 && "$passed" -eq 0 ]]; then
    say "error: no test ran"
    exit 1
fi
exit "$status"
