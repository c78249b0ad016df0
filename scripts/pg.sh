#!/usr/bin/env bash
# The project's own PostgreSQL cluster, for `make run` and `make test`.
#
#   scripts/pg.sh start   initialise (first time) and start the cluster, create the database
#   scripts/pg.sh stop    stop the cluster this project started (and nothing else)
#   scripts/pg.sh url     print the DATABASE_URL for it
#   scripts/pg.sh backup FILE    dump the database to FILE (pg_dump's custom format)
#   scripts/pg.sh restore FILE   load FILE into an empty database
#
# backup and restore use DATABASE_URL when it is set (any server), else the project cluster.
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

target() { echo "${DATABASE_URL:-$(url)}"; }

connect_env() {
  # The tools below get the connection in libpq's PG* environment variables, never on a
  # command line (theirs or this script's), where any user's `ps` would show a password.
  local parse
  read -r -d '' parse <<'PY' || true
import os
import shlex
from urllib.parse import parse_qs, unquote, urlsplit

url = urlsplit(os.environ["CAREHUB_TARGET"])
userinfo, _, hostport = url.netloc.rpartition("@")
user, _, password = userinfo.partition(":")
host, port = hostport, ""
if not hostport.endswith("]") and ":" in hostport:
    host, _, port = hostport.rpartition(":")
env = {
    "PGUSER": unquote(user),
    "PGPASSWORD": unquote(password),
    "PGHOST": unquote(host.strip("[]")),
    "PGPORT": port,
    "PGDATABASE": unquote(url.path.lstrip("/")),
}
# libpq connection parameters given in the query string (sslmode=require, …)
PARAMETERS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
}
for name, values in parse_qs(url.query).items():
    if name in PARAMETERS:
        env[PARAMETERS[name]] = values[-1]
for name, value in env.items():
    if value:
        print(f"export {name}={shlex.quote(value)}")
PY
  eval "$(CAREHUB_TARGET="$(target)" python3 -c "$parse")"
  if [ -z "${PGDATABASE:-}" ]; then
    echo "DATABASE_URL names no database (postgres://…/NAME)." >&2
    exit 2
  fi
}

client_bin() {
  # pg_dump and pg_restore from the newest PostgreSQL installed (they must be at least as new
  # as the server), else whatever is on the PATH.
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/$1" ]; then echo "$dir/$1"; else command -v "$1"; fi
}

backup() {
  local file=${1:?usage: $0 backup FILE}
  umask 077 # the dump holds personal data: readable by its owner only
  connect_env
  "$(client_bin pg_dump)" --format=custom --no-owner --file="$file"
  echo "Backed up to $file."
}

restore() {
  local file=${1:?usage: $0 restore FILE}
  local count
  connect_env
  count=$("$(client_bin psql)" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
  if [ "$count" != 0 ]; then
    echo "The database already has tables: restore into a new, empty database (createdb)." >&2
    exit 1
  fi
  "$(client_bin pg_restore)" --no-owner --exit-on-error --single-transaction \
    --dbname="$PGDATABASE" "$file"
  echo "Restored $file."
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  backup) backup "${2:-}" ;;
  restore) restore "${2:-}" ;;
  *) echo "usage: $0 start|stop|url|backup FILE|restore FILE" >&2; exit 2 ;;
esac
