#!/usr/bin/env bash
# The MCP server checked by an independent client: the official MCP Python
# SDK (tests/mcp_client.py) connects to `kbsearch serve` on content/ over
# streamable HTTP (POST /mcp) and launches `kbsearch mcp` over stdio, lists
# the tools and calls each one. Exits non-zero on any failed check.
#
#   scripts/mcp-client.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-18093}
PYTHON=$(scripts/python-venv.sh mcp "mcp==2.3.0")
source scripts/content-server.sh

"$PYTHON" tests/mcp_client.py --content content \
    --http "http://127.0.0.1:$PORT/mcp" \
    --stdio "target/release/kbsearch mcp --content content --index $TMP/index"
