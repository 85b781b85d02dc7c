//! Label Studio tasks (JSON) and the labelling interface they import into.
//!
//! One task per article, each with the article's `text` and metadata under `data`, and one
//! annotation per author of the spans and links in it:
//!
//! ```json
//! [{"data":{"text":"…","article_id":"a-…","title":"…","source":"…","authors":["Ana"]},
//!   "annotations":[{"result":[
//!     {"id":"s-1","from_name":"label","to_name":"text","type":"labels",
//!      "value":{"start":10,"end":25,"text":"…","labels":["Claim"]}},
//!     {"from_id":"s-1","to_id":"s-2","type":"relation","direction":"right","labels":["contradicts"]}]}]}]
//! ```
//!
//! - Offsets are Unicode code points, end exclusive, as Label Studio stores them for `<Text>`.
//! - A region's `id` is the span's id. An author's annotation holds the spans they made plus the
//!   spans their links join (a relation can only join regions of its own annotation).
//! - `direction` is `right` (from → to), or `bi` for link types that are symmetric.
//! - `data.authors` lists the annotations' authors in order. No `completed_by` is written:
//!   Label Studio 1.23 refuses the whole import when it names an email that is not a member of
//!   its organisation (seen with its own server), so annotations are attributed to the
//!   importing user and `data.authors[i]` says whose annotation `i` is.
//! - A task is one text: links between two articles are not written (the doccano sidecar lists
//!   them).
//! - [`label_config`] is the `<Labels>` + `<Relations>` interface for the project's schema,
//!   shipped with the export: paste it into the project's Labeling Interface before importing.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::domain::annotation::{Relation, Span};
use crate::domain::article::Article;
use crate::domain::project::Project;
use crate::domain::sorting::InsertEach;
use crate::formats::common::label_name;

/// The `name` of the `<Labels>` tag and the `from_name` of every region.
pub const LABELS_NAME: &str = "label";
/// The `name` of the `<Text>` tag and the `to_name` of every region.
pub const TEXT_NAME: &str = "text";

#[derive(Serialize)]
struct Task<'a> {
    data: TaskData<'a>,
    annotations: Vec<Annotation<'a>>,
}

#[derive(Serialize)]
struct TaskData<'a> {
    text: &'a str,
    article_id: &'a str,
    title: &'a str,
    source: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    url: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    published: &'a str,
    authors: Vec<&'a str>,
}

#[derive(Serialize)]
struct Annotation<'a> {
    result: Vec<ResultItem<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ResultItem<'a> {
    Region {
        id: &'a str,
        from_name: &'static str,
        to_name: &'static str,
        #[serde(rename = "type")]
        kind: &'static str,
        value: RegionValue<'a>,
    },
    Relation {
        from_id: &'a str,
        to_id: &'a str,
        #[serde(rename = "type")]
        kind: &'static str,
        direction: &'static str,
        labels: [&'a str; 1],
    },
}

#[derive(Serialize)]
struct RegionValue<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    labels: [&'a str; 1],
}

fn region<'a>(project: &'a Project, span: &'a Span) -> ResultItem<'a> {
    ResultItem::Region {
        id: span.id.as_str(),
        from_name: LABELS_NAME,
        to_name: TEXT_NAME,
        kind: "labels",
        value: RegionValue { start: span.start, end: span.end, text: &span.text, labels: [label_name(project, span)] },
    }
}

fn relation_item<'a>(project: &'a Project, relation: &'a Relation) -> ResultItem<'a> {
    let definition = project.relation_type(&relation.relation_type);
    ResultItem::Relation {
        from_id: relation.from.as_str(),
        to_id: relation.to.as_str(),
        kind: "relation",
        direction: if definition.is_some_and(|kind| kind.symmetric) { "bi" } else { "right" },
        labels: [definition.map(|kind| kind.name.as_str()).unwrap_or(&relation.relation_type)],
    }
}

fn task<'a>(project: &'a Project, article: &'a Article) -> Task<'a> {
    // Borrowed from the project (not from `spans_in_article`'s vector) so the task can hold them.
    let spans: Vec<&Span> = project
        .spans_in_article(&article.id)
        .iter()
        .filter_map(|span| project.spans().get(&span.id).map(|span| span.as_ref()))
        .collect();
    let in_article: Vec<&Relation> = project
        .relations()
        .values()
        .map(|relation| relation.as_ref())
        .filter(|relation| {
            spans.iter().any(|span| span.id == relation.from) && spans.iter().any(|span| span.id == relation.to)
        })
        .collect();
    let mut authors: BTreeSet<&str> = spans.iter().map(|span| span.author.as_str()).into_set();
    authors.extend(in_article.iter().map(|relation| relation.author.as_str()));
    let mut annotations = Vec::new();
    for author in &authors {
        let links: Vec<&Relation> = in_article.iter().copied().filter(|relation| relation.author == *author).collect();
        let mut result: Vec<ResultItem> = Vec::new();
        for span in &spans {
            let joined = links.iter().any(|relation| relation.touches(&span.id));
            if span.author == *author || joined {
                result.push(region(project, span));
            }
        }
        result.extend(links.iter().map(|relation| relation_item(project, relation)));
        annotations.push(Annotation { result });
    }
    Task {
        data: TaskData {
            text: &article.text,
            article_id: article.id.as_str(),
            title: &article.title,
            source: &article.source,
            url: &article.url,
            published: &article.published,
            authors: authors.into_iter().collect(),
        },
        annotations,
    }
}

/// Serialises the project as a Label Studio task list (a JSON array, one task per article).
pub fn to_label_studio(project: &Project) -> String {
    let tasks: Vec<Task> = project.articles().iter().map(|article| task(project, article)).collect();
    // Plain data with string keys always serialises.
    serde_json::to_string_pretty(&tasks).unwrap_or_default()
}

fn xml_attribute(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for character in value.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\n' | '\r' | '\t' => escaped.push(' '),
            other => escaped.push(other),
        }
    }
    escaped
}

/// The labelling interface for the project's labels and link types (Label Studio XML).
pub fn label_config(project: &Project) -> String {
    let mut xml = String::from("<View>\n");
    xml.push_str("  <Relations>\n");
    for kind in project.relation_types() {
        xml.push_str(&format!("    <Relation value=\"{}\"/>\n", xml_attribute(&kind.name)));
    }
    xml.push_str("  </Relations>\n");
    xml.push_str(&format!("  <Labels name=\"{LABELS_NAME}\" toName=\"{TEXT_NAME}\">\n"));
    for label in project.labels() {
        xml.push_str(&format!(
            "    <Label value=\"{}\" background=\"{}\"/>\n",
            xml_attribute(&label.name),
            xml_attribute(&label.color)
        ));
    }
    xml.push_str("  </Labels>\n");
    xml.push_str(&format!("  <Text name=\"{TEXT_NAME}\" value=\"${TEXT_NAME}\" granularity=\"symbol\"/>\n"));
    xml.push_str("</View>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::annotation::{RelationId, SpanId};
    use crate::domain::project::{new_relation, new_span, Edit};
    use serde_json::Value;

    #[test]
    fn one_annotation_per_author_with_the_regions_its_links_join() {
        let mut project = Project::with_articles(vec![Article::new("Flags 🇺🇸 rose 5%. It fell.", "One", "one.txt")]);
        let article = project.articles()[0].clone();
        for (id, start, end, author) in [("s1", 6, 8, "ana@example.org"), ("s2", 19, 26, "Ben")] {
            let mut span = new_span(&project, SpanId::from(id), &article, start, end, &"claim".into(), 1).unwrap();
            span.author = author.to_string();
            project.apply(Edit::AddSpan(span), 1).unwrap();
        }
        let mut relation =
            new_relation(&project, RelationId::from("r1"), &"contradicts".into(), "s1".into(), "s2".into(), 2);
        relation.author = "Ben".to_string();
        project.apply(Edit::AddRelation(relation), 2).unwrap();

        let tasks: Value = serde_json::from_str(&to_label_studio(&project)).unwrap();
        let task = &tasks[0];
        assert_eq!(task["data"]["authors"], serde_json::json!(["Ben", "ana@example.org"]));
        let ben = task["annotations"][0]["result"].as_array().unwrap();
        assert_eq!(ben.len(), 3, "both ends of Ben's link and the link");
        assert_eq!(ben[2]["from_id"], "s1");
        assert_eq!(ben[2]["direction"], "bi");
        assert_eq!(ben[2]["labels"][0], "contradicts");
        let ana = &task["annotations"][1];
        assert!(ana.get("completed_by").is_none(), "an unknown member's email makes Label Studio refuse the import");
        assert_eq!(ana["result"][0]["value"]["text"], "🇺🇸");
        assert_eq!(ana["result"][0]["value"]["start"], 6);
        assert_eq!(ana["result"][0]["value"]["end"], 8);
    }

    #[test]
    fn the_interface_names_every_label_and_link_type_escaped() {
        let mut parts = Project::with_articles(vec![]).into_parts();
        parts.labels[0].name = "A \"quoted\" <label>".to_string();
        let project = Project::from_parts(parts);
        let xml = label_config(&project);
        assert!(xml.contains("value=\"A &quot;quoted&quot; &lt;label&gt;\""));
        assert!(xml.contains("<Relation value=\"contradicts\"/>"));
        assert!(xml.contains("<Text name=\"text\" value=\"$text\""));
    }
}
