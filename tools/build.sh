#!/usr/bin/env bash
# Configures and builds CertDash into ./build (extra arguments go to cmake at configure time).
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache, when installed, makes rebuilds of a fresh clone (CI) and of several worktrees cheap.
launcher=()
if command -v ccache >/dev/null 2>&1; then
    export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$PWD")}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" "$@" >/dev/null
cmake --build build --parallel "$(nproc)"
