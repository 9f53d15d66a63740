#!/usr/bin/env bash
# Builds the PostgreSQL 15 image the integration tests use (local/postgres:15)
# without any container registry: debootstrap a Debian 12 minbase root file
# system with postgresql-15 from the machine's own Debian mirror, import it as
# local/postgres-base:15, then `docker build` eng/docker/postgres on top.
#
# The mirror is derived at run time from the first URIs line of
# /etc/apt/sources.list.d/debian.sources; no host name is written here.
# Idempotent: does nothing if local/postgres:15 already exists and was built
# from the current eng/docker/postgres files.
# Needs: root, a running Docker daemon (eng/ci/install-docker.sh).
set -euo pipefail

IMAGE=${EVENTSTORE_TEST_POSTGRES_IMAGE_TAG:-local/postgres:15}
BASE_IMAGE=local/postgres-base:15
SUITE=bookworm
DEBIAN_SOURCES=/etc/apt/sources.list.d/debian.sources
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CONTEXT_DIR=$(cd "$SCRIPT_DIR/../docker/postgres" && pwd)
export DEBIAN_FRONTEND=noninteractive

log() { printf '[build-postgres-image] %s\n' "$*" >&2; }

# The image carries a hash of its build context (Dockerfile + entrypoint), so an
# edit to either rebuilds it; the slow part (debootstrap) is skipped while the
# base image exists.
CONTEXT_SHA=$(cat "$CONTEXT_DIR/Dockerfile" "$CONTEXT_DIR/docker-entrypoint.sh" | sha256sum | cut -c1-16)
LABEL=org.eventstore.build-context

build_image() {
  local old_id
  old_id=$(docker image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)
  log "docker build -> $IMAGE"
  # Legacy builder: docker-buildx is not installed and the Dockerfile needs nothing newer.
  DOCKER_BUILDKIT=0 docker build -q --label "$LABEL=$CONTEXT_SHA" -t "$IMAGE" "$CONTEXT_DIR" >/dev/null
  if [ -n "$old_id" ] && [ "$old_id" != "$(docker image inspect -f '{{.Id}}' "$IMAGE")" ]; then
    docker rmi "$old_id" >/dev/null 2>&1 || true   # the superseded build, if nothing uses it
  fi
  log "built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
}

if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  have=$(docker image inspect -f "{{ index .Config.Labels \"$LABEL\" }}" "$IMAGE" 2>/dev/null || true)
  if [ "$have" = "$CONTEXT_SHA" ]; then
    log "$IMAGE already exists (build context $CONTEXT_SHA); nothing to do"
    exit 0
  fi
  log "$IMAGE exists but was built from another context ('$have' != '$CONTEXT_SHA'); rebuilding"
fi
if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  log "$BASE_IMAGE exists; skipping debootstrap"
  build_image
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { log "must run as root (debootstrap)"; exit 1; }

if ! command -v debootstrap >/dev/null 2>&1; then
  log "installing debootstrap"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

MIRROR=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' "$DEBIAN_SOURCES" | head -n 1)
[ -n "$MIRROR" ] || { log "no URIs line in $DEBIAN_SOURCES"; exit 1; }

ROOTFS=$(mktemp -d /var/tmp/eventstore-pg-rootfs.XXXXXX)
cleanup() {
  # debootstrap mounts proc/sys (and maybe dev) inside the target; a failed run
  # can leave them mounted. Unmount everything below ROOTFS (deepest first)
  # before deleting, and never cross into another file system while deleting.
  local m
  for m in $(awk -v r="$ROOTFS" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
  rm -rf --one-file-system "$ROOTFS"
}
trap cleanup EXIT

log "debootstrap $SUITE (minbase + postgresql-15) into $ROOTFS"
start=$SECONDS
debootstrap --variant=minbase --include=postgresql-15 "$SUITE" "$ROOTFS" "$MIRROR" \
  > "$ROOTFS.debootstrap.log" 2>&1 || { tail -n 40 "$ROOTFS.debootstrap.log" >&2; rm -f "$ROOTFS.debootstrap.log"; exit 1; }
rm -f "$ROOTFS.debootstrap.log"
log "debootstrap done in $((SECONDS - start))s"

# Slim down: the package cache, apt lists, and the 'main' cluster that
# postgresql-common creates on install (the entrypoint runs its own initdb).
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* \
       "$ROOTFS"/var/lib/postgresql/15/main "$ROOTFS"/etc/postgresql/15/main \
       "$ROOTFS"/var/log/postgresql/*
# `setpriv` (util-linux) is how the entrypoint drops root; fail early without it.
[ -x "$ROOTFS/usr/bin/setpriv" ] || { log "setpriv missing from rootfs"; exit 1; }
[ -x "$ROOTFS/usr/lib/postgresql/15/bin/pg_isready" ] || { log "pg_isready missing from rootfs"; exit 1; }

log "docker import -> $BASE_IMAGE"
tar --numeric-owner -C "$ROOTFS" -c . | docker import - "$BASE_IMAGE" >/dev/null

build_image
