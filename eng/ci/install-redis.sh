#!/usr/bin/env bash
# Installs Debian's redis-server for the rate-limit tests (RedisRateLimitTests start their own server on a free
# loopback port; nothing runs as a service). Idempotent: does nothing if redis-server is already on PATH.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

if command -v redis-server >/dev/null 2>&1; then
  printf '[install-redis] %s\n' "$(redis-server --version)" >&2
  exit 0
fi

apt-get update -qq
apt-get install -y -qq redis-server >/dev/null
# The package starts no daemon here (no systemd); make sure none is left listening on the default port either.
if command -v service >/dev/null 2>&1; then service redis-server stop >/dev/null 2>&1 || true; fi
printf '[install-redis] %s\n' "$(redis-server --version)" >&2
