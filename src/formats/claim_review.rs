//! schema.org ClaimReview (JSON-LD): what fact-checkers publish and Google's Fact Check Explorer
//! reads, one review per claim with a verdict.
//!
//! ```json
//! {"@context":"https://schema.org","@graph":[{"@type":"ClaimReview",
//!   "url":"https://desk.example/reviews#s-1","claimReviewed":"…","datePublished":"2024-03-25",
//!   "author":{"@type":"Organization","name":"Desk","url":"https://desk.example/reviews"},
//!   "reviewRating":{"@type":"Rating","ratingValue":2,"bestRating":5,"worstRating":1,"alternateName":"Misleading"},
//!   "itemReviewed":{"@type":"Claim","author":{"@type":"Person","name":"John Kirby"},"datePublished":"2024-03-25",
//!     "appearance":{"@type":"CreativeWork","url":"https://…","headline":"…",
//!                   "publisher":{"@type":"Organization","name":"…"}}}}]}
//! ```
//!
//! - A claim is a span labelled Claim whose `verdict` is set and not `unverified`.
//! - `reviewRating`: `alternateName` is the verdict as a person reads it; `ratingValue` comes
//!   from [`VERDICT_SCALE`] (1 = inaccurate … 5 = accurate), left out for a verdict a project
//!   added that the scale does not know.
//! - `author` is the reviewer organisation from Settings; until one is named, the annotator who
//!   set the verdict as a `Person` (schema.org and Google's Fact Check markup accept either), and
//!   no `author` at all when neither is known (never an empty name). `url` is the organisation's
//!   address plus `#` and the claim's id (left out while Settings has no address).
//! - `itemReviewed.author` is the claim's speaker: the Speaker span it is `attributed-to` (its
//!   `canonical` name when set), else the speaker of a quote that holds the claim (linked, or its
//!   `speaker` attribute). `appearance` is the article: its URL and headline, its publisher.
//! - `datePublished` is the day the verdict was last edited (UTC); the claim's is the article's.

use serde_json::{json, Map, Value};

use crate::domain::annotation::Span;
use crate::domain::project::Project;
use crate::domain::schema::ATTRIBUTED_TO;
use crate::formats::common::iso8601_utc;
use crate::formats::nli::CLAIM_LABEL;

/// Each known verdict with its rating, worst 1 to best 5.
pub const VERDICT_SCALE: [(&str, u8); 4] = [("inaccurate", 1), ("misleading", 2), ("unsupported", 3), ("accurate", 5)];
pub const WORST_RATING: u8 = 1;
pub const BEST_RATING: u8 = 5;

/// The verdict as shown to readers: its first letter capitalised, dashes as spaces.
fn verdict_name(verdict: &str) -> String {
    let spaced = verdict.replace(['-', '_'], " ");
    let mut characters = spaced.chars();
    characters.next().map(|first| first.to_uppercase().chain(characters).collect()).unwrap_or_default()
}

/// The name of the speaker a span is attributed to, through a direct link.
fn linked_speaker(project: &Project, span: &Span) -> Option<String> {
    project.relations().values().find_map(|relation| {
        if relation.relation_type != ATTRIBUTED_TO || relation.from != span.id {
            return None;
        }
        let speaker = project.spans().get(&relation.to)?;
        let canonical = speaker.attribute("canonical");
        Some(if canonical.is_empty() { speaker.text.to_string() } else { canonical.to_string() })
    })
}

/// The claim's speaker (see the module docs).
fn speaker_of(project: &Project, claim: &Span) -> Option<String> {
    linked_speaker(project, claim).or_else(|| {
        project
            .spans_overlapping(&claim.article, claim.start, claim.end)
            .iter()
            .filter(|quote| quote.label == "quote" && quote.start <= claim.start && claim.end <= quote.end)
            .find_map(|quote| {
                linked_speaker(project, quote)
                    .or_else(|| Some(quote.attribute("speaker").to_string()).filter(|name| !name.is_empty()))
            })
    })
}

fn review(project: &Project, claim: &Span, verdict: &str) -> Value {
    let settings = project.settings();
    let mut rating = Map::new();
    rating.insert("@type".into(), json!("Rating"));
    if let Some((_, value)) = VERDICT_SCALE.iter().find(|(name, _)| *name == verdict) {
        rating.insert("ratingValue".into(), json!(value));
    }
    rating.insert("bestRating".into(), json!(BEST_RATING));
    rating.insert("worstRating".into(), json!(WORST_RATING));
    rating.insert("alternateName".into(), json!(verdict_name(verdict)));

    let mut item = Map::new();
    item.insert("@type".into(), json!("Claim"));
    if let Some(speaker) = speaker_of(project, claim) {
        item.insert("author".into(), json!({"@type": "Person", "name": speaker}));
    }
    if let Some(article) = project.article(&claim.article) {
        if !article.published.is_empty() {
            item.insert("datePublished".into(), json!(article.published));
        }
        let mut appearance = Map::new();
        appearance.insert("@type".into(), json!("CreativeWork"));
        if !article.url.is_empty() {
            appearance.insert("url".into(), json!(article.url));
        }
        appearance.insert("headline".into(), json!(article.title));
        if !article.source.is_empty() {
            appearance.insert("publisher".into(), json!({"@type": "Organization", "name": article.source}));
        }
        item.insert("appearance".into(), Value::Object(appearance));
    }

    let mut organisation = Map::new();
    if settings.reviewer_organisation.is_empty() {
        let annotator = if claim.author.is_empty() { settings.annotator.as_str() } else { claim.author.as_str() };
        if !annotator.is_empty() {
            organisation.insert("@type".into(), json!("Person"));
            organisation.insert("name".into(), json!(annotator));
        }
    } else {
        organisation.insert("@type".into(), json!("Organization"));
        organisation.insert("name".into(), json!(settings.reviewer_organisation));
    }
    let mut review = Map::new();
    review.insert("@type".into(), json!("ClaimReview"));
    if !settings.reviewer_url.is_empty() {
        organisation.insert("url".into(), json!(settings.reviewer_url));
        review.insert("url".into(), json!(format!("{}#{}", settings.reviewer_url, claim.id)));
    }
    review.insert("claimReviewed".into(), json!(claim.text));
    review.insert("datePublished".into(), json!(iso8601_utc(claim.modified).chars().take(10).collect::<String>()));
    if organisation.contains_key("name") {
        review.insert("author".into(), Value::Object(organisation));
    }
    review.insert("reviewRating".into(), Value::Object(rating));
    review.insert("itemReviewed".into(), Value::Object(item));
    Value::Object(review)
}

/// The verdict of a claim that has one (not `unverified`), or `None`.
pub fn verdict_of(span: &Span) -> Option<&str> {
    let verdict = span.attribute("verdict");
    (span.label == CLAIM_LABEL && !verdict.is_empty() && verdict != "unverified").then_some(verdict)
}

/// Serialises every reviewed claim, in reading order, as a ClaimReview in one JSON-LD document.
pub fn to_claim_review(project: &Project) -> String {
    let graph: Vec<Value> = project
        .spans_in_order()
        .iter()
        .filter_map(|span| verdict_of(span).map(|verdict| review(project, span, verdict)))
        .collect();
    let document = json!({"@context": "https://schema.org", "@graph": graph});
    serde_json::to_string_pretty(&document).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::annotation::{RelationId, SpanId};
    use crate::domain::article::Article;
    use crate::domain::project::{new_relation, new_span, Edit, Settings};

    #[test]
    fn a_claim_with_a_verdict_becomes_a_review_with_its_speaker_and_appearance() {
        let mut article = Article::new("Kirby said it is non-binding. Rain.", "Vote", "Times");
        article.url = "https://news.example/vote".to_string();
        article.published = "2024-03-25".to_string();
        let mut project = Project::with_articles(vec![article]).with_settings(Settings {
            reviewer_organisation: "Desk".to_string(),
            reviewer_url: "https://desk.example/r".to_string(),
            ..Settings::default()
        });
        let article = project.articles()[0].clone();
        let mut claim = new_span(&project, SpanId::from("c1"), &article, 11, 28, &"claim".into(), 0).unwrap();
        claim.attributes.insert("verdict".to_string(), "misleading".to_string());
        project.apply(Edit::AddSpan(claim), 0).unwrap();
        let unverified = new_span(&project, SpanId::from("c2"), &article, 30, 34, &"claim".into(), 0).unwrap();
        project.apply(Edit::AddSpan(unverified), 0).unwrap();
        let speaker = new_span(&project, SpanId::from("p1"), &article, 0, 5, &"speaker".into(), 0).unwrap();
        project.apply(Edit::AddSpan(speaker), 0).unwrap();
        let link = new_relation(&project, RelationId::from("r1"), &ATTRIBUTED_TO.into(), "c1".into(), "p1".into(), 0);
        project.apply(Edit::AddRelation(link), 0).unwrap();

        let document: Value = serde_json::from_str(&to_claim_review(&project)).unwrap();
        let graph = document["@graph"].as_array().unwrap();
        assert_eq!(graph.len(), 1, "the unverified claim has no review");
        let review = &graph[0];
        assert_eq!(review["claimReviewed"], "it is non-binding");
        assert_eq!(review["url"], "https://desk.example/r#c1");
        assert_eq!(review["reviewRating"]["alternateName"], "Misleading");
        assert_eq!(review["reviewRating"]["ratingValue"], 2);
        assert_eq!(review["itemReviewed"]["author"]["name"], "Kirby");
        assert_eq!(review["itemReviewed"]["appearance"]["url"], "https://news.example/vote");
        assert_eq!(review["itemReviewed"]["appearance"]["publisher"]["name"], "Times");
        assert_eq!(review["datePublished"], "1970-01-01");
    }

    #[test]
    fn without_a_reviewer_organisation_the_annotator_reviews_and_no_author_is_ever_nameless() {
        let article = Article::new("It is non-binding.", "Vote", "Times");
        let project = Project::with_articles(vec![article])
            .with_settings(Settings { annotator: String::new(), ..Settings::default() });
        let article = project.articles()[0].clone();
        let mut claim = new_span(&project, SpanId::from("c1"), &article, 0, 17, &"claim".into(), 0).unwrap();
        claim.attributes.insert("verdict".to_string(), "inaccurate".to_string());
        let review = |author: &str| {
            let mut project = project.clone();
            let mut claim = claim.clone();
            claim.author = author.to_string();
            project.apply(Edit::AddSpan(claim), 0).unwrap();
            let document: Value = serde_json::from_str(&to_claim_review(&project)).unwrap();
            document["@graph"][0].clone()
        };
        let by_ana = review("Ana");
        assert_eq!(by_ana["author"], serde_json::json!({"@type": "Person", "name": "Ana"}));
        assert!(review("")["author"].is_null(), "no author rather than an empty name");
    }
}
