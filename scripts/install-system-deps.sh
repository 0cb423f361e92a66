#!/usr/bin/env bash
# System packages the tests need that npm can't provide: Debian's Chromium for the dashboard's browser test.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then echo "[epa-flow setup] chromium: $(/usr/bin/chromium --version 2>/dev/null)"; exit 0; fi
if [ "$(id -u)" != 0 ]; then echo "[epa-flow setup] chromium missing: run 'sudo apt-get install chromium' (browser tests will be skipped)"; exit 0; fi
echo "[epa-flow setup] installing Debian's chromium"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
