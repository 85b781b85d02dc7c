#!/usr/bin/env python3
"""Print the sizes of the built app in dist/: raw, gzip -9 and brotli (q 11), per file, split into
the FIRST LOAD (what index.html loads before the app is usable) and what loads ON FIRST USE, per
module (a worker, the article extractor, the sample articles a first start fetches).

The app also fetches two split modules by itself, off the path to the first paint (IDLE_SPLITS,
with the chunks they load): the editing code, which start-up fetches after the project's first
paint (src/ui/editing.rs), and the Claim graph's preparation, fetched in an idle moment
after it. They are listed apart, AFTER START-UP, and in neither total.

The first load is index.html, every file it names (Trunk's modulepreload/preload links and
stylesheets) and every file those scripts import statically (wasm-bindgen snippets); a dynamic
`import()` or a `new Worker(...)` is not followed. A `.wasm` named in the same script as its
`_bg.wasm` counterpart counts with it.

Usage: scripts/size.py [DIST_DIR] [--max-first-load BYTES]
  (make size; make dist-check fails when the first load's brotli total is over the budget;
   the brotli module comes from scripts/tools.sh size)

Brotli's size is not smooth: one changed byte of the main wasm (a panic location's line number)
has moved its brotli size by up to 1.8 KB while raw and gzip stayed within a few bytes. To
weigh a change of a few KB, compare raw and gzip too.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from pathlib import Path

try:
    import brotli  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    sys.exit("size.py: the python 'brotli' module is missing: run scripts/tools.sh size")

# `.txt`: the sample articles (`corpus/`), fetched by a first start only.
KINDS = {".wasm": "wasm", ".js": "js", ".css": "css", ".html": "html", ".txt": "text"}
# href="…" / src="…" in HTML; static `import … from "…"`, `import "…"` and `new URL("…", import.meta.url)`
# in the loader scripts Trunk and wasm-bindgen write.
HTML_REFERENCE = re.compile(r'(?:href|src)\s*=\s*"([^"#?]+)"')
JS_STATIC_IMPORT = re.compile(r'(?:\bfrom\s*|\bimport\s*|new URL\(\s*)["\']([^"\']+\.(?:js|wasm))["\']')
# The split modules' loader (dist/wasm-split/__wasm_split.js, see tools/split-bindgen) names each
# module with `new URL("./x.wasm", import.meta.url)` inside the function that loads it on first
# use: only its `import … from` is followed.
JS_IMPORT_ONLY = re.compile(r'(?:\bfrom\s*|\bimport\s*)["\']([^"\']+\.js)["\']')
SPLIT_DIR = "wasm-split"
# Split modules the app fetches by itself off the path to the first paint, not on a person's first
# use (src/ui/editing.rs: after the first paint; src/ui/graph_prepare.rs: in idle
# time after the first paint): listed with the chunks they load, apart from both the first load
# and the modules on first use.
IDLE_SPLITS = ("split_graph_prepare", "split_editing")
# In the loader: `CHUNK_VAR=s(()=>{const t=fetch(new URL("./chunk_N.wasm"` and a split's
# `fetch(new URL("./split_x.wasm",…)…},[CHUNK_VAR,…])`.
LOADER_CHUNK = re.compile(r'([\w$]+)=\w+\(\(\)=>\{const \w+=fetch\(new URL\("\./(chunk_\d+)\.wasm"')


def human(n: int) -> str:
    return f"{n / 1024:9.1f} KiB"


def compressed_sizes(path: Path) -> list[int]:
    data = path.read_bytes()
    return [len(data), len(gzip.compress(data, 9, mtime=0)), len(brotli.compress(data, quality=11))]


def first_load(dist: Path) -> set[Path]:
    """index.html and what it loads before the app runs, followed through static imports."""
    index = dist / "index.html"
    found = {index}
    pending = [(index, ref) for ref in HTML_REFERENCE.findall(index.read_text(encoding="utf-8"))]
    while pending:
        source, reference = pending.pop()
        if "://" in reference:
            continue
        base = dist if reference.startswith("/") else source.parent
        path = (base / reference.lstrip("/")).resolve()
        if not path.is_file() or path in found or path.suffix not in KINDS:
            continue
        found.add(path)
        if path.suffix == ".js":
            pattern = JS_IMPORT_ONLY if path.parent.name == SPLIT_DIR else JS_STATIC_IMPORT
            pending.extend((path, ref) for ref in pattern.findall(path.read_text(encoding="utf-8")))
    return {path.resolve() for path in found}


def module_of(relative: Path) -> str:
    """The module a file loaded on first use belongs to: its folder, or its bin's name; each split
    module of the app (`wasm-split/<name>.wasm`) is its own."""
    if len(relative.parts) == 2 and relative.parts[0] == SPLIT_DIR:
        return f"{SPLIT_DIR}/{relative.stem}"
    if len(relative.parts) > 1:
        return relative.parts[0] + "/"
    return re.sub(r"(_loader|_bg)?\.(js|wasm)$", "", relative.name)


def idle_files(dist: Path) -> set[Path]:
    """The files of IDLE_SPLITS: each split and the chunks the loader fetches with it."""
    loader_path = dist / SPLIT_DIR / "__wasm_split.js"
    if not loader_path.is_file():
        return set()
    loader = loader_path.read_text(encoding="utf-8")
    chunks = dict(LOADER_CHUNK.findall(loader))
    found = set()
    for split in IDLE_SPLITS:
        match = re.search(r'new URL\("\./' + split + r'\.wasm"[^\]]*\[([\w$,]*)\]', loader)
        if match is None:
            sys.exit(f"size.py: {split}.wasm is not in {loader_path} (or its chunk list could not be read)")
        variables = [var for var in match.group(1).split(",") if var]
        if any(var not in chunks for var in variables):
            sys.exit(f"size.py: the chunks {split}.wasm loads could not all be read from {loader_path}")
        names = [split] + [chunks[var] for var in variables]
        found |= {(dist / SPLIT_DIR / f"{name}.wasm").resolve() for name in names}
    return found


def table(title: str, rows: list[tuple[str, list[int]]]) -> list[int]:
    print(f"\n{title}")
    print(f"  {'file':<50} {'raw':>13} {'gzip':>13} {'brotli':>13}")
    total = [0, 0, 0]
    for name, sizes in rows:
        total = [t + s for t, s in zip(total, sizes)]
        print(f"  {name:<50} {human(sizes[0])} {human(sizes[1])} {human(sizes[2])}")
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dist", nargs="?", default="dist")
    parser.add_argument("--max-first-load", type=int, help="fail if the first load is over this many brotli bytes")
    args = parser.parse_args()
    dist = Path(args.dist)
    files = sorted(p for p in dist.rglob("*") if p.is_file() and p.suffix in KINDS and ".stage" not in p.parts)
    if not (dist / "index.html").is_file() or not files:
        print(f"size.py: no index.html in {dist}/: run make build first", file=sys.stderr)
        return 1
    loaded_first = first_load(dist)
    loaded_idle = idle_files(dist)
    first_rows, idle_rows, later_rows = [], [], {}
    for path in files:
        relative = path.relative_to(dist)
        row = (str(relative), compressed_sizes(path))
        if path.resolve() in loaded_first:
            first_rows.append(row)
        elif path.resolve() in loaded_idle:
            idle_rows.append(row)
        else:
            later_rows.setdefault(module_of(relative), []).append(row)

    first = table("FIRST LOAD (index.html and what it loads before the app is usable)", first_rows)
    print(f"  {'FIRST LOAD total':<50} {human(first[0])} {human(first[1])} {human(first[2])}")
    if idle_rows:
        idle = table(
            "AFTER START-UP, OFF THE PATH TO THE FIRST PAINT (the editing code, fetched after the first paint;\n"
            "the Claim graph's preparation, in idle time after the first paint; with their chunks)",
            idle_rows,
        )
        print(f"  {'AFTER START-UP total':<50} {human(idle[0])} {human(idle[1])} {human(idle[2])}")
    print("\nON FIRST USE (each module loads when a feature first needs it)")
    later_total = [0, 0, 0]
    for module, rows in sorted(later_rows.items()):
        sizes = table(f"module {module}", rows)
        later_total = [t + s for t, s in zip(later_total, sizes)]
        print(f"  {'module ' + module + ' total':<50} {human(sizes[0])} {human(sizes[1])} {human(sizes[2])}")
    print(f"\n  {'ON FIRST USE total':<50} {human(later_total[0])} {human(later_total[1])} {human(later_total[2])}")
    print(f"  {'FIRST LOAD total':<50} {human(first[0])} {human(first[1])} {human(first[2])}")
    if args.max_first_load is not None:
        if first[2] > args.max_first_load:
            print(
                f"\nsize.py: the first load is {first[2]:,} bytes brotli, over the budget of "
                f"{args.max_first_load:,}: move code used only sometimes into a module loaded on first use",
                file=sys.stderr,
            )
            return 1
        print(f"\nfirst load {first[2]:,} bytes brotli: within the budget of {args.max_first_load:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
