#!/usr/bin/env bash
# The pure core must not depend on the browser: fails if any Rust file under src/domain/ or
# src/formats/ names yew, web_sys, gloo, wasm_bindgen or js_sys in code (comments are ignored,
# so docs may say what the core does not use).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

dirs=()
for d in src/domain src/formats; do
  [ -d "$d" ] && dirs+=("$d")
done
if [ "${#dirs[@]}" -eq 0 ]; then
  echo "check-purity: no src/domain or src/formats: nothing to check" >&2
  exit 0
fi

pattern='\b(yew|web_sys|gloo|wasm_bindgen|js_sys)\b'
found=0
checked=0
while IFS= read -r -d '' file; do
  checked=$((checked + 1))
  # Drop // comments (incl. /// and //!) and single-line /* */ comments, keep line numbers.
  hits="$(sed -E -e 's#/\*.*\*/##g' -e 's#//.*$##' "$file" | grep -nE "$pattern" || true)"
  if [ -n "$hits" ]; then
    found=1
    while IFS= read -r hit; do
      echo "check-purity: $file:${hit%%:*}: ${hit#*:}" >&2
    done <<<"$hits"
  fi
done < <(find "${dirs[@]}" -type f -name '*.rs' -print0 | sort -z)

if [ "$found" -ne 0 ]; then
  echo "check-purity: FAILED: src/domain and src/formats must stay free of browser crates (yew, web_sys, gloo, wasm_bindgen, js_sys); move that code to src/web or src/ui" >&2
  exit 1
fi
echo "check-purity: ok ($checked files in ${dirs[*]} free of yew, web_sys, gloo, wasm_bindgen, js_sys)"
