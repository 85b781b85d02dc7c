//! `wasm-bindgen` for Trunk, with the app's module split at its `#[wasm_split]` points first.
//!
//! Trunk runs `wasm-bindgen --target=web --out-dir=DIR --out-name=NAME INPUT.wasm …` on each
//! binary it builds and offers no step between `cargo build` and `wasm-bindgen`, which is where a
//! split must happen (the split reads the linker's relocations, which `wasm-bindgen` drops).
//! `scripts/env.sh` puts this program first on `PATH` under the name `wasm-bindgen`; it
//!
//! 1. passes any call through unchanged to the real `wasm-bindgen` (the next one on `PATH`) when
//!    the input has no split points (the workers) or is not a build (`--version`);
//! 2. otherwise splits INPUT with `wasm_split_cli_support` (the library behind `wasm-split-cli`,
//!    used by Leptos): the main module goes on to the real `wasm-bindgen` in INPUT's place, and
//!    each split module plus the JavaScript that loads them (`__wasm_split.js`) are written to
//!    `DIR/wasm-split/NAME/`, from where `scripts/copy_wasm_split.py` (a Trunk post-build hook)
//!    copies them to `dist/wasm-split/`;
//! 3. optimises each split module with `wasm-opt` (Trunk optimises only the main module).
//!
//! The loader imports the main module's `initSync` by Trunk's hashed file name, which Trunk
//! derives from a SeaHash of INPUT; it is computed the same way here.

use std::ffi::OsString;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::process::{exit, Command};

type Error = Box<dyn std::error::Error>;

fn main() {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let code = match run(&args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("split-bindgen: {error}");
            1
        }
    };
    exit(code);
}

fn run(args: &[OsString]) -> Result<i32, Error> {
    let real = real_wasm_bindgen()?;
    let Some(build) = Build::of(args) else { return pass_through(&real, args) };
    let split_dir = build.out_dir.join("wasm-split").join(&build.out_name);
    if split_dir.exists() {
        std::fs::remove_dir_all(&split_dir)?;
    }
    let input = std::fs::read(&build.input)?;
    if !has_split_points(&input) {
        return pass_through(&real, args);
    }
    // The link module is written at output_dir/link_name; the main module imports it by that
    // name relative to its own JavaScript (dist/), and it fetches the chunks relative to itself.
    std::fs::create_dir_all(split_dir.join("wasm-split"))?;
    let main_out = split_dir.join(format!("{}.main.wasm", build.out_name));
    let main_module = format!("../{}.js", hashed_name(&build.out_name, &input));
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = &split_dir;
    options.main_out_path = &main_out;
    options.link_name = "./wasm-split/__wasm_split.js";
    options.main_module = &main_module;
    let split = wasm_split_cli_support::transform(options)?;
    let nested = split_dir.join("wasm-split").join("__wasm_split.js");
    std::fs::rename(&nested, split_dir.join("__wasm_split.js"))?;
    std::fs::remove_dir(split_dir.join("wasm-split"))?;
    for module in &split.split_modules {
        optimise(module, &build)?;
    }
    let mut forwarded: Vec<OsString> = args
        .iter()
        .map(|arg| if Path::new(arg) == build.input { main_out.clone().into_os_string() } else { arg.clone() })
        .collect();
    // The split modules call the main module's functions through its table, which wasm-bindgen
    // would otherwise stop exporting (`__indirect_function_table`).
    forwarded.push("--keep-lld-exports".into());
    let code = pass_through(&real, &forwarded)?;
    std::fs::remove_file(&main_out)?;
    Ok(code)
}

/// A build call: `--out-dir=DIR --out-name=NAME INPUT.wasm`.
struct Build {
    out_dir: PathBuf,
    out_name: String,
    input: PathBuf,
}

impl Build {
    fn of(args: &[OsString]) -> Option<Build> {
        let mut out_dir = None;
        let mut out_name = None;
        let mut input = None;
        for arg in args.iter().filter_map(|arg| arg.to_str()) {
            if let Some(dir) = arg.strip_prefix("--out-dir=") {
                out_dir = Some(PathBuf::from(dir));
            } else if let Some(name) = arg.strip_prefix("--out-name=") {
                out_name = Some(name.to_string());
            } else if !arg.starts_with('-') && arg.ends_with(".wasm") {
                input = Some(PathBuf::from(arg));
            }
        }
        Some(Build { out_dir: out_dir?, out_name: out_name?, input: input? })
    }

    fn release(&self) -> bool {
        self.out_dir.ends_with("release")
    }
}

/// Whether the module imports from the split placeholder module (`wasm_split_macros`).
fn has_split_points(wasm: &[u8]) -> bool {
    const PLACEHOLDER: &[u8] = b"__wasm_split_placeholder__";
    wasm.windows(PLACEHOLDER.len()).any(|window| window == PLACEHOLDER)
}

/// Trunk's hashed base name of a binary's files (`pipelines::rust::hashed`).
fn hashed_name(out_name: &str, input: &[u8]) -> String {
    let mut hasher = seahash::SeaHasher::new();
    hasher.write(input);
    format!("{out_name}-{:x}", hasher.finish())
}

/// `wasm-opt` over a split module, as Trunk runs it over the app's main module (`index.html`),
/// and without the names section, which wasm-bindgen drops from the main module.
fn optimise(module: &Path, build: &Build) -> Result<(), Error> {
    if !build.release() {
        return Ok(());
    }
    let status = Command::new("wasm-opt")
        .args(["-Oz", "--converge", "--strip-producers", "--strip-debug"])
        .arg(module)
        .arg("-o")
        .arg(module)
        .status()?;
    if !status.success() {
        return Err(format!("wasm-opt failed on {}", module.display()).into());
    }
    Ok(())
}

fn pass_through(real: &Path, args: &[OsString]) -> Result<i32, Error> {
    let status = Command::new(real).args(args).status()?;
    Ok(status.code().unwrap_or(1))
}

/// The first `wasm-bindgen` on `PATH` that is not this program.
fn real_wasm_bindgen() -> Result<PathBuf, Error> {
    let this = std::env::current_exe()?.canonicalize()?;
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join("wasm-bindgen"))
        .filter(|candidate| candidate.is_file())
        .find(|candidate| candidate.canonicalize().map(|c| c != this).unwrap_or(false))
        .ok_or_else(|| "no wasm-bindgen on PATH besides this wrapper".into())
}
