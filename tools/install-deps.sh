#!/usr/bin/env bash
# Installs the Debian 12 / Ubuntu packages CertDash needs to build, run and test, if missing.
set -euo pipefail

packages=(
    build-essential cmake ninja-build file pkg-config ccache
    qt6-base-dev libqt6opengl6-dev qt6-charts-dev qt6-tools-dev qt6-l10n-tools qt6-tools-dev-tools
    qtkeychain-qt6-dev libqt6sql6-sqlite libsqlite3-dev libssl-dev openssl ca-certificates
    xvfb xauth dbus gnome-keyring libsecret-1-0 libsecret-tools trayer dunst imagemagick xdotool
    nginx-light procps time
    tinyproxy dante-server
    prometheus prometheus-blackbox-exporter
    libmimalloc-dev
    qt6-translations-l10n
    poppler-utils  # tst_evidencereport reads the PDF back (pdftotext, pdfinfo); pdftoppm for a look
    clang-14 libclang-rt-14-dev llvm-14
    lintian desktop-file-utils appstream systemd man-db bash-completion debootstrap  # tools/test-package.sh, tst_clidocs
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
# nginx, tinyproxy, danted, prometheus and prometheus-blackbox-exporter are only test peers (the
# tests start their own, on loopback):
# never let their packages start a system service.
if [ ! -e /usr/sbin/policy-rc.d ] && [ "$(id -u)" -eq 0 ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
