# Sourced by the scripts that check the server with an independent client
# (mcp-client.sh, schemathesis.sh): builds the release binary, serves
# content/ from a fresh index in $TMP on 127.0.0.1:$PORT, waits until it
# is ready and stops it (and removes $TMP) when the script exits.
cargo build --release --quiet --bin kbsearch
TMP=$(mktemp -d)
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT

target/release/kbsearch serve --content content --index "$TMP/index" --addr "127.0.0.1:$PORT" \
    >/dev/null 2>"$TMP/serve.log" &
SERVER_PID=$!
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null || { cat "$TMP/serve.log" >&2; exit 1; }
