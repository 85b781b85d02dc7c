#!/usr/bin/env bash
# Installs exactly the tools this repo needs, and only those that are missing or at the wrong
# version. Idempotent: when everything is present it only checks versions (about a second).
#
#   scripts/tools.sh [GROUP...]      GROUP: build (default), test, size, all
#
#   build  rustup target wasm32-unknown-unknown, clippy, rustfmt; trunk (Trunk.toml's Trunk
#          version, see TRUNK_VERSION); wasm-bindgen-cli at Cargo.lock's wasm-bindgen version;
#          wasm-opt from npm `binaryen@N` (N from Trunk.toml `wasm_opt = "version_N"`) into
#          .tools/binaryen (repo-local, git-ignored); tools/split-bindgen (Trunk's `wasm-bindgen`,
#          which splits the app's wasm first) into .tools/split-bindgen; esbuild from npm into
#          .tools/esbuild (scripts/minify.py minifies the built page's JavaScript and CSS).
#   test   build + Debian chromium, chromium-driver and firefox-esr, `npm ci` in tests/e2e, and pytest,
#          jsonschema, pandas when tests/consumers/ exists.
#   size   the python `brotli` module (PyPI) used by `make size`.
#
# The repo-local tools are not on your PATH by default: `source scripts/env.sh` (the Makefile
# does the equivalent itself).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"

# Trunk 0.22 needs rustc 1.96; stay on 0.21.14 until the toolchain moves.
TRUNK_VERSION=0.21.14

# `cargo install` of the tools: their own release profiles use fat LTO and one codegen unit,
# which makes the final link of trunk take minutes on 2 cores; plain optimized builds are fine
# for build tools.
cargo_install() {
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 cargo install "$@"
}

say() { printf '[tools] %s\n' "$*" >&2; }
die() { printf '[tools] ERROR: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif have sudo; then sudo "$@"; else die "need root for: $*"; fi; }

# ---------------------------------------------------------------------------------------------
# Versions the repo pins
# ---------------------------------------------------------------------------------------------

# The version of a package in Cargo.lock (first match; wasm-bindgen is only there once).
lock_version() {
  awk -v name="$1" '
    $0 == "[[package]]" { in_pkg = 1; pkg = ""; next }
    in_pkg && $1 == "name" { pkg = $3; gsub(/"/, "", pkg) }
    in_pkg && $1 == "version" && pkg == name { v = $3; gsub(/"/, "", v); print v; exit }
  ' Cargo.lock
}

# A key of Trunk.toml's [tools] table.
trunk_tool_pin() {
  awk -v key="$1" '
    /^\[/ { in_tools = ($0 == "[tools]"); next }
    in_tools && $1 == key { v = $3; gsub(/"/, "", v); print v; exit }
  ' Trunk.toml
}

[ -f Cargo.lock ] || die "Cargo.lock is missing (run cargo generate-lockfile and commit it)"
WASM_BINDGEN_VERSION="$(lock_version wasm-bindgen)"
[ -n "$WASM_BINDGEN_VERSION" ] || die "no wasm-bindgen package in Cargo.lock"
TRUNK_WASM_BINDGEN="$(trunk_tool_pin wasm_bindgen)"
if [ "$TRUNK_WASM_BINDGEN" != "$WASM_BINDGEN_VERSION" ]; then
  die "Trunk.toml [tools] wasm_bindgen = \"${TRUNK_WASM_BINDGEN:-<unset>}\" but Cargo.lock has wasm-bindgen $WASM_BINDGEN_VERSION.
        Set wasm_bindgen = \"$WASM_BINDGEN_VERSION\" in Trunk.toml (the two must match, or Trunk tries to download a wasm-bindgen)."
fi
TRUNK_WASM_OPT="$(trunk_tool_pin wasm_opt)"
case "$TRUNK_WASM_OPT" in
  version_[0-9]*) BINARYEN_VERSION="${TRUNK_WASM_OPT#version_}" ;;
  *) die "Trunk.toml [tools] wasm_opt must be pinned as \"version_N\" (found \"${TRUNK_WASM_OPT:-<unset>}\")" ;;
esac

# ---------------------------------------------------------------------------------------------
# Groups
# ---------------------------------------------------------------------------------------------

ensure_rust() {
  have cargo || die "cargo not found: install Rust with rustup first (rust-version is in Cargo.toml)"
  have rustup || die "rustup not found: the wasm32 target and components are installed with rustup"
  local installed
  installed="$(rustup target list --installed)"
  if ! grep -qx wasm32-unknown-unknown <<<"$installed"; then
    say "adding rustup target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
  installed="$(rustup component list --installed)"
  local missing=()
  grep -q '^clippy' <<<"$installed" || missing+=(clippy)
  grep -q '^rustfmt' <<<"$installed" || missing+=(rustfmt)
  if [ "${#missing[@]}" -gt 0 ]; then
    say "adding rustup components: ${missing[*]}"
    rustup component add "${missing[@]}"
  fi
}

ensure_trunk() {
  local v=""
  if have trunk; then v="$(trunk --version 2>/dev/null | awk '{print $2}')"; fi
  if [ "$v" != "$TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (found: ${v:-none}); this compiles for several minutes"
    cargo_install trunk --version "$TRUNK_VERSION" --locked
  fi
}

ensure_wasm_bindgen() {
  local v="" tv=""
  # The real one, not tools/split-bindgen (first on PATH, and it needs this one).
  if [ -x "$HOME/.cargo/bin/wasm-bindgen" ]; then v="$("$HOME/.cargo/bin/wasm-bindgen" --version 2>/dev/null | awk '{print $2}')"; fi
  if have wasm-bindgen-test-runner; then tv="$(wasm-bindgen-test-runner --version 2>/dev/null | awk '{print $2}')"; fi
  if [ "$v" != "$WASM_BINDGEN_VERSION" ] || [ "$tv" != "$WASM_BINDGEN_VERSION" ]; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (found: wasm-bindgen ${v:-none}, test runner ${tv:-none})"
    # Not --locked: the CLI's own lock file names a crate version the registry no longer serves.
    cargo_install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
}

# npm_tool DIR PACKAGE@VERSION WHAT FOUND: installs the npm package afresh into .tools/DIR
# (repo-local, git-ignored), for a tool the build runs from there.
npm_tool() {
  local dir="$ROOT/.tools/$1"
  say "installing npm $2 into .tools/$1 (found: $4)"
  rm -rf "$dir"
  mkdir -p "$dir"
  printf '{ "private": true, "description": "repo-local %s, see scripts/tools.sh" }\n' "$3" >"$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error --save-exact "$2" >&2)
}

# wasm-opt: Debian's binaryen (108) cannot parse what current rustc emits, and Trunk would
# download one from GitHub. npm's `binaryen` package ships the same tools built for node.
ensure_wasm_opt() {
  have node || die "node not found: wasm-opt comes from npm's binaryen package (needs node >= 18)"
  have npm || die "npm not found"
  local want="wasm-opt version $BINARYEN_VERSION" v="" bin="$ROOT/.tools/binaryen/node_modules/.bin/wasm-opt"
  if [ -x "$bin" ]; then v="$("$bin" --version 2>/dev/null || true)"; fi
  if [[ "$v" != "$want"* ]]; then
    npm_tool binaryen "binaryen@$BINARYEN_VERSION" "wasm-opt" "${v:-none}"
    v="$("$bin" --version)"
    [[ "$v" == "$want"* ]] || die "installed wasm-opt reports '$v', expected '$want'"
  fi
  # Trunk takes the first wasm-opt on PATH and compares its version with Trunk.toml's pin.
  local first
  first="$(command -v wasm-opt || true)"
  [ "$first" = "$bin" ] || die "wasm-opt on PATH is '$first', not $bin (is scripts/env.sh sourced?)"
}

# esbuild (npm; its platform binary comes from the registry as the optional dependency
# `@esbuild/linux-x64`, no download from elsewhere) into .tools/esbuild: scripts/minify.py, a
# Trunk post-build hook, minifies the page's JavaScript and stylesheet with it.
ESBUILD_VERSION=0.28.2
ensure_esbuild() {
  local bin="$ROOT/.tools/esbuild/node_modules/.bin/esbuild" v=""
  if [ -x "$bin" ]; then v="$("$bin" --version 2>/dev/null || true)"; fi
  if [ "$v" != "$ESBUILD_VERSION" ]; then
    npm_tool esbuild "esbuild@$ESBUILD_VERSION" "esbuild" "${v:-none}"
    v="$("$bin" --version)"
    [ "$v" = "$ESBUILD_VERSION" ] || die "installed esbuild reports '$v', expected '$ESBUILD_VERSION'"
  fi
}

# tools/split-bindgen: installed into .tools/split-bindgen/bin with a `wasm-bindgen` link to it,
# first on PATH (scripts/env.sh, Makefile), so Trunk runs it; rebuilt when its sources change.
ensure_split_bindgen() {
  local dir="$ROOT/.tools/split-bindgen" sources stamp=""
  sources="$(cat tools/split-bindgen/Cargo.toml tools/split-bindgen/Cargo.lock tools/split-bindgen/src/*.rs | sha256sum | cut -c1-16)"
  if [ -f "$dir/stamp" ]; then stamp="$(cat "$dir/stamp")"; fi
  if [ "$stamp" != "$sources" ] || [ ! -x "$dir/bin/wasm-bindgen" ]; then
    say "installing tools/split-bindgen into .tools/split-bindgen (sources changed or missing)"
    CARGO_TARGET_DIR="$ROOT/.tools/split-bindgen/target" cargo_install --path tools/split-bindgen \
      --root "$dir" --locked --force
    rm -rf "$dir/target"
    ln -sf split-bindgen "$dir/bin/wasm-bindgen"
    printf '%s\n' "$sources" >"$dir/stamp"
  fi
  local first
  first="$(command -v wasm-bindgen || true)"
  [ "$first" = "$dir/bin/wasm-bindgen" ] || die "wasm-bindgen on PATH is '$first', not $dir/bin/wasm-bindgen (is scripts/env.sh sourced?)"
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    say "apt-get update"
    as_root apt-get update -qq
    apt_updated=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >&2
}

ensure_chromium() {
  local pkgs=()
  [ -x /usr/bin/chromium ] || pkgs+=(chromium)
  [ -x /usr/bin/chromedriver ] || pkgs+=(chromium-driver)
  # The second browser of the end-to-end smoke path (tests/e2e/browsers.test.mjs), driven by
  # playwright-core over WebDriver BiDi: Debian's own build, no download from elsewhere.
  [ -x /usr/bin/firefox-esr ] || pkgs+=(firefox-esr)
  if [ "${#pkgs[@]}" -gt 0 ]; then
    apt_install "${pkgs[@]}"
  fi
}

ensure_e2e_node_modules() {
  local dir="$ROOT/tests/e2e"
  [ -f "$dir/package-lock.json" ] || die "tests/e2e/package-lock.json is missing"
  local want have_sum=""
  want="$(sha256sum "$dir/package-lock.json" "$dir/package.json" | sha256sum | cut -c1-64)"
  [ -f "$dir/node_modules/.lock-sha256" ] && have_sum="$(cat "$dir/node_modules/.lock-sha256")"
  if [ "$want" != "$have_sum" ]; then
    say "npm ci in tests/e2e"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
    echo "$want" >"$dir/node_modules/.lock-sha256"
  fi
}

# Whether python3 can import module $1. find_spec looks it up without importing it (importing
# pandas takes seconds).
has_py_module() {
  python3 -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('$1') is None)"
}

# python3 -m pip install, for the pyenv/venv python as well as for Debian's (PEP 668) python.
ensure_py_modules() {
  local missing=() spec
  for spec in "$@"; do
    has_py_module "${spec%%=*}" || missing+=("$spec")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    say "pip install ${missing[*]}"
    PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --quiet --disable-pip-version-check "${missing[@]}" >&2
  fi
}

# The consumer checks (tests/consumers, and tests/e2e/check_exports.py) need these modules;
# when any is missing, tests/consumers/requirements.txt is installed.
ensure_consumer_deps() {
  local module
  for module in pytest pandas jsonschema referencing rfc3987 rfc3339_validator pyld rdflib datasets sklearn \
    statsmodels krippendorff; do
    if ! has_py_module "$module"; then
      say "pip install -r tests/consumers/requirements.txt"
      PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --quiet --disable-pip-version-check \
        -r "$ROOT/tests/consumers/requirements.txt" >&2
      return
    fi
  done
}

# ---------------------------------------------------------------------------------------------

groups=("$@")
[ "${#groups[@]}" -gt 0 ] || groups=(build)
want_build=0 want_test=0 want_size=0
for g in "${groups[@]}"; do
  case "$g" in
    build) want_build=1 ;;
    test) want_build=1 want_test=1 ;;
    size) want_size=1 ;;
    all) want_build=1 want_test=1 want_size=1 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) die "unknown group '$g' (build, test, size, all)" ;;
  esac
done

if [ "$want_build" = 1 ]; then
  ensure_rust
  ensure_trunk
  ensure_wasm_bindgen
  ensure_wasm_opt
  ensure_esbuild
  ensure_split_bindgen
fi
if [ "$want_test" = 1 ]; then
  ensure_chromium
  ensure_e2e_node_modules
  ensure_consumer_deps
fi
if [ "$want_size" = 1 ]; then
  ensure_py_modules brotli
fi

if [ "$want_build" = 1 ]; then
  say "ok: $(rustc --version | awk '{print $1, $2}'), trunk $TRUNK_VERSION, wasm-bindgen $WASM_BINDGEN_VERSION, $(wasm-opt --version), esbuild $ESBUILD_VERSION"
fi
if [ "$want_test" = 1 ]; then
  say "ok: $(/usr/bin/chromium --version 2>/dev/null), $(/usr/bin/chromedriver --version | awk '{print $1, $2}'), $(/usr/bin/firefox-esr --version 2>/dev/null), node $(node --version)"
fi
say "repo-local tools: source scripts/env.sh  (PATH=$ROOT/.tools/split-bindgen/bin:$ROOT/.tools/binaryen/node_modules/.bin:...)"
