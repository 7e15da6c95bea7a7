#!/usr/bin/env bash
# Configures and builds CertDash with clang, AddressSanitizer + UndefinedBehaviorSanitizer and the
# libFuzzer harnesses into ./build-sanitize (extra arguments go to cmake at configure time;
# BUILD_TARGETS builds only those). tools/test-sanitizers.sh runs the test suite from this tree;
# tools/fuzz.sh runs the fuzzers.
set -euo pipefail
cd "$(dirname "$0")/.."
CC=clang-14 CXX=clang++-14 BUILD_DIR=build-sanitize exec tools/build.sh \
    -DCERTDASH_SANITIZE=ON -DCERTDASH_FUZZ=ON -DCERTDASH_WERROR=ON -DCERTDASH_BUILD_TESTS=ON "$@"
