#!/usr/bin/env bash
# Installs what the GraphiQL browser test needs (tests/EventStore.IntegrationTests/Api/Ide/GraphiQLBrowserTests.cs):
# Debian's chromium and npm playwright-core in tests/browser (playwright drives that chromium; it downloads no browser).
# Idempotent.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
printf '[install-browser] %s\n' "$(chromium --version 2>/dev/null | head -1)" >&2

cd "$REPO_ROOT/tests/browser"
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi
printf '[install-browser] playwright-core %s\n' "$(node -p "require('playwright-core/package.json').version")" >&2
