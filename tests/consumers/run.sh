#!/usr/bin/env bash
# Consumer checks of the dataset exports: writes the exports of the annotated sample project
# with `cargo run --example write_exports`, then reads them with the real consumers (pandas,
# jsonschema with the W3C test-suite schemas, Python string slicing for JSONL and brat).
# Extra arguments go to pytest.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"

if ! "$python" -c 'import pytest, pandas, jsonschema, referencing, rfc3987, rfc3339_validator, sklearn, statsmodels, krippendorff' 2>/dev/null; then
  PIP_BREAK_SYSTEM_PACKAGES=1 "$python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
fi

exports="$(mktemp -d)"
trap 'rm -rf "$exports"' EXIT
(cd "$repo" && cargo run --quiet --example write_exports -- "$exports")
CROSSCHECK_EXPORTS="$exports" PYTHONDONTWRITEBYTECODE=1 \
  "$python" -m pytest -c "$here/pytest.ini" --rootdir "$here" -q "$here" "$@"
