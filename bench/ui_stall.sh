#!/usr/bin/env bash
# UI stall during a scan: N endpoints on loopback nginx (fixtures as in scan_bench.sh), the real
# window offscreen presses Probe all, and certdash_bench_ui_stall prints the event-loop gaps.
# Usage: bash bench/ui_stall.sh [N=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
BUILD_DIR=${BUILD_DIR:-build}
cmake --build "$BUILD_DIR" --target certdash_bench_fixtures certdash_bench_ui_stall >/dev/null
dir=$(mktemp -d)
trap '[ -f "$dir/nginx.pid" ] && kill "$(cat "$dir/nginx.pid")" 2>/dev/null; rm -rf "$dir"' EXIT
"$BUILD_DIR/bench/certdash_bench_fixtures" "$N" "$dir" >/dev/null
nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" &
for port in $(cat "$dir/ports.txt"); do
    for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.1; done
done
"$BUILD_DIR/bench/certdash_bench_ui_stall" "$dir/targets.txt" "$dir/root.pem"
