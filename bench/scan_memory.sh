#!/usr/bin/env bash
# Memory and CPU per probe of `certdash scan` as the estate grows: one set of scan_bench.sh's
# fixtures (certdash_bench_fixtures, one loopback nginx) for the largest size, then scans of the
# first N targets for every N and report format, each under /usr/bin/time.
#
#     bash bench/scan_memory.sh [SIZES="1000 10000 20000"]
#
# Environment:
#   BUILD_DIR    build tree with certdash and certdash_bench_fixtures (default: ./build)
#   FORMATS      report formats to scan with (default "csv json prometheus")
#   CONCURRENCY  --concurrency (default 32)
#   DATABASE=1   also import the N targets into a fresh store and scan that (recorded, CSV)
#   STDOUT=1     also scan with the CSV report on stdout into a pipe (not --output)
#   HEAPTRACK=N  run the CSV scan of size N once more under heaptrack; prints its summary
#   BINARIES     certdash binaries to compare, each scan run by each in turn (default:
#                BUILD_DIR/certdash); rows are labelled with the binary's directory name
#   COMPARE      with BINARIES, the formats every binary scans (default: all); the other
#                formats, DATABASE, STDOUT and HEAPTRACK run with the last binary only
# Run as root on Debian 12 with nginx-light, openssl, procps and time (tools/install-deps.sh).
set -euo pipefail

SIZES=${1:-1000 10000 20000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
case $BUILD_DIR in /*) ;; *) BUILD_DIR=$ROOT/$BUILD_DIR ;; esac
FORMATS=${FORMATS:-csv json prometheus}
C=${CONCURRENCY:-32}
CERTDASH=$BUILD_DIR/certdash
FIXTURES=$BUILD_DIR/bench/certdash_bench_fixtures
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
MAX=0
for n in $SIZES; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "usage: bash bench/scan_memory.sh \"N1 N2 ...\"" >&2; exit 2; }
    [ "$n" -gt "$MAX" ] && MAX=$n
done
read -r -a BINS <<< "${BINARIES:-$CERTDASH}"
for b in "${BINS[@]}" "$FIXTURES"; do
    [ -x "$b" ] || { echo "missing $b: build certdash and certdash_bench_fixtures first" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/certdash-memory.XXXXXX)
NGINX_PID=
cleanup() {
    if [ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
        kill -QUIT "$NGINX_PID" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$NGINX_PID" 2>/dev/null || true
        wait "$NGINX_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, sizes: $SIZES, formats: $FORMATS, concurrency $C"
"$FIXTURES" "$MAX" "$WORK" >/dev/null
mapfile -t PORTS < "$WORK/ports.txt"
"$NGINX" -p "$WORK" -e "$WORK/error.log" -c "$WORK/nginx.conf" >"$WORK/nginx.out" 2>&1 &
NGINX_PID=$!
for _ in $(seq 1200); do
    ready=1
    for p in "${PORTS[@]}"; do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { ready=0; break; }; done
    [ $ready = 1 ] && break
    kill -0 "$NGINX_PID" 2>/dev/null || break
    sleep 0.1
done
[ "$ready" = 1 ] || { echo "nginx did not come up" >&2; cat "$WORK/error.log" >&2; exit 1; }
echo "== load: $(uptime | sed 's/.*load average/load average/')"

# run LABEL N CMD...: one scan under /usr/bin/time; checks the exit code (0-2 are outcomes).
# CMD's word CERTDASH is replaced by each binary in turn.
printf '%-34s %7s %8s %8s %12s %8s %6s\n' scan probes wall_s cpu_s cpu_ms/probe rss_MB load1
run() {
    local label=$1 n=$2 b bins=("${BINS[@]}"); shift 2
    [ "${ONLY_LAST:-0}" = 1 ] && bins=("${BINS[-1]}")
    for b in "${bins[@]}"; do
        local args=() a
        for a in "$@"; do [ "$a" = CERTDASH ] && args+=("$b") || args+=("$a"); done
        run_one "$([ ${#BINS[@]} -gt 1 ] && echo "$(basename "$(dirname "$b")") ")$label" "$n" \
            "${args[@]}"
    done
}
run_one() {
    local label=$1 n=$2 rc=0; shift 2
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/time.out" "$@" || rc=$?
    if [ $rc -gt 2 ]; then echo "$label: certdash failed with exit code $rc" >&2; exit 1; fi
    read -r wall user sys rss < <(tail -n1 "$WORK/time.out")
    awk -v l="$label" -v n="$n" -v w="$wall" -v c="$(echo "$user + $sys" | bc)" -v m="$rss" \
        -v ld="$(cut -d' ' -f1 /proc/loadavg)" \
        'BEGIN { printf "%-34s %7d %8.2f %8.2f %12.3f %8.1f %6.2f\n", l, n, w, c, 1000 * c / n, m / 1024, ld }'
}
rows() { tail -n +2 "$1" | wc -l; }

for n in $SIZES; do
    head -n "$n" "$WORK/targets.txt" > "$WORK/t$n.txt"
    common=(--ca-file "$WORK/root.pem" --concurrency "$C" --timeout 10 --quiet)
    for f in $FORMATS; do
        ONLY_LAST=1
        [[ " ${COMPARE:-$FORMATS} " == *" $f "* ]] && ONLY_LAST=0
        run "$f --output" "$n" CERTDASH scan --targets "$WORK/t$n.txt" "${common[@]}" \
            --format "$f" --output "$WORK/out.$f"
        if [ "$f" = csv ] && [ "$(rows "$WORK/out.csv")" != "$n" ]; then
            echo "csv report has $(rows "$WORK/out.csv") rows, expected $n" >&2; exit 1
        fi
    done
    ONLY_LAST=1
    if [ "${STDOUT:-0}" = 1 ]; then
        run "csv stdout|pipe" "$n" sh -c '"$@" | cat > "'"$WORK"'/pipe.csv"' sh \
            CERTDASH scan --targets "$WORK/t$n.txt" "${common[@]}" --format csv
    fi
    if [ "${DATABASE:-0}" = 1 ]; then
        rm -f "$WORK/store.sqlite"*
        "${BINS[-1]}" import --database "$WORK/store.sqlite" "$WORK/t$n.txt" >/dev/null 2>&1
        run "csv --database" "$n" CERTDASH scan --database "$WORK/store.sqlite" "${common[@]}" \
            --event-log "$WORK/events.jsonl" --format csv --output "$WORK/db.csv"
    fi
    if [ "${HEAPTRACK:-0}" = "$n" ]; then
        rm -f "$WORK"/heap.*
        echo "== heaptrack: ${BINS[-1]}, $n targets, csv; the largest allocation sites at the peak"
        (cd "$WORK" && heaptrack -o "$WORK/heap" "${BINS[-1]}" scan --targets "$WORK/t$n.txt" \
            "${common[@]}" --format csv --output "$WORK/heap.csv" >/dev/null 2>&1) || true
        # Each site's size at the peak and its first frame in CertDash's own code.
        heaptrack_print -f "$WORK"/heap.*zst -p 1 -a 0 -T 0 -n 12 -s 3 > "$WORK/heap.txt" 2>/dev/null || true
        awk '/consumed over/ { if (site) print site; site = $0; own = 0; prev = ""; next }
             site && !own && /at \.\.\/app\// { site = site "  <- " prev " " $2; own = 1 }
             /^MOST CALLS|^MOST TEMPORARY|^total runtime/ { if (site) print site; site = "" }
             /^peak heap memory|^peak RSS/ { print }
             { prev = $1 } END { if (site) print site }' "$WORK/heap.txt" | head -n 40 || true
    fi
done
echo "== load after: $(uptime | sed 's/.*load average/load average/')"
