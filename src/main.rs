//! Mounts the app after installing the panic hook. Everything else lives in the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    crosscheck::web::panic::install();
    crosscheck::web::strings::intern_common();
    yew::Renderer::<crosscheck::ui::boot::Startup>::new().render();
    // `#crosscheck-panic-test` (see `web::panic::run_requested_panic_test`) fails on purpose once
    // start-up has read the stored project.
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Crosscheck is a web app: build it with `make build` or serve it with `make serve`.");
}
