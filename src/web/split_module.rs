//! Calling code that the app build fetches as a WebAssembly module of its own on first use.
//!
//! A `#[wasm_split(name, fallible)]` function (`wasm_split_helpers`) is a split point: with the
//! `lazy-views` feature, which only the app's Trunk link turns on, the build moves it and every
//! function only it reaches into `dist/wasm-split/split_<name>.wasm` (see `ui::lazy_view` for
//! the build step), and calling it fetches that module the first time. Without the feature (the
//! browser tests, the workers) it is a plain function. [`split_call!`] calls one either way.

use wasm_split_helpers::SplitLoaderError;

/// A module loaded on first use could not be fetched (offline, or the server is down).
#[derive(Clone, Copy, Debug)]
pub struct NotLoaded;

impl From<SplitLoaderError> for NotLoaded {
    fn from(_: SplitLoaderError) -> NotLoaded {
        NotLoaded
    }
}

impl NotLoaded {
    /// What to tell the person, naming what could not be loaded.
    pub fn message(what: &str) -> String {
        format!("{what} could not be loaded: the app's files did not arrive (offline, or the server is down). Your work is saved; nothing is lost.")
    }
}

/// Async work a split point hands back to run in its module (the future's code is the module's):
/// the main wasm holds only the call and the await.
pub type ModuleFuture<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T>>>;

/// Calls a split point: awaited with `lazy-views` (the call fetches its module the first time),
/// a plain call without.
macro_rules! split_call {
    ($split:ident($($arg:expr),*)) => {{
        #[cfg(feature = "lazy-views")]
        let result = $split($($arg),*).await;
        #[cfg(not(feature = "lazy-views"))]
        let result = $split($($arg),*);
        result
    }};
}
pub(crate) use split_call;
