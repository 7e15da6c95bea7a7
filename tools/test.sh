#!/usr/bin/env bash
# Install what is missing, build with warnings as errors, run every test suite.
# Exits non-zero when any test fails. GUI and tray tests get an X server (Xvfb) and a private
# D-Bus session; nothing from the developer's desktop session is touched.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
tools/build.sh -DCERTDASH_WERROR=ON -DCERTDASH_BUILD_TESTS=ON

cd build
export QT_QPA_PLATFORM=offscreen
exec xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
    ctest --output-on-failure --timeout 300 -j "$(nproc)" "$@"
