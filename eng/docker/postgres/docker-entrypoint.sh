#!/bin/bash
# Entrypoint for local/postgres:15 (see Dockerfile next to this file).
#   POSTGRES_USER      superuser name               (default: postgres)
#   POSTGRES_PASSWORD  its password                 (default: postgres)
#   POSTGRES_DB        database created on first start (default: $POSTGRES_USER)
# Arguments: none or "postgres [options]" or just options ("-c fsync=off ...") start the
# server with those options; anything else is executed as a command.
set -euo pipefail

PGDATA=${PGDATA:-/var/lib/postgresql/data}
export PGDATA

# Options only (Testcontainers passes "-c fsync=off ...") -> prefix the server.
if [ "$#" -eq 0 ] || [ "${1:0:1}" = '-' ]; then
  set -- postgres "$@"
fi

if [ "$1" != postgres ]; then
  exec "$@"
fi
shift

# Started as root: prepare directories, then re-run this script as postgres.
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 0700 "$PGDATA"
  chmod 2777 /var/run/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" postgres "$@"
fi

POSTGRES_USER=${POSTGRES_USER:-postgres}
POSTGRES_PASSWORD=${POSTGRES_PASSWORD:-postgres}
POSTGRES_DB=${POSTGRES_DB:-$POSTGRES_USER}

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "docker-entrypoint: initialising $PGDATA (user '$POSTGRES_USER', database '$POSTGRES_DB')"
  pwfile=$(mktemp)
  trap 'rm -f "$pwfile"' EXIT
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  # Local socket: trust (like the official image; only reachable inside the container).
  # TCP: scram-sha-256 with the password above.
  # --no-sync: a test container's data is thrown away with it; skipping the fsync of
  # every new file cuts container start-up by seconds.
  initdb --pgdata="$PGDATA" --username="$POSTGRES_USER" --pwfile="$pwfile" \
         --encoding=UTF8 --locale=C.UTF-8 --no-sync \
         --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  trap - EXIT
  {
    echo
    echo "# docker-entrypoint: password authentication from any host"
    echo "host all all all scram-sha-256"
  } >> "$PGDATA/pg_hba.conf"

  if [ "$POSTGRES_DB" != postgres ]; then
    # Single-user mode: no server, no socket, nothing can connect half-initialised.
    db_ident=${POSTGRES_DB//\"/\"\"}
    echo "CREATE DATABASE \"$db_ident\";" \
      | postgres --single -D "$PGDATA" postgres >/dev/null
  fi
  echo "docker-entrypoint: PostgreSQL init process complete; ready for start up."
fi

exec postgres -c listen_addresses='*' "$@"
