#!/usr/bin/env bash
# The performance benchmark: is one frame per edit at 50,000 words and 10,000 spans still true,
# and how does that compare with @recogito/text-annotator? (`make bench`; not part of `make test`.)
# Prints two tables:
#
#   1. native: `cargo bench --bench core` — the hot core paths (segmentation, offset mapping,
#      reducer, serialisation, every export) on the benchmark corpus;
#   2. browser: tests/e2e/bench.mjs — the release build in headless Chromium, side by side with
#      @recogito/text-annotator on the same article and spans: load, tag-to-paint, undo-to-paint,
#      scroll, switching articles, save, reload, stored size, wasm/js/css sizes.
#
# The corpus comes from `cargo run --release --example bench_corpus` (fixed seed: one 50,000-word
# article with 10,000 spans, four 5,000-word articles, 2,000 relations).
#
#   scripts/bench.sh [bench.mjs options]     e.g. --runs 3 --tags 20 --skip-text-annotator, or
#                                            --only graph (the claim-graph picture rows alone),
#                                            --only crosscheck (no graph, no text-annotator rows),
#                                            --only firefox (the load rows in Firefox ESR alone)
#
# Environment:
#   BENCH_OUT=dir      where the corpus and the results go (default target/bench)
#   BENCH_DIST=dir     the build to measure (default dist/; built with `trunk build --release`
#                      when missing or older than the sources, or always with BENCH_BUILD=1)
#   BENCH_NATIVE=0     skip the native benchmarks
#   BENCH_BROWSER=0    skip the browser benchmark
#   BENCH_LARGE=0      skip the large corpus (200 articles, 1,000,000 words, 20,000 spans)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"

OUT="${BENCH_OUT:-$ROOT/target/bench}"
DIST="${BENCH_DIST:-$ROOT/dist}"
mkdir -p "$OUT"
say() { printf '[bench] %s\n' "$*" >&2; }

say "generating the corpus -> $OUT/corpus.json"
cargo run --quiet --release --example bench_corpus -- "$OUT/corpus.json"
LARGE_ARGS=()
if [ "${BENCH_LARGE:-1}" != 0 ]; then
  say "generating the large corpus (200 articles, 1,000,000 words) as stored documents -> $OUT/store-large.json"
  cargo run --quiet --release --example bench_corpus -- "$OUT/corpus-large.json" --large --store "$OUT/store-large.json"
  LARGE_ARGS=(--large-store "$OUT/store-large.json")
fi

if [ "${BENCH_NATIVE:-1}" != 0 ]; then
  say "native benchmarks (cargo bench --bench core)"
  cargo bench --quiet --bench core | tee "$OUT/native.md"
fi

if [ "${BENCH_BROWSER:-1}" != 0 ]; then
  stale=""
  if [ ! -f "$DIST/index.html" ]; then
    stale="missing"
  elif [ -n "$(find src styles js index.html Cargo.toml Cargo.lock -newer "$DIST/index.html" -print -quit)" ]; then
    stale="older than the sources"
  fi
  if [ "${BENCH_BUILD:-0}" = 1 ] || [ -n "$stale" ]; then
    say "building the release app into $DIST ${stale:+($stale)}"
    trunk build --release --dist "$DIST"
  fi
  if [ ! -d tests/e2e/node_modules/@recogito/text-annotator ]; then
    say "npm ci in tests/e2e (playwright-core, @recogito/text-annotator)"
    (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
  fi
  say "browser benchmark (tests/e2e/bench.mjs)"
  node tests/e2e/bench.mjs --corpus "$OUT/corpus.json" --dist "$DIST" --json "$OUT/browser.json" "${LARGE_ARGS[@]}" "$@" \
    | tee "$OUT/browser.md"
fi
say "results in $OUT"
