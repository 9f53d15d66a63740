#!/usr/bin/env bash
# Rewrites schemas/graphql/schema.graphql from the running schema (after an intended API change), then review and commit.
set -euo pipefail
cd "$(dirname "$0")/.."
UPDATE_SCHEMA_SNAPSHOT=1 dotnet test tests/EventStore.IntegrationTests --filter "FullyQualifiedName~SchemaSnapshotTests"
git --no-pager diff --stat -- schemas/graphql/schema.graphql
