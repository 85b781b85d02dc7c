//! Saved web pages before and after their article is extracted: the page's bytes and declared
//! charset out of an `.html` file or an `.mhtml` archive, and an [`Article`] out of what the
//! extractor found.
//!
//! Extraction itself runs in the browser (`web::html_text`, Mozilla Readability on the inert
//! document `DOMParser` gives); everything around it is here, pure and tested natively.
//!
//! - **Charset**: a byte-order mark wins; else `<meta charset>` or `<meta http-equiv=Content-Type>`
//!   in the first 1024 bytes (as browsers do); else the MHTML part's `charset=`; else UTF-8. The
//!   label is handed to the browser's `TextDecoder`, which knows every WHATWG encoding.
//! - **MHTML** (Chrome's "Save page as → Webpage, single file"): a MIME multipart document; the
//!   page is the first `text/html` part, decoded from quoted-printable or base64, and its
//!   `Content-Location` is the page's address.

use crate::domain::article::{Article, ArticleMetadata, TextDirection};
use crate::formats::FormatError;

/// A web page ready to decode and extract.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebPage {
    pub bytes: Vec<u8>,
    /// The WHATWG encoding label to decode `bytes` with ("utf-8" when nothing is declared).
    pub charset: String,
    /// The page's own address when the file records it (MHTML `Content-Location`), else "".
    pub base_url: String,
}

impl WebPage {
    /// An `.html` / `.htm` file as saved.
    pub fn from_html(bytes: &[u8]) -> WebPage {
        WebPage {
            bytes: bytes.to_vec(),
            charset: sniff_charset(bytes).unwrap_or("utf-8").to_string(),
            base_url: String::new(),
        }
    }
}

/// The charset a page declares: its byte-order mark, else a `<meta>` in its first 1024 bytes.
pub fn sniff_charset(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return Some("utf-8");
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return Some("utf-16le");
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Some("utf-16be");
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(at) = rest.find("<meta") {
        rest = &rest[at + 5..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(label) = charset_in(tag) {
            return Some(label);
        }
    }
    None
}

/// The encoding named by `charset=` inside `text` (a meta tag or a MIME header), if supported.
fn charset_in(text: &str) -> Option<&'static str> {
    let lower = text.to_ascii_lowercase();
    let at = lower.find("charset")?;
    let value = lower[at + 7..].trim_start().strip_prefix('=')?.trim_start();
    let value = value.trim_start_matches(['"', '\'']);
    let end =
        value.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))).unwrap_or(value.len());
    canonical_label(&value[..end])
}

/// The labels the importer passes to `TextDecoder`: the encodings news sites use, by any of
/// their common names. Unknown labels fall back to UTF-8 (the caller decides).
fn canonical_label(label: &str) -> Option<&'static str> {
    Some(match label.trim() {
        "utf-8" | "utf8" | "unicode-1-1-utf-8" => "utf-8",
        "windows-1252" | "cp1252" | "x-cp1252" | "iso-8859-1" | "latin1" | "iso8859-1" | "l1" | "ascii"
        | "us-ascii" => "windows-1252",
        "iso-8859-2" | "latin2" => "iso-8859-2",
        "iso-8859-5" => "iso-8859-5",
        "iso-8859-7" | "greek" => "iso-8859-7",
        "iso-8859-8" | "hebrew" => "iso-8859-8",
        "iso-8859-9" | "latin5" => "windows-1254",
        "iso-8859-15" | "latin9" => "iso-8859-15",
        "windows-1250" | "cp1250" => "windows-1250",
        "windows-1251" | "cp1251" => "windows-1251",
        "windows-1253" => "windows-1253",
        "windows-1254" => "windows-1254",
        "windows-1255" => "windows-1255",
        "windows-1256" | "cp1256" => "windows-1256",
        "windows-1257" => "windows-1257",
        "koi8-r" => "koi8-r",
        "koi8-u" => "koi8-u",
        "shift_jis" | "shift-jis" | "sjis" | "x-sjis" | "ms_kanji" | "windows-31j" => "shift_jis",
        "euc-jp" => "euc-jp",
        "iso-2022-jp" => "iso-2022-jp",
        "euc-kr" | "ks_c_5601-1987" => "euc-kr",
        "gb2312" | "gbk" | "gb_2312-80" | "x-gbk" => "gbk",
        "gb18030" => "gb18030",
        "big5" | "big5-hkscs" => "big5",
        "utf-16" | "utf-16le" => "utf-16le",
        "utf-16be" => "utf-16be",
        _ => return None,
    })
}

/// The page inside an MHTML archive (see the module docs).
pub fn page_from_mhtml(bytes: &[u8]) -> Result<WebPage, FormatError> {
    let text = String::from_utf8_lossy(bytes);
    let (headers, body) = split_headers(&text);
    let boundary = header_parameter(&header(headers, "content-type"), "boundary")
        .ok_or_else(|| FormatError::at("", "this MHTML file has no multipart boundary (is it a saved web page?)"))?;
    let delimiter = format!("--{boundary}");
    for part in body.split(delimiter.as_str()).skip(1) {
        if part.starts_with("--") {
            break;
        }
        let (part_headers, content) = split_headers(part.trim_start_matches(['\r', '\n']));
        let content_type = header(part_headers, "content-type");
        if !content_type.to_ascii_lowercase().starts_with("text/html") {
            continue;
        }
        let encoding = header(part_headers, "content-transfer-encoding").to_ascii_lowercase();
        let decoded = match encoding.trim() {
            "quoted-printable" => decode_quoted_printable(content),
            "base64" => decode_base64(content)
                .ok_or_else(|| FormatError::at("", "the page inside this MHTML file is not valid base64"))?,
            _ => content.as_bytes().to_vec(),
        };
        let charset = sniff_charset(&decoded).or_else(|| charset_in(&content_type)).unwrap_or("utf-8");
        let base_url = header(part_headers, "content-location").trim().to_string();
        return Ok(WebPage { bytes: decoded, charset: charset.to_string(), base_url });
    }
    Err(FormatError::at("", "this MHTML file holds no HTML page"))
}

/// `(headers, body)` of a MIME entity: the body starts after the first blank line.
fn split_headers(text: &str) -> (&str, &str) {
    for separator in ["\r\n\r\n", "\n\n"] {
        if let Some(at) = text.find(separator) {
            return (&text[..at], &text[at + separator.len()..]);
        }
    }
    (text, "")
}

/// The value of header `name` (case-insensitive), with folded lines joined.
fn header(headers: &str, name: &str) -> String {
    let mut value: Option<String> = None;
    for line in headers.lines() {
        if let Some(current) = value.as_mut() {
            if line.starts_with([' ', '\t']) {
                current.push(' ');
                current.push_str(line.trim());
                continue;
            }
            break;
        }
        if let Some((key, rest)) = line.split_once(':') {
            if key.trim().eq_ignore_ascii_case(name) {
                value = Some(rest.trim().to_string());
            }
        }
    }
    value.unwrap_or_default()
}

/// A `key=value` parameter of a header value, quotes removed.
fn header_parameter(value: &str, key: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|parameter| {
        let (name, raw) = parameter.split_once('=')?;
        name.trim().eq_ignore_ascii_case(key).then(|| raw.trim().trim_matches('"').to_string())
    })
}

fn decode_quoted_printable(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'=' if bytes.get(index + 1) == Some(&b'\r') && bytes.get(index + 2) == Some(&b'\n') => index += 3,
            b'=' if bytes.get(index + 1) == Some(&b'\n') => index += 2,
            b'=' => {
                let hex = bytes.get(index + 1..index + 3).and_then(|pair| std::str::from_utf8(pair).ok());
                match hex.and_then(|pair| u8::from_str_radix(pair, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        index += 3;
                    }
                    None => {
                        out.push(b'=');
                        index += 1;
                    }
                }
            }
            byte => {
                out.push(byte);
                index += 1;
            }
        }
    }
    out
}

fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            b'\r' | b'\n' | b' ' | b'\t' => continue,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

/// What the extractor found in a page (all strings as the page gave them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extracted {
    pub title: String,
    /// The article's paragraphs, one per line (blank lines between them are fine).
    pub text: String,
    pub authors: Vec<String>,
    pub site_name: String,
    pub published: String,
    pub modified: String,
    pub canonical_url: String,
    pub language: String,
    pub direction: String,
    pub description: String,
}

/// The article of an extracted page saved as `file_name` (`base_url`: the address the file
/// records, used when the page states no canonical URL).
pub fn article_from_extracted(file_name: &str, base_url: &str, extracted: &Extracted) -> Article {
    let mut article = Article::new(&extracted.text, &extracted.title, file_name);
    let mut authors: Vec<String> = Vec::new();
    for author in extracted.authors.iter().flat_map(|byline| ArticleMetadata::authors_from_byline(byline)) {
        if !authors.contains(&author) {
            authors.push(author);
        }
    }
    article.url =
        if extracted.canonical_url.is_empty() { base_url.trim().to_string() } else { extracted.canonical_url.clone() };
    article.published = extracted.published.trim().to_string();
    article.metadata = ArticleMetadata {
        authors,
        site_name: extracted.site_name.trim().to_string(),
        modified: extracted.modified.trim().to_string(),
        canonical_url: extracted.canonical_url.trim().to_string(),
        language: extracted.language.trim().to_string(),
        direction: TextDirection::parse(&extracted.direction),
        description: extracted.description.trim().to_string(),
    };
    article
}

#[cfg(test)]
#[path = "web_page_tests.rs"]
mod tests;
