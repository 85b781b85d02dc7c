#!/usr/bin/env python3
"""Trunk post_build hook: the built page's stylesheets joined into one file.

The styles stay one source file per part of the app (styles/*.css, each a `<link data-trunk
rel="css">` in index.html), and Trunk emits each as its own hashed file. A page load then asks
for six stylesheets before its JavaScript and wasm, and a browser opens at most six connections
to a host over HTTP/1.1: the app's own files waited for the stylesheets' connections (a reload
asked for its JavaScript ~20 ms later). This joins them, in the page's order (so the cascade is
the same), into one `styles-<hash>.css` with its own Subresource Integrity hash, and removes the
parts from the staging directory. Stdlib only.

Usage: run by Trunk (see Trunk.toml [[hooks]]), or by hand:
scripts/one_stylesheet.py [path/to/staging-dir]
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sri import integrity  # noqa: E402

LINK_RE = re.compile(r'[ \t]*<link rel="stylesheet" href="(?P<href>[^"]+\.css)"[^>]*>[ \t]*\n?')


def join_stylesheets(staging: Path) -> int:
    """Joins the stylesheets `staging/index.html` links; returns how many it joined."""
    page_path = staging / "index.html"
    page = page_path.read_text(encoding="utf-8")
    links = list(LINK_RE.finditer(page))
    if len(links) < 2:
        return 0
    prefix = links[0]["href"].rsplit("/", 1)[0] + "/" if "/" in links[0]["href"] else ""
    parts = []
    for link in links:
        href = link["href"]
        if not href.startswith(prefix) or "/" in href[len(prefix):]:
            sys.exit(f"one_stylesheet.py: {href} is not beside {links[0]['href']}")
        parts.append((staging / href[len(prefix):]).read_text(encoding="utf-8"))
    for text in parts:
        if re.search(r"@(import|charset)\b", text):
            sys.exit("one_stylesheet.py: a stylesheet with @import or @charset cannot be joined")
    joined = "\n".join(text.rstrip("\n") for text in parts) + "\n"
    data = joined.encode("utf-8")
    name = f"styles-{hashlib.sha256(data).hexdigest()[:16]}.css"
    (staging / name).write_bytes(data)
    first = links[0]
    tag = f'    <link rel="stylesheet" href="{prefix}{name}" integrity="{integrity(data)}"/>\n'
    out = []
    position = 0
    for link in links:
        out.append(page[position : link.start()])
        if link is first:
            out.append(tag)
        position = link.end()
    out.append(page[position:])
    page_path.write_text("".join(out), encoding="utf-8")
    for link in links:
        (staging / link["href"][len(prefix):]).unlink()
    return len(links)


def main() -> None:
    staging = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TRUNK_STAGING_DIR", "dist"))
    joined = join_stylesheets(staging)
    if joined:
        print(f"one_stylesheet.py: {joined} stylesheets joined into one -> {staging / 'index.html'}")


if __name__ == "__main__":
    main()
