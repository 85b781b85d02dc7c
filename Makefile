# Crosscheck: build, serve and test. Every target installs what it needs first
# (scripts/tools.sh: only what is missing, a second when all is there). `make help` lists the
# targets from their `##` comments.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

# Repo-local split-bindgen (Trunk's wasm-bindgen) and wasm-opt (npm binaryen) first, see
# scripts/tools.sh; same as scripts/env.sh.
export PATH := $(CURDIR)/.tools/split-bindgen/bin:$(CURDIR)/.tools/binaryen/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# Trunk uses the tools on PATH at the versions pinned in Trunk.toml and never downloads
# (offline also makes it run `cargo build --offline`: `cargo fetch` comes first).
export TRUNK_OFFLINE := true
export TRUNK_SKIP_VERSION_CHECK := true
# wasm-bindgen-test-runner: chromedriver, and the per-test time limit in seconds.
export CHROMEDRIVER ?= /usr/bin/chromedriver
export WASM_BINDGEN_TEST_TIMEOUT ?= 120

# On CI the lock file must already be right.
CARGO_LOCKED := $(if $(CI),--locked,)
E2E_NODE_TEST := node --test --test-reporter=spec --test-concurrency=1 --test-timeout=180000

.PHONY: help tools tools-test tools-size fetch serve build dist-check size lint fmt-check purity \
        clippy clippy-native clippy-wasm unit browser-test e2e e2e-run consumers test clean sync-server

help: ## this list
	@awk 'BEGIN { FS = ":.*## " } /^[a-z][a-z0-9-]*:.*## / { printf "  make %-14s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

# TOOLS_DONE=1 skips the check (make test sets it for its steps after the first).
tools: ## install the build tools only (make tools-test: also the test tools)
	@$(if $(TOOLS_DONE),:,scripts/tools.sh build)

tools-test:
	@$(if $(TOOLS_DONE),:,scripts/tools.sh test)

tools-size:
	@scripts/tools.sh size

fetch:
	cargo fetch $(CARGO_LOCKED)

# --- app -------------------------------------------------------------------------------------

serve: tools fetch ## trunk serve --release on http://127.0.0.1:8080 (PORT=n; AUTORELOAD=1: live reload, no CSP)
	trunk serve --release $(if $(AUTORELOAD),,--no-autoreload) $(if $(PORT),--port $(PORT))

build: tools fetch ## trunk build --release -> dist/
	trunk build --release

# Team mode (issue 15): pouchdb-server from tests/e2e's pinned node modules, data in .sync-server/,
# users ann and bob (members) and eve (not a member). `make serve` proxies /couch/ to it.
sync-server: tools-test ## a local team server (pouchdb-server) on 127.0.0.1:5984 for team mode
	node tests/e2e/sync_server.mjs --port $(or $(SYNC_PORT),5984) --dir .sync-server

size: tools-size ## sizes of dist/ (raw, gzip, brotli): the first load, what the app fetches off the path to the first paint, each module loaded on first use
	@[ -f dist/index.html ] || $(MAKE) --no-print-directory build
	@python3 scripts/size.py dist

# The first load (index.html and what it loads before the app is usable), brotli bytes. Issue
# #20's target is 250 KB (`make dist-check FIRST_LOAD_BUDGET=250000` says how far off it is).
# Until the app meets it, `make test` holds the first load to about what it was before the task
# worker took the suggesters and exports out, so it cannot grow unnoticed (620,596 bytes with
# team sync merged, 2026-11-30): lower this to the measured size plus ~3 % after each step that
# moves code into a module loaded on first use, down to 250000.
# Raised once, 2026-11-30 13:00, from 640000 (headroom spent by the Claim graph's idle
# preparation, the storage trail, and team sync's per-document replica and link take-over:
# 643,994 bytes). Team sync is the next thing to move out (a module loaded on first connect).
# Raised again, 2026-11-30 16:20, to 656000: the large pull's delivery merge and chunked commits
# (the fix for links lost after a large pull), the migration written out after the first paint
# and the reader's highlight window brought it to 652,935 bytes. Moving team sync out pays both
# raises back.
# Raised a third time, 2026-11-30 21:20, to 660000: team sync's pull cut into tasks of a few ms
# (the _bulk_get answer checked in steps, bounded replica and text writes, the next changes page
# sent ahead: issue #15's no-task-over-50-ms target) brought it to 657,2xx bytes, 0.2 % over.
# The same move of team sync into a module loaded on first connect pays all three back.
# Raised a fourth time, 2026-12-02 02:00, to 664000: the tag's render moved work after its frame
# (the span editor a tag opens, the save, the annotator filter's authors, the freeing of the lists
# an edit replaces) and reads an edit's changes from the trail: 662,341 bytes, of which
# web::schedule's helpers, made non-generic, paid 0.8 KB back (661,5xx bytes).
# Lowered, 2026-12-02 11:00, to 572000: the views used only sometimes (Claim graph, Agreement,
# Adjudicate, Story matrix, Settings) and the file readers with the import plan are split
# modules loaded on first use (ui::lazy_view, tools/split-bindgen): 555,092 bytes, plus ~3 %.
# Lowered, 2026-12-02 15:00, to 501000: team sync is a split module fetched at the first
# connection (web::sync, web::split_module): 486,433 bytes, plus ~3 %.
# Lowered, 2026-12-03 07:00, to 456000: one compiled sort (domain::sorting) and Compare, the
# suggestions list, Paste, the shortcut sheet and the Export menu's rows as split modules:
# 443,018 bytes, plus ~3 %; then the conflicts list (into team sync's module) and the
# layer-or-replace choice (into the importer's): 431,419 bytes (431,678 at the session's end). Lowered
# to 444000.
# Lowered, 2026-12-03 16:40, to 399000: StoredEdit and StoredAttributeKind read without serde's
# buffered Content (one deserializer per stored type, not two), and the v1 reader, the reading of
# suggestion pages, the whole import with its report and the Edit details dialog as split
# modules: 387,020 bytes, plus ~3 %.
# Raised, 2026-12-05, to 399500: reading packs of stored documents and the store's Web Lock
# (formats::stored::packs; the compaction itself is a module of its own) took 396,037 to
# 399,310 bytes, for ~45 ms less of a new tab's load and ~30 ms less of a reload.
# Raised, 2026-12-05 12:10, to 402000: a compaction holds one pack at a time (its map of every
# item left the main wasm: 5 KB less raw), yet a clean clone measured 399,749 bytes against
# 397,315 for the working tree's build one commit before (a filter of a few lines apart). The two
# wasm files differ by 16 bytes raw and 2.4 KB brotli: the functions' order differs between builds,
# and brotli follows it. A budget within 0.1 % of one build's figure fails another; this one
# keeps ~0.5 %.
# Raised, 2026-12-05 15:20, to 405000: packs stored deflated (js/local_store.js deflates and
# inflates them with the browser's CompressionStream and DecompressionStream; js/early_texts.js,
# now in the head, starts inflating them as the page loads): +2.6 KB of JavaScript, its comments
# included (the snippets are served as written), for ~3× fewer stored characters, a new tab's
# load ~10 ms sooner and ~3× the room in the quota.
# Lowered, 2026-12-06 04:00, to 384000: the first load's JavaScript, stylesheet and inline
# scripts minified by esbuild (scripts/minify.py, -10.1 KB), eight compiled sorts fewer and no
# float printer in the main wasm (whole-pixel styles as integers): 381,215 bytes, plus ~0.7 %
# (the functions' order alone has moved a build by 2.4 KB).
# Raised, 2026-12-06 08:40, to 386000: clean clones of the same app code measured 381,758
# (d0058bf), 383,324 (e7c616d) and 383,467 bytes (ad4490a): the build is not byte-for-byte
# repeatable, and 384,000 left CI ~500 bytes of that spread.
# Lowered, 2026-12-06 18:00, to 380000: the five sample articles are fetched from corpus/ by a
# first start instead of being compiled into the main wasm (376,136 bytes; -5.3 KiB brotli).
# Lowered, 2026-12-06 23:50, to 370500: tools/split-bindgen gives the main module's ~300 imports
# of wasm-bindgen's glue one- and two-letter names (367,929 bytes; -8.7 KB brotli, -5.6 KB of
# it in the wasm, the rest in the glue's JavaScript).
# Lowered, 2026-12-07 02:30, to 359000: the Claim graph's idle preparation is a split module the
# app fetches after the first paint (ui::graph_prepare; `make size` lists it apart, 21 KB brotli
# with its chunks): 356,347 bytes. Then, to 355500: a suggestion run's restart after an edit and
# the keyboard's accept or reject run in the review list's module, which a run or a selected row
# means is loaded (the task worker's client left the main wasm: -11.3 KiB raw): 352,821 bytes.
# Lowered, 2026-12-07 05:10, to 343000: the task worker's client (its last way in was the Export
# button's warm-up), the migration's write-out steps, the header's warning count (now in
# split_graph_prepare), the conflicts marker (team sync's module) and the annotator filter's
# select (a module of its own) left the main wasm: 340,520 bytes. Then, to 333500: a delivery's
# merge (another tab's saves, the team server's batches) is a module fetched by the first
# delivery (ui::autosave::sync_merge): 330,704 bytes. Lowered, 2026-12-07 08:45, to 328500: the
# migration (all of it after the fetch, as a future, with the write-out's slices) and the
# compaction (the whole job) run in their modules: 326,110 bytes. Then, to 325000: the tag
# toolbar's label slugs lower-case by the browser's case tables (web::strings::push_lowercase),
# and core's case tables left the main wasm: 322,534 bytes. Then, 2026-12-07 11:50, to 303000: the
# editing code (the save, the reducer's edit steps, the project export; ui::editing) is a module
# start-up fetches off the path to the first paint: 300,893 bytes (reverted for a slower load,
# and back, fetched after the first paint, the same day, 15:00). Then,
# to 295000: the views that edit (the span editor, the tag toolbar, the span chooser) are views of
# that module, preloaded when it arrives: 292,093 bytes. Then, to 285000: the load leaves the undo
# history unread and the editing code reads it as it arrives (its readers, every kind of edit's,
# left the main wasm): 282,444 bytes in the working tree. Then, 2026-12-07 23:30, to 274200: one
# reader for every stored document's envelope, and Unicode's word segmentation in the editing
# module: 271,685 bytes in the clean clone of de97ee8. Then, 2026-12-08 02:20, to 265800: the
# storage banner, the suggestions' display code and the annotator filter are views and code of
# the modules that show them, and SHA-256 is a module a reload fetches only for texts
# js/early_texts.js could not check: 263,254 bytes in the working tree (the main wasm and js,
# the bench's measure: 247,679 bytes).
FIRST_LOAD_BUDGET ?= 265800

dist-check: tools-size ## fail if dist/'s first load is over FIRST_LOAD_BUDGET bytes brotli
	@[ -f dist/index.html ] || { echo "dist-check: dist/index.html is missing: make build first" >&2; exit 1; }
	@python3 scripts/size.py dist --max-first-load $(FIRST_LOAD_BUDGET) | tail -n 4

# --- checks ----------------------------------------------------------------------------------

fmt-check: tools
	cargo fmt --all -- --check

purity:
	scripts/check-purity.sh

clippy-native: tools
	cargo clippy $(CARGO_LOCKED) --all-targets -- -D warnings

clippy-wasm: tools
	cargo clippy $(CARGO_LOCKED) --target wasm32-unknown-unknown --all-targets --features lazy-views -- -D warnings

clippy: clippy-native clippy-wasm

lint: fmt-check purity clippy ## cargo fmt --check, purity check, clippy native and wasm32

unit: tools ## native cargo test (RUSTFLAGS=-D warnings), the app's and tools/split-bindgen's
	RUSTFLAGS="-D warnings" cargo test $(CARGO_LOCKED)
	RUSTFLAGS="-D warnings" cargo test $(CARGO_LOCKED) --manifest-path tools/split-bindgen/Cargo.toml

# tests/browser_*.rs (and any #[wasm_bindgen_test] in the crate) in headless Chromium;
# --tests leaves out doctests, which are native-only.
browser-test: tools-test ## cargo test --target wasm32-unknown-unknown in headless Chromium
	cargo test $(CARGO_LOCKED) --target wasm32-unknown-unknown --tests

e2e: tools-test build e2e-run ## build, then the end-to-end suite in tests/e2e (node --test + playwright-core)

e2e-run: tools-test ## the end-to-end suite over the dist/ already built
	@[ -f dist/index.html ] || { echo "e2e: dist/index.html is missing: make build first" >&2; exit 1; }
	cd tests/e2e && $(E2E_NODE_TEST) ./*.test.mjs

consumers: tools-test ## every export read by the software its users load it into (tests/consumers)
	bash tests/consumers/run.sh

# The app's own extractor (js/extract) in headless Chromium over ../shared/extraction-testpages.
.PHONY: extract-quality
extract-quality: tools-test ## article extraction precision / recall / F1 and metadata accuracy
	node tests/e2e/extract-quality.mjs

# --- the whole suite -------------------------------------------------------------------------

# Each step runs in order and stops the suite at the first failure; the time of each is printed.
TEST_STEPS := fmt-check purity clippy-native clippy-wasm unit browser-test build dist-check e2e-run consumers

test: ## the whole suite, failing fast (what CI runs: bash .ci/run)
	@start=$$(date +%s); \
	printf '==> make tools-test\n'; $(MAKE) --no-print-directory tools-test; \
	for step in $(TEST_STEPS); do \
	  printf '\n==> make %s\n' "$$step"; \
	  t=$$(date +%s); \
	  if ! $(MAKE) --no-print-directory TOOLS_DONE=1 "$$step"; then \
	    printf '\n==> FAILED: make %s (after %ss)\n' "$$step" $$(( $$(date +%s) - t )); exit 1; \
	  fi; \
	  printf '==> ok: make %s (%ss)\n' "$$step" $$(( $$(date +%s) - t )); \
	done; \
	printf '\n==> make test: all steps passed in %ss\n' $$(( $$(date +%s) - start ))

clean: ## cargo clean, dist/ and e2e artifacts
	cargo clean
	rm -rf dist tests/e2e/artifacts

# --- fuzzing -----------------------------------------------------------------------------------

# One million inputs per importer (project JSON, W3C, JSONL/JSON/text corpus, upload, HTML
# defuse) through tests/fuzz_importers.rs, optimised, one importer at a time on all cores.
# FUZZ_ITERATIONS=n and FUZZ_SEED=n override the count and the seed; `cargo test` alone runs a
# short smoke campaign. See the top of tests/fuzz_importers.rs for replaying a failure.
FUZZ_ITERATIONS ?= 1000000

.PHONY: fuzz
fuzz: ## one million inputs per importer (FUZZ_ITERATIONS=n, FUZZ_SEED=n)
	CROSSCHECK_FUZZ_ITERATIONS=$(FUZZ_ITERATIONS) $(if $(FUZZ_SEED),CROSSCHECK_FUZZ_SEED=$(FUZZ_SEED)) \
	  cargo test $(CARGO_LOCKED) --release --test fuzz_importers -- --nocapture --test-threads=1

# --- benchmark -------------------------------------------------------------------------------

# Native benchmarks of the core paths and the browser benchmark side by side with
# @recogito/text-annotator, on a generated corpus of 50,000 words and 10,000 spans; prints two
# tables (also written to target/bench/). Not part of `make test`. BENCH_ARGS passes options to
# tests/e2e/bench.mjs (e.g. BENCH_ARGS="--runs 3 --tags 20"); see scripts/bench.sh for the rest.
.PHONY: bench
bench: tools-test fetch ## native and browser benchmarks beside @recogito/text-annotator (BENCH_ARGS=...)
	scripts/bench.sh $(BENCH_ARGS)
