#!/usr/bin/env bash
# Durability soak (docs/performance.md, "Durability soak (kill -9, PostgreSQL restarts)"). Builds the API, the audit CLI
# and the soak in Release, then runs it: a throwaway PostgreSQL (initdb in a temp folder, pg_ctl on a free loopback port),
# the API as its own process, concurrent GraphQL clients, kill -9 of the API and PostgreSQL restarts (-m fast, -m immediate)
# during the load, then SQL checks. Exit code 1 on any lost or duplicated acknowledged event. Arguments go to the tool,
# for example: --duration 150 --clients 8 --kills 3 --pg-restarts 3 [--keep].
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dotnet build "$root/eng/bench/EventStore.Bench.Soak" -c Release -warnaserror -v q -nologo
exec dotnet "$root/eng/bench/EventStore.Bench.Soak/bin/Release/net10.0/EventStore.Bench.Soak.dll" "$@"
