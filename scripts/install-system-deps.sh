#!/usr/bin/env bash
# System packages the tests need that npm can't provide: Debian's Chromium (browser tests) and
# Debian's PostgreSQL server (the production topology: `npm run cluster`, `npm run test:cluster`).
set -euo pipefail
missing=()
if [ -x /usr/bin/chromium ]; then echo "[epa-flow setup] chromium: $(/usr/bin/chromium --version 2>/dev/null)"; else missing+=(chromium); fi
pg_initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 || true)
if [ -n "$pg_initdb" ]; then echo "[epa-flow setup] postgresql: $("$pg_initdb" --version)"; else missing+=(postgresql); fi
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then echo "[epa-flow setup] missing: run 'sudo apt-get install ${missing[*]}' (browser or cluster tests need them)"; exit 0; fi
echo "[epa-flow setup] installing Debian's ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
# Debian's package starts its own cluster on 5432; the project runs its own servers on its own ports.
if [[ " ${missing[*]} " == *" postgresql "* ]] && command -v pg_lsclusters >/dev/null; then
  pg_lsclusters -h | while read -r ver name _; do pg_ctlcluster "$ver" "$name" stop 2>/dev/null || true; done
fi
