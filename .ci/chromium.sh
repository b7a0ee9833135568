#!/usr/bin/env bash
# Headless Chromium and its WebDriver for the real-browser dashboard test
# (tests/browser_dashboard.rs). Installs Debian's `chromium` and
# `chromium-driver` when /usr/bin/chromium or /usr/bin/chromedriver is
# missing; does nothing when both are there, so it is safe to run again.
#
# Usage (from the repository root): bash .ci/chromium.sh
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  echo "chromium and chromedriver are installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "error: installing chromium needs root (or sudo): apt-get install -y chromium chromium-driver" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium chromium-driver

/usr/bin/chromium --version
/usr/bin/chromedriver --version
