#!/usr/bin/env bash
# Runs the libFuzzer harnesses (fuzz/fuzz_NAME.cpp) from the sanitized tree ./build-sanitize.
#
#   tools/fuzz.sh [--merge] [SECONDS_PER_HARNESS] [NAME...]
#
# SECONDS_PER_HARNESS defaults to $FUZZ_SECONDS, else 60; NAME... defaults to every harness in
# fuzz/ (a new fuzz_NAME.cpp registered with certdash_add_fuzzer() is picked up as it is). One
# harness runs at a time, on a scratch copy of fuzz/corpus/NAME (plus fuzz/regressions/NAME):
# the repository's corpus is never written, unless --merge asks to add the inputs that found new
# coverage back into fuzz/corpus/NAME (libFuzzer -merge=1; for developers, never in CI).
# fuzz/NAME.dict, when present, is passed as the harness's dictionary.
#
# FUZZ_SEED=N makes every harness start from libFuzzer seed N, so that a run (CI's) can be
# repeated with the same command; unset, each run takes a random seed and explores further.
#
# Prints one line per harness (seconds, executions, exec/s, cov, ft, corpus, result). A crash,
# leak, slow input (-timeout=10), out-of-memory (-rss_limit_mb=2048) or sanitizer report is
# copied to build-sanitize/fuzz-artifacts/ and shown as hex; the other harnesses still run and
# the script exits 1. Exit 2: a usage or build problem.
set -euo pipefail
cd "$(dirname "$0")/.."

merge=0
seconds="${FUZZ_SECONDS:-60}"
names=()
for arg in "$@"; do
    case "$arg" in
    --merge) merge=1 ;;
    -h | --help)
        sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    -*)
        echo "fuzz.sh: unknown option $arg" >&2
        exit 2
        ;;
    *)
        if [[ ${#names[@]} -eq 0 && "$arg" =~ ^[0-9]+$ && ! -e "fuzz/fuzz_$arg.cpp" ]]; then
            seconds="$arg"
        else
            names+=("$arg")
        fi
        ;;
    esac
done
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
    echo "fuzz.sh: SECONDS_PER_HARNESS must be a whole number of seconds, not '$seconds'" >&2
    exit 2
fi

if [ ${#names[@]} -eq 0 ]; then
    for source in fuzz/fuzz_*.cpp; do
        name="${source#fuzz/fuzz_}"
        names+=("${name%.cpp}")
    done
fi
for name in "${names[@]}"; do
    if [ ! -f "fuzz/fuzz_$name.cpp" ]; then
        echo "fuzz.sh: no harness fuzz/fuzz_$name.cpp" >&2
        exit 2
    fi
done
targets=("${names[@]/#/fuzz_}")

tools/install-deps.sh
# Only the harnesses (and the core they link) are built: a no-op after CI's sanitizer step.
BUILD_TARGETS="${targets[*]}" tools/build-sanitize.sh || exit 2

work=build-sanitize/fuzz-work
artifacts=build-sanitize/fuzz-artifacts
mkdir -p "$work" "$artifacts"
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && [ -x /usr/bin/llvm-symbolizer-14 ]; then
    export ASAN_SYMBOLIZER_PATH=/usr/bin/llvm-symbolizer-14
fi

# The last value of "key: value" in libFuzzer's progress lines ("#123 DONE cov: 512 ft: 901 ...").
progress() { grep -E '^#[0-9]+' "$1" | grep -oE "$2: [0-9]+(/[0-9]+[a-zA-Z]*)?" | tail -n1 | sed "s/^$2: //"; }
final_stat() { grep -E "^stat::$2:" "$1" | tail -n1 | awk '{print $2}'; }

summary=()
failed=0
for name in "${names[@]}"; do
    binary="build-sanitize/fuzz/fuzz_$name"
    scratch="$work/$name"
    log="$work/$name.log"
    rm -rf "$scratch"
    mkdir -p "$scratch"
    [ -d "fuzz/corpus/$name" ] && cp -R "fuzz/corpus/$name"/. "$scratch"/
    inputs=("$scratch")
    [ -d "fuzz/regressions/$name" ] && inputs+=("fuzz/regressions/$name") # read, never written
    flags=(-max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048
           -artifact_prefix="$artifacts/$name-")
    [ -f "fuzz/$name.dict" ] && flags+=(-dict="fuzz/$name.dict")
    [ -n "${FUZZ_SEED:-}" ] && flags+=(-seed="$FUZZ_SEED")
    before=$(find "$artifacts" -maxdepth 1 -type f -name "$name-*" | sort)

    echo "== fuzz_$name: $seconds s (log: $log)"
    start=$(date +%s)
    status=0
    # The outer timeout only guards against a harness that hangs outside an input.
    timeout -k 10 $((seconds + 300)) "$binary" "${flags[@]}" "${inputs[@]}" >"$log" 2>&1 || status=$?
    elapsed=$(($(date +%s) - start))

    execs=$(final_stat "$log" number_of_executed_units)
    rate=$(final_stat "$log" average_exec_per_sec)
    cov=$(progress "$log" cov)
    ft=$(progress "$log" ft)
    corp=$(progress "$log" corp)
    result=ok
    if [ "$status" -ne 0 ]; then
        failed=1
        if grep -qi 'invariant violated' "$log"; then result=invariant
        elif grep -q 'ERROR: libFuzzer: timeout' "$log"; then result=timeout
        elif grep -q 'ERROR: libFuzzer: out-of-memory' "$log"; then result=oom
        elif grep -q 'ERROR: LeakSanitizer' "$log"; then result=leak
        elif grep -q 'ERROR: AddressSanitizer' "$log"; then result=asan
        elif grep -q 'runtime error:' "$log"; then result=ubsan
        elif grep -q 'ERROR: libFuzzer: deadly signal' "$log"; then result=crash
        else result="exit-$status"
        fi
        echo "-- fuzz_$name failed ($result); the report:"
        grep -i -m1 -A 25 -E 'invariant violated|ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|runtime error:' "$log" || tail -n 30 "$log"
        after=$(find "$artifacts" -maxdepth 1 -type f -name "$name-*" | sort)
        for artifact in $(comm -13 <(echo "$before") <(echo "$after")); do
            echo "-- artifact: $artifact ($(stat -c %s "$artifact") bytes); first 256 bytes:"
            od -A x -t x1z -v -N 256 "$artifact"
            # The whole input, so that a CI log alone is enough to reproduce and keep it.
            if [ "$(stat -c %s "$artifact")" -le 65536 ]; then
                echo "-- the whole input, base64 (restore: base64 -d > FILE):"
                base64 -w 100 "$artifact"
            fi
            echo "-- reproduce: $binary $artifact"
            echo "-- minimize:  $binary -minimize_crash=1 -runs=20000 -exact_artifact_path=fuzz/regressions/$name/NAME $artifact"
        done
    fi
    if [ "$merge" -eq 1 ] && [ "$status" -eq 0 ]; then
        mkdir -p "fuzz/corpus/$name"
        old=$(find "fuzz/corpus/$name" -type f | wc -l)
        "$binary" -merge=1 -timeout=10 -rss_limit_mb=2048 "fuzz/corpus/$name" "$scratch" >"$work/$name.merge.log" 2>&1
        echo "-- merged into fuzz/corpus/$name: $old -> $(find "fuzz/corpus/$name" -type f | wc -l) inputs"
    fi
    summary+=("$(printf '%-16s %5ss %12s execs %8s exec/s  cov %-6s ft %-7s corpus %-12s %s' \
        "$name" "$elapsed" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result")")
done

echo "== fuzz summary ($seconds s per harness)"
printf '%s\n' "${summary[@]}"
exit "$failed"
