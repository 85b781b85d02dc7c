"""The Subresource Integrity value of a file's bytes, for the post-build hooks that write or
rewrite a file the page links (scripts/copy_wasm_split.py, scripts/one_stylesheet.py,
scripts/minify.py). Stdlib only."""

from __future__ import annotations

import base64
import hashlib


def integrity(data: bytes) -> str:
    """`sha384-<base64>`, as Trunk writes it."""
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")
