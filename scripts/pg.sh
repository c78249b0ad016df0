#!/usr/bin/env bash
# The project's own PostgreSQL cluster, for `make run` and `make test`.
#
#   scripts/pg.sh start   initialise (first time) and start the cluster, create the database
#   scripts/pg.sh stop    stop the cluster this project started (and nothing else)
#   scripts/pg.sh url     print the DATABASE_URL for it
#
# The cluster listens on a Unix socket in its own directory only (no TCP port), so two
# checkouts never collide. PostgreSQL refuses to run as root: as root the cluster is owned by,
# and runs as, the `postgres` system user (via runuser); otherwise it runs as the current user.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PORT=${CAREHUB_PG_PORT:-5432}
DBNAME=${CAREHUB_PG_DB:-carehub}

if [ "$(id -u)" = 0 ]; then
  OWNER=postgres
  as_owner() { runuser -u "$OWNER" -- "$@"; }
else
  OWNER=$(id -un)
  as_owner() { "$@"; }
fi

# Data lives in the git-ignored .pgdata/ unless the owner cannot reach it there (a checkout
# under /root, say); then in a per-checkout directory under /tmp.
pick_dir() {
  if [ -n "${CAREHUB_PG_DIR:-}" ]; then echo "$CAREHUB_PG_DIR"; return; fi
  if as_owner test -x "$ROOT" 2>/dev/null; then echo "$ROOT/.pgdata"; return; fi
  echo "${TMPDIR:-/tmp}/carehub-pg-$(printf %s "$ROOT" | md5sum | cut -c1-12)"
}
DIR=$(pick_dir)

find_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$dir" ] && command -v pg_config >/dev/null; then dir=$(pg_config --bindir); fi
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    echo "PostgreSQL server binaries not found (looked in /usr/lib/postgresql/*/bin)." >&2
    echo "Install them, e.g. apt-get install -y postgresql, or set DATABASE_URL." >&2
    exit 1
  fi
  echo "$dir"
}

urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }

url() { echo "postgres://postgres@$(urlencode "$DIR"):$PORT/$DBNAME"; }

running() { [ -f "$DIR/data/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; }

start() {
  BIN=$(find_bin)
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown "$OWNER:" "$DIR" && chmod 700 "$DIR"
  if [ ! -f "$DIR/data/PG_VERSION" ]; then
    echo "Creating a PostgreSQL cluster in $DIR/data"
    as_owner "$BIN/initdb" -D "$DIR/data" -A trust -U postgres --no-sync -E UTF8 \
      --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }
  fi
  if ! running; then
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/postgres.log" -w -t 60 \
      -o "-k $DIR -p $PORT -c listen_addresses=''" start >/dev/null \
      || { tail -n 20 "$DIR/postgres.log" >&2; exit 1; }
  fi
  if [ "$(as_owner "$BIN/psql" -h "$DIR" -p "$PORT" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'")" != 1 ]; then
    as_owner "$BIN/createdb" -h "$DIR" -p "$PORT" -U postgres "$DBNAME"
  fi
}

stop() {
  BIN=$(find_bin)
  if running; then
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null
    echo "Stopped the project's PostgreSQL cluster ($DIR)."
  else
    echo "The project's PostgreSQL cluster is not running."
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
