#!/usr/bin/env bash
# Air-gapped build, end to end, on one machine:
#
#  1. (connected side) copies the working tree — tracked and untracked files
#     that git does not ignore; no target/, index/, vendor/ — to a temporary
#     folder, runs `cargo vendor` there, writes the `.cargo/config.toml` that
#     `cargo vendor` prints (plus the git revision for `--version`), and packs
#     target/offline/kbsearch-VERSION-vendored.tar.gz: what you carry over;
#  2. (air-gapped side) unpacks that tarball elsewhere and runs
#     `cargo build --release --locked --offline` with an empty CARGO_HOME (no
#     registry cache, no ~/.cargo config) and, where `unshare` allows it, no
#     network at all;
#  3. runs the built `kbsearch --version` and copies the binary to
#     target/offline/.
#
# Usage: scripts/offline-build.sh [--profile release|dist] [--out DIR]
# Needs network only for step 1 (crates.io, through cargo).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
profile=release
out=$repo/target/offline
while [ $# -gt 0 ]; do
    case $1 in
        --profile) profile=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "offline-build: unknown argument $1" >&2; exit 2 ;;
    esac
done

say() { echo "offline-build: $*"; }

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$repo/Cargo.toml" | head -n1)
rev=unknown
if [ -e "$repo/.git" ] && command -v git >/dev/null 2>&1; then
    rev=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
    if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
        rev="$rev-modified"
    fi
fi
name=kbsearch-$version
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out" "$work/$name"

# The toolchain's own cargo, so an empty CARGO_HOME cannot confuse rustup.
cargo_bin=$(command -v cargo)
if command -v rustup >/dev/null 2>&1 && rustup which cargo >/dev/null 2>&1; then
    cargo_bin=$(rustup which cargo)
fi
toolchain_bin=$(dirname "$cargo_bin")

# ---- 1. connected side: source + vendored dependencies -------------------
say "copying the source of $name (revision $rev)"
if [ -e "$repo/.git" ] && command -v git >/dev/null 2>&1; then
    (cd "$repo" && git ls-files -z --cached --others --exclude-standard |
        while IFS= read -r -d '' file; do
            # Tracked files deleted in the working tree are skipped.
            if [ -e "$file" ]; then printf '%s\0' "$file"; fi
        done) | tar -C "$repo" --null -T - -cf - | tar -C "$work/$name" -xf -
else
    tar -C "$repo" --exclude=./target --exclude=./index --exclude=./vendor \
        --exclude=./.git -cf - . | tar -C "$work/$name" -xf -
fi
rm -rf "$work/$name/vendor"

say "cargo vendor (the only step that uses the network)"
mkdir -p "$work/$name/.cargo"
(cd "$work/$name" && "$cargo_bin" vendor --locked --versioned-dirs vendor >"$work/vendor.toml")
{
    if [ -f "$work/$name/.cargo/config.toml" ]; then
        cat "$work/$name/.cargo/config.toml"
        echo
    fi
    echo "# Written by scripts/offline-build.sh: build from vendor/ only."
    cat "$work/vendor.toml"
    echo
    echo "[net]"
    echo "offline = true"
    echo
    echo "[env]"
    echo "# The git revision for 'kbsearch --version' (the tarball has no .git)."
    echo "KBSEARCH_GIT_REV = \"$rev\""
} >"$work/config.toml"
mv "$work/config.toml" "$work/$name/.cargo/config.toml"

tarball=$out/$name-vendored.tar.gz
tar -C "$work" -czf "$tarball" "$name"
say "wrote $tarball ($(du -h "$tarball" | cut -f1); vendor/ holds $(find "$work/$name/vendor" -mindepth 1 -maxdepth 1 | wc -l) crates)"
rm -rf "${work:?}/$name"

# ---- 2. air-gapped side: unpack and build without network ----------------
mkdir -p "$work/airgap" "$work/cargo-home"
tar -C "$work/airgap" -xzf "$tarball"
cd "$work/airgap/$name"

isolate=()
if command -v unshare >/dev/null 2>&1; then
    if unshare --net true 2>/dev/null; then
        isolate=(unshare --net)
    elif unshare --map-root-user --net true 2>/dev/null; then
        isolate=(unshare --map-root-user --net)
    fi
fi
if [ ${#isolate[@]} -gt 0 ]; then
    say "building in a network namespace with no interfaces (${isolate[*]})"
else
    say "unshare is not permitted here: building with --offline and an empty CARGO_HOME only"
fi

case $profile in
    release) profile_args=(--release) ;;
    *) profile_args=(--profile "$profile") ;;
esac
start=$(date +%s)
"${isolate[@]}" env -u RUSTC_WRAPPER \
    CARGO_HOME="$work/cargo-home" \
    CARGO_NET_OFFLINE=true \
    CARGO_TARGET_DIR="$work/airgap/target" \
    PATH="$toolchain_bin:$PATH" \
    "$cargo_bin" build "${profile_args[@]}" --locked --offline --bin kbsearch
say "built in $(($(date +%s) - start)) s"

# ---- 3. the result --------------------------------------------------------
binary=$work/airgap/target/$profile/kbsearch
"$binary" --version
cp "$binary" "$out/kbsearch"
say "binary: $out/kbsearch ($(stat -c %s "$out/kbsearch") bytes, profile $profile)"
