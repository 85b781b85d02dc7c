#!/usr/bin/env python3
"""Trunk post_build hook: pin every inline <script> of the built index.html with a CSP hash
(after moving Trunk's preload links ahead of the inline scripts: scripts/preloads_first.py).

Trunk writes the page to $TRUNK_STAGING_DIR/index.html with an inline
`<script type="module">` that imports the wasm-bindgen JS and instantiates the wasm. This
script computes the sha256 of each inline script's exact text and inserts

    <meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'
      'wasm-unsafe-eval' 'sha256-...'; ...">

as the first element of <head>, so the page runs only its own scripts. Stdlib only.

Usage: run by Trunk (see Trunk.toml [[hooks]]), or by hand: scripts/csp.py [path/to/index.html]

Notes:
- `frame-ancestors` is ignored in a <meta> policy, so it is not emitted (serve the page with a
  `Content-Security-Policy: frame-ancestors 'none'` header where that matters).
- style-src keeps 'unsafe-inline' because Yew renders `style="..."` attributes (inline styles
  cannot be hashed one by one without 'unsafe-hashes' and a hash per distinct value).
- `trunk serve` with autoreload injects a script whose text Trunk rewrites while serving (it
  fills in the websocket address), so no hash can match it: in that case no policy is inserted
  and a warning is printed. `make serve` runs with --no-autoreload and keeps the policy.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from preloads_first import preloads_first  # noqa: E402

META_MARKER = "data-csp-hook"

SCRIPT_RE = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
SRC_RE = re.compile(r"""(?:^|\s)src\s*=""", re.IGNORECASE)
HEAD_RE = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
OLD_META_RE = re.compile(r"<meta\b[^>]*\b" + META_MARKER + r"\b[^>]*>\s*", re.IGNORECASE)
CHARSET_RE = re.compile(r"<meta\s+charset", re.IGNORECASE)


def connect_src() -> str:
    """'self', plus the team sync servers allowed at build time: CROSSCHECK_SYNC_ORIGINS, a
    space-separated list of origins (scheme://host[:port], nothing else), e.g.
    `CROSSCHECK_SYNC_ORIGINS=https://couch.example.org make build`. Without it, only a server
    on the app's own origin (behind a reverse proxy) is reachable."""
    origins = os.environ.get("CROSSCHECK_SYNC_ORIGINS", "").split()
    for origin in origins:
        if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?", origin):
            sys.exit(f"csp.py: CROSSCHECK_SYNC_ORIGINS: {origin!r} is not an origin (scheme://host[:port])")
    return " ".join(["'self'", *origins])


def policy(script_hashes: list[str]) -> str:
    script_src = " ".join(["'self'", "'wasm-unsafe-eval'", *(f"'sha256-{h}'" for h in script_hashes)])
    directives = [
        "default-src 'self'",
        f"script-src {script_src}",
        # The graph picture's layout worker (layout_worker_loader.js), from this origin only.
        "worker-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        f"connect-src {connect_src()}",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
    return "; ".join(directives)


def inline_script_hashes(html: str) -> tuple[list[str], list[str]]:
    """(sha256 base64 of each inline script, bodies that cannot be hashed ahead of time)."""
    hashes: list[str] = []
    unhashable: list[str] = []
    for m in SCRIPT_RE.finditer(html):
        if SRC_RE.search(m.group("attrs")):
            continue  # external script: covered by 'self'
        body = m.group("body")
        if "{{__TRUNK_" in body:
            unhashable.append(body)
            continue
        digest = hashlib.sha256(body.encode("utf-8")).digest()
        h = base64.b64encode(digest).decode("ascii")
        if h not in hashes:
            hashes.append(h)
    return hashes, unhashable


def apply(html: str) -> tuple[str, str | None]:
    html = OLD_META_RE.sub("", html)  # idempotent when run twice on the same file
    hashes, unhashable = inline_script_hashes(html)
    if unhashable:
        return html, None
    head = HEAD_RE.search(html)
    if head is None:
        raise SystemExit("csp.py: no <head> element in index.html")
    csp = policy(hashes)
    meta = f'<meta http-equiv="Content-Security-Policy" {META_MARKER} content="{csp}">'
    out = html[: head.end()] + meta + html[head.end() :]
    charset = CHARSET_RE.search(out)
    if charset is not None and charset.start() > 1000:
        raise SystemExit("csp.py: <meta charset> would move past the first 1024 bytes")
    return out, csp


def main(argv: list[str]) -> int:
    if len(argv) > 1:
        target = Path(argv[1])
    else:
        staging = os.environ.get("TRUNK_STAGING_DIR")
        if not staging:
            print("csp.py: TRUNK_STAGING_DIR is not set; pass the index.html path", file=sys.stderr)
            return 2
        target = Path(staging) / "index.html"
    # The downloads first (scripts/preloads_first.py), then the policy over the final page.
    html = preloads_first(target.read_text(encoding="utf-8"))
    out, csp = apply(html)
    if csp is None:
        print(
            "csp.py: WARNING: index.html has Trunk's autoreload script (trunk serve without "
            "--no-autoreload); its text is rewritten while serving, so it cannot be hashed: "
            "no Content-Security-Policy inserted in this dev build",
            file=sys.stderr,
        )
        target.write_text(out, encoding="utf-8")
        return 0
    target.write_text(out, encoding="utf-8")
    n = csp.count("'sha256-")
    print(f"csp.py: Content-Security-Policy with {n} inline script hash(es) -> {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
