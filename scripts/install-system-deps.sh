#!/usr/bin/env bash
# Debian packages the tests need: real Prometheus and Alertmanager for the local alert loop.
# Used by CI and by developers (`bash scripts/install-system-deps.sh`); a no-op when installed.
set -euo pipefail
missing=()
for binary in prometheus:prometheus promtool:prometheus prometheus-alertmanager:prometheus-alertmanager amtool:prometheus-alertmanager; do
  command -v "${binary%%:*}" >/dev/null 2>&1 || missing+=("${binary##*:}")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: prometheus and alertmanager already installed"
  exit 0
fi
mapfile -t packages < <(printf '%s\n' "${missing[@]}" | sort -u)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# --no-install-recommends: Prometheus alone would otherwise pull in node-exporter, smartmontools and 400 MB.
$sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"
