#!/usr/bin/env bash
# Debian packages the tests need: real Prometheus and Alertmanager for the local alert loop.
# Used by CI and by developers (`bash scripts/install-system-deps.sh`); a no-op when installed.
# The local alert loop (`npm run demo`) names this script when a binary is missing.
set -euo pipefail
# binary:package pairs. Debian names the Alertmanager binary prometheus-alertmanager.
required=(prometheus:prometheus promtool:prometheus prometheus-alertmanager:prometheus-alertmanager amtool:prometheus-alertmanager)
missing=()
for binary in "${required[@]}"; do
  command -v "${binary%%:*}" >/dev/null 2>&1 || missing+=("${binary##*:}")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: prometheus and alertmanager already installed"
  exit 0
fi
mapfile -t packages < <(printf '%s\n' "${missing[@]}" | sort -u)
if ! command -v apt-get >/dev/null 2>&1; then
  cat >&2 <<EOF
install-system-deps: apt-get not found, so the Debian packages (${packages[*]}) cannot be installed here.
Install Prometheus >= 2.42 and Alertmanager >= 0.25 yourself (macOS: brew install prometheus alertmanager),
then point the loop at them if they are not on PATH under the Debian names:
  export PROMETHEUS_BIN=/path/to/prometheus PROMTOOL_BIN=/path/to/promtool
  export ALERTMANAGER_BIN=/path/to/alertmanager AMTOOL_BIN=/path/to/amtool
EOF
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# --no-install-recommends: Prometheus alone would otherwise pull in node-exporter, smartmontools and 400 MB.
$sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"
# The packages ship systemd units; there is no init system here (policy-rc.d denies the start), and the
# loop starts the binaries itself bound to 127.0.0.1, so nothing listens on 0.0.0.0 after this script.
for binary in "${required[@]}"; do
  command -v "${binary%%:*}" >/dev/null 2>&1 || { echo "install-system-deps: ${binary%%:*} still missing after installing ${binary##*:}" >&2; exit 1; }
done
echo "system packages: $(prometheus --version 2>&1 | head -n1); $(prometheus-alertmanager --version 2>&1 | head -n1)"
