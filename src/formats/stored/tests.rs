//! The stored shapes read back what they write, with the tags and keys of schema version 1.

use super::*;
use crate::domain::article::{ArticleDetails, ArticleDetailsChange, ArticleMetadata};
use crate::domain::project::Edit;
use crate::domain::state::{UiPosition, View};

fn store(edit: &Edit) -> String {
    serde_json::to_string(&StoredEdit::from(edit)).unwrap()
}

fn load(json: &str) -> Result<Edit, serde_json::Error> {
    serde_json::from_str::<StoredEdit>(json).map(Edit::from)
}

#[test]
fn a_details_edit_is_stored_as_id_and_details_and_read_back() {
    let details = ArticleDetails {
        title: "Headline".to_string(),
        metadata: ArticleMetadata { site_name: "Coast Herald".to_string(), ..ArticleMetadata::default() },
        ..ArticleDetails::default()
    };
    let edit = Edit::SetArticleDetails(ArticleDetailsChange { id: "a-1".into(), details });
    let json = store(&edit);
    assert_eq!(
        json,
        r#"{"edit":"set_article_details","with":{"id":"a-1","details":{"title":"Headline","source":"","url":"","published":"","metadata":{"site_name":"Coast Herald"}}}}"#
    );
    assert_eq!(load(&json).unwrap(), edit);
    assert!(load(r#"{"edit":"set_article_details","with":{"details":{}}}"#).is_err());
    let wrong_direction =
        r#"{"edit":"set_article_details","with":{"id":"a","details":{"metadata":{"direction":"up"}}}}"#;
    assert!(load(wrong_direction).unwrap_err().to_string().contains("direction"));
}

#[test]
fn edits_keep_their_v1_tags() {
    let tags = [
        (Edit::RemoveSpan("s-1".into()), r#"{"edit":"remove_span","with":"s-1"}"#),
        (Edit::RemoveRelation("r-1".into()), r#"{"edit":"remove_relation","with":"r-1"}"#),
        (Edit::RemoveArticle("a-1".into()), r#"{"edit":"remove_article","with":"a-1"}"#),
        (Edit::RejectSuggestion("k".into()), r#"{"edit":"reject_suggestion","with":"k"}"#),
        (Edit::UnrejectSuggestion("k".into()), r#"{"edit":"unreject_suggestion","with":"k"}"#),
        (
            Edit::UpdateArticleMeta { id: "a-1".into(), title: "T".to_string(), source: "S".to_string() },
            r#"{"edit":"update_article_meta","with":{"id":"a-1","title":"T","source":"S"}}"#,
        ),
        (
            Edit::Batch(vec![Edit::RemoveSpan("s-1".into())]),
            r#"{"edit":"batch","with":[{"edit":"remove_span","with":"s-1"}]}"#,
        ),
    ];
    for (edit, json) in tags {
        assert_eq!(store(&edit), json);
        assert_eq!(load(json).unwrap(), edit);
    }
}

#[test]
fn every_view_is_stored_by_its_v1_name_and_read_back() {
    let views = [
        (View::Read, "read"),
        (View::Compare, "compare"),
        (View::Graph, "graph"),
        (View::Agreement, "agreement"),
        (View::Adjudicate, "adjudicate"),
        (View::Matrix, "matrix"),
    ];
    for (view, name) in views {
        let position = UiPosition { view, article: Some("a-1".into()), ..UiPosition::default() };
        let json = serde_json::to_string(&StoredUiPosition::from(&position)).unwrap();
        assert_eq!(json, format!(r#"{{"view":"{name}","article":"a-1","compare_left":null,"compare_right":null}}"#));
        let read: StoredUiPosition = serde_json::from_str(&json).unwrap();
        assert_eq!(UiPosition::from(read), position);
    }
    let empty: StoredUiPosition = serde_json::from_str("{}").unwrap();
    assert_eq!(UiPosition::from(empty), UiPosition::default());
}

#[test]
fn metadata_reads_back_what_it_writes_and_refuses_wrong_types() {
    let metadata = ArticleMetadata {
        authors: vec!["Jane Doe".to_string(), "Lee Chen".to_string()],
        site_name: "Coast Herald".to_string(),
        modified: "2024-03-23".to_string(),
        canonical_url: "https://coast.example/a".to_string(),
        language: "en".to_string(),
        direction: Some(crate::domain::article_metadata::TextDirection::Rtl),
        description: "A summary.".to_string(),
    };
    let read = |json: &str| serde_json::from_str::<StoredArticleMetadata>(json).map(ArticleMetadata::from);
    let json = serde_json::to_string(&StoredArticleMetadata::from(&metadata)).unwrap();
    assert_eq!(json, serde_json::to_string(&metadata).unwrap(), "the stored shape is the exported one");
    assert_eq!(read(&json).unwrap(), metadata);
    assert_eq!(read(r#"{"direction":null,"extra":1}"#).unwrap(), ArticleMetadata::default());
    for bad in [r#"{"authors":"Jane"}"#, r#"{"authors":[1]}"#, r#"{"site_name":2}"#, r#"{"direction":"up"}"#, "[]"] {
        assert!(read(bad).is_err(), "{bad} is refused");
    }
}
