#!/usr/bin/env bash
# The test stages of CI, each printed with its duration (.ci/run calls this once the machine is prepared; run it
# yourself the same way):
#   build        dotnet restore, then dotnet build -c Release --no-restore (warnings are errors: Directory.Build.props)
#   unit         every test project tests/*/*.csproj except the integration tests (a new project is picked up), --no-build
#   integration  tests/EventStore.IntegrationTests, --no-build
#   smoke        eng/graphql-ws-smoke.sh and eng/kafka-smoke.sh, each counted as one test; they run the API's Debug
#                build (bin/Debug), so this stage builds src/EventStore.Api in Debug first
# Usage: bash eng/ci/test.sh [build] [unit] [integration] [smoke]   (no argument: all four, in this order)
#        EVENTSTORE_TEST_FILTER='FullyQualifiedName~SequenceGapTests' bash eng/ci/test.sh integration   (a dotnet test --filter)
#
# Ends with ONE summary line, `N passed, N failed, N skipped`, summed from the TRX files of the test stages plus the
# smokes. Exits non-zero if a stage's command failed or timed out, any test failed, or no test ran at all.
#
# Time: the whole run gets $EVENTSTORE_TEST_TIMEOUT seconds (default 1560, 26 min; .ci/run passes what is left of its
# 29 min after preparing the machine); each stage also has a cap of its own (below) and gets at most what is left. A test host silent for
# $EVENTSTORE_TEST_HANG_TIMEOUT (default 10m) is killed.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO_ROOT"

RESULTS=${EVENTSTORE_TEST_RESULTS:-/tmp/eventstore-test-results}
BUDGET=${EVENTSTORE_TEST_TIMEOUT:-1560}
HANG_TIMEOUT=${EVENTSTORE_TEST_HANG_TIMEOUT:-10m}
CONFIGURATION=Release
INTEGRATION=tests/EventStore.IntegrationTests/EventStore.IntegrationTests.csproj
# Stage caps in seconds. Durations on a 2-core machine: build 3-5 min (over 10 when other builds share the machine),
# unit under 1 min, integration 10-15 min, smokes 1-3 min.
BUILD_CAP=900 UNIT_CAP=300 INTEGRATION_CAP=1260 GRAPHQL_WS_CAP=300 KAFKA_CAP=600

# `dotnet new sln` on the .NET 10 SDK writes EventStore.slnx; accept either.
SOLUTION=EventStore.sln
[ -f "$SOLUTION" ] || [ ! -f EventStore.slnx ] || SOLUTION=EventStore.slnx

stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(build unit integration smoke)
for s in "${stages[@]}"; do
  case "$s" in build|unit|integration|smoke) ;; *) echo "unknown stage '$s' (build, unit, integration, smoke)" >&2; exit 2 ;; esac
done

RUN_START=$SECONDS
step_start=0
step() { step_start=$SECONDS; printf '\n==> %s\n' "$*"; }
step_done() { printf '<== %s: %ds (total %ds)\n' "$1" "$((SECONDS - step_start))" "$((SECONDS - RUN_START))"; }

# Seconds a stage may take: its cap, or what is left of the budget if that is less (0 when nothing is left).
allowed() {
  local cap=$1 left=$((BUDGET - (SECONDS - RUN_START)))
  [ "$cap" -gt 0 ] || cap=0
  [ "$left" -gt 0 ] || left=0
  if [ "$cap" -lt "$left" ]; then echo "$cap"; else echo "$left"; fi
}

# Runs "$@" with a timeout of $1 seconds; prints why it stopped when it timed out. Returns the command's exit code.
bounded() {
  local seconds=$1; shift
  if [ "$seconds" -le 0 ]; then echo "no time left (stage cap or the ${BUDGET}s budget): not run: $*" >&2; return 124; fi
  local rc=0
  timeout --kill-after=30s "$seconds" "$@" || rc=$?
  if [ "$rc" -eq 124 ]; then echo "stopped after ${seconds}s: $*" >&2; fi
  return "$rc"
}

# passed failed skipped files, summed over the <Counters .../> of the TRX files under $1:
#   failed  = failed + error + timeout + aborted
#   skipped = total - passed - failed  (xunit's skipped tests are counted in total but not in executed, and VSTest
#             leaves notExecuted at 0)
count_trx() {
  find "$1" -name '*.trx' -type f -print0 2>/dev/null \
    | xargs -0 -r cat \
    | awk '
        function attr(line, name,   m) {
          if (match(line, " " name "=\"[0-9]+\"")) {
            m = substr(line, RSTART, RLENGTH); gsub(/[^0-9]/, "", m); return m + 0
          }
          return 0
        }
        /<Counters / {
          t = attr($0, "total"); p = attr($0, "passed")
          f = attr($0, "failed") + attr($0, "error") + attr($0, "timeout") + attr($0, "aborted")
          s = t - p - f; if (s < 0) s = 0
          P += p; F += f; S += s; files++
        }
        END { printf "%d %d %d %d\n", P, F, S, files }'
}

rc=0            # 1 once any stage's command failed
built=yes       # test stages after a failed build are not run (they would only fail on --no-build)
smoke_passed=0 smoke_failed=0

# dotnet test of one project into $RESULTS/<stage>/<project>.trx (one file per project: no name collisions)
run_tests() {
  local stage=$1 cap=$2 project=$3 name
  name=$(basename "$project" .csproj)
  echo "--- $name"
  bounded "$(allowed "$cap")" dotnet test "$project" -c "$CONFIGURATION" --no-build \
    ${EVENTSTORE_TEST_FILTER:+--filter "$EVENTSTORE_TEST_FILTER"} \
    --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS/$stage" \
    --blame-hang-timeout "$HANG_TIMEOUT" --blame-hang-dump-type none
}

stage_counts() {
  local p f s files
  read -r p f s files <<<"$(count_trx "$RESULTS/$1")"
  echo "$p passed, $f failed, $s skipped ($files TRX files)"
}

rm -rf "$RESULTS"
mkdir -p "$RESULTS"

for stage in "${stages[@]}"; do
  case "$stage" in
    build)
      step "build: dotnet restore + dotnet build $SOLUTION -c $CONFIGURATION"
      started=$SECONDS
      if bounded "$(allowed "$BUILD_CAP")" dotnet restore "$SOLUTION" \
        && bounded "$(allowed $((BUILD_CAP - (SECONDS - started))))" dotnet build "$SOLUTION" -c "$CONFIGURATION" --no-restore -nologo; then
        :
      else
        rc=1 built=no
        echo "build failed: the test stages are not run" >&2
      fi
      step_done "build"
      ;;
    unit)
      step "unit tests (every tests/*/*.csproj but the integration tests; results: $RESULTS/unit)"
      if [ "$built" = yes ]; then
        started=$SECONDS
        found=0
        for project in tests/*/*.csproj; do
          [ "$project" = "$INTEGRATION" ] && continue
          found=1
          run_tests unit $((UNIT_CAP - (SECONDS - started))) "$project" || rc=1
        done
        [ "$found" -eq 1 ] || { echo "no unit test project under tests/" >&2; rc=1; }
        echo "unit: $(stage_counts unit)"
      fi
      step_done "unit tests"
      ;;
    integration)
      step "integration tests ($INTEGRATION; results: $RESULTS/integration)"
      if [ "$built" = yes ]; then
        run_tests integration "$INTEGRATION_CAP" "$INTEGRATION" || rc=1
        echo "integration: $(stage_counts integration)"
      fi
      step_done "integration tests"
      ;;
    smoke)
      step "smoke: the API's Debug build, the npm graphql-ws client, Kafka read by kcat"
      started=$SECONDS
      if [ "$built" = yes ] && bounded "$(allowed 300)" dotnet build src/EventStore.Api -c Debug -nologo -v q; then
        # (a) the standard npm graphql-ws client against the running app
        echo "--- eng/graphql-ws-smoke.sh"
        if bounded "$(allowed "$GRAPHQL_WS_CAP")" bash eng/graphql-ws-smoke.sh; then
          smoke_passed=$((smoke_passed + 1))
        else
          smoke_failed=$((smoke_failed + 1)); echo "graphql-ws smoke failed" >&2
        fi
        # (b) integration events over Kafka, read by kcat, across a SIGKILL of the app
        echo "--- eng/kafka-smoke.sh"
        if bounded "$(allowed "$KAFKA_CAP")" bash eng/kafka-smoke.sh; then
          smoke_passed=$((smoke_passed + 1))
        else
          smoke_failed=$((smoke_failed + 1)); echo "kafka smoke failed" >&2
        fi
      else
        smoke_failed=$((smoke_failed + 2)); echo "no Debug build of the API: the smokes are not run" >&2
      fi
      echo "smoke: $smoke_passed passed, $smoke_failed failed, 0 skipped"
      step_done "smoke"
      ;;
  esac
done

read -r passed failed skipped trx_files <<<"$(count_trx "$RESULTS")"
passed=$((passed + smoke_passed))
failed=$((failed + smoke_failed))

echo
echo "stages: ${stages[*]}; a stage failed: $([ "$rc" -eq 0 ] && echo no || echo yes); TRX files: $trx_files; elapsed: $((SECONDS - RUN_START))s"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"

ran_tests=no
for s in "${stages[@]}"; do [ "$s" = build ] || ran_tests=yes; done
if [ "$rc" -ne 0 ] || [ "$failed" -gt 0 ] || { [ "$ran_tests" = yes ] && [ $((passed + failed)) -eq 0 ]; }; then
  exit 1
fi
