#!/usr/bin/env bash
# Builds the Debian package from a build tree and checks it as a user's machine would see it:
# lintian (any error fails), desktop-file-validate, appstreamcli validate (--no-net: CI has no
# route to the placeholder screenshot URLs), systemd-analyze verify of the user units; then
# `apt-get install ./certdash_*.deb` on this machine, checks that every library the installed
# window loads comes from the package's dependency closure (Qt plugins included), runs
# /usr/bin/certdash --version, a headless scan against a local `openssl s_server` (also as
# certdash-scan.service runs it), starts the installed window from its desktop entry under Xvfb
# (a screenshot goes to the log directory), and removes the package again. Unless
# PACKAGE_CLEAN_CHROOT=0, it also installs the .deb into a minimal Debian 12 chroot
# (debootstrap; network to deb.debian.org) and scans from there.
#
#     bash tools/test-package.sh [BUILD_DIR]      (default: build; run as root, e.g. in CI)
#
# Exits non-zero at the first failure. Leaves its files (the .deb, lintian's output, the scan
# report, the screenshot) in $PACKAGE_LOG_DIR (default: a new /tmp/certdash-package.* directory).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=$(realpath "${1:-${BUILD_DIR:-build}}")
LOG=${PACKAGE_LOG_DIR:-$(mktemp -d /tmp/certdash-package.XXXXXX)}
mkdir -p "$LOG"
start=$SECONDS
say() { echo "== test-package: $*"; }
fail() { echo "== test-package: FAILED: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "run as root: it installs and removes the package with apt"

tools/install-deps.sh
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    BUILD_DIR=$BUILD BUILD_TARGETS="certdash certdash_docs" tools/build.sh
fi
cmake --build "$BUILD" --target certdash certdash_docs

say "packaging"
rm -f "$LOG"/certdash_*.deb
(cd "$LOG" && cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$LOG/cpack" >cpack.log 2>&1) ||
    { cat "$LOG/cpack.log"; fail "cpack"; }
deb=$(ls "$LOG"/cpack/certdash_*.deb)
cp "$deb" "$LOG/"
deb=$LOG/$(basename "$deb")
dpkg-deb --info "$deb"
dpkg-deb --contents "$deb" | tee "$LOG/contents.txt"

say "lintian"
# Errors fail; warnings and info are printed (README: Package lists the ones left and why).
lintian --info --display-info --fail-on error "$deb" | tee "$LOG/lintian.txt" ||
    fail "lintian reported errors"

say "desktop entry, AppStream metadata, systemd units"
# Whatever happens: the TLS server stopped, the chroot's /proc unmounted, scratch removed (the
# log directory stays).
server= x= work= chroot_dir=
stop_server() { [ -z "$server" ] || kill "$server" 2>/dev/null || true; server=; }
cleanup() {
    stop_server
    [ -z "$chroot_dir" ] || umount "$chroot_dir/proc" 2>/dev/null || true
    [ -z "$x" ] || rm -rf "$x"
    # Never into a /proc that is still mounted.
    [ -z "$work" ] || { [ -n "$chroot_dir" ] && mountpoint -q "$chroot_dir/proc"; } || rm -rf "$work"
}
trap cleanup EXIT
x=$(mktemp -d)
dpkg-deb -x "$deb" "$x"
desktop-file-validate "$x/usr/share/applications/io.github.certdash.CertDash.desktop"
appstreamcli validate --no-net --explain \
    "$x/usr/share/metainfo/io.github.certdash.CertDash.metainfo.xml" | tee "$LOG/appstream.txt"
grep -q '^W:\|^E:' "$LOG/appstream.txt" && fail "appstreamcli reported warnings or errors"
for size in 16 22 24 32 48 64 128 256; do
    test -s "$x/usr/share/icons/hicolor/${size}x${size}/apps/io.github.certdash.CertDash.png"
done
test -s "$x/usr/share/icons/hicolor/scalable/apps/io.github.certdash.CertDash.svg"
man --warnings -l "$x/usr/share/man/man1/certdash.1.gz" >/dev/null
bash -n "$x/usr/share/bash-completion/completions/certdash"
# Units as installed; ExecStart's binary is looked up under the extracted tree.
sed "s|/usr/bin/certdash|$x/usr/bin/certdash|" "$x/usr/lib/systemd/user/certdash-scan.service" \
    >"$LOG/certdash-scan.service"
cp "$x/usr/lib/systemd/user/certdash-scan.timer" "$LOG/"
# Unknown keys or bad values are only warnings to systemd: any output fails here.
verify=$(cd "$LOG" && SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no \
    certdash-scan.service certdash-scan.timer 2>&1) || { echo "$verify"; fail "systemd-analyze verify"; }
[ -z "$verify" ] || { echo "$verify"; fail "systemd-analyze verify warned"; }

say "apt install"
[ -n "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v lock)" ] || apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y "$deb"
test -x /usr/bin/certdash
/usr/bin/certdash --version | tee "$LOG/version.txt"
grep -qx "CertDash $(dpkg-deb -f "$deb" Version)" "$LOG/version.txt" || fail "--version"
# Languages: CertDash's own are built into the binary (:/i18n); Qt's own strings come from
# qt6-translations-l10n, which apt installs as a recommendation.
LANG=de_DE.UTF-8 /usr/bin/certdash scan --no-such-option 2>"$LOG/german.txt" || true
grep -q "Unbekannte Option" "$LOG/german.txt" || { cat "$LOG/german.txt"; fail "no German from Qt"; }
# CertDash's own translations, built into the installed binary.
LANG=de_DE.UTF-8 /usr/bin/certdash --help >"$LOG/help-de.txt"
grep -q "^Aufruf: certdash" "$LOG/help-de.txt" || { cat "$LOG/help-de.txt"; fail "no German from CertDash"; }
LANG=fr_FR.UTF-8 /usr/bin/certdash --help >"$LOG/help-fr.txt"
grep -q "^Utilisation" "$LOG/help-fr.txt" || { cat "$LOG/help-fr.txt"; fail "no French from CertDash"; }

say "headless scan against openssl s_server"
work=$(mktemp -d)
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_DATA_HOME=$work/home/.local/share
mkdir -p "$XDG_DATA_HOME/CertDash"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/ca.key" -out "$work/ca.pem" -days 3650 \
    -subj "/CN=CertDash Package Test CA" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$work/leaf.key" -out "$work/leaf.csr" \
    -subj "/CN=localhost" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$work/san.ext"
openssl x509 -req -in "$work/leaf.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial \
    -days 90 -extfile "$work/san.ext" -out "$work/leaf.pem" 2>/dev/null
# A free port: try random ones until s_server stays up and accepts.
for _ in $(seq 1 20); do
    port=$((20000 + RANDOM % 40000))
    openssl s_server -accept "127.0.0.1:$port" -cert "$work/leaf.pem" -key "$work/leaf.key" \
        -CAfile "$work/ca.pem" -www -quiet >"$LOG/s_server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 50); do
        kill -0 "$server" 2>/dev/null || break
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break 2
        sleep 0.1
    done
    stop_server
done
[ -n "$server" ] || fail "openssl s_server did not start"
echo "localhost:$port" >"$work/targets.txt"
rc=0
/usr/bin/certdash scan --targets "$work/targets.txt" --ca-file "$work/ca.pem" --no-system-ca \
    --output "$LOG/scan.csv" || rc=$?
cat "$LOG/scan.csv"
[ "$rc" -eq 0 ] || fail "certdash scan exited $rc (expected 0: a 90-day certificate, trusted)"
grep -q ",ok," "$LOG/scan.csv" || fail "the report has no ok row"

say "the scheduled scan as certdash-scan.service runs it"
store=$XDG_DATA_HOME/CertDash/certdash.sqlite
/usr/bin/certdash import --database "$store" "$work/targets.txt"
exec_start=$(sed -n 's/^ExecStart=//p' /usr/lib/systemd/user/certdash-scan.service)
exec_start=${exec_start//%h/$HOME}
unit_env=$(sed -n 's/^Environment=//p' /usr/lib/systemd/user/certdash-scan.service)
[ "$unit_env" = CERTDASH_SCHEDULED=1 ] || fail "the unit does not mark its runs scheduled: '$unit_env'"
rc=0
env "$unit_env" $exec_start || rc=$?
# The system store does not trust the test CA: exit 2 (not trusted), which the unit counts as
# success (SuccessExitStatus=1 2); 3 would be a failure of the unit.
[ "$rc" -le 2 ] || fail "the service's command exited $rc"
test -s "$XDG_DATA_HOME/CertDash/scheduled-scan.csv" || fail "the service's report is missing"
/usr/bin/certdash report --database "$store" >"$LOG/report.csv" || true # exit code: findings
grep -q "^localhost:$port," "$LOG/report.csv" || fail "the scheduled scan recorded nothing"

if [ "${PACKAGE_CLEAN_CHROOT:-1}" = 1 ]; then
    # This machine has every build dependency already: only a minimal Debian 12 shows whether
    # the package pulls all it needs. debootstrap one (about 1 min), install the .deb there
    # with apt (about 1.5 min, ~200 packages), and scan from inside it.
    say "apt install into a minimal Debian 12 chroot"
    chroot_dir=$work/clean
    debootstrap --variant=minbase bookworm "$chroot_dir" http://deb.debian.org/debian \
        >"$LOG/debootstrap.log" 2>&1 || { tail -20 "$LOG/debootstrap.log"; fail "debootstrap"; }
    mount -t proc proc "$chroot_dir/proc"
    cp /etc/resolv.conf "$chroot_dir/etc/resolv.conf"
    echo "127.0.0.1 localhost" >"$chroot_dir/etc/hosts"
    printf '#!/bin/sh\nexit 101\n' >"$chroot_dir/usr/sbin/policy-rc.d"
    chmod +x "$chroot_dir/usr/sbin/policy-rc.d"
    cp "$deb" "$work/ca.pem" "$work/targets.txt" "$chroot_dir/tmp/"
    chroot "$chroot_dir" apt-get update -qq
    chroot "$chroot_dir" env DEBIAN_FRONTEND=noninteractive apt-get install -y \
        "/tmp/$(basename "$deb")" >"$LOG/chroot-install.log" 2>&1 ||
        { tail -20 "$LOG/chroot-install.log"; fail "apt install in the clean chroot"; }
    in_chroot() { chroot "$chroot_dir" env HOME=/root LANG=C.UTF-8 "$@"; }
    in_chroot /usr/bin/certdash --version
    in_chroot /usr/bin/certdash scan --targets /tmp/targets.txt --ca-file /tmp/ca.pem \
        --no-system-ca -q -o /tmp/scan.csv || fail "scan in the clean chroot"
    grep -q ",ok," "$chroot_dir/tmp/scan.csv" || fail "the clean chroot's scan has no ok row"
    # With the system's CA store (ca-certificates): the test CA is not in it, so exit 2.
    rc=0
    in_chroot /usr/bin/certdash scan --targets /tmp/targets.txt -q -o /tmp/system.csv || rc=$?
    [ "$rc" -eq 2 ] || fail "a scan with the system CA store in the clean chroot exited $rc"
    umount "$chroot_dir/proc"
    rm -rf "$chroot_dir"
    chroot_dir=
fi

say "the installed window, started from its desktop entry, under Xvfb"
exec_line=$(sed -n 's/^Exec=//p' /usr/share/applications/io.github.certdash.CertDash.desktop)
cat >"$work/window.sh" <<WINDOW
set -eu
$exec_line --database "$store" >"$LOG/window.log" 2>&1 &
app=\$!
wid=\$(timeout 30 xdotool search --sync --onlyvisible --name '^CertDash\$' | head -1)
[ -n "\$wid" ] || { echo "no CertDash window appeared"; exit 1; }
sleep 3  # it must stay up, not only appear (and the table gets painted for the screenshot)
kill -0 "\$app" || { echo "the window died"; exit 1; }
cp /proc/\$app/maps "$LOG/window-maps.txt"
import -window root "$LOG/window.png"
kill "\$app"
wait "\$app" || true
WINDOW
xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- bash "$work/window.sh" ||
    { cat "$LOG/window.log"; fail "the installed window"; }
test -s "$LOG/window.png"
say "screenshot: $LOG/window.png"
# Everything the running window had mapped (the libraries it links, the Qt plugins it loaded:
# platform, SQLite driver, TLS backend, ...) and libsecret, which QtKeychain loads when a secret
# is asked for, must come from a package that installing certdash pulls in (not from a -dev
# package this build machine happens to have).
closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
    --no-breaks --no-replaces --no-enhances certdash | grep -v '^ ' | sed 's/:.*//' | sort -u)
needed=$( (awk '$6 ~ /\.so/ {print $6}' "$LOG/window-maps.txt"
    ls /usr/lib/*/libsecret-1.so.0) | sort -u)
grep -q 'sqldrivers/libqsqlite.so' <<<"$needed" || fail "the window did not load the SQLite driver"
grep -q 'platforms/libqxcb.so' <<<"$needed" || fail "the window did not load the xcb platform plugin"
for file in $needed; do
    real=$(realpath "$file")
    owner=$(dpkg -S "$real" 2>/dev/null || dpkg -S "${real#/usr}" 2>/dev/null || true)
    owner=${owner%%:*}
    [ -n "$owner" ] || fail "$file belongs to no package"
    grep -qx "$owner" <<<"$closure" || fail "$file ($owner) is not pulled in by certdash's dependencies"
done
say "$(wc -l <<<"$needed") libraries and plugins, all from certdash's dependency closure"


say "apt remove"
DEBIAN_FRONTEND=noninteractive apt-get remove -y certdash
[ ! -e /usr/bin/certdash ] || fail "/usr/bin/certdash is still there"
[ ! -e /usr/share/applications/io.github.certdash.CertDash.desktop ] || fail "the desktop entry is still there"
say "passed in $((SECONDS - start)) s (files in $LOG)"
