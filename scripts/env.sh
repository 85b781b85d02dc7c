# shellcheck shell=bash
# Source this (`source scripts/env.sh`) to get the repo-local tool paths and the settings the
# Makefile uses, e.g. to run `trunk build --release` or `cargo test --target wasm32-unknown-unknown`
# by hand. Safe to source more than once; changes nothing but environment variables.

_crosscheck_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_crosscheck_bin="$_crosscheck_root/.tools/binaryen/node_modules/.bin"
case ":$PATH:" in
  *":$HOME/.cargo/bin:"*) ;;
  *) PATH="$HOME/.cargo/bin:$PATH" ;;
esac
# Our wasm-opt must come before any other (e.g. Debian's binaryen) on PATH.
case "$PATH" in
  "$_crosscheck_bin:"*) ;;
  *) PATH="$_crosscheck_bin:$PATH" ;;
esac
# tools/split-bindgen, installed as `wasm-bindgen`, must come before the real one (in
# ~/.cargo/bin): Trunk runs it, and it splits the app's wasm before calling the real one.
_crosscheck_split="$_crosscheck_root/.tools/split-bindgen/bin"
case "$PATH" in
  "$_crosscheck_split:"*) ;;
  *) PATH="$_crosscheck_split:$PATH" ;;
esac
export PATH
# Trunk must use the tools pinned in Trunk.toml [tools] and found on PATH, never download them
# (and never ask crates.io whether a newer Trunk exists). Offline also makes Trunk call
# `cargo build --offline`, so run `cargo fetch --locked` first (the Makefile does).
export TRUNK_OFFLINE=true
export TRUNK_SKIP_VERSION_CHECK=true
# wasm-bindgen-test-runner: which WebDriver to use; the Chromium flags come from
# scripts/webdriver.json via .cargo/config.toml.
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
unset _crosscheck_root _crosscheck_bin _crosscheck_split
