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

/// Every kind of edit, each with content in every field the stored shape has.
fn one_edit_of_each_kind() -> Vec<Edit> {
    use crate::domain::annotation::TakeOver;
    use crate::domain::article::Article;
    use crate::domain::project::{new_relation, new_span, Project, Settings};
    use crate::domain::schema::{default_labels, default_relation_types};
    let article = Article::new("The harbour reopened on Friday. 🚢 Officials said so.", "Harbour", "a.txt");
    let project = Project::with_articles(vec![article.clone()]);
    let labels = default_labels();
    let mut span = new_span(&project, "s-1".into(), &article, 4, 11, &labels[0].id, 7).unwrap();
    span.take_overs.push(TakeOver { from: "ann".to_string(), by: "bob".to_string(), at: 9 });
    let types = default_relation_types();
    let mut relation = new_relation(&project, "r-1".into(), &types[0].id, "s-1".into(), "s-2".into(), 8);
    relation.note = "numbers differ".to_string();
    let settings = Settings { annotator: "bob".to_string(), ..Settings::default() };
    let details = ArticleDetailsChange { id: article.id.clone(), details: ArticleDetails::default() };
    vec![
        Edit::AddSpan(span.clone()),
        Edit::RemoveSpan("s-1".into()),
        Edit::UpdateSpan(span),
        Edit::AddRelation(relation.clone()),
        Edit::RemoveRelation("r-1".into()),
        Edit::UpdateRelation(relation),
        Edit::InsertArticle { position: 2, article },
        Edit::RemoveArticle("a-1".into()),
        Edit::UpdateArticleMeta { id: "a-1".into(), title: "T".to_string(), source: "S".to_string() },
        Edit::SetArticleDetails(details),
        Edit::SetLabels(labels),
        Edit::SetRelationTypes(types),
        Edit::SetSettings(settings),
        Edit::RejectSuggestion("k".into()),
        Edit::UnrejectSuggestion("k".into()),
        Edit::Batch(vec![Edit::RemoveSpan("s-1".into()), Edit::Batch(vec![Edit::RemoveArticle("a-1".into())])]),
    ]
}

#[test]
fn every_kind_of_edit_reads_back_what_it_writes() {
    for edit in one_edit_of_each_kind() {
        let json = store(&edit);
        assert_eq!(load(&json).unwrap(), edit, "{json}");
    }
}

/// Crosscheck writes `edit` before `with`; a document written by another tool (or by hand) may
/// not, and read the same way before `StoredEdit` had its own reader.
#[test]
fn an_edit_with_its_content_before_its_tag_reads_the_same() {
    for edit in one_edit_of_each_kind() {
        let value: serde_json::Value = serde_json::from_str(&store(&edit)).unwrap();
        let swapped = format!(r#"{{"with":{},"edit":{},"note":[1,{{}}]}}"#, value["with"], value["edit"]);
        assert_eq!(load(&swapped).unwrap(), edit, "{swapped}");
    }
    let inner_swapped = r#"{"with":[{"with":"s-1","edit":"remove_span"}],"edit":"batch"}"#;
    assert_eq!(load(inner_swapped).unwrap(), Edit::Batch(vec![Edit::RemoveSpan("s-1".into())]));
}

#[test]
fn a_malformed_edit_is_refused_with_what_is_wrong() {
    let refused = |json: &str| load(json).unwrap_err().to_string();
    assert!(refused(r#"{"with":"s-1"}"#).contains("missing field `edit`"));
    assert!(refused(r#"{"edit":"remove_span"}"#).contains("missing field `with`"));
    assert!(refused(r#"{"edit":"paint","with":"s-1"}"#).contains("unknown variant `paint`"));
    assert!(refused(r#"{"edit":"remove_span","edit":"remove_span","with":"s-1"}"#).contains("duplicate field `edit`"));
    assert!(refused(r#"{"edit":"remove_span","with":"s-1","with":"s-2"}"#).contains("duplicate field `with`"));
    assert!(refused(r#"{"with":"s-1","with":"s-2","edit":"remove_span"}"#).contains("duplicate field `with`"));
    assert!(refused(r#"{"edit":"add_span","with":"s-1"}"#).contains("invalid type"));
    assert!(refused(r#"{"with":{"position":"first"},"edit":"insert_article"}"#).contains("invalid type"));
    assert!(refused(r#"["remove_span","s-1"]"#).contains("invalid type"));
}

#[test]
fn attribute_kinds_read_back_and_refuse_what_they_cannot_be() {
    let kinds = [
        (
            StoredAttributeKind::Choice { choices: vec!["yes".to_string(), "no".to_string()] },
            r#"{"type":"choice","choices":["yes","no"]}"#,
        ),
        (
            StoredAttributeKind::Text { suggest_from: Some("speaker".to_string()) },
            r#"{"type":"text","suggest_from":"speaker"}"#,
        ),
        (StoredAttributeKind::Text { suggest_from: None }, r#"{"type":"text"}"#),
        (StoredAttributeKind::Note, r#"{"type":"note"}"#),
    ];
    let read = |json: &str| {
        serde_json::from_str::<StoredAttributeKind>(json).map(|kind| serde_json::to_string(&kind).unwrap())
    };
    for (kind, json) in kinds {
        assert_eq!(serde_json::to_string(&kind).unwrap(), json);
        assert_eq!(read(json).unwrap(), json);
    }
    assert_eq!(read(r#"{"extra":1,"type":"text","suggest_from":null}"#).unwrap(), r#"{"type":"text"}"#);
    assert!(read(r#"{"type":"choice"}"#).unwrap_err().to_string().contains("missing field `choices`"));
    assert!(read(r#"{"choices":[]}"#).unwrap_err().to_string().contains("missing field `type`"));
    assert!(read(r#"{"type":"colour"}"#).unwrap_err().to_string().contains("unknown variant `colour`"));
    assert!(read(r#"{"type":"choice","choices":"yes"}"#).is_err());
}

/// Native only: the property test uses proptest, a native dev-dependency.
#[cfg(not(target_arch = "wasm32"))]
mod prefixed_documents {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::super::prefixed;

    fn starting_with<'a>(documents: &'a BTreeMap<String, String>, prefix: &str) -> Vec<&'a String> {
        documents.keys().filter(|id| id.starts_with(prefix)).collect()
    }

    #[test]
    fn the_range_of_a_prefix_holds_exactly_the_ids_that_start_with_it() {
        let documents: BTreeMap<String, String> =
            ["art:a", "rel:1", "span:", "span:1", "span:\u{10FFFF}", "span;", "spam:"]
                .into_iter()
                .map(|id| (id.to_string(), String::new()))
                .collect();
        let ids = |prefix: &str| prefixed(&documents, prefix).map(|(id, _)| id.as_str()).collect::<Vec<_>>();
        assert_eq!(ids("span:"), ["span:", "span:1", "span:\u{10FFFF}"]);
        assert_eq!(ids("rel:"), ["rel:1"]);
        assert_eq!(ids("rej:"), Vec::<&str>::new());
        assert_eq!(ids("").len(), documents.len());
        // A prefix ending in the last code point: its range ends after the code point before.
        assert_eq!(ids("span:\u{10FFFF}"), ["span:\u{10FFFF}"]);
    }

    proptest! {
        #[test]
        fn prefixed_equals_filtering_by_starts_with(
            ids in proptest::collection::vec("[a-c:\u{D7FF}\u{E000}\u{FFFF}\u{10000}\u{10FFFF}]{0,4}", 0..40),
            prefix in "[a-c:\u{D7FF}\u{E000}\u{FFFF}\u{10000}\u{10FFFF}]{0,3}",
        ) {
            let documents: BTreeMap<String, String> = ids.into_iter().map(|id| (id, String::new())).collect();
            let found: Vec<&String> = prefixed(&documents, &prefix).map(|(id, _)| id).collect();
            prop_assert_eq!(found, starting_with(&documents, &prefix));
        }
    }
}

/// A pack heard from another tab is not merged as a document: it would be read as JSON, fail, and
/// be named in a warning ("Another tab saved \"_pack/3\", which this tab cannot read").
#[test]
fn another_tabs_local_documents_and_packs_are_not_merged() {
    assert_eq!(super::other_tab_document("cc2/span:a"), Some("span:a"));
    assert_eq!(super::other_tab_document("cc2/_pack/3"), None);
    assert_eq!(super::other_tab_document("cc2/_local/manifest"), None);
    assert_eq!(super::other_tab_document("crosscheck.project.v1"), None);
}
