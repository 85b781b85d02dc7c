//! What a page says about its article besides the headline: authors, publisher, dates, canonical
//! URL, language, text direction and description.
//!
//! Everything is optional and stored as the page gave it (dates as ISO 8601 strings where the
//! page states them so); an article without any metadata serialises exactly as before it existed.

use serde::Serialize;

/// The direction the article's script runs in, when the page says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TextDirection {
    Ltr,
    Rtl,
}

impl TextDirection {
    /// `"ltr"` / `"rtl"` (any case) into a direction; anything else (`auto`, "") is none.
    pub fn parse(value: &str) -> Option<TextDirection> {
        match value.trim().to_ascii_lowercase().as_str() {
            "ltr" => Some(TextDirection::Ltr),
            "rtl" => Some(TextDirection::Rtl),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TextDirection::Ltr => "ltr",
            TextDirection::Rtl => "rtl",
        }
    }
}

/// An article's metadata beyond its title, source, URL and publication date (which
/// [`crate::domain::article::Article`] has had from the start). Read from JSON by
/// [`ArticleMetadata::from_json`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct ArticleMetadata {
    /// The people who wrote it, in the page's order (a byline without names is kept whole).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// The publisher or site name ("The Guardian").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub site_name: String,
    /// When it was last modified, as the page states it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub modified: String,
    /// The page's canonical URL (`<link rel=canonical>`, `og:url`, JSON-LD `url`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub canonical_url: String,
    /// The BCP 47 language tag (`en`, `pt-BR`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub language: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<TextDirection>,
    /// The page's own summary (`og:description`, `meta name=description`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl ArticleMetadata {
    pub fn is_empty(&self) -> bool {
        *self == ArticleMetadata::default()
    }

    /// The authors as one line: "A", "A and B", "A, B and C".
    pub fn byline(&self) -> String {
        match self.authors.as_slice() {
            [] => String::new(),
            [only] => only.clone(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        }
    }

    /// Authors from a byline someone typed or a page gave: split at commas, semicolons and " and ",
    /// a leading "By" dropped, blanks and repeats removed.
    pub fn authors_from_byline(byline: &str) -> Vec<String> {
        let trimmed = byline.trim();
        let without_by =
            ["By ", "by ", "BY "].iter().find_map(|prefix| trimmed.strip_prefix(prefix)).unwrap_or(trimmed);
        let mut authors: Vec<String> = Vec::new();
        for part in without_by.split([',', ';', '|']).flat_map(|part| part.split(" and ")) {
            let name = part.split_whitespace().collect::<Vec<_>>().join(" ");
            if !name.is_empty() && !authors.contains(&name) {
                authors.push(name);
            }
        }
        authors
    }
}

/// The calendar date of an ISO 8601 date or date-time (`2024-03-25T10:00:00Z` → `2024-03-25`);
/// any other text is returned trimmed, as the page wrote it.
pub fn date_part(date: &str) -> &str {
    let date = date.trim();
    let bytes = date.as_bytes();
    let looks_iso = bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'-'
        && bytes[8..10].iter().all(u8::is_ascii_digit);
    if looks_iso {
        &date[..10]
    } else {
        date
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_split_into_authors_and_back() {
        let authors = ArticleMetadata::authors_from_byline("By Jane Doe, Ali Hassan and  Lee Chen");
        assert_eq!(authors, ["Jane Doe", "Ali Hassan", "Lee Chen"]);
        let metadata = ArticleMetadata { authors, ..ArticleMetadata::default() };
        assert_eq!(metadata.byline(), "Jane Doe, Ali Hassan and Lee Chen");
        assert_eq!(ArticleMetadata::authors_from_byline("  "), Vec::<String>::new());
        assert_eq!(ArticleMetadata::authors_from_byline("Reuters; Reuters"), ["Reuters"]);
    }

    #[test]
    fn empty_metadata_serialises_to_nothing() {
        assert!(ArticleMetadata::default().is_empty());
        assert_eq!(serde_json::to_string(&ArticleMetadata::default()).unwrap(), "{}");
        let metadata = ArticleMetadata { direction: TextDirection::parse("RTL"), ..ArticleMetadata::default() };
        assert_eq!(serde_json::to_string(&metadata).unwrap(), r#"{"direction":"rtl"}"#);
        assert_eq!(TextDirection::parse("auto"), None);
    }

    #[test]
    fn dates_show_their_calendar_day() {
        assert_eq!(date_part("2024-03-25T10:00:00+02:00"), "2024-03-25");
        assert_eq!(date_part(" March 25, 2024 "), "March 25, 2024");
        assert_eq!(date_part("2024-3-5"), "2024-3-5");
    }
}

#[cfg(test)]
mod edit_tests {
    use crate::domain::article::{Article, ArticleDetails, ArticleDetailsChange, ArticleMetadata, TextDirection};
    use crate::domain::project::{Edit, Project};

    #[test]
    fn set_article_details_is_undone_by_its_inverse() {
        let mut project = Project::with_articles(vec![Article::new("Body text.", "Old title", "old.html")]);
        let before = project.clone();
        let id = project.articles()[0].id.clone();
        let details = ArticleDetails {
            title: "New headline".to_string(),
            source: "The Paper".to_string(),
            url: "https://example.org/a?utm=x".to_string(),
            published: "2024-03-25T10:00:00Z".to_string(),
            metadata: ArticleMetadata {
                authors: vec!["Jane Doe".to_string()],
                canonical_url: "https://example.org/a".to_string(),
                direction: Some(TextDirection::Rtl),
                ..ArticleMetadata::default()
            },
        };
        let inverse = project
            .apply(Edit::SetArticleDetails(ArticleDetailsChange { id: id.clone(), details: details.clone() }), 1)
            .unwrap();
        assert_eq!(project.articles()[0].details(), details);
        assert_eq!(project.articles()[0].canonical_or_url(), "https://example.org/a");
        assert_eq!(&*project.articles()[0].text, "Body text.", "the text never changes");
        project.apply(inverse, 2).unwrap();
        assert_eq!(project, before);
        assert_eq!(project.articles()[0].canonical_or_url(), "");
    }
}
