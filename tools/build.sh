#!/usr/bin/env bash
# Configures and builds CertDash into ./build (extra arguments go to cmake at configure time).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build build --parallel "$(nproc)"
