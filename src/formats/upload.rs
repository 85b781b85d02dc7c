//! What an imported file is, decided before anything is parsed: size, binary or text, and kind.
//!
//! The size limit is 10 MiB per file: the browser keeps a project in `localStorage`, whose quota
//! is about 5 MiB for the whole origin, so a larger file could never be saved and would only
//! freeze the tab while it was parsed. The limit is checked against the size the browser reports,
//! before the file is read.

use serde_json::Value;

use crate::formats::FormatError;

pub const MAX_IMPORT_BYTES: u64 = 10 * 1024 * 1024;

/// How an accepted file is imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `.txt`, `.md`, `.json` or `.jsonl` articles (`formats::corpus`).
    Corpus,
    /// `.html` / `.htm`: the article text is extracted in the browser.
    Html,
    /// `.mhtml` / `.mht`: a web page saved as one file ("Webpage, single file").
    Mhtml,
    /// A Crosscheck project export (`formats::project_json`).
    Project,
    /// W3C Web Annotation JSON (`formats::w3c`).
    W3c,
}

fn extension(file_name: &str) -> String {
    file_name.rsplit_once('.').map(|(_, extension)| extension.to_ascii_lowercase()).unwrap_or_default()
}

/// Refuses files over [`MAX_IMPORT_BYTES`] and empty files, from the reported size alone.
pub fn check_size(file_name: &str, size: u64) -> Result<(), FormatError> {
    if size == 0 {
        return Err(FormatError::at("", "the file is empty").in_file(file_name));
    }
    if size > MAX_IMPORT_BYTES {
        let megabytes = size as f64 / (1024.0 * 1024.0);
        return Err(FormatError::at(
            "",
            &format!(
                "the file is {megabytes:.1} MiB; the limit is 10 MiB, because browser storage holds about 5 MiB in all. Split it into smaller files."
            ),
        )
        .in_file(file_name));
    }
    Ok(())
}

/// Names a binary format from its first bytes, or says "binary" when the start holds NUL bytes.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 8] = [
        (b"%PDF", "a PDF"),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"PK\x03\x04", "a ZIP archive (or a Word/Excel document)"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"\xD0\xCF\x11\xE0", "an old Office document"),
        (b"\x7FELF", "a program"),
    ];
    if let Some((_, name)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Some(name);
    }
    bytes.iter().take(8192).any(|&byte| byte == 0).then_some("a binary file")
}

/// Decides how to import `bytes`, refusing binary files and unknown extensions.
pub fn classify(file_name: &str, bytes: &[u8]) -> Result<FileKind, FormatError> {
    let fail = |message: String| Err(FormatError::at("", &message).in_file(file_name));
    if bytes.is_empty() {
        return fail("the file is empty".to_string());
    }
    if let Some(kind) = binary_kind(bytes) {
        return fail(format!(
            "this is {kind}, not text; Crosscheck imports .txt, .md, .html, .mhtml, .json and .jsonl files"
        ));
    }
    match extension(file_name).as_str() {
        "txt" | "text" | "md" | "markdown" | "jsonl" | "ndjson" => Ok(FileKind::Corpus),
        "html" | "htm" | "xhtml" => Ok(FileKind::Html),
        "mhtml" | "mht" => Ok(FileKind::Mhtml),
        "json" => Ok(classify_json(bytes)),
        "" => fail("the file has no extension; name it .txt, .md, .html, .json or .jsonl".to_string()),
        other => fail(format!(
            "\".{other}\" files cannot be imported; Crosscheck imports .txt, .md, .html, .mhtml, .json and .jsonl"
        )),
    }
}

/// A `.json` file is a project export (or a recovery file), W3C annotations, or a corpus. Undecodable JSON is left
/// to the corpus parser, which reports the line.
fn classify_json(bytes: &[u8]) -> FileKind {
    let Ok(value) = serde_json::from_slice::<Value>(bytes) else { return FileKind::Corpus };
    if value.get("format").and_then(Value::as_str) == Some(crate::formats::project_json::FORMAT_NAME)
        || value.get("schema_version").is_some()
        || crate::formats::stored::recovery::is_recovery(&value)
    {
        return FileKind::Project;
    }
    let is_annotation_like = |value: &Value| {
        let kind = value.get("type").and_then(Value::as_str).unwrap_or("");
        matches!(kind, "Annotation" | "AnnotationCollection" | "AnnotationPage")
            || value.get("@context").is_some()
            || value.get("target").is_some()
    };
    let w3c = match &value {
        Value::Array(items) => items.first().is_some_and(is_annotation_like),
        other => is_annotation_like(other),
    };
    if w3c {
        FileKind::W3c
    } else {
        FileKind::Corpus
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_binaries_are_refused_with_the_file_name() {
        assert!(check_size("a.txt", 1).is_ok());
        let error = check_size("huge.txt", 50 * 1024 * 1024).unwrap_err();
        assert_eq!(error.file.as_deref(), Some("huge.txt"));
        assert!(error.to_string().contains("50.0 MiB"), "{error}");
        assert!(check_size("empty.txt", 0).unwrap_err().to_string().contains("empty"));
        assert!(classify("x.txt", b"%PDF-1.7 ...").unwrap_err().to_string().contains("PDF"));
        assert!(classify("x.txt", b"abc\0def").unwrap_err().to_string().contains("binary"));
        assert!(classify("x.docx", b"hello").unwrap_err().to_string().contains(".docx"));
    }

    #[test]
    fn json_files_are_told_apart() {
        assert_eq!(
            classify("p.json", br#"{"schema_version":1,"format":"crosscheck-project"}"#).unwrap(),
            FileKind::Project
        );
        assert_eq!(
            classify("w.json", br#"{"@context":"http://www.w3.org/ns/anno.jsonld","type":"AnnotationCollection"}"#)
                .unwrap(),
            FileKind::W3c
        );
        assert_eq!(classify("w.json", br#"[{"type":"Annotation","target":"x"}]"#).unwrap(), FileKind::W3c);
        assert_eq!(classify("c.json", br#"[{"text":"An article."}]"#).unwrap(), FileKind::Corpus);
        assert_eq!(classify("bad.json", b"{oops").unwrap(), FileKind::Corpus);
        assert_eq!(classify("a.HTML", b"<p>x</p>").unwrap(), FileKind::Html);
        assert_eq!(classify("page.mhtml", b"From: <Saved by Blink>").unwrap(), FileKind::Mhtml);
    }
}

/// Renames every `on…=` attribute inside HTML tags to `data-defused-on…=` before the browser
/// parses an imported file. The parsed document is never shown and its scripts never run, but
/// Chromium still tries to fire an `<img onerror>` in it (which the Content-Security-Policy then
/// blocks with a console error); after this no handler exists to try.
pub fn defuse_event_handlers(html: &str) -> String {
    // Every byte that matters is ASCII, so the scan is over bytes and the text between two
    // insertions is copied whole (a 1.5 MB page in a few milliseconds).
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() + 64);
    let mut copied = 0;
    let mut in_tag = false;
    let mut quote: Option<u8> = None;
    for (index, &byte) in bytes.iter().enumerate() {
        match (in_tag, quote, byte) {
            (false, _, b'<') => in_tag = true,
            (true, None, b'>') => in_tag = false,
            (true, None, b'"' | b'\'') => quote = Some(byte),
            (true, Some(open), _) if byte == open => quote = None,
            (true, None, b'o' | b'O') if follows_space_or_slash(html, index) => {
                // Bytes, not `str` slices: the character after the `o` may be multi-byte.
                let rest = &bytes[index..];
                if rest.len() > 2 && rest[..2].eq_ignore_ascii_case(b"on") && rest[2].is_ascii_alphabetic() {
                    out.push_str(&html[copied..index]);
                    out.push_str("data-defused-");
                    copied = index;
                }
            }
            _ => {}
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// Whether the character before byte `index` of `html` is white space (any Unicode space) or
/// `/`; true at the start.
fn follows_space_or_slash(html: &str, index: usize) -> bool {
    html[..index].chars().next_back().is_none_or(|previous| previous.is_whitespace() || previous == '/')
}

#[cfg(test)]
mod defuse_tests {
    use super::defuse_event_handlers;

    #[test]
    fn handlers_are_renamed_and_text_is_untouched() {
        let html = r#"<p>Online one said "onerror=x"</p><img src=x onerror="alert(1)" ONLOAD='y'><a title="a onclick=b">on</a>"#;
        let defused = defuse_event_handlers(html);
        assert_eq!(
            defused,
            r#"<p>Online one said "onerror=x"</p><img src=x data-defused-onerror="alert(1)" data-defused-ONLOAD='y'><a title="a onclick=b">on</a>"#
        );
    }

    #[test]
    fn handlers_after_any_space_or_a_slash_are_renamed_and_multibyte_text_is_kept() {
        let html = "<img\u{a0}onload=x/onerror=y\u{3000}ONCLICK=z é=1 oné=2>é<b\tonmouseover=w>\u{1F600}</b>";
        assert_eq!(
            defuse_event_handlers(html),
            "<img\u{a0}data-defused-onload=x/data-defused-onerror=y\u{3000}data-defused-ONCLICK=z é=1 oné=2>é<b\tdata-defused-onmouseover=w>\u{1F600}</b>"
        );
    }
}
