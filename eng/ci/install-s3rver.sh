#!/usr/bin/env bash
# Installs what the Files tests against the S3 store need (tests/EventStore.IntegrationTests/Files/S3FileTests.cs):
# npm s3rver 3.7.1 in tests/s3rver. The tests start it on a loopback port themselves (tests/s3rver/server.mjs). Idempotent.
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO_ROOT/tests/s3rver"
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi
printf '[install-s3rver] s3rver %s\n' "$(node -p "require('s3rver/package.json').version")" >&2
