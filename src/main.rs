//! Mounts the app. Everything else lives in the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<crosscheck::ui::app::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Crosscheck is a web app: build it with `make build` or serve it with `make serve`.");
}
