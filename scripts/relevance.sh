#!/usr/bin/env bash
# Relevance on the development query set: kbsearch against Xapian and SQLite
# FTS5 baselines, all on ../shared/corpus. Prints a Markdown table (the one in
# the README's "Relevance" section) and leaves the raw JSON in $OUT.
#
#   scripts/relevance.sh [QUERIES.jsonl]
#
# kbsearch serves the corpus without a glossary, as a user's knowledge base
# would be; GLOSSARY=content/synonyms.toml measures with one. Server flags in
# KBSEARCH_FLAGS (e.g. "--lexicon=false") measure a mechanism switched off.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=../shared
QUERIES=${1:-$SHARED/eval/dev-queries.jsonl}
OUT=${OUT:-target/relevance}
PORT=${PORT:-18431}

if [ ! -d "$SHARED/corpus" ]; then
    echo "relevance: $SHARED/corpus is absent; nothing to measure" >&2
    exit 0
fi
mkdir -p "$OUT"

cargo build --release --quiet
INDEX=$(mktemp -d)
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    rm -rf "$INDEX"
}
trap cleanup EXIT

GLOSSARY_FLAGS=()
if [ -n "${GLOSSARY:-}" ]; then GLOSSARY_FLAGS=(--synonyms "$GLOSSARY"); fi
# shellcheck disable=SC2086 # KBSEARCH_FLAGS is a list of flags
target/release/kbsearch serve --content "$SHARED/corpus" --index "$INDEX" \
    "${GLOSSARY_FLAGS[@]}" ${KBSEARCH_FLAGS:-} --addr "127.0.0.1:$PORT" >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done

python3 "$SHARED/eval/kbeval.py" --queries "$QUERIES" --http "http://127.0.0.1:$PORT" \
    --json "$OUT/kbsearch.json" >"$OUT/kbsearch.txt"
python3 "$SHARED/eval/kbeval.py" --corpus "$SHARED/corpus" --queries "$QUERIES" --baseline sqlite \
    --json "$OUT/sqlite.json" >"$OUT/sqlite.txt"
if ! /usr/bin/python3 -c 'import xapian' 2>/dev/null && command -v apt-get >/dev/null; then
    SUDO=""; [ "$(id -u)" != 0 ] && SUDO=sudo
    $SUDO apt-get install -y -qq python3-xapian >/dev/null 2>&1 || true
fi
if /usr/bin/python3 -c 'import xapian' 2>/dev/null; then
    /usr/bin/python3 "$SHARED/eval/kbeval.py" --corpus "$SHARED/corpus" --queries "$QUERIES" --baseline xapian \
        --json "$OUT/xapian.json" >"$OUT/xapian.txt"
fi

python3 - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
groups = ["ALL", "kind=symptom", "kind=typo", "kind=layout", "kind=code", "lang=ru", "lang=en"]
print("| engine | metric | " + " | ".join(g.replace("kind=", "").replace("lang=", "") for g in groups) + " |")
print("|---|---|" + "---|" * len(groups))
for engine in ["kbsearch", "xapian", "sqlite"]:
    path = os.path.join(out, engine + ".json")
    if not os.path.exists(path):
        continue
    summary = json.load(open(path))["summary"]
    for metric, label in [("doc_mrr", "doc MRR@10"), ("doc_hit1", "doc hit@1"), ("sec_hit1", "section hit@1")]:
        cells = ["%.3f" % summary[g][metric] if g in summary else "–" for g in groups]
        print(f"| {engine} | {label} | " + " | ".join(cells) + " |")
print()
for engine in ["kbsearch", "xapian", "sqlite"]:
    path = os.path.join(out, engine + ".json")
    if not os.path.exists(path):
        continue
    rows = json.load(open(path))["rows"]
    parts = []
    for lang in ["ru", "en"]:
        chosen = [r for r in rows if r["kind"] == "symptom" and r["lang"] == lang]
        if chosen:
            hit1 = sum(r["sec_rank"] == 1 for r in chosen) / len(chosen)
            mrr = sum(1 / r["doc_rank"] for r in chosen if r["doc_rank"]) / len(chosen)
            parts.append(f"{lang} {hit1:.3f} / {mrr:.3f}")
    print(f"{engine}: symptom section hit@1 / doc MRR@10: " + ", ".join(parts))
PY
