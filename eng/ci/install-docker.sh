#!/usr/bin/env bash
# Installs and starts a Docker daemon that Testcontainers 4.x can talk to
# (Docker Engine API >= 1.44), on a Debian 12 (bookworm) machine without systemd.
#
# Why two steps: Debian 12's docker.io is 20.10 (API 1.41), too old for
# Testcontainers 4.x. Debian 13's (trixie) docker.io 26.1 works on bookworm
# once its dependencies (containerd, runc, tini, iptables) come from bookworm.
#   1. apt-get install docker.io            (bookworm: pulls in the dependencies)
#   2. apt-get install docker.io/trixie docker-cli/trixie
#      (only docker.io, docker-cli, docker-buildx change). Never `-t trixie`:
#      that makes trixie the target release and upgrades libc6 and ~140 others.
#
# The trixie apt source is derived at run time from
# /etc/apt/sources.list.d/debian.sources (same URIs and Signed-By); no package
# registry host name is written in this script.
#
# Idempotent: does nothing if a daemon with API >= 1.44 already answers; if a
# new-enough dockerd is installed but not running, only starts it.
set -euo pipefail

MIN_API_MINOR=44                  # API 1.44
DEBIAN_SOURCES=/etc/apt/sources.list.d/debian.sources
TRIXIE_SOURCES=/etc/apt/sources.list.d/eventstore-trixie.sources
DOCKERD_LOG=${DOCKERD_LOG:-/var/log/eventstore-dockerd.log}
WAIT_SECONDS=${DOCKER_WAIT_SECONDS:-60}
export DEBIAN_FRONTEND=noninteractive

log() { printf '[install-docker] %s\n' "$*" >&2; }

# `docker` may be any client on PATH (e.g. a newer static client in
# /usr/local/bin); clients negotiate the API version down, so any of them can
# ask the daemon for its API version.
docker_client() {
  if command -v docker >/dev/null 2>&1; then command -v docker
  elif [ -x /usr/bin/docker ]; then echo /usr/bin/docker
  else return 1; fi
}

# Prints the daemon's API version (e.g. 1.45) or fails.
server_api() {
  local cli
  cli=$(docker_client) || return 1
  timeout 10 "$cli" version --format '{{.Server.APIVersion}}' 2>/dev/null
}

api_ok() {
  local v major minor
  v=$(server_api) || return 1
  major=${v%%.*}; minor=${v#*.}; minor=${minor%%.*}
  [[ $major =~ ^[0-9]+$ && $minor =~ ^[0-9]+$ ]] || return 1
  (( major > 1 || (major == 1 && minor >= MIN_API_MINOR) ))
}

# True if an installed dockerd is 25 or newer (Engine 25 = API 1.44).
dockerd_new_enough() {
  command -v dockerd >/dev/null 2>&1 || return 1
  local v
  v=$(dockerd --version 2>/dev/null | sed -n 's/^Docker version \([0-9]*\)\..*/\1/p')
  [[ $v =~ ^[0-9]+$ ]] && (( v >= 25 ))
}

remove_trixie_source() { rm -f "$TRIXIE_SOURCES"; }

# Writes a deb822 source for trixie: every stanza of debian.sources whose
# Suites include plain "bookworm" (the main archive, not -security/-updates),
# with Suites replaced by "trixie". URIs, Components, Signed-By are kept.
write_trixie_source() {
  [ -r "$DEBIAN_SOURCES" ] || { log "cannot read $DEBIAN_SOURCES"; return 1; }
  awk '
    function flush() {
      if (n > 0 && keep) { for (i = 1; i <= n; i++) print buf[i]; print "" }
      n = 0; keep = 0
    }
    /^[[:space:]]*$/ { flush(); next }
    /^[[:space:]]*#/ { next }
    /^Suites:/ {
      for (i = 2; i <= NF; i++) if ($i == "bookworm") keep = 1
      buf[++n] = "Suites: trixie"; next
    }
    { buf[++n] = $0 }
    END { flush() }
  ' "$DEBIAN_SOURCES" > "$TRIXIE_SOURCES"
  if ! grep -q '^URIs:' "$TRIXIE_SOURCES"; then
    log "no bookworm stanza found in $DEBIAN_SOURCES"; remove_trixie_source; return 1
  fi
  log "wrote $TRIXIE_SOURCES:"; sed 's/^/    /' "$TRIXIE_SOURCES" >&2
}

install_docker() {
  log "apt-get update"
  apt-get update -qq
  log "installing docker.io from bookworm (dependencies: containerd, runc, tini, iptables)"
  apt-get install -y -qq --no-install-recommends docker.io >/dev/null

  # The trixie source is needed only for the next install. We REMOVE it
  # afterwards (trap covers failures too) rather than keep it with a low pin:
  # with it gone, later `apt-get update`/`install` on this machine see exactly
  # the original bookworm sources and can never pull a trixie package by
  # accident, and updates do not fetch the large trixie indexes. The installed
  # trixie docker packages stay: apt never downgrades an installed newer
  # version to a lower-version candidate without an explicit request.
  trap remove_trixie_source EXIT
  write_trixie_source
  log "apt-get update (with trixie source)"
  apt-get update -qq
  log "installing docker.io/trixie docker-cli/trixie"
  apt-get install -y -qq --no-install-recommends docker.io/trixie docker-cli/trixie >/dev/null
  remove_trixie_source
  trap - EXIT
  log "installed: $(dockerd --version)"
}

start_dockerd() {
  local pid old i
  # A daemon that answers but is too old (e.g. Debian 12's 20.10 started before
  # this script upgraded the package) would never pass the check: stop it.
  if pid=$(pgrep -x dockerd | head -1) && old=$(server_api); then
    log "stopping running dockerd $pid: API $old < 1.$MIN_API_MINOR"
    kill -TERM "$pid"
    for ((i = 0; i < 30; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  fi
  # A pid file left by a daemon that did not exit cleanly makes dockerd refuse to start.
  if ! pgrep -x dockerd >/dev/null 2>&1 && [ -f /var/run/docker.pid ]; then
    rm -f /var/run/docker.pid
  fi
  if pgrep -x dockerd >/dev/null 2>&1; then
    log "dockerd already running (pid $(pgrep -x dockerd | head -1)); waiting for it"
  else
    log "starting dockerd (log: $DOCKERD_LOG)"
    mkdir -p "$(dirname "$DOCKERD_LOG")"
    # setsid + nohup: the daemon outlives this script and its process group.
    setsid nohup dockerd >>"$DOCKERD_LOG" 2>&1 < /dev/null &
  fi
  for ((i = 0; i < WAIT_SECONDS; i++)); do
    if api_ok; then
      log "daemon ready after ${i}s: server $("$(docker_client)" version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"
      return 0
    fi
    sleep 1
  done
  log "dockerd did not answer within ${WAIT_SECONDS}s; last lines of $DOCKERD_LOG:"
  tail -n 40 "$DOCKERD_LOG" >&2 || true
  return 1
}

main() {
  if api_ok; then
    log "docker daemon already running with API $(server_api); nothing to do"
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    log "must run as root to install/start dockerd"; return 1
  fi
  if dockerd_new_enough; then
    log "dockerd already installed: $(dockerd --version)"
  else
    install_docker
  fi
  start_dockerd
}

main "$@"
