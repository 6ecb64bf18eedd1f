#!/usr/bin/env python3
"""An independent client for kbsearch's MCP server: the official MCP Python
SDK (PyPI `mcp`) over streamable HTTP and over stdio.

    python tests/mcp_client.py --content content \
        --http http://127.0.0.1:PORT/mcp \
        --stdio "target/debug/kbsearch mcp --content content --index DIR"

For each transport it lists the tools and calls each one:

* search_knowledge_base: every Russian section of the knowledge base that
  has an explicit anchor is searched by its heading (the words a support
  engineer would type for that symptom) and 95 % of them must find their
  section among the first five hits; the queries come from the content,
  not from a list (headings that several articles share are labels, left
  out);
* lookup_error_code: the signed decimal spelling -2147024891 resolves to
  0x80070005, and text that is no code is a tool error;
* read_section: a section's Markdown starts with its heading and its text
  holds the heading.

Exits non-zero on the first failed check (scripts/mcp-client.sh runs it in
.ci/run).
"""

import argparse
import asyncio
import re
import shlex
import sys
from pathlib import Path

from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client

HEADING = re.compile(r'^(#{2,6})\s+<a name="([^"]+)"></a>(.+?)\s*$')
EXPECTED_TOOLS = {"search_knowledge_base", "lookup_error_code", "read_section"}
# Share of the Russian headings that must find their own section in the
# first five hits (a heading repeated in another article may rank second).
MIN_FOUND = 0.95


def russian_sections(content: Path):
    """(path, anchor, heading) of every Russian section with an anchor whose
    heading names one problem: a heading found in several articles
    ("Related articles") is a label, and no query for it has one answer."""
    found = []
    for file in sorted((content / "ru").rglob("*.md")):
        in_code = False
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.lstrip().startswith(("```", "~~~")):
                in_code = not in_code
            match = None if in_code else HEADING.match(line)
            if match:
                path = file.relative_to(content).as_posix()
                found.append((path, match.group(2), match.group(3)))
    articles = {}
    for path, _, heading in found:
        articles.setdefault(heading.strip().lower(), set()).add(path)
    return [s for s in found if len(articles[s[2].strip().lower()]) == 1]


def check(condition, message):
    if not condition:
        raise AssertionError(message)


async def exercise(session: ClientSession, content: Path, transport: str):
    await session.initialize()
    tools = (await session.list_tools()).tools
    names = {tool.name for tool in tools}
    check(names == EXPECTED_TOOLS, f"{transport}: tools {sorted(names)}")
    for tool in tools:
        check(tool.input_schema.get("type") == "object", f"{transport}: {tool.name} input schema")

    sections = russian_sections(content)
    check(len(sections) >= 10, f"only {len(sections)} Russian sections in {content}")
    found = 0
    misses = []
    for path, anchor, heading in sections:
        result = await session.call_tool(
            "search_knowledge_base", {"query": heading, "lang": "ru", "limit": 5}
        )
        check(not result.is_error, f"{transport}: search {heading!r} failed: {result.content}")
        hits = result.structured_content["hits"]
        if any(h["path"] == path and h["anchor"] == anchor for h in hits):
            found += 1
        else:
            misses.append(f"{path}#{anchor}")
    share = found / len(sections)
    print(f"{transport}: {found}/{len(sections)} Russian headings found their section in the top 5")
    check(share >= MIN_FOUND, f"{transport}: {share:.2f} < {MIN_FOUND}; missed {misses[:10]}")

    empty = await session.call_tool("search_knowledge_base", {"query": "   "})
    check(empty.is_error, f"{transport}: an empty query must be a tool error")

    answer = await session.call_tool("lookup_error_code", {"code": "-2147024891"})
    check(not answer.is_error, f"{transport}: lookup failed: {answer.content}")
    check(
        answer.structured_content["code"] == "0x80070005",
        f"{transport}: -2147024891 resolved to {answer.structured_content['code']}",
    )
    check(answer.structured_content["sections"], f"{transport}: no section for 0x80070005")
    not_a_code = await session.call_tool("lookup_error_code", {"code": "no code here"})
    check(not_a_code.is_error, f"{transport}: text that is no code must be a tool error")

    path, anchor, heading = sections[0]
    section = await session.call_tool("read_section", {"path": path, "anchor": anchor})
    check(not section.is_error, f"{transport}: read_section failed: {section.content}")
    body = section.structured_content
    check(body["heading"] == heading.strip(), f"{transport}: heading {body['heading']!r}")
    check(body["markdown"].lstrip("#").strip().startswith(heading.strip()), f"{transport}: markdown")
    check(heading.strip() in body["text"], f"{transport}: text lacks its heading")
    missing = await session.call_tool("read_section", {"path": path, "anchor": "no-such-anchor"})
    check(missing.is_error, f"{transport}: an unknown anchor must be a tool error")
    print(f"{transport}: tools listed and called: ok")


async def over_http(url: str, content: Path):
    async with streamable_http_client(url) as (read, write):
        async with ClientSession(read, write) as session:
            await exercise(session, content, "http")


async def over_stdio(command: str, content: Path):
    argv = shlex.split(command)
    params = StdioServerParameters(command=argv[0], args=argv[1:])
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await exercise(session, content, "stdio")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", required=True, type=Path)
    parser.add_argument("--http", help="the server's MCP endpoint URL")
    parser.add_argument("--stdio", help="the command that runs `kbsearch mcp`")
    args = parser.parse_args()
    if not args.http and not args.stdio:
        parser.error("give --http, --stdio or both")
    try:
        if args.http:
            asyncio.run(over_http(args.http, args.content))
        if args.stdio:
            asyncio.run(over_stdio(args.stdio, args.content))
    except* AssertionError as failures:
        for failure in failures.exceptions:
            print(f"mcp_client: FAILED: {failure}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
