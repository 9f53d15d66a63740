#!/usr/bin/env bash
# Memory of a 200 MB upload (docs/performance.md#file-uploads): runs UploadMemoryTests, which starts the app on Kestrel on
# a loopback port with Files:MaxUploadBytes raised to 300 MB, uploads 200 MB through POST /files while sampling the
# process's managed heap and working set, and prints one line:
#   file-upload-memory: size=200 MB; managed heap peak growth=… MB; working set peak growth=… MB; elapsed=… s
# The test fails when either growth reaches 50 MB. PostgreSQL: as for the integration tests (docs/testing.md).
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO_ROOT"
dotnet build tests/EventStore.IntegrationTests -c Release -v q -nologo >/dev/null
dotnet test tests/EventStore.IntegrationTests -c Release --no-build \
  --filter "FullyQualifiedName~EventStore.IntegrationTests.Files.UploadMemoryTests" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "file-upload-memory:|Passed|Failed|Total tests|error" || true
