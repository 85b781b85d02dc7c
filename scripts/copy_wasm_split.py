#!/usr/bin/env python3
"""Trunk post_build hook: put the app's split modules beside the page.

`tools/split-bindgen` (Trunk's `wasm-bindgen`, see scripts/env.sh) splits the app's wasm at its
`#[wasm_split]` points and leaves the split modules and their loader, `__wasm_split.js`, in
`<target>/wasm-bindgen/<profile>/wasm-split/<binary>/`. Trunk copies only what wasm-bindgen
names, so this copies them to `$TRUNK_STAGING_DIR/wasm-split/`, where the main module's
JavaScript imports the loader (`./wasm-split/__wasm_split.js`) and the loader fetches the
modules (relative to itself).

The loader is part of the first load (the app's JavaScript imports it), so the page gets a
`<link rel="modulepreload">` for it beside Trunk's own, with the same SRI `integrity`: without
it the browser found it only after the app's JavaScript, one request later.

It fails the build when the loader's import of the app's JavaScript (`../crosscheck-<hash>.js`,
Trunk's hashed name, which split-bindgen computes the way Trunk does) names no staged file, so
a Trunk upgrade that hashes differently cannot ship a loader that breaks at first use.
Stdlib only.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sri import integrity  # noqa: E402


def main() -> int:
    staging = Path(os.environ["TRUNK_STAGING_DIR"])
    profile = os.environ.get("TRUNK_PROFILE", "release")
    target = Path(os.environ.get("CARGO_TARGET_DIR", "target"))
    source = target / "wasm-bindgen" / profile / "wasm-split"
    destination = staging / "wasm-split"
    if destination.exists():
        shutil.rmtree(destination)
    binaries = sorted(p for p in source.glob("*") if p.is_dir()) if source.is_dir() else []
    for binary in binaries:
        loader = binary / "__wasm_split.js"
        if not loader.is_file():
            continue
        imported = re.search(r'from "\.\./([^"]+\.js)"', loader.read_text(encoding="utf-8"))
        if imported is None or not (staging / imported.group(1)).is_file():
            name = imported.group(1) if imported else "(no import)"
            print(f"copy_wasm_split: {loader} imports {name}, which Trunk did not stage", file=sys.stderr)
            return 1
        destination.mkdir(parents=True, exist_ok=True)
        for item in binary.iterdir():
            if item.suffix in (".wasm", ".js") and not item.name.endswith(".main.wasm"):
                shutil.copy2(item, destination / item.name)
        preload_loader(staging, destination / "__wasm_split.js")
    return 0


def preload_loader(staging: Path, loader: Path) -> None:
    """Adds the loader's modulepreload link to the staged index.html, before `</head>`."""
    index = staging / "index.html"
    html = index.read_text(encoding="utf-8")
    public_url = os.environ.get("TRUNK_PUBLIC_URL", "/")
    href = public_url.rstrip("/") + "/" + loader.relative_to(staging).as_posix()
    if f'href="{href}"' in html:
        return
    link = f'<link rel="modulepreload" href="{href}" crossorigin="anonymous" integrity="{integrity(loader.read_bytes())}">'
    index.write_text(html.replace("</head>", link + "</head>", 1), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
