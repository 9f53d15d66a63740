#!/usr/bin/env bash
# Projection failover between two nodes (docs/performance.md, "Projection failover between two nodes"). Builds the API and
# the bench in Release, then runs it: PostgreSQL from the local binaries in a throwaway folder under /var/tmp, two API
# processes per run on loopback (EventStore:NodeMode=Balanced), kill -9 of the node that runs the projections. Prints the
# date, the commit and the machine's load first. Arguments go to the bench, for example: --runs 5
# --modes HotCold,WolverineManaged --interval-ms 100 --max-failover-s 150 --postgres '<Npgsql connection string>'.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet build "$root/eng/bench/EventStore.Bench.Failover" -c Release -warnaserror -v q -nologo
exec dotnet "$root/eng/bench/EventStore.Bench.Failover/bin/Release/net10.0/EventStore.Bench.Failover.dll" "$@"
