#!/usr/bin/env bash
# Scan benchmark: N loopback TLS endpoints on one nginx worker, scanned by `certdash scan` and by
# two baselines at the same concurrency (a stdlib asyncio prober and a parallel `openssl s_client`
# loop), plus `openssl s_time` as the per-handshake CPU floor of an OpenSSL 3.0 client.
#
#     bash bench/scan_bench.sh N [CONCURRENCY=32]
#
# Environment:
#   BUILD_DIR   build tree with certdash and certdash_bench_fixtures (default: ./build; built
#               if missing, which needs CERTDASH_BUILD_TESTS=ON, the default)
#   REPEAT      rounds of measurements against the same nginx, medians printed (default 1)
#   KEY         ec (default, P-256), rsa (RSA-2048) or mixed (80 % RSA-2048, 5 % RSA-4096, 10 %
#               P-256, 5 % P-384 under an RSA-2048 CA: the issue's estate)
#   PORTS       loopback ports the names are spread over (default 8; 1 = every name by SNI on one
#               listener)
#   WORKERS     nginx worker processes (default 1); nginx CPU is summed over them
#   CERTDASH_ENV  environment for the certdash runs only, e.g. "LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libmimalloc.so.2"
#   PROTOCOLS   nginx ssl_protocols (default "TLSv1.2 TLSv1.3"; "TLSv1.2" to compare)
#   SCLIENT_N   targets probed by the s_client loop (default 500; 0 skips it)
#   STIME_S     seconds of `openssl s_time` (default 5; 0 skips it)
#   NO_PYTHON=1 skip the asyncio baseline
#   ENGINES     probe engines run each round (default "openssl"; "openssl qt" runs both, first
#               one alternating from round to round, and prints the qt/openssl ratios)
#   KEEP=1      keep the fixture directory (its path is printed)
# Run as root on Debian 12 with nginx-light, openssl, procps and time (tools/install-deps.sh).
set -euo pipefail

usage() { echo "usage: bash bench/scan_bench.sh N [CONCURRENCY=32]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
N=$1
C=${2:-32}
[[ $N =~ ^[1-9][0-9]*$ ]] && [[ $C =~ ^[1-9][0-9]*$ ]] || usage

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
case $BUILD_DIR in /*) ;; *) BUILD_DIR=$ROOT/$BUILD_DIR ;; esac
REPEAT=${REPEAT:-1}
KEY=${KEY:-ec}
PORT_COUNT=${PORTS:-8}
WORKERS=${WORKERS:-1}
CERTDASH_ENV=${CERTDASH_ENV:-}
PROTOCOLS=${PROTOCOLS:-TLSv1.2 TLSv1.3}
SCLIENT_N=${SCLIENT_N:-500}
read -r -a ENGINE_LIST <<<"${ENGINES:-openssl}"
for e in "${ENGINE_LIST[@]}"; do
    [[ $e == openssl || $e == qt ]] || { echo "ENGINES: expected openssl and/or qt, got '$e'" >&2; exit 2; }
done
STIME_S=${STIME_S:-5}
CERTDASH=$BUILD_DIR/certdash
FIXTURES=$BUILD_DIR/bench/certdash_bench_fixtures
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
TIME=/usr/bin/time
TICKS=$(getconf CLK_TCK)

for tool in "$NGINX" "$TIME" openssl pgrep; do
    command -v "$tool" >/dev/null || { echo "missing $tool: run tools/install-deps.sh" >&2; exit 1; }
done
if [ ! -x "$CERTDASH" ] || [ ! -x "$FIXTURES" ]; then
    echo "== building certdash and certdash_bench_fixtures in $BUILD_DIR"
    [ -f "$BUILD_DIR/CMakeCache.txt" ] ||
        cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$BUILD_DIR" --target certdash certdash_bench_fixtures --parallel 2 >/dev/null
fi

WORK=$(mktemp -d /tmp/certdash-bench.XXXXXX)
NGINX_PID=
cleanup() {
    if [ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
        kill -QUIT "$NGINX_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$NGINX_PID" 2>/dev/null || true
        wait "$NGINX_PID" 2>/dev/null || true
    fi
    if [ "${KEEP:-0}" = 1 ]; then echo "fixtures kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, $(openssl version | cut -d' ' -f1-2)," \
     "$("$NGINX" -v 2>&1 | sed 's/.*: //'), N=$N concurrency=$C key=$KEY ports=$PORT_COUNT" \
     "workers=$WORKERS protocols=$PROTOCOLS engines=${ENGINE_LIST[*]}${CERTDASH_ENV:+ certdash env: $CERTDASH_ENV}"
echo "== load before: $(uptime | sed 's/.*load average/load average/')"

echo "== fixtures: $("$FIXTURES" "$N" "$WORK" --key "$KEY" --ports "$PORT_COUNT" --workers "$WORKERS" \
                      --protocols "$PROTOCOLS")"
mapfile -t PORTS < "$WORK/ports.txt"

"$NGINX" -p "$WORK" -e "$WORK/error.log" -c "$WORK/nginx.conf" >"$WORK/nginx.out" 2>&1 &
NGINX_PID=$!
ready=0
for _ in $(seq 600); do
    ready=1
    for p in "${PORTS[@]}"; do
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { ready=0; break; }
    done
    [ $ready = 1 ] && break
    kill -0 "$NGINX_PID" 2>/dev/null || break
    sleep 0.1
done
if [ $ready != 1 ]; then
    echo "nginx did not come up:" >&2
    cat "$WORK/nginx.out" "$WORK/error.log" >&2 2>/dev/null || true
    exit 1
fi
for _ in $(seq 100); do
    mapfile -t WORKER_PIDS < <(pgrep -P "$NGINX_PID")
    [ "${#WORKER_PIDS[@]}" -ge "$WORKERS" ] && break
    sleep 0.1
done
[ "${#WORKER_PIDS[@]}" -ge 1 ] || { echo "no nginx worker process" >&2; exit 1; }

# utime + stime of the nginx workers, in clock ticks (fields 14 and 15 of /proc/PID/stat; the
# command name in field 2 is skipped by cutting at the last parenthesis).
worker_ticks() {
    local pid total=0 t
    for pid in "${WORKER_PIDS[@]}"; do
        t=$(sed 's/.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')
        total=$((total + t))
    done
    echo "$total"
}

RESULTS=$WORK/results.txt
PAIRS=$WORK/pairs.txt
ENGINE_PAIRS=$WORK/engine_pairs.txt
: > "$RESULTS"
: > "$PAIRS"
: > "$ENGINE_PAIRS"

# measure LABEL PROBES CMD...: runs CMD under /usr/bin/time and records one row:
# label probes wall user sys maxrss_kb nginx_ticks load1 exit_code
measure() {
    local label=$1 probes=$2; shift 2
    local before after rc=0
    before=$(worker_ticks)
    "$TIME" -f '%e %U %S %M' -o "$WORK/time.out" "$@" || rc=$?
    after=$(worker_ticks)
    echo "$label $probes $(tail -n1 "$WORK/time.out") $((after - before))" \
         "$(cut -d' ' -f1 /proc/loadavg) $rc" >> "$RESULTS"
    LAST_RC=$rc
}

# RFC 4180 CSV (no embedded newlines in these reports): prints the named columns of every row.
csv_columns() {
    awk -v want="$2" '
    function parse(line,   i, c, f, q, n) {
        n = 0; f = ""; q = 0
        for (i = 1; i <= length(line); i++) {
            c = substr(line, i, 1)
            if (q) {
                if (c == "\"") {
                    if (substr(line, i + 1, 1) == "\"") { f = f "\""; i++ } else q = 0
                } else f = f c
            } else if (c == "\"") q = 1
            else if (c == ",") { cell[++n] = f; f = "" }
            else f = f c
        }
        cell[++n] = f
        return n
    }
    { sub(/\r$/, "") }
    NR == 1 {
        n = parse($0); k = split(want, names, ",")
        for (j = 1; j <= k; j++) for (i = 1; i <= n; i++) if (cell[i] == names[j]) col[j] = i
        for (j = 1; j <= k; j++) if (!col[j]) { print "no column " names[j] > "/dev/stderr"; exit 1 }
        next
    }
    { parse($0); out = ""; for (j = 1; j <= k; j++) out = out (j > 1 ? " " : "") cell[col[j]]; print out }
    ' "$1"
}

# Checks a certdash report against the fixtures' mix, so that a broken scan cannot look fast.
check_report() {
    local csv=$1 rows expect_ok expect_trusted got
    rows=$(csv_columns "$csv" status,trust | wc -l)
    local -A e
    while read -r k v; do e[$k]=$v; done < "$WORK/expected.txt"
    expect_ok=$(( ${e[ok]:-0} + ${e[incomplete_chain]:-0} ))
    expect_trusted=$(( ${e[ok]:-0} + ${e[warning]:-0} + ${e[critical]:-0} ))
    # Keys in sorted order, as the counts below come out.
    local want="critical=${e[critical]:-0} expired=${e[expired]:-0} ok=$expect_ok"
    want+=" trusted=$expect_trusted warning=${e[warning]:-0}"
    got=$( { csv_columns "$csv" status | sort | uniq -c | awk '{ print $2 "=" $1 }'
             csv_columns "$csv" trust | grep -c '^trusted$' | sed 's/^/trusted=/'; } | sort |
           tr '\n' ' ' | sed 's/ $//')
    echo "   report: $rows rows; $got"
    echo "   negotiated: $(csv_columns "$csv" tls_version,cipher | sort | uniq -c |
                        awk '{ printf "%s%s %s x%d", (NR > 1 ? ", " : ""), $2, $3, $1 }')"
    if [ "$rows" != "$N" ] || [ "$got" != "$want" ]; then
        echo "   REPORT CHECK FAILED: expected $N rows; $want" >&2
        return 1
    fi
}

SUBSET=$WORK/subset.txt
head -n "$SCLIENT_N" "$WORK/targets.txt" |
    awk '{ split($1, hp, ":"); print "-connect 127.0.0.1:" hp[2] " -servername " hp[1] }' > "$SUBSET"
SUBSET_N=$(wc -l < "$SUBSET")
PYTHON=$(command -v python3 || true)
[ "${NO_PYTHON:-0}" = 1 ] && PYTHON=

# Rounds interleave the tools so that other load on the machine hits them alike.
status=0
declare -A ENGINE_ROW
for round in $(seq "$REPEAT"); do
    echo "== round $round/$REPEAT"
    ENGINE_ROW=()
    # run_engine ENGINE: one certdash scan with that probe engine (label certdash, or
    # certdash-ENGINE when several engines are compared).
    run_engine() {
        local engine=$1 label=certdash
        [ "${#ENGINE_LIST[@]}" = 1 ] || label=certdash-$engine
        rm -f "$WORK/out.csv"
        # shellcheck disable=SC2086 # CERTDASH_ENV is a list of NAME=VALUE words
        measure "$label" "$N" env $CERTDASH_ENV "$CERTDASH" scan --targets "$WORK/targets.txt" \
            --ca-file "$WORK/root.pem" --concurrency "$C" --timeout 10 --quiet --format csv \
            --output "$WORK/out.csv" --engine "$engine"
        # Exit codes 0-2 are scan outcomes (the fixtures contain expired certificates: 2).
        if [ "$LAST_RC" -gt 2 ] || [ ! -f "$WORK/out.csv" ]; then
            echo "   certdash scan failed with exit code $LAST_RC" >&2
            status=1
        else
            check_report "$WORK/out.csv" || status=1
        fi
        ENGINE_ROW[$engine]=$(tail -n1 "$RESULTS")
    }
    # Every engine once, the first one alternating from round to round; asyncio is paired with
    # the first engine listed.
    run_certdash() {
        local order=("${ENGINE_LIST[@]}") i
        if [ $((round % 2)) = 0 ] && [ "${#order[@]}" -gt 1 ]; then
            order=()
            for ((i = ${#ENGINE_LIST[@]} - 1; i >= 0; i--)); do order+=("${ENGINE_LIST[i]}"); done
        fi
        for e in "${order[@]}"; do run_engine "$e"; done
        CD_ROW=${ENGINE_ROW[${ENGINE_LIST[0]}]}
        if [ -n "${ENGINE_ROW[openssl]:-}" ] && [ -n "${ENGINE_ROW[qt]:-}" ]; then
            echo "${ENGINE_ROW[qt]} ${ENGINE_ROW[openssl]}" | awk -v r="$round" '{
                printf "%d %.4f %.4f %.4f %.4f %.3f %.3f\n", r, $3 / $12, ($4 + $5) / ($13 + $14),
                       1000 * ($4 + $5) / $2, 1000 * ($13 + $14) / $11, $3, $12 }' >> "$ENGINE_PAIRS"
            tail -n1 "$ENGINE_PAIRS" | awk '{ printf "   engines %d: qt/openssl wall %.3f (%.2f s / %.2f s), CPU %.3f (%.3f / %.3f ms per probe)\n", $1, $2, $6, $7, $3, $4, $5 }'
        fi
    }
    run_asyncio() {
        measure asyncio "$N" "$PYTHON" "$ROOT/bench/asyncio_probe.py" "$WORK/targets.txt" "$C" 10 \
            > "$WORK/asyncio.out"
        echo "   asyncio: $(cat "$WORK/asyncio.out")"
        grep -q "^probes=$N ok=$N " "$WORK/asyncio.out" || { echo "   ASYNCIO FAILED" >&2; status=1; }
        PY_ROW=$(tail -n1 "$RESULTS")
    }
    # The pair alternates which client goes first, so that neither always runs on a machine the
    # other has just warmed (or loaded).
    if [ -n "$PYTHON" ] && [ $((round % 2)) = 0 ]; then
        run_asyncio
        run_certdash
    else
        run_certdash
        [ -z "$PYTHON" ] || run_asyncio
    fi
    if [ -n "$PYTHON" ]; then
        # label probes wall user sys maxrss nginx load rc: certdash / asyncio, wall and CPU.
        echo "$CD_ROW $PY_ROW" | awk -v r="$round" '{
            cw = $3; cc = $4 + $5; pw = $12; pc = $13 + $14
            printf "%d %.4f %.4f %.4f %.4f %.3f %.3f\n", r, cw / pw, cc / pc, 1000 * cc / $2,
                   1000 * pc / $11, cw, pw }' >> "$PAIRS"
        tail -n1 "$PAIRS" | awk '{ printf "   pair %d: certdash/asyncio wall %.3f (%.2f s / %.2f s), CPU %.3f (%.3f / %.3f ms per probe)\n", $1, $2, $6, $7, $3, $4, $5 }'
    fi

    if [ "$SUBSET_N" -gt 0 ]; then
        measure s_client "$SUBSET_N" xargs -P "$C" -L 1 openssl s_client -brief \
            < "$SUBSET" > "$WORK/s_client.out" 2>&1
        ok=$(grep -c 'CONNECTION ESTABLISHED' "$WORK/s_client.out" || true)
        echo "   s_client: $ok/$SUBSET_N handshakes"
        [ "$ok" = "$SUBSET_N" ] || { echo "   S_CLIENT FAILED" >&2; status=1; }
    fi

    if [ "$STIME_S" -gt 0 ]; then
        # Sequential full handshakes against the first port: the OpenSSL client's own floor.
        before=$(worker_ticks)
        "$TIME" -f '%e %U %S %M' -o "$WORK/time.out" \
            openssl s_time -connect "127.0.0.1:${PORTS[0]}" -new -time "$STIME_S" > "$WORK/s_time.out" 2>&1 || true
        after=$(worker_ticks)
        hs=$(sed -n 's/^\([0-9]*\) connections in.*/\1/p' "$WORK/s_time.out" | head -n1)
        if [ -n "$hs" ] && [ "$hs" -gt 0 ]; then
            echo "s_time(c=1) $hs $(tail -n1 "$WORK/time.out") $((after - before))" \
                 "$(cut -d' ' -f1 /proc/loadavg) 0" >> "$RESULTS"
        else
            echo "   s_time failed: $(tail -n3 "$WORK/s_time.out")" >&2
        fi
    fi
done

echo "== load after: $(uptime | sed 's/.*load average/load average/')"
echo
# Per tool, the median of each column over the rounds (one round: the figures themselves).
awk -v ticks="$TICKS" '
function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
    l = $1; if (!(l in cnt)) order[++tools] = l
    k = ++cnt[l]; p = $2
    rate[l, k] = p / ($3 > 0 ? $3 : 0.01); wall[l, k] = $3; cpu[l, k] = $4 + $5
    cpp[l, k] = 1000 * ($4 + $5) / p; rss[l, k] = $6 / 1024; ngx[l, k] = 1000 * $7 / ticks / p
    load[l, k] = $8; probes[l] = p
}
END {
    printf "%-16s %7s %9s %8s %8s %12s %8s %12s %6s %5s\n", "client", "probes", "probes/s", "wall_s",
           "cpu_s", "cpu_ms/probe", "rss_MB", "nginx_ms/pr", "load1", "runs"
    for (t = 1; t <= tools; t++) {
        l = order[t]; n = cnt[l]
        split("", a); for (k = 1; k <= n; k++) a[k] = rate[l, k]; r = median(a, n)
        split("", a); for (k = 1; k <= n; k++) a[k] = wall[l, k]; w = median(a, n)
        split("", a); for (k = 1; k <= n; k++) a[k] = cpu[l, k]; c = median(a, n)
        split("", a); for (k = 1; k <= n; k++) a[k] = cpp[l, k]; cp = median(a, n)
        split("", a); for (k = 1; k <= n; k++) a[k] = rss[l, k]; m = median(a, n)
        split("", a); for (k = 1; k <= n; k++) a[k] = ngx[l, k]; g = median(a, n)
        split("", a); for (k = 1; k <= n; k++) a[k] = load[l, k]; ld = median(a, n)
        printf "%-16s %7d %9.0f %8.2f %8.2f %12.3f %8.1f %12.3f %6.2f %5d\n", l, probes[l], r, w, c, cp, m, g, ld, n
    }
}' "$RESULTS"
echo
echo "(medians per column; cpu = client user+sys; rss = client peak RSS; nginx = its workers'"
echo " utime+stime over the run, ${TICKS} ticks/s; s_client forks one process per probe and probes"
echo " the first $SUBSET_N targets; s_time is sequential, concurrency 1)"
if [ -s "$PAIRS" ]; then
    echo
    # The figure the issue's bar is about: per alternating pair, certdash's wall and CPU time
    # over asyncio's; the median over the pairs.
    awk '
    function median(a, n,   i, j, t) {
        for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    { n++; w[n] = $2; c[n] = $3; cm[n] = $4; pm[n] = $5; wl = wl sprintf(" %.3f", $2); cl = cl sprintf(" %.3f", $3) }
    END {
        printf "certdash/asyncio per pair, wall:%s\n", wl
        printf "certdash/asyncio per pair, CPU: %s\n", cl
        mw = median(w, n); mc = median(c, n); a = median(cm, n); b = median(pm, n)
        printf "MEDIAN of %d pairs: wall ratio %.3f, CPU ratio %.3f; CPU per probe certdash %.3f ms, asyncio %.3f ms\n", n, mw, mc, a, b
    }' "$PAIRS"
fi
if [ -s "$ENGINE_PAIRS" ]; then
    echo
    # The two engines side by side: per round, the Qt engine's wall and CPU time over OpenSSL's.
    awk '
    function median(a, n,   i, j, t) {
        for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    { n++; w[n] = $2; c[n] = $3; q[n] = $4; o[n] = $5; wl = wl sprintf(" %.3f", $2); cl = cl sprintf(" %.3f", $3) }
    END {
        printf "qt/openssl per round, wall:%s\n", wl
        printf "qt/openssl per round, CPU: %s\n", cl
        printf "MEDIAN of %d rounds: qt/openssl wall ratio %.3f, CPU ratio %.3f; CPU per probe qt %.3f ms, openssl %.3f ms\n", n, median(w, n), median(c, n), median(q, n), median(o, n)
    }' "$ENGINE_PAIRS"
fi
exit $status
