#!/usr/bin/env bash
# Consumer checks of the dataset exports: writes the exports of the annotated sample project
# with `cargo run --example write_exports`, then reads them with the real consumers (pandas,
# jsonschema with the W3C test-suite schemas, pyld + rdflib, Hugging Face datasets, Python string
# slicing for JSONL and brat, and the doccano and Label Studio servers, each from its own venv in
# .tools/consumers/, made here when missing). Extra arguments go to pytest.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"

step_start=$(date +%s)
if ! "$python" -c 'import pytest, pandas, jsonschema, referencing, rfc3987, rfc3339_validator, pyld, rdflib, datasets, sklearn, statsmodels, krippendorff' 2>/dev/null; then
  PIP_BREAK_SYSTEM_PACKAGES=1 "$python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
fi

# doccano and Label Studio pin conflicting Django/pydantic/pandas versions: one venv each, made
# (in parallel) only when missing or when its requirements file changed.
venvs="$repo/.tools/consumers"
make_venv() {
  local name="$1" requirements="$here/$1-requirements.txt" venv="$venvs/$1"
  if [ -x "$venv/bin/python" ] && cmp -s "$requirements" "$venv/requirements.txt"; then return 0; fi
  rm -rf "$venv" && mkdir -p "$venvs"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$venv/requirements.txt"
}
make_venv doccano > "$venvs.doccano.log" 2>&1 & doccano_install=$!
make_venv label-studio > "$venvs.label-studio.log" 2>&1 & label_studio_install=$!
for install in "doccano:$doccano_install" "label-studio:$label_studio_install"; do
  if ! wait "${install#*:}"; then
    echo "installing ${install%%:*} for the consumer tests failed:" >&2; tail -n 30 "$venvs.${install%%:*}.log" >&2; exit 1
  fi
done
echo "consumer packages ready in $(( $(date +%s) - step_start )) s"

exports="$(mktemp -d)"
trap 'rm -rf "$exports"' EXIT
(cd "$repo" && cargo run --quiet --example write_exports -- "$exports")
tests_start=$(date +%s)
CROSSCHECK_EXPORTS="$exports" PYTHONDONTWRITEBYTECODE=1 HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1 \
  "$python" -m pytest -c "$here/pytest.ini" --rootdir "$here" -q --durations=5 "$here" "$@"
echo "consumer tests took $(( $(date +%s) - tests_start )) s"
