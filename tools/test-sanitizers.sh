#!/usr/bin/env bash
# Builds CertDash with AddressSanitizer + UndefinedBehaviorSanitizer (+ LeakSanitizer) into
# ./build-sanitize (tools/build-sanitize.sh) and runs the whole test suite from there exactly like
# tools/test.sh, then a 10,000-target `certdash scan` against a local nginx under the same
# sanitizers (bench/scan_bench.sh's fixtures and report check). Exits non-zero on any failed test
# and on any sanitizer report, also one from a child process that a test started and whose exit
# code it did not look at closely.
#
#     bash tools/test-sanitizers.sh [ctest arguments, e.g. -R tst_tlsprober]
#
# SANITIZE_SCAN_N=N scans N targets instead of 10,000 (0 skips the scan; it needs root for nginx,
# and ctest arguments skip it too); SANITIZE_TESTS=0 skips the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
tools/install-deps.sh
tools/build-sanitize.sh

# Every report goes to a file of its own (REPORTS/report.<exe>.<pid>) as well as failing the
# process: a test that runs the real binary and only checks "it failed" cannot swallow one.
REPORTS=$(mktemp -d /tmp/certdash-sanitizers.XXXXXX)
log="log_path=$REPORTS/report:log_exe_name=1"
# detect_leaks: LeakSanitizer at exit of every process. halt_on_error: the first report ends the
# process (the build also uses -fno-sanitize-recover=all). abort_on_error=0 and a distinct exitcode:
# the process leaves through _exit(66), not SIGABRT, so no core dump, no Qt Test crash handler in
# between, and an exit code that no certdash command uses (0-3). check_initialization_order and
# strict_init_order: static initializers that read another translation unit's globals.
# Left off: strict_string_checks, because it reports libxkbcommon-x11's legitimate
# strndup(buffer, n) of a length-counted X11 reply (tst_traydesktop on Xvfb; not our code);
# detect_stack_use_after_return, because it moves every stack frame to the heap, which costs more
# time than the CI can spare.
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:exitcode=66:check_initialization_order=1:strict_init_order=1:$log"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=66:$log"
# Only third-party one-time allocations are suppressed there, each with its reason.
export LSAN_OPTIONS="suppressions=$ROOT/tools/sanitizers/lsan.supp:print_suppressions=0"
ASAN_SYMBOLIZER_PATH=$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)
export ASAN_SYMBOLIZER_PATH

# Prints every report written so far and fails if there is one.
check_reports() {
    local files=("$REPORTS"/report.*)
    [ -e "${files[0]}" ] || return 0
    echo "== ${#files[@]} sanitizer report(s) from $1:" >&2
    for f in "${files[@]}"; do
        echo "---- ${f##*/}" >&2
        head -n 80 "$f" >&2
    done
    return 1
}

status=0
if [ "${SANITIZE_TESTS:-1}" != 0 ]; then
    echo "== ctest under ASan+UBSan+LSan (build-sanitize)"
    start=$SECONDS
    (
        cd build-sanitize
        export QT_QPA_PLATFORM=offscreen
        xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
            ctest --output-on-failure --timeout 300 -j "$(nproc)" "$@"
    ) || status=1
    echo "== ctest: $((SECONDS - start)) s"
    check_reports "the test suite" || status=1
fi

if [ "${SANITIZE_SCAN_N:-10000}" != 0 ] && [ $# -eq 0 ]; then
    start=$SECONDS
    # The sanitized certdash over N SNI endpoints of one loopback nginx: it must exit with a scan
    # outcome (0-2; 66 is a sanitizer report, leaks included), and the report must have N rows with
    # the fixtures' status and trust counts (scan_bench.sh checks both). Only certdash is timed.
    echo "== sanitized scan of ${SANITIZE_SCAN_N:-10000} loopback endpoints"
    BUILD_DIR=build-sanitize NO_PYTHON=1 SCLIENT_N=0 STIME_S=0 \
        bash bench/scan_bench.sh "${SANITIZE_SCAN_N:-10000}" 64 || status=1
    echo "== sanitized scan: $((SECONDS - start)) s"
    check_reports "the sanitized scan" || status=1
fi

[ $status = 0 ] && rm -rf "$REPORTS"
exit $status
