#!/usr/bin/env bash
# Checks dist/kbsearch.service with `systemd-analyze verify` (syntax, unknown
# settings, the ExecStart binary) and prints its `systemd-analyze security`
# exposure score. Skips with a message where systemd-analyze is missing
# (`apt-get install systemd` brings it; systemd need not be running).
#
# The unit names /usr/local/bin/kbsearch; when that is not installed, the
# check runs on a copy pointing at a built binary (target/{dist,release,debug}
# or $KBSEARCH_BIN). The man page is checked only when `man -w kbsearch`
# finds it (install it with `kbsearch man > /usr/local/share/man/man1/kbsearch.1`).
#
# Usage: scripts/check-systemd.sh [MAX_EXPOSURE]   (default 2.0; 0 = any)
set -euo pipefail
cd "$(dirname "$0")/.."

unit=dist/kbsearch.service
max_exposure=${1:-2.0}

if ! command -v systemd-analyze >/dev/null 2>&1; then
    echo "check-systemd: SKIPPED: systemd-analyze is not installed (apt-get install systemd)"
    exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$unit" "$tmp/kbsearch.service"

installed=/usr/local/bin/kbsearch
if [ ! -x "$installed" ]; then
    binary=${KBSEARCH_BIN:-}
    if [ -z "$binary" ]; then
        for candidate in target/dist/kbsearch target/release/kbsearch target/debug/kbsearch; do
            if [ -x "$candidate" ]; then
                binary=$PWD/$candidate
                break
            fi
        done
    fi
    if [ -z "$binary" ]; then
        echo "check-systemd: no kbsearch binary; run 'cargo build' first or set KBSEARCH_BIN" >&2
        exit 1
    fi
    echo "check-systemd: $installed is not installed; checking with ExecStart=$binary"
    sed -i "s|^ExecStart=$installed |ExecStart=$binary |" "$tmp/kbsearch.service"
fi

man_check=yes
if ! command -v man >/dev/null 2>&1 || ! man -w kbsearch >/dev/null 2>&1; then
    echo "check-systemd: the kbsearch man page is not installed; Documentation=man:kbsearch(1) not checked"
    man_check=no
fi

# verify exits non-zero on errors and prints warnings with exit code 0:
# both fail this check.
if ! output=$(systemd-analyze verify --man="$man_check" "$tmp/kbsearch.service" 2>&1); then
    echo "$output" >&2
    echo "check-systemd: FAILED: systemd-analyze verify $unit" >&2
    exit 1
fi
if [ -n "$output" ]; then
    echo "$output" >&2
    echo "check-systemd: FAILED: systemd-analyze verify printed warnings for $unit" >&2
    exit 1
fi
echo "check-systemd: systemd-analyze verify $unit: OK ($(systemd-analyze --version | head -n1))"

# Offline security analysis needs systemd 250 or newer.
if security=$(systemd-analyze security --offline=true --no-pager "$tmp/kbsearch.service" 2>/dev/null); then
    score=$(printf '%s\n' "$security" | sed -n 's/.*Overall exposure level for kbsearch.service: \([0-9.]*\).*/\1/p')
    echo "check-systemd: exposure level $score (systemd-analyze security; 0 = locked down, 10 = exposed)"
    if [ -n "$score" ] && [ "$max_exposure" != "0" ] &&
        awk -v s="$score" -v m="$max_exposure" 'BEGIN { exit !(s > m) }'; then
        printf '%s\n' "$security" | grep '✗' >&2 || true
        echo "check-systemd: FAILED: exposure $score is above $max_exposure" >&2
        exit 1
    fi
else
    echo "check-systemd: systemd-analyze security --offline is not supported here; score not checked"
fi
