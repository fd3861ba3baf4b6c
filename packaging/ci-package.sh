#!/usr/bin/env bash
# The Debian package on this machine (issue 12), run by .ci/run as root:
# build it, install it with dpkg, run the installed gnbv as the gnbv user on
# the demo workbooks copied into /var/lib/gnbv/input, check the report, the
# man page, the completions and the systemd units, re-install over an edited
# /etc/gnbv/settings.toml (the edit is kept), then remove and purge, and check
# the machine is as it was before. GNBV_SKIP_PACKAGE=1 skips it.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
say() { echo "ci-package: $*"; }
fail() { echo "ci-package: FAILED: $*" >&2; exit 1; }

if [ "$(id -u)" != 0 ]; then
  say "not root: the package test needs dpkg -i, skipped"
  exit 0
fi

installed() { dpkg-query -W -f='${Status}' gnbv 2>/dev/null | grep -qv "not-installed"; }
# A run that was interrupted may have left the package behind: purge it first.
if installed; then
  say "purging a gnbv package left by an earlier run"
  dpkg --purge gnbv >/dev/null
fi

work=$(mktemp -d)
cleanup() {
  if installed; then dpkg --purge gnbv >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# What the package may touch: files under /etc, /usr and /var/lib (dpkg's and
# apt's own records aside), the users and groups. The "-" backups of the user
# databases are left out: useradd refreshes them, their content is the old one.
snapshot() {
  find /etc /usr /var/lib -xdev \
    \( -path /var/lib/dpkg -o -path /var/lib/apt -o -path /var/lib/ucf \
       -o -path /etc/passwd- -o -path /etc/group- -o -path /etc/shadow- -o -path /etc/gshadow- \) -prune \
    -o -printf '%p %u:%g %m %s\n' 2>/dev/null | sort
  sha256sum /etc/passwd /etc/group /etc/shadow /etc/gshadow 2>/dev/null
}
snapshot >"$work/before"

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
deb="target/debian/gnbv_${version}_amd64.deb"
build_start=$(date +%s)
bash packaging/build-deb.sh >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "cargo deb"; }
say "package built in $(($(date +%s) - build_start)) s: $deb"
[ -f "$deb" ] || fail "no $deb"

dpkg -i "$deb" </dev/null >/dev/null
[ "$(command -v gnbv)" = /usr/bin/gnbv ] || fail "gnbv is not /usr/bin/gnbv"
getent passwd gnbv >/dev/null || fail "no gnbv user"
for dir in /var/lib/gnbv/input /var/lib/gnbv/output; do
  [ "$(stat -c %U:%G "$dir")" = gnbv:gnbv ] || fail "$dir is not owned by gnbv"
done
for file in settings.toml units.csv sources.toml indicators.toml rules.toml; do
  [ -f "/etc/gnbv/$file" ] || fail "no /etc/gnbv/$file"
  dpkg-query -W -f='${Conffiles}\n' gnbv | grep -q " /etc/gnbv/$file " || fail "/etc/gnbv/$file is not a conffile"
done
[ ! -e /etc/gnbv/official ] || fail "the demo decision is installed"
grep -v '^#' /etc/gnbv/units.csv | grep -qv '^code,' && fail "units.csv is not empty"
# Installed, not enabled.
[ -f /usr/lib/systemd/system/gnbv.service ] && [ -f /usr/lib/systemd/system/gnbv.timer ] || fail "no systemd units"
[ ! -e /etc/systemd/system/timers.target.wants/gnbv.timer ] || fail "the timer is enabled"
if command -v systemd-analyze >/dev/null; then
  # verify exits 0 on a line it ignores: any message is a failure.
  out=$(systemd-analyze verify --man=no /usr/lib/systemd/system/gnbv.service /usr/lib/systemd/system/gnbv.timer 2>&1) \
    || fail "systemd-analyze verify: $out"
  [ -z "$out" ] || fail "systemd-analyze verify: $out"
  say "systemd-analyze verify: gnbv.service and gnbv.timer are valid"
else
  say "systemd-analyze not present: unit files not verified"
fi
if command -v man >/dev/null; then
  [ "$(man -w gnbv)" = /usr/share/man/man1/gnbv.1.gz ] || fail "man -w gnbv: $(man -w gnbv 2>&1)"
  man -w gnbv-run >/dev/null || fail "no gnbv-run(1)"
  MANWIDTH=80 man gnbv 2>/dev/null | grep -q GNBV_HOME || fail "man gnbv does not render"
else
  [ -f /usr/share/man/man1/gnbv.1.gz ] || fail "no man page"
fi
bash -n /usr/share/bash-completion/completions/gnbv || fail "bash completion does not parse"
grep -q '^#compdef gnbv' /usr/share/zsh/vendor-completions/_gnbv || fail "no zsh completion"
bash -c 'source /usr/share/bash-completion/completions/gnbv && complete -p gnbv' >/dev/null \
  || fail "bash completion does not register"

# The officer's first edits: the agency and the unit list (the demo city's).
sed -i 's/^code = ""/code = "TP_LAICHAU"/; s/^name = ""/name = "PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"/' /etc/gnbv/settings.toml
echo "# sửa của cán bộ tỉnh" >>/etc/gnbv/settings.toml
cp config/units.csv /etc/gnbv/units.csv
cp -r input/. /var/lib/gnbv/input/
chown -R gnbv:gnbv /var/lib/gnbv/input
# Run from the repository (which has its own config/ and output/): the
# installed binary still uses the package's folders.
ls -R output >"$work/repo-output-before" 2>/dev/null || true
set +e
runuser -u gnbv -- gnbv run --quiet --digest >"$work/digest.txt" 2>"$work/run.err"
rc=$?
set -e
[ "$rc" -le 1 ] || { cat "$work/run.err"; fail "gnbv run exited $rc"; }
report=/var/lib/gnbv/output/2024-06/bao_cao_tong_hop_2024-06.xlsx
[ -f "$report" ] || { cat "$work/run.err"; fail "no $report"; }
[ -f /var/lib/gnbv/output/2024-05/bao_cao_tong_hop_2024-05.xlsx ] || fail "May was not consolidated first"
[ "$(stat -c %U "$report")" = gnbv ] || fail "the report is not the gnbv user's"
# May (no report yet) is consolidated first: the digests of both months, one after the other.
{ cat /var/lib/gnbv/output/2024-05/tom_tat.txt; echo; cat /var/lib/gnbv/output/2024-06/tom_tat.txt; } \
  | cmp -s - "$work/digest.txt" || fail "--digest did not print the months' tom_tat.txt: $(cat "$work/digest.txt")"
grep -q "Đơn vị đã gửi báo cáo: 10/10" /var/lib/gnbv/output/2024-06/tom_tat.txt || fail "digest: $(cat "$work/digest.txt")"
ls -R output 2>/dev/null | cmp -s - "$work/repo-output-before" || fail "the installed gnbv wrote into ./output"
say "installed gnbv run as gnbv (exit $rc) wrote $report"
sed 's/^/  | /' /var/lib/gnbv/output/2024-06/tom_tat.txt

# A re-install keeps the edited conffiles (and the data).
dpkg -i "$deb" </dev/null >/dev/null
grep -q "^# sửa của cán bộ tỉnh$" /etc/gnbv/settings.toml || fail "the re-install lost the edit of settings.toml"
grep -q '^code = "TP_LAICHAU"$' /etc/gnbv/settings.toml || fail "the re-install lost the agency code"
grep -q '^DONGPHONG,' /etc/gnbv/units.csv || fail "the re-install lost units.csv"
[ -f "$report" ] || fail "the re-install lost the report"
say "re-install kept the edited /etc/gnbv/settings.toml and units.csv"

# dpkg -r: the program goes; configuration, data and user stay until purge.
dpkg -r gnbv >/dev/null
for path in /usr/bin/gnbv /usr/share/man/man1/gnbv.1.gz /usr/lib/systemd/system/gnbv.timer \
  /usr/share/bash-completion/completions/gnbv /usr/share/zsh/vendor-completions/_gnbv; do
  [ ! -e "$path" ] || fail "$path left after dpkg -r"
done
[ -f /etc/gnbv/settings.toml ] && [ -f "$report" ] || fail "dpkg -r removed the configuration or the data"
dpkg --purge gnbv >/dev/null
! getent passwd gnbv >/dev/null || fail "the gnbv user is left after purge"
snapshot >"$work/after"
if ! diff -u "$work/before" "$work/after" >"$work/diff"; then
  cat "$work/diff"
  fail "the machine differs from before the install"
fi
say "removed and purged: the machine is as before (files under /etc, /usr, /var/lib; users, groups)"
say "passed in $(($(date +%s) - started)) s"
