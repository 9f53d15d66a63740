#!/usr/bin/env bash
# Commit -> subscriber delivery latency benchmark (docs/performance.md). Builds the API and the benchmark in Release,
# then runs it: PostgreSQL from the local binaries in a throwaway folder under /var/tmp, the API as separate processes
# on loopback. Arguments go to the benchmark, for example: --subscribers 1,100,1000 --commands 30 --interval-ms 200
# --nodes 0 (0: one node, then two nodes; 1 or 2: only that) --postgres '<Npgsql connection string>'.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dotnet build "$root/eng/bench/EventStore.Bench.Live" -c Release -warnaserror -v q -nologo
exec dotnet "$root/eng/bench/EventStore.Bench.Live/bin/Release/net10.0/EventStore.Bench.Live.dll" "$@"
