#!/usr/bin/env bash
# Kafka smoke check with an independent client (kcat) and hard kills:
#   1. kcat holds librdkafka's mock Kafka cluster (no broker can be installed here) and creates the topics;
#   2. the API starts on loopback with Kafka on (embedded PostgreSQL in a throwaway folder, simulated quotes) as an
#      API-only node (EventStore:RunProjections=false: no daemon, so the relay cannot publish yet); a trader places a
#      market order (it fills at once) and the API is killed with SIGKILL right after the response (the commit);
#   3. the API starts again as a normal node, a second order is placed, and it is killed with SIGKILL at once again
#      (whether its relay ran before the kill is not controlled);
#   4. after a third start, kcat reads the trading topic: trading.order-placed.v1 and trading.order-filled.v1 keyed by
#      each order id are there at least once, and the trader has exactly one ORDER_FILLED notification per order
#      (the consumer that dedupes by event id).
# Needs a built solution (dotnet build). Installs the Debian package kafkacat when kcat is missing. Exit 0 on success.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
port=${SMOKE_PORT:-5198}
work=$(mktemp -d /var/tmp/eventstore-kafka-smoke.XXXXXX)
chmod 755 "$work"
app_pid=""
mock_pid=""
cleanup() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then kill -TERM "$app_pid"; wait "$app_pid" 2>/dev/null || true; fi
  if [ -n "$mock_pid" ] && kill -0 "$mock_pid" 2>/dev/null; then kill -TERM "$mock_pid"; wait "$mock_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v kcat >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q kafkacat >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q kafkacat >/dev/null; }
fi

# (1) the mock cluster lives as long as this kcat consumer; it prints its bootstrap address on stderr
kcat -X test.mock.num.brokers=1 -b dummy:9092 -C -t _holder >/dev/null 2>"$work/mock.log" &
mock_pid=$!
bootstrap=""
for _ in $(seq 1 50); do
  bootstrap=$(grep -oE '127\.0\.0\.1:[0-9]+' "$work/mock.log" | head -1 || true)
  [ -n "$bootstrap" ] && break
  sleep 0.2
done
[ -n "$bootstrap" ] || { cat "$work/mock.log"; echo "kcat did not start a mock cluster" >&2; exit 1; }
for module in users trading chat assistant compliance; do
  kcat -b "$bootstrap" -L -t "eventstore.$module" >/dev/null   # a metadata request creates the topic on the mock
done
echo "mock Kafka cluster at $bootstrap"

start_app() {
  (cd "$work" && EventStore__RunProjections="${1:-true}" ASPNETCORE_URLS="http://127.0.0.1:$port" \
    EmbeddedPostgres__DataDirectory="$work/postgres" \
    Jwt__DevelopmentKeyFile="$work/jwt.key" \
    Audit__DevelopmentKeyFile="$work/audit.pem" \
    MarketData__TickInterval=00:00:01 \
    Kafka__BootstrapServers="$bootstrap" \
    exec dotnet "$root/src/EventStore.Api/bin/Debug/net10.0/EventStore.Api.dll" >>"$work/app.log" 2>&1) &
  app_pid=$!
  for _ in $(seq 1 90); do
    if curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null; then return 0; fi
    if ! kill -0 "$app_pid" 2>/dev/null; then cat "$work/app.log"; echo "the app exited" >&2; exit 1; fi
    sleep 1
  done
  echo "the app did not become ready" >&2; exit 1
}

gql() { curl -fs "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' ${2:+-H "authorization: Bearer $2"} -d "$1"; }

kill_app() { kill -KILL "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=""; }

place_and_kill() {  # places a market order, then SIGKILL the instant the response (the commit) is back
  local response
  response=$(gql "{\"query\":\"mutation { placeOrder(input: {clientOrderId: \\\"$1\\\", symbol: \\\"AAPL\\\", side: BUY, type: MARKET, quantity: 1}) { order { id status } } }\"}" "$token")
  kill_app
  echo "$response" | grep -q '"status":"FILLED"' || { echo "unexpected placeOrder response: $response" >&2; exit 1; }
  placed_id=$(echo "$response" | sed -E 's/.*"id":"([^"]+)".*/\1/')
}

start_app false
gql '{"query":"mutation { register(input: {username: \"kafka-smoke\", email: \"kafka-smoke@example.com\", password: \"smoke-password-123\"}) { id } }"}' >/dev/null
token=$(gql '{"query":"mutation { login(input: {username: \"kafka-smoke\", password: \"smoke-password-123\"}) { token } }"}' \
  | sed -E 's/.*"token":"([^"]+)".*/\1/')
gql '{"query":"mutation { deposit(input: {amount: 10000}) { balance } }"}' "$token" >/dev/null
wait_for_quote() {
  for _ in $(seq 1 30); do   # the simulated feed's next AAPL quote
    gql '{"query":"{ quote(symbol: \"AAPL\") { ask } }"}' "$token" | grep -q '"ask"' && return 0
    sleep 1
  done
}
wait_for_quote
place_and_kill smoke-1; first=$placed_id
echo "order $first committed on an API-only node (relay not running); killed with SIGKILL"
start_app
wait_for_quote
place_and_kill smoke-2; second=$placed_id
echo "order $second committed; killed with SIGKILL at once"
start_app

for order_id in "$first" "$second"; do
  # at least once on the wire, keyed by the order id, seen by an independent client
  placed=0; filled=0
  for _ in $(seq 1 60); do
    kcat -b "$bootstrap" -C -t eventstore.trading -o beginning -e -q -f '%k|%h|%s\n' >"$work/trading.txt" 2>/dev/null || true
    placed=$(grep -c "^$order_id|.*message-type=trading.order-placed.v1" "$work/trading.txt" || true)
    filled=$(grep -c "^$order_id|.*message-type=trading.order-filled.v1" "$work/trading.txt" || true)
    [ "$placed" -ge 1 ] && [ "$filled" -ge 1 ] && break
    sleep 1
  done
  echo "kcat: order-placed x$placed, order-filled x$filled for key $order_id"
  [ "$placed" -ge 1 ] && [ "$filled" -ge 1 ] || { tail -40 "$work/app.log"; echo "integration events missing on the topic" >&2; exit 1; }
  if ! grep "^$order_id|" "$work/trading.txt" | grep -F "\"orderId\":\"$order_id\"" >/dev/null; then
    echo "payload does not carry the order id" >&2; exit 1
  fi
done

# exactly once for the consumer that dedupes: one ORDER_FILLED notification per order. The killed processes' consumer
# group members keep their partitions until the group's session timeout (45 s) expires, so allow for that.
count=0
waited=$SECONDS
for _ in $(seq 1 180); do
  count=$( (gql '{"query":"{ notifications(first: 50) { edges { node { kind } } } }"}' "$token" || true) | grep -o '"ORDER_FILLED"' | wc -l || true)
  [ "$count" -ge 2 ] && break
  sleep 1
done
echo "notifications ORDER_FILLED: $count (after $((SECONDS - waited)) s)"
[ "$count" -eq 2 ] || { cp "$work/app.log" "${KAFKA_SMOKE_LOG:-/tmp/kafka-smoke-app.log}"; echo "expected exactly two ORDER_FILLED notifications, got $count" >&2; exit 1; }
echo "kafka smoke: ok"
