#!/usr/bin/env bash
# The OpenAPI document against the server it describes: schemathesis (in
# its own virtual environment) sends schema-valid and schema-violating
# requests to `kbsearch serve` on content/ and fails on any server error,
# any answer the schema does not describe, any valid request refused or
# invalid request accepted.
#
#   scripts/schemathesis.sh [MAX_EXAMPLES]   (default 100 per operation)
set -euo pipefail
cd "$(dirname "$0")/.."
MAX_EXAMPLES=${1:-100}
PORT=${PORT:-18094}
PYTHON="$PWD/$(scripts/python-venv.sh schemathesis "schemathesis==4.32.5")"
source scripts/content-server.sh

cd "$TMP"  # schemathesis writes its cache beside it
"$(dirname "$PYTHON")/schemathesis" run "http://127.0.0.1:$PORT/api/openapi.json" \
    --max-examples "$MAX_EXAMPLES" --seed 19 --no-color
