#!/usr/bin/env python3
"""Prints a mix of distinct search queries for load tests, one per line.

    scripts/query-mix.py CONTENT_DIR [--count 600] [--seed 7] [--dev FILE]

The queries are made at run time from the knowledge base being served, so
no document text is stored in the repository: section headings as typed
(symptoms), two- and three-word pieces of them, lowercased with one typo,
error codes in several spellings (hex, signed decimal, `ID: n`,
`Ошибка n`, lowercased identifiers), and, with --dev, the development
queries. Same content and seed → same list, so runs compare.
"""

import argparse
import random
import re
import sys
from pathlib import Path

HEADING = re.compile(r"^#{1,6}\s+(.*)$")
ANCHOR = re.compile(r"<a\s+(?:name|id)=\"[^\"]*\"\s*>\s*</a>", re.I)
HEX = re.compile(r"\b0x[0-9A-Fa-f]{8}\b")
PREFIXED = re.compile(r"\bAADSTS\d{4,}\b")
IDENT = re.compile(r"\b(?:[A-Z][a-z]+){3,}\b")
LABELLED = re.compile(r"\b(?:ID|Error|Ошибка)[: ]+(\d{3,6})\b")


def headings(text):
    for line in text.splitlines():
        m = HEADING.match(line)
        if m:
            h = ANCHOR.sub("", m.group(1))
            h = re.sub(r"[`*_\[\]()]", "", h).strip()
            if 2 <= len(h.split()) <= 14:
                yield h


def typo(word, rng):
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def spellings(code):
    if code.lower().startswith("0x"):
        value = int(code, 16)
        signed = value - (1 << 32) if value >= 1 << 31 else value
        yield code
        yield code[2:].upper()
        yield str(signed)
    else:
        yield code
        yield code.lower()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("content")
    ap.add_argument("--count", type=int, default=600)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--dev")
    args = ap.parse_args()
    rng = random.Random(args.seed)

    symptoms, codes = [], []
    for path in sorted(Path(args.content).rglob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        symptoms.extend(headings(text))
        for pattern in (HEX, PREFIXED, IDENT):
            codes.extend(pattern.findall(text))
        codes.extend(f"ID: {n}" for n in LABELLED.findall(text)[:3])

    queries = []
    if args.dev:
        import json

        for line in Path(args.dev).read_text(encoding="utf-8").splitlines():
            if line.strip():
                queries.append(json.loads(line)["query"])
    symptoms = sorted(set(symptoms))
    rng.shuffle(symptoms)
    codes = sorted(set(codes))
    rng.shuffle(codes)
    for h in symptoms:
        words = h.split()
        queries.append(h)
        start = rng.randrange(0, max(1, len(words) - 2))
        queries.append(" ".join(words[start : start + rng.choice((2, 3))]).lower())
        queries.append(" ".join(typo(w, rng) if len(w) > 6 else w for w in words).lower())
    mixed = []
    for code in codes:
        mixed.extend(spellings(code))
    # Interleave codes with symptoms so a short run sees both kinds.
    out, seen = [], set()
    code_iter = iter(mixed)
    for i, q in enumerate(queries):
        for candidate in ([q, next(code_iter, None)] if i % 2 else [q]):
            if candidate and candidate not in seen and len(candidate) <= 300:
                seen.add(candidate)
                out.append(candidate)
    for q in code_iter:
        if q not in seen:
            seen.add(q)
            out.append(q)
    out = out[: args.count]
    if len(out) < min(args.count, 50):
        sys.exit(f"query-mix: only {len(out)} queries from {args.content}")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
