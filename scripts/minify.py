#!/usr/bin/env python3
"""Trunk post_build hook: the page's JavaScript and stylesheet minified with esbuild.

Trunk 0.21 does not minify wasm-bindgen's JavaScript, and its `--minify` leaves the page
without the `<head>` scripts/csp.py needs. The first load's JavaScript and CSS are our sources
with every comment in them (the snippets under js/ explain themselves at length), about a
tenth of the first load's brotli bytes before this. So, in the staging directory, this
minifies with esbuild (`.tools/esbuild`, installed by scripts/tools.sh):

- every module `index.html` preloads (`<link rel="modulepreload">`: wasm-bindgen's JavaScript,
  the snippets, the split modules' loader), in place, with its Subresource Integrity hash
  updated;
- the stylesheet (`styles-<hash>.css`, left by scripts/one_stylesheet.py), under a new name
  from its new content, with its link's `href` and `integrity` updated;
- the page's inline scripts (Trunk's loader, js/early_texts.js), before scripts/csp.py hashes
  them; one holding Trunk's autoreload placeholders is left as it is.

Names a module exports and properties are kept (esbuild renames only a module's own local
names), so what other files import from these still resolves. The workers' scripts and the
web-page extractor (`extract/`) are loaded on first use and are left as they are.
Stdlib only, plus the esbuild binary.

Usage: run by Trunk (see Trunk.toml [[hooks]]), or by hand: scripts/minify.py [staging-dir]
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sri import integrity  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ESBUILD = ROOT / ".tools" / "esbuild" / "node_modules" / ".bin" / "esbuild"
# No syntax newer than this in what esbuild writes (the sources need ES2020: `?.`, `??`).
TARGET = "es2022"

PRELOAD_RE = re.compile(r'<link rel="modulepreload" href="(?P<href>[^"]+\.js)"[^>]*>')
STYLESHEET_RE = re.compile(r'<link rel="stylesheet" href="(?P<href>[^"]*styles-[0-9a-f]+\.css)"[^>]*>')
INTEGRITY_RE = re.compile(r'integrity="[^"]*"')
SCRIPT_RE = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
MODULE_RE = re.compile(r"""\btype\s*=\s*["']?module\b""", re.IGNORECASE)
SRC_RE = re.compile(r"""(?:^|\s)src\s*=""", re.IGNORECASE)


def esbuild(text: str, loader: str, module: bool) -> str:
    """`text` minified; a module's top-level names may be renamed, a classic script's not."""
    args = [str(ESBUILD), f"--loader={loader}", "--minify", f"--target={TARGET}", "--log-level=error"]
    if module:
        args.append("--format=esm")
    done = subprocess.run(args, input=text.encode("utf-8"), capture_output=True)
    if done.returncode != 0:
        sys.exit(f"minify.py: esbuild failed:\n{done.stderr.decode('utf-8', 'replace')}")
    return done.stdout.decode("utf-8").rstrip("\n")


def local_file(staging: Path, href: str) -> Path:
    path = (staging / href.lstrip("/")).resolve()
    if staging.resolve() not in path.parents or not path.is_file():
        sys.exit(f"minify.py: {href} is not a file of the staging directory")
    return path


def with_integrity(tag: str, data: bytes) -> str:
    if INTEGRITY_RE.search(tag) is None:
        return tag
    return INTEGRITY_RE.sub(f'integrity="{integrity(data)}"', tag, count=1)


def minify(staging: Path) -> tuple[int, int]:
    """Minifies what `staging/index.html` loads first; returns (bytes before, bytes after)."""
    page_path = staging / "index.html"
    page = page_path.read_text(encoding="utf-8")
    before = after = 0

    def minified(link: re.Match[str], loader: str) -> tuple[Path, bytes]:
        nonlocal before, after
        path = local_file(staging, link["href"])
        text = path.read_text(encoding="utf-8")
        data = (esbuild(text, loader, module=loader == "js") + "\n").encode("utf-8")
        before, after = before + len(text.encode("utf-8")), after + len(data)
        return path, data

    def module(link: re.Match[str]) -> str:
        path, data = minified(link, "js")
        path.write_bytes(data)
        return with_integrity(link[0], data)

    def stylesheet(link: re.Match[str]) -> str:
        path, data = minified(link, "css")
        name = f"styles-{hashlib.sha256(data).hexdigest()[:16]}.css"
        path.unlink()
        (path.parent / name).write_bytes(data)
        href = link["href"].rsplit("/", 1)[0] + "/" + name if "/" in link["href"] else name
        return with_integrity(link[0].replace(link["href"], href), data)

    def inline(script: re.Match[str]) -> str:
        nonlocal before, after
        attrs, body = script["attrs"], script["body"]
        if SRC_RE.search(attrs) or "{{__TRUNK_" in body or not body.strip():
            return script[0]
        small = esbuild(body, "js", module=MODULE_RE.search(attrs) is not None)
        before, after = before + len(body.encode("utf-8")), after + len(small.encode("utf-8"))
        return f"<script{attrs}>{small}</script>"

    page = PRELOAD_RE.sub(module, page)
    page = STYLESHEET_RE.sub(stylesheet, page)
    page = SCRIPT_RE.sub(inline, page)
    page_path.write_text(page, encoding="utf-8")
    return before, after


def main() -> int:
    staging = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TRUNK_STAGING_DIR", "dist"))
    if not ESBUILD.exists():
        sys.exit(f"minify.py: {ESBUILD} not found: run scripts/tools.sh")
    before, after = minify(staging)
    print(f"minify.py: the page's JavaScript and CSS, {before:,} -> {after:,} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
