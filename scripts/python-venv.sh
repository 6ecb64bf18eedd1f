#!/usr/bin/env bash
# A Python virtual environment for an independent client, created on first
# use under target/venv/NAME with the pinned packages; prints its python.
#
#   PYTHON=$(scripts/python-venv.sh NAME PACKAGE==VERSION...)
set -euo pipefail
cd "$(dirname "$0")/.."
NAME=$1; shift
DIR="target/venv/$NAME"
STAMP="$DIR/.installed"
# Where it lives is part of what was installed: a virtual environment
# moved with a copied target/ keeps the old paths in its scripts.
WANT="$PWD/$DIR $*"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
    rm -rf "$DIR"
fi
if [ ! -x "$DIR/bin/python" ]; then
    if ! python3 -m venv "$DIR" >/dev/null 2>&1; then
        SUDO=""; [ "$(id -u)" != 0 ] && command -v sudo >/dev/null && SUDO=sudo
        $SUDO apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >&2
        rm -rf "$DIR"
        python3 -m venv "$DIR"
    fi
fi
if [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
    "$DIR/bin/pip" install --quiet --disable-pip-version-check "$@" >&2
    echo "$WANT" > "$STAMP"
fi
echo "$DIR/bin/python"
