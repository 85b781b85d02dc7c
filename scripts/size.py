#!/usr/bin/env python3
"""Print the sizes of the built app in dist/: raw, gzip -9 and brotli (q 11), per file and total.

Usage: scripts/size.py [DIST_DIR]   (make size; the brotli module comes from scripts/tools.sh size)
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

try:
    import brotli  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    sys.exit("size.py: the python 'brotli' module is missing: run scripts/tools.sh size")

KINDS = {".wasm": "wasm", ".js": "js", ".css": "css", ".html": "html"}


def human(n: int) -> str:
    return f"{n / 1024:9.1f} KiB"


def main() -> int:
    dist = Path(sys.argv[1] if len(sys.argv) > 1 else "dist")
    files = sorted(p for p in dist.rglob("*") if p.is_file() and p.suffix in KINDS and ".stage" not in p.parts)
    if not files:
        print(f"size.py: no .wasm/.js/.css/.html files in {dist}/: run make build first", file=sys.stderr)
        return 1
    print(f"{'file':<48} {'raw':>13} {'gzip':>13} {'brotli':>13}")
    totals: dict[str, list[int]] = {}
    for path in files:
        data = path.read_bytes()
        sizes = [len(data), len(gzip.compress(data, 9, mtime=0)), len(brotli.compress(data, quality=11))]
        kind = KINDS[path.suffix]
        acc = totals.setdefault(kind, [0, 0, 0])
        for i, s in enumerate(sizes):
            acc[i] += s
        name = str(path.relative_to(dist))
        print(f"{name:<48} {human(sizes[0])} {human(sizes[1])} {human(sizes[2])}")
    print("-" * 90)
    grand = [0, 0, 0]
    for kind in ("wasm", "js", "css", "html"):
        if kind in totals:
            t = totals[kind]
            grand = [g + x for g, x in zip(grand, t)]
            print(f"{'total ' + kind:<48} {human(t[0])} {human(t[1])} {human(t[2])}")
    print(f"{'total':<48} {human(grand[0])} {human(grand[1])} {human(grand[2])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
