//! Reading files the user picked or dropped, as bytes, with their names and sizes.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A picked or dropped file, not yet read.
#[derive(Clone)]
pub struct PickedFile {
    pub name: String,
    pub size: u64,
    file: web_sys::File,
}

impl PickedFile {
    /// Reads the whole file. Errors are messages a person can act on.
    pub async fn read(&self) -> Result<Vec<u8>, String> {
        let buffer = JsFuture::from(self.file.array_buffer())
            .await
            .map_err(|error| format!("{}: the browser could not read the file ({error:?})", self.name))?;
        Ok(js_sys::Uint8Array::new(&buffer).to_vec())
    }
}

/// The files of a file list (from an `<input type=file>` or a drop).
pub fn picked_files(list: Option<web_sys::FileList>) -> Vec<PickedFile> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length())
        .filter_map(|index| list.get(index))
        .map(|file| PickedFile { name: file.name(), size: file.size() as u64, file })
        .collect()
}

/// The files an `<input type=file>` change event carries; the input is cleared so picking the
/// same file again fires again.
pub fn files_from_input(event: &web_sys::Event) -> Vec<PickedFile> {
    let Some(input) = event.target().and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
        return Vec::new();
    };
    let files = picked_files(input.files());
    input.set_value("");
    files
}
