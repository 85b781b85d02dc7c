//! Build script: keeps the app's link relocations for the `wasm-split` step.
//!
//! `tools/split-bindgen` (run by Trunk in place of `wasm-bindgen`) splits the app's wasm at the
//! `#[wasm_split]` points of `ui::lazy_view`; it finds which function refers to which from the
//! linker's relocations, which only `--emit-relocs` keeps. Only the app's own binary on wasm32
//! gets the flag: the workers and the native builds link as before.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo::rustc-link-arg-bin=crosscheck=--emit-relocs");
    }
}
