#!/usr/bin/env bash
# Install Debian's chromium (headless browser for the HTML map test) when missing.
# Needs root and apt-get; prints the browser's path on success.
set -euo pipefail
for b in chromium chromium-browser; do
  if command -v "$b" >/dev/null 2>&1; then command -v "$b"; exit 0; fi
done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >/tmp/geoconflict-chromium.log 2>&1 || {
    apt-get update -qq && apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >/tmp/geoconflict-chromium.log 2>&1; } || {
    tail -20 /tmp/geoconflict-chromium.log >&2; echo "apt-get install chromium failed" >&2; exit 1; }
  command -v chromium
  exit 0
fi
echo "chromium is not installed and cannot be installed here (needs root and apt-get)" >&2
exit 1
