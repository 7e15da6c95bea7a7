#!/usr/bin/env bash
# Quick start: install what is missing, build, and open the dashboard.
# Arguments are passed to certdash (e.g. tools/run.sh scan --targets examples/targets.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
tools/build.sh
exec ./build/certdash "$@"
