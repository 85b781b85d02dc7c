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
//! 3. optimises each split module with `wasm-opt` (Trunk optimises only the main module);
//! 4. gives the main module's imports of wasm-bindgen's JavaScript glue short names (`a`, `b`,
//!    … in place of `__wbg_lastChild_d03af7c29f69e2ad`), in the wasm's import section and in
//!    the glue's import object alike ([`shorten_glue_imports`]): ~300 names carrying 16
//!    random hex digits each were 5.6 KB of the main wasm and 3.0 KB of its JavaScript,
//!    brotli-compressed, of every first load.
//!
//! 5. makes the loader report a module that did not arrive (offline, or a fetch the browser
//!    stopped because the page is reloading) as a console warning, not an error
//!    ([`warn_when_not_fetched`]); a module that arrived but does not compile or link stays an
//!    error.
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
    let loader = warn_when_not_fetched(&std::fs::read_to_string(&nested)?)?;
    std::fs::write(split_dir.join("__wasm_split.js"), loader)?;
    std::fs::remove_file(&nested)?;
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
    if code == 0 {
        shorten_glue_imports(&build)?;
    }
    Ok(code)
}

/// Renames the imports wasm-bindgen's output module takes from its own JavaScript glue
/// (`./NAME_bg.js`) to short names, in `DIR/NAME_bg.wasm`'s import section and in `DIR/NAME.js`'s
/// import object (`__wbg_get_imports`, one `        name: function(…` line each). Every other
/// section is copied byte for byte. A name not found exactly once in the glue fails the build,
/// so a change in wasm-bindgen's output cannot leave an import unresolved at run time.
fn shorten_glue_imports(build: &Build) -> Result<(), Error> {
    let wasm_path = build.out_dir.join(format!("{}_bg.wasm", build.out_name));
    let js_path = build.out_dir.join(format!("{}.js", build.out_name));
    let glue = format!("./{}_bg.js", build.out_name);
    let (wasm, renamed) = rename_imports(&std::fs::read(&wasm_path)?, &glue)?;
    let js = std::fs::read_to_string(&js_path)?;
    let js = rename_glue_keys(&js, &renamed).map_err(|why| format!("{}: {why}", js_path.display()))?;
    std::fs::write(&wasm_path, wasm)?;
    std::fs::write(&js_path, js)?;
    Ok(())
}

/// `js` (wasm-bindgen's glue) with each renamed import's key in the import object renamed, in
/// one pass over its lines: a key is a line `        name: function(…`. Fails unless every
/// renamed import is defined exactly once.
fn rename_glue_keys(js: &str, renamed: &Renames) -> Result<String, String> {
    const INDENT: &str = "        ";
    let mut found: std::collections::HashMap<&str, (&str, usize)> =
        renamed.iter().map(|(old, new)| (old.as_str(), (new.as_str(), 0))).collect();
    let mut out = String::with_capacity(js.len());
    for line in js.split_inclusive('\n') {
        let key = line.strip_prefix(INDENT).and_then(|rest| rest.split_once(": function(")).map(|(key, _)| key);
        match key.and_then(|key| Some((key.len(), found.get_mut(key)?))) {
            Some((key_len, (new, count))) => {
                *count += 1;
                out.push_str(INDENT);
                out.push_str(new);
                out.push_str(&line[INDENT.len() + key_len..]);
            }
            None => out.push_str(line),
        }
    }
    for (old, _) in renamed {
        let count = found.get(old.as_str()).map_or(0, |(_, count)| *count);
        if count != 1 {
            return Err(format!("the import {old} is defined {count} times, expected once"));
        }
    }
    Ok(out)
}

/// The loader with its one `console.error(e);` (a split module's load failed) logging a
/// WebAssembly error (the module arrived but does not compile, link or start) as an error and
/// anything else (the fetch failed: offline, or stopped by a reload, which Firefox does to the
/// page's fetches before it unloads it) as a warning. The app tells the person either way
/// (`web::split_module::NotLoaded`); the console's errors are what the end-to-end tests fail on,
/// and since the Claim graph's preparation is fetched after every load, a reload soon after one
/// stopped its fetch. Fails unless the line is found exactly once.
fn warn_when_not_fetched(loader: &str) -> Result<String, String> {
    const LOGGED: &str = "console.error(e);";
    const SORTED: &str = "(e instanceof WebAssembly.CompileError || e instanceof WebAssembly.LinkError || \
                          e instanceof WebAssembly.RuntimeError ? console.error : console.warn)(e);";
    match loader.matches(LOGGED).count() {
        1 => Ok(loader.replacen(LOGGED, SORTED, 1)),
        count => Err(format!("the split loader logs a failed load {count} times, expected once (`{LOGGED}`)")),
    }
}

/// Imports renamed: (old name, new name), in the import section's order.
type Renames = Vec<(String, String)>;

/// `wasm` with its imports from module `glue` renamed to [`short_name`]s, in their order, and
/// the renames made (old name, new name).
fn rename_imports(wasm: &[u8], glue: &str) -> Result<(Vec<u8>, Renames), Error> {
    use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
    let mut module = wasm_encoder::Module::new();
    let mut renamed = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        let payload = payload?;
        if let wasmparser::Payload::ImportSection(reader) = &payload {
            let mut imports = wasm_encoder::ImportSection::new();
            for import in reader.clone().into_imports() {
                let import = import?;
                let ty = RoundtripReencoder.entity_type(import.ty)?;
                if import.module == glue {
                    let new = short_name(renamed.len());
                    imports.import(import.module, &new, ty);
                    renamed.push((import.name.to_string(), new));
                } else {
                    imports.import(import.module, import.name, ty);
                }
            }
            module.section(&imports);
        } else if let Some((id, range)) = payload.as_section() {
            let data = wasm.get(range.start as usize..range.end as usize).ok_or("a section past the module's end")?;
            module.section(&wasm_encoder::RawSection { id, data });
        }
    }
    Ok((module.finish(), renamed))
}

/// The `index`th of `a`…`z`, `A`…`Z`, `aa`, `ab`, …: valid JavaScript property names, none of
/// them `__proto__`.
fn short_name(index: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = String::new();
    let mut rest = index + 1;
    while rest > 0 {
        rest -= 1;
        name.insert(0, char::from(LETTERS[rest % LETTERS.len()]));
        rest /= LETTERS.len();
    }
    name
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A module importing two functions from the glue and one from elsewhere, with a custom
    /// section after them.
    fn module() -> Vec<u8> {
        let mut types = wasm_encoder::TypeSection::new();
        types.ty().function([], []);
        let mut imports = wasm_encoder::ImportSection::new();
        imports.import("./app_bg.js", "__wbg_lastChild_d03af7c29f69e2ad", wasm_encoder::EntityType::Function(0));
        imports.import("./snippets/x.js", "plain_item", wasm_encoder::EntityType::Function(0));
        imports.import("./app_bg.js", "__wbg_now_463ac581d2fc7ea3", wasm_encoder::EntityType::Function(0));
        let mut module = wasm_encoder::Module::new();
        module.section(&types).section(&imports);
        module.section(&wasm_encoder::CustomSection { name: "kept".into(), data: b"as it was"[..].into() });
        module.finish()
    }

    fn imports_of(wasm: &[u8]) -> Vec<(String, String)> {
        let mut found = Vec::new();
        for payload in wasmparser::Parser::new(0).parse_all(wasm) {
            if let Ok(wasmparser::Payload::ImportSection(reader)) = payload {
                for import in reader.into_imports().flatten() {
                    found.push((import.module.to_string(), import.name.to_string()));
                }
            }
        }
        found
    }

    #[test]
    fn only_the_glue_imports_are_renamed_and_every_other_byte_is_kept() {
        let (wasm, renamed) = rename_imports(&module(), "./app_bg.js").unwrap();
        assert_eq!(
            renamed,
            [
                ("__wbg_lastChild_d03af7c29f69e2ad".to_string(), "a".to_string()),
                ("__wbg_now_463ac581d2fc7ea3".to_string(), "b".to_string()),
            ]
        );
        let expected = [("./app_bg.js", "a"), ("./snippets/x.js", "plain_item"), ("./app_bg.js", "b")]
            .map(|(module, name)| (module.to_string(), name.to_string()));
        assert_eq!(imports_of(&wasm), expected);
        wasmparser::Validator::new().validate_all(&wasm).unwrap();
        assert!(wasm.windows(b"as it was".len()).any(|window| window == b"as it was"));
    }

    #[test]
    fn the_glue_keys_are_renamed_and_nothing_else() {
        let js = "function __wbg_get_imports() {\n    const import0 = {\n        __proto__: null,\n        __wbg_now_463ac581d2fc7ea3: function(arg0) {\n            return __wbg_now_463ac581d2fc7ea3_helper(arg0);\n        },\n    };\n}\n";
        let renamed = vec![("__wbg_now_463ac581d2fc7ea3".to_string(), "b".to_string())];
        let expected = js.replace("        __wbg_now_463ac581d2fc7ea3: function(", "        b: function(");
        assert_eq!(rename_glue_keys(js, &renamed).unwrap(), expected);
        let missing = vec![("__wbg_gone_0000000000000000".to_string(), "c".to_string())];
        assert_eq!(
            rename_glue_keys(js, &missing).unwrap_err(),
            "the import __wbg_gone_0000000000000000 is defined 0 times, expected once"
        );
        let twice = format!("{js}        __wbg_now_463ac581d2fc7ea3: function() {{}},\n");
        assert!(rename_glue_keys(&twice, &renamed).unwrap_err().contains("defined 2 times"));
    }

    #[test]
    fn short_names_count_through_one_then_two_letters() {
        let names: Vec<String> = (0..600).map(short_name).collect();
        assert_eq!((names[0].as_str(), names[25].as_str(), names[26].as_str()), ("a", "z", "A"));
        assert_eq!((names[51].as_str(), names[52].as_str(), names[53].as_str()), ("Z", "aa", "ab"));
        let distinct: std::collections::HashSet<&String> = names.iter().collect();
        assert_eq!(distinct.len(), names.len());
    }

    #[test]
    fn a_load_that_did_not_arrive_is_a_warning_and_a_broken_module_an_error() {
        let loader = "    try {\n        await callee();\n    } catch (e) {\n        console.error(e);\n        success = false;\n    }\n";
        let sorted = warn_when_not_fetched(loader).unwrap();
        assert!(!sorted.contains("console.error(e);"), "{sorted}");
        assert!(sorted.contains("e instanceof WebAssembly.LinkError"), "{sorted}");
        assert!(sorted.contains("? console.error : console.warn)(e);"), "{sorted}");
        assert!(sorted.contains("        success = false;"), "{sorted}");
        // A loader that changed shape fails the build rather than logging as before.
        assert!(warn_when_not_fetched("console.warn(e);").is_err());
        assert!(warn_when_not_fetched("console.error(e); console.error(e);").is_err());
    }
}
