# shellcheck shell=bash
# A throwaway PostgreSQL cluster for leadkit-sql's tests.
#
# Usage (from the repository root, in bash):
#
#     source .ci/postgres.sh
#
# It installs Debian's `postgresql` if `initdb`/`pg_ctl` are missing, creates
# a cluster in a fresh temporary directory, starts it on a free loopback
# port, creates the database `leadkit_test` and exports
#
#     LEADKIT_TEST_POSTGRES_URL=postgres://leadkit@127.0.0.1:PORT/leadkit_test
#
# It registers an EXIT trap that stops the cluster and deletes the directory
# (chained after any EXIT trap already set); call `leadkit_pg_stop` to stop
# it earlier. As root (CI), the cluster runs as the `postgres` user (created
# by the package) or, failing that, a system user `leadkit-pg`: initdb
# refuses to run as root. Authentication is `trust` on 127.0.0.1 only.

leadkit_pg_bin_dir() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"
    return 0
  fi
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
    printf '%s\n' "$dir"
    return 0
  fi
  return 1
}

leadkit_pg_stop() {
  if [ -n "${LEADKIT_PG_DIR:-}" ] && [ -d "$LEADKIT_PG_DIR" ]; then
    leadkit_pg_as "$LEADKIT_PG_BIN/pg_ctl" -D "$LEADKIT_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$LEADKIT_PG_DIR"
  fi
  unset LEADKIT_PG_DIR LEADKIT_TEST_POSTGRES_URL
}

leadkit_pg_as() {
  if [ "$(id -u)" = 0 ]; then
    (cd "$LEADKIT_PG_DIR" && runuser -u "$LEADKIT_PG_USER" -- "$@")
  else
    (cd "$LEADKIT_PG_DIR" && "$@")
  fi
}

leadkit_pg_start() {
  local bin port tries
  if ! bin="$(leadkit_pg_bin_dir)"; then
    echo "postgres.sh: installing Debian's postgresql" >&2
    if [ "$(id -u)" != 0 ]; then
      echo "postgres.sh: initdb not found and not root; install postgresql first" >&2
      return 1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    bin="$(leadkit_pg_bin_dir)" || { echo "postgres.sh: no initdb after install" >&2; return 1; }
  fi
  LEADKIT_PG_BIN="$bin"

  LEADKIT_PG_USER="$(id -un)"
  if [ "$(id -u)" = 0 ]; then
    if id postgres >/dev/null 2>&1; then
      LEADKIT_PG_USER=postgres
    else
      id leadkit-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin leadkit-pg
      LEADKIT_PG_USER=leadkit-pg
    fi
  fi

  LEADKIT_PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/leadkit-pg.XXXXXX")"
  chmod 700 "$LEADKIT_PG_DIR"
  [ "$(id -u)" = 0 ] && chown "$LEADKIT_PG_USER" "$LEADKIT_PG_DIR"

  # A free loopback port: nothing answers on it.
  tries=0
  while :; do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      break
    fi
    tries=$((tries + 1))
    [ "$tries" -lt 50 ] || { echo "postgres.sh: no free port" >&2; return 1; }
  done

  leadkit_pg_as "$bin/initdb" -D "$LEADKIT_PG_DIR/data" -U leadkit --auth=trust \
    --encoding=UTF8 --locale=C --no-sync >/dev/null || return 1
  leadkit_pg_as "$bin/pg_ctl" -D "$LEADKIT_PG_DIR/data" -l "$LEADKIT_PG_DIR/server.log" -w \
    -o "-p $port -k $LEADKIT_PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
    start >/dev/null || { cat "$LEADKIT_PG_DIR/server.log" >&2; return 1; }
  leadkit_pg_as "$bin/createdb" -h 127.0.0.1 -p "$port" -U leadkit leadkit_test || return 1

  export LEADKIT_PG_DIR LEADKIT_PG_BIN LEADKIT_PG_USER
  export LEADKIT_TEST_POSTGRES_URL="postgres://leadkit@127.0.0.1:$port/leadkit_test"

  local previous
  previous="$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")"
  # shellcheck disable=SC2064 # expand the previous trap now
  trap "leadkit_pg_stop; ${previous:-:}" EXIT
  echo "postgres.sh: PostgreSQL on 127.0.0.1:$port (data in $LEADKIT_PG_DIR); LEADKIT_TEST_POSTGRES_URL exported" >&2
}

leadkit_pg_start
