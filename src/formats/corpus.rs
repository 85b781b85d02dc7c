//! Corpus import: article files into [`Article`]s.
//!
//! | extension | content |
//! | --- | --- |
//! | `.txt`, `.text` | one article: the whole file; title derived from the text |
//! | `.md`, `.markdown` | one article, kept as text (Markdown is not rendered); title derived, without leading `#`s |
//! | `.json` | an array of article objects, or an object whose `articles` is such an array |
//! | `.jsonl`, `.ndjson` | one article object per line; blank lines are skipped |
//!
//! An article object is `{"text": "…", "title"?, "source"?, "url"?, "published"?, "id"?}`, plus
//! the optional metadata a JSONL export writes (`authors`, `site_name`, `modified`,
//! `canonical_url`, `language`, `direction`, `description`):
//! `text` is required and must not be blank; the others are strings (or `null`). `source`
//! defaults to the file name, an empty `title` is derived from the text. Other keys are ignored,
//! so a Crosscheck JSONL export reads back as its articles. **`id` is ignored**: an article's id
//! is the hash of its text ([`crate::domain::article::ArticleId::for_text`]), so the same text
//! always gets the same id whatever the file says.
//!
//! Line endings are normalised to LF and a UTF-8 byte-order mark is dropped. Parsing is atomic:
//! the first problem — not UTF-8, bad JSON, a missing or blank `text`, a field of the wrong
//! type, two articles with the same text — fails the whole file with its line and field, and
//! no article is returned.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::domain::article::{Article, ArticleId, ArticleMetadata, TextDirection};
use crate::formats::common::{json_line, JsonStep};
use crate::formats::FormatError;

/// The file extensions [`parse_corpus_file`] reads, for a file picker's `accept` attribute.
pub const ACCEPT: &str = ".txt,.text,.md,.markdown,.json,.jsonl,.ndjson";

/// Parses one corpus file (see the module docs). Errors name `file_name`.
pub fn parse_corpus_file(file_name: &str, bytes: &[u8]) -> Result<Vec<Article>, FormatError> {
    parse(file_name, bytes).map_err(|error| error.in_file(file_name))
}

fn parse(file_name: &str, bytes: &[u8]) -> Result<Vec<Article>, FormatError> {
    let extension = file_name.rsplit_once('.').map(|(_, extension)| extension.to_ascii_lowercase()).unwrap_or_default();
    let text = decode_utf8(bytes)?;
    match extension.as_str() {
        "txt" | "text" => Ok(vec![plain_article(text, file_name, false)?]),
        "md" | "markdown" => Ok(vec![plain_article(text, file_name, true)?]),
        "json" => parse_json(text, file_name),
        "jsonl" | "ndjson" => parse_jsonl(text, file_name),
        _ => {
            Err(FormatError::at("", &format!("unsupported file type \".{extension}\"; use .txt, .md, .json or .jsonl")))
        }
    }
}

fn decode_utf8(bytes: &[u8]) -> Result<&str, FormatError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|error| {
        let valid = bytes.get(..error.valid_up_to()).unwrap_or_default();
        let line = valid.iter().filter(|&&byte| byte == b'\n').count() + 1;
        FormatError::at_line(line, "", "the file is not UTF-8 text (save it as UTF-8 and try again)")
    })
}

fn plain_article(text: &str, file_name: &str, markdown: bool) -> Result<Article, FormatError> {
    if text.trim().is_empty() {
        return Err(FormatError::at("", "the file is empty"));
    }
    let mut article = Article::new(text, "", file_name);
    if markdown {
        let heading = article.title.trim_start_matches('#').trim();
        if !heading.is_empty() {
            article.title = heading.to_string();
        }
    }
    Ok(article)
}

/// Reads one article object; errors are `(field, message)` relative to the object.
fn article_from_value(value: &Value, file_name: &str) -> Result<Article, (String, String)> {
    let Some(object) = value.as_object() else {
        return Err((String::new(), "must be an object with a \"text\"".to_string()));
    };
    let optional = |key: &str| -> Result<&str, (String, String)> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(""),
            Some(Value::String(value)) => Ok(value.as_str()),
            Some(_) => Err((key.to_string(), "must be a string".to_string())),
        }
    };
    let text = match object.get("text") {
        Some(Value::String(text)) => text,
        Some(_) => return Err(("text".to_string(), "must be a string".to_string())),
        None => return Err(("text".to_string(), "is missing".to_string())),
    };
    if text.trim().is_empty() {
        return Err(("text".to_string(), "is empty".to_string()));
    }
    let title = optional("title")?;
    let source = optional("source")?;
    let url = optional("url")?;
    let published = optional("published")?;
    let mut article = Article::new(text, title, if source.is_empty() { file_name } else { source });
    article.url = url.to_string();
    article.published = published.to_string();
    article.metadata = metadata_from_object(object)?;
    Ok(article)
}

/// The optional metadata keys of an article object, as a Crosscheck JSONL export writes them:
/// `authors` (an array of strings, or a byline string), `site_name`, `modified`,
/// `canonical_url`, `language`, `direction` (`ltr`/`rtl`) and `description`.
fn metadata_from_object(object: &serde_json::Map<String, Value>) -> Result<ArticleMetadata, (String, String)> {
    let optional = |key: &str| -> Result<String, (String, String)> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(value)) => Ok(value.trim().to_string()),
            Some(_) => Err((key.to_string(), "must be a string".to_string())),
        }
    };
    let authors = match object.get("authors") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(byline)) => ArticleMetadata::authors_from_byline(byline),
        Some(Value::Array(names)) => {
            let mut authors = Vec::new();
            for (index, name) in names.iter().enumerate() {
                match name.as_str() {
                    Some(name) if !name.trim().is_empty() => authors.push(name.trim().to_string()),
                    Some(_) => {}
                    None => return Err((format!("authors[{index}]"), "must be a string".to_string())),
                }
            }
            authors
        }
        Some(_) => return Err(("authors".to_string(), "must be an array of names or a byline".to_string())),
    };
    Ok(ArticleMetadata {
        authors,
        site_name: optional("site_name")?,
        modified: optional("modified")?,
        canonical_url: optional("canonical_url")?,
        language: optional("language")?,
        direction: TextDirection::parse(&optional("direction")?),
        description: optional("description")?,
    })
}

fn join_field(prefix: &str, field: &str) -> String {
    match (prefix.is_empty(), field.is_empty()) {
        (_, true) => prefix.to_string(),
        (true, false) => field.to_string(),
        (false, false) => format!("{prefix}.{field}"),
    }
}

fn parse_json(text: &str, file_name: &str) -> Result<Vec<Article>, FormatError> {
    let root: Value = serde_json::from_str(text).map_err(FormatError::from_json_error)?;
    let (items, prefix) = match &root {
        Value::Array(items) => (items, ""),
        Value::Object(object) => {
            if object.get("format").and_then(Value::as_str) == Some(crate::formats::project_json::FORMAT_NAME) {
                return Err(FormatError::at(
                    "format",
                    "this is a Crosscheck project file; open it as a project instead",
                ));
            }
            match object.get("articles") {
                Some(Value::Array(items)) => (items, "articles"),
                Some(_) => return Err(FormatError::at("articles", "must be an array of articles")),
                None => {
                    return Err(FormatError::at(
                        "",
                        "expected an array of articles or an object with an \"articles\" array",
                    ))
                }
            }
        }
        _ => return Err(FormatError::at("", "expected an array of articles or an object with an \"articles\" array")),
    };
    if items.is_empty() {
        return Err(FormatError::at(prefix, "contains no articles"));
    }
    let line_of = |index: usize| {
        let mut path = Vec::new();
        if !prefix.is_empty() {
            path.push(JsonStep::Key(prefix.to_string()));
        }
        path.push(JsonStep::Index(index));
        json_line(text, &path)
    };
    let mut articles = Vec::with_capacity(items.len());
    let mut seen: BTreeMap<ArticleId, usize> = BTreeMap::new();
    for (index, item) in items.iter().enumerate() {
        let path = format!("{prefix}[{index}]");
        let located = |field: &str, message: &str| {
            let error = FormatError::at(&join_field(&path, field), message);
            match line_of(index) {
                Some(line) => FormatError { line: Some(line), ..error },
                None => error,
            }
        };
        let article = article_from_value(item, file_name).map_err(|(field, message)| located(&field, &message))?;
        if let Some(first) = seen.insert(article.id.clone(), index) {
            return Err(located("text", &format!("is the same text as {prefix}[{first}]")));
        }
        articles.push(article);
    }
    Ok(articles)
}

fn parse_jsonl(text: &str, file_name: &str) -> Result<Vec<Article>, FormatError> {
    let mut articles = Vec::new();
    let mut seen: BTreeMap<ArticleId, usize> = BTreeMap::new();
    for (index, line) in text.split('\n').enumerate() {
        let number = index + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(line).map_err(|error| {
            let located = FormatError::from_json_error(error);
            FormatError { line: Some(number), ..located }
        })?;
        let article = article_from_value(&value, file_name)
            .map_err(|(field, message)| FormatError::at_line(number, &field, &message))?;
        if let Some(first) = seen.insert(article.id.clone(), number) {
            return Err(FormatError::at_line(number, "text", &format!("is the same text as line {first}")));
        }
        articles.push(article);
    }
    if articles.is_empty() {
        return Err(FormatError::at("", "the file has no articles (every line is blank)"));
    }
    Ok(articles)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_markdown_files_are_one_article() {
        let articles = parse_corpus_file("story.md", b"\xEF\xBB\xBF# Big news\r\n\r\nBody.").unwrap();
        assert_eq!(articles.len(), 1);
        assert_eq!(articles[0].title, "Big news");
        assert_eq!(&*articles[0].text, "# Big news\n\nBody.");
        assert_eq!(articles[0].source, "story.md");
        assert!(parse_corpus_file("empty.txt", b" \n ").is_err());
        let error = parse_corpus_file("bad.txt", b"ok\nok\n\xff").unwrap_err();
        assert_eq!((error.file.as_deref(), error.line), (Some("bad.txt"), Some(3)));
        assert!(parse_corpus_file("x.pdf", b"%PDF").is_err());
    }

    #[test]
    fn json_arrays_and_objects_with_line_numbers() {
        let json = "[\n {\"text\": \"One.\", \"title\": \"T\", \"url\": \"https://x\", \"id\": 7},\n {\"text\": \"Two.\", \"published\": \"2024-03-25\"}\n]";
        let articles = parse_corpus_file("c.json", json.as_bytes()).unwrap();
        assert_eq!(articles.len(), 2);
        assert_eq!((articles[0].title.as_str(), articles[0].url.as_str()), ("T", "https://x"));
        assert_eq!(articles[1].published, "2024-03-25");
        assert_eq!(articles[1].id, ArticleId::for_text("Two."));
        let wrapped =
            "{\"meta\": {\"a\": [1, \"]\"]},\n\"articles\": [\n{\"text\": \"A\"},\n{\"text\": \"B\", \"title\": 5}]}";
        let error = parse_corpus_file("w.json", wrapped.as_bytes()).unwrap_err();
        assert_eq!(error.line, Some(4));
        assert_eq!(error.field, "articles[1].title");
        assert_eq!(error.to_string(), "w.json: line 4: articles[1].title: must be a string");
        let duplicate = "[{\"text\": \"A\"},\n {\"text\": \"A\"}]";
        let error = parse_corpus_file("d.json", duplicate.as_bytes()).unwrap_err();
        assert_eq!((error.line, error.field.as_str()), (Some(2), "[1].text"));
        assert!(parse_corpus_file("e.json", b"[]").is_err());
        assert!(parse_corpus_file("e.json", b"{\"format\":\"crosscheck-project\"}").is_err());
        assert!(parse_corpus_file("e.json", b"[{\"text\": \"  \"}]").is_err());
    }

    #[test]
    fn jsonl_is_atomic_and_names_the_line() {
        let good = "{\"text\": \"One.\"}\n\n{\"text\": \"Two.\", \"source\": \"wire\"}\r\n";
        let articles = parse_corpus_file("c.jsonl", good.as_bytes()).unwrap();
        assert_eq!(articles.len(), 2);
        assert_eq!(articles[0].source, "c.jsonl");
        assert_eq!(articles[1].source, "wire");
        let bad = "{\"text\": \"One.\"}\n{\"title\": \"no text\"}\n";
        let error = parse_corpus_file("c.jsonl", bad.as_bytes()).unwrap_err();
        assert_eq!(error.to_string(), "c.jsonl: line 2: text: is missing");
        let broken = "{\"text\": \"One.\"}\n\n{\"text\": \"Tw";
        assert_eq!(parse_corpus_file("c.jsonl", broken.as_bytes()).unwrap_err().line, Some(3));
        assert!(parse_corpus_file("c.jsonl", b"\n\n").is_err());
    }
}
