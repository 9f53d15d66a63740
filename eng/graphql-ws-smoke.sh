#!/usr/bin/env bash
# Smoke check with a standard client: starts the API on loopback (embedded PostgreSQL in a throwaway folder, simulated
# quotes every second), registers a user, and lets the unmodified npm `graphql-ws` client subscribe to quotes over
# WebSocket. Needs a built solution (dotnet build), Node.js and npm. Exit 0 when the client received live updates.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
port=${SMOKE_PORT:-5199}
work=$(mktemp -d /var/tmp/eventstore-smoke.XXXXXX)
chmod 755 "$work"
client="$root/tests/clients/graphql-ws"
app_pid=""
cleanup() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then kill -TERM "$app_pid"; wait "$app_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

(cd "$client" && npm install --no-package-lock --no-audit --no-fund --loglevel=error >/dev/null)

cd "$work"
ASPNETCORE_URLS="http://127.0.0.1:$port" \
EmbeddedPostgres__DataDirectory="$work/postgres" \
Jwt__DevelopmentKeyFile="$work/jwt.key" \
Audit__DevelopmentKeyFile="$work/audit.pem" \
MarketData__TickInterval=00:00:01 \
  dotnet "$root/src/EventStore.Api/bin/Debug/net10.0/EventStore.Api.dll" >"$work/app.log" 2>&1 &
app_pid=$!

for _ in $(seq 1 90); do
  if curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null; then break; fi
  if ! kill -0 "$app_pid" 2>/dev/null; then cat "$work/app.log"; echo "the app exited" >&2; exit 1; fi
  sleep 1
done

gql() { curl -fs "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' -d "$1"; }
gql '{"query":"mutation { register(input: {username: \"smoke\", email: \"smoke@example.com\", password: \"smoke-password-123\"}) { id } }"}' >/dev/null
token=$(gql '{"query":"mutation { login(input: {username: \"smoke\", password: \"smoke-password-123\"}) { token } }"}' \
  | sed -E 's/.*"token":"([^"]+)".*/\1/')

node "$client/smoke.mjs" "ws://127.0.0.1:$port/graphql" "$token"
