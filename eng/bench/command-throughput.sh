#!/usr/bin/env bash
# Command throughput vs a raw single-row INSERT endpoint, and projection lag under steady load (docs/performance.md).
# Builds the API and the benchmark in Release, then runs it: PostgreSQL from the local binaries in a throwaway folder
# under /var/tmp, the API as its own process on loopback. Arguments go to the benchmark, for example:
# --levels 1,8,32 --warmup-s 5 --duration-s 15 --lag-rate 40 --lag-s 20 --sample-ms 20 --postgres '<Npgsql connection string>'.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dotnet build "$root/eng/bench/EventStore.Bench.Commands" -c Release -warnaserror -v q -nologo
exec dotnet "$root/eng/bench/EventStore.Bench.Commands/bin/Release/net10.0/EventStore.Bench.Commands.dll" "$@"
