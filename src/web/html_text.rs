//! Article text out of an HTML file, with the browser's own `DOMParser`.
//!
//! The parsed document is inert (scripts in it never run, images never load) and nothing of it
//! is ever inserted into the page: only `textContent` strings come out. The article is the first
//! `<article>`, else `<main>`, else `<body>`; its text is the text of its paragraphs, headings,
//! list items, quotes and preformatted blocks, one per paragraph.

use wasm_bindgen::JsCast;
use web_sys::{DomParser, Element, SupportedType};

use crate::domain::article::Article;
use crate::formats::import_plan::{FileOutcome, Incoming};

/// Extracts the article of the web page `bytes` saved as `file_name`.
pub async fn import_web_page(file_name: &str, bytes: &[u8]) -> FileOutcome {
    let Ok(html) = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) else {
        return FileOutcome::failed(file_name, "the file is not UTF-8 text".to_string());
    };
    match extract_article(&crate::formats::upload::defuse_event_handlers(html)) {
        Some((title, text)) => {
            FileOutcome::ok(file_name, Incoming::Articles(vec![Article::new(&text, &title, file_name)]))
        }
        None => FileOutcome::failed(file_name, "no article text found in this HTML".to_string()),
    }
}

/// Block elements whose text becomes a paragraph.
const BLOCKS: &str = "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, figcaption, dd, dt";

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `(title, text)` of the article in `html`, or `None` when it has no text.
pub fn extract_article(html: &str) -> Option<(String, String)> {
    let parser = DomParser::new().ok()?;
    let document = parser.parse_from_string(html, SupportedType::TextHtml).ok()?;
    let root: Element = document
        .query_selector("article")
        .ok()
        .flatten()
        .or_else(|| document.query_selector("main").ok().flatten())
        .or_else(|| document.body().map(|body| body.unchecked_into()))?;
    // Script, style and template text is code, not article.
    if let Ok(noise) = root.query_selector_all("script, style, noscript, template, nav, aside, footer, form") {
        for index in 0..noise.length() {
            if let Some(node) = noise.item(index).and_then(|node| node.dyn_into::<Element>().ok()) {
                node.remove();
            }
        }
    }
    let mut paragraphs = Vec::new();
    if let Ok(blocks) = root.query_selector_all(BLOCKS) {
        for index in 0..blocks.length() {
            let Some(block) = blocks.item(index).and_then(|node| node.dyn_into::<Element>().ok()) else { continue };
            // A block holding other blocks (a quote of paragraphs) is read through its children.
            if block.query_selector(BLOCKS).ok().flatten().is_some() {
                continue;
            }
            let text = collapse_whitespace(&block.text_content().unwrap_or_default());
            if !text.is_empty() {
                paragraphs.push(text);
            }
        }
    }
    if paragraphs.is_empty() {
        let text = root.text_content().unwrap_or_default();
        paragraphs = text.lines().map(collapse_whitespace).filter(|line| !line.is_empty()).collect();
    }
    if paragraphs.is_empty() {
        return None;
    }
    let heading = root
        .query_selector("h1")
        .ok()
        .flatten()
        .and_then(|heading| heading.text_content())
        .map(|text| collapse_whitespace(&text))
        .filter(|text| !text.is_empty());
    let title = heading.unwrap_or_else(|| collapse_whitespace(&document.title()));
    Some((title, paragraphs.join("\n\n")))
}
