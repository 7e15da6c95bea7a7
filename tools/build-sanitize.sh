#!/usr/bin/env bash
# Configures and builds CertDash with clang, AddressSanitizer + UndefinedBehaviorSanitizer and the
# libFuzzer harnesses into ./build-sanitize (extra arguments go to cmake at configure time).
# tools/test-sanitizers.sh runs the test suite from this tree; tools/fuzz.sh runs the fuzzers.
set -euo pipefail
cd "$(dirname "$0")/.."
launcher=()
if command -v ccache >/dev/null 2>&1; then
    export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$PWD")}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
CXX=clang++-14 CC=clang-14 cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCERTDASH_SANITIZE=ON -DCERTDASH_FUZZ=ON -DCERTDASH_WERROR=ON -DCERTDASH_BUILD_TESTS=ON \
    "${launcher[@]}" "$@" >/dev/null
cmake --build build-sanitize --parallel "$(nproc)"
