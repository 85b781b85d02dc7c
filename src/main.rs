//! Mounts the app after installing the panic hook. Everything else lives in the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    crosscheck::web::panic::install();
    yew::Renderer::<crosscheck::ui::startup::Startup>::new().render();
    // A documented diagnostic: opening the app with #crosscheck-panic-test makes it fail on
    // purpose a moment after start, to check that the recovery overlay works in this browser.
    let hash = web_sys::window().and_then(|window| window.location().hash().ok()).unwrap_or_default();
    if hash == "#crosscheck-panic-test" {
        gloo::timers::callback::Timeout::new(300, || panic!("panic test requested with #crosscheck-panic-test"))
            .forget();
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Crosscheck is a web app: build it with `make build` or serve it with `make serve`.");
}
