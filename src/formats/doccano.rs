//! doccano's sequence-labelling-with-relations JSONL, and the sidecar of the links it cannot hold.
//!
//! doccano (1.x, project type "Sequence labeling" with "Use relation labeling") imports one
//! example per line, in the shape of its "JSONL(Relation)" import option:
//!
//! ```json
//! {"text":"…","entities":[{"id":1,"start_offset":10,"end_offset":25,"label":"Claim"}],
//!  "relations":[{"id":1,"from_id":1,"to_id":2,"type":"contradicts"}],
//!  "article_id":"a-…","title":"…","source":"…","url":"…","published":"…"}
//! ```
//!
//! - One line per article, in the project's order, annotated or not. Every key besides `text`,
//!   `entities` and `relations` is article metadata, which doccano keeps as the example's `meta`.
//!   Every line has every key (`""` when unknown): doccano reads the file as one table, and a key
//!   missing from one line becomes a NaN that its database refuses as invalid JSON.
//! - Ids are integers, as doccano requires (it silently drops spans whose ids are strings): spans
//!   are numbered from 1 in reading order over the whole project, links from 1 in id order, so an
//!   id means one span or link in the main file and the sidecar alike.
//! - Offsets are Unicode code points, end exclusive (doccano is Python: `text[start:end]`).
//! - `label` is the label's name, `type` the link type's name, as Crosscheck shows them.
//! - Overlapping and nested spans are written as they are: create the doccano project with
//!   "Allow overlapping spans", or doccano keeps only the first of each overlapping group.
//! - A doccano example is one text, so a link between two articles cannot be a doccano relation.
//!   Those links go to the sidecar ([`to_cross_article_links`]), one JSON object per line, each
//!   end named by article id, entity id, offsets, label and text.

use std::collections::HashMap;

use serde::Serialize;

use crate::domain::annotation::{Relation, Span, SpanId};
use crate::domain::project::Project;
use crate::formats::common::{label_name, push_json_line};

#[derive(Serialize)]
struct Line<'a> {
    text: &'a str,
    entities: Vec<Entity<'a>>,
    relations: Vec<RelationRecord<'a>>,
    article_id: &'a str,
    title: &'a str,
    source: &'a str,
    url: &'a str,
    published: &'a str,
}

#[derive(Serialize)]
struct Entity<'a> {
    id: usize,
    start_offset: usize,
    end_offset: usize,
    label: &'a str,
}

#[derive(Serialize)]
struct RelationRecord<'a> {
    id: usize,
    from_id: usize,
    to_id: usize,
    #[serde(rename = "type")]
    relation_type: &'a str,
}

#[derive(Serialize)]
struct CrossArticleLink<'a> {
    id: usize,
    #[serde(rename = "type")]
    relation_type: &'a str,
    relation_id: &'a str,
    from: CrossArticleEnd<'a>,
    to: CrossArticleEnd<'a>,
    #[serde(skip_serializing_if = "str::is_empty")]
    kind: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    note: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    author: &'a str,
}

/// One end of a link between two articles: the span as an entity of its article's doccano example.
#[derive(Serialize)]
struct CrossArticleEnd<'a> {
    article_id: &'a str,
    entity_id: usize,
    start_offset: usize,
    end_offset: usize,
    label: &'a str,
    text: &'a str,
}

/// The integer ids of every span and link (see the module docs).
struct Numbering<'a> {
    spans: HashMap<&'a SpanId, usize>,
}

impl<'a> Numbering<'a> {
    fn new(ordered: &'a [std::rc::Rc<Span>]) -> Numbering<'a> {
        Numbering { spans: ordered.iter().enumerate().map(|(index, span)| (&span.id, index + 1)).collect() }
    }

    /// The link's ends with their integer ids, or `None` for a link whose end is missing.
    fn ends<'p>(&self, project: &'p Project, relation: &Relation) -> Option<(&'p Span, usize, &'p Span, usize)> {
        let from = project.spans().get(&relation.from)?;
        let to = project.spans().get(&relation.to)?;
        Some((from, *self.spans.get(&relation.from)?, to, *self.spans.get(&relation.to)?))
    }
}

fn relation_type_name<'p>(project: &'p Project, relation: &'p Relation) -> &'p str {
    project.relation_type(&relation.relation_type).map(|kind| kind.name.as_str()).unwrap_or(&relation.relation_type)
}

/// Serialises the project for doccano, one line per article, each ending in `\n`.
pub fn to_doccano(project: &Project) -> String {
    let ordered = project.spans_in_order();
    let numbering = Numbering::new(&ordered);
    let mut entities: HashMap<&str, Vec<Entity>> = HashMap::new();
    for span in &ordered {
        entities.entry(span.article.as_str()).or_default().push(Entity {
            id: numbering.spans[&span.id],
            start_offset: span.start,
            end_offset: span.end,
            label: label_name(project, span),
        });
    }
    let mut relations: HashMap<&str, Vec<RelationRecord>> = HashMap::new();
    for (index, relation) in project.relations().values().enumerate() {
        let Some((from, from_id, to, to_id)) = numbering.ends(project, relation) else { continue };
        if from.article == to.article {
            relations.entry(from.article.as_str()).or_default().push(RelationRecord {
                id: index + 1,
                from_id,
                to_id,
                relation_type: relation_type_name(project, relation),
            });
        }
    }
    let mut output = String::new();
    for article in project.articles() {
        let line = Line {
            text: &article.text,
            entities: entities.remove(article.id.as_str()).unwrap_or_default(),
            relations: relations.remove(article.id.as_str()).unwrap_or_default(),
            article_id: article.id.as_str(),
            title: &article.title,
            source: &article.source,
            url: &article.url,
            published: &article.published,
        };
        push_json_line(&mut output, &line);
    }
    output
}

/// How many links join two different articles (and so are in the sidecar, not in doccano's file).
pub fn cross_article_link_count(project: &Project) -> usize {
    project
        .relations()
        .values()
        .filter(|relation| match (project.spans().get(&relation.from), project.spans().get(&relation.to)) {
            (Some(from), Some(to)) => from.article != to.article,
            _ => false,
        })
        .count()
}

/// The sidecar: every link between two articles, one JSON object per line, ids as in
/// [`to_doccano`].
pub fn to_cross_article_links(project: &Project) -> String {
    let ordered = project.spans_in_order();
    let numbering = Numbering::new(&ordered);
    let mut output = String::new();
    for (index, relation) in project.relations().values().enumerate() {
        let Some((from, from_id, to, to_id)) = numbering.ends(project, relation) else { continue };
        if from.article == to.article {
            continue;
        }
        let link = CrossArticleLink {
            id: index + 1,
            relation_type: relation_type_name(project, relation),
            relation_id: relation.id.as_str(),
            from: link_end(project, from, from_id),
            to: link_end(project, to, to_id),
            kind: relation.kind_str(),
            note: &relation.note,
            author: &relation.author,
        };
        output.push_str(&serde_json::to_string(&link).unwrap_or_default());
        output.push('\n');
    }
    output
}

fn link_end<'p>(project: &'p Project, span: &'p Span, entity_id: usize) -> CrossArticleEnd<'p> {
    CrossArticleEnd {
        article_id: span.article.as_str(),
        entity_id,
        start_offset: span.start,
        end_offset: span.end,
        label: label_name(project, span),
        text: &span.text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::annotation::RelationId;
    use crate::domain::article::Article;
    use crate::domain::project::{new_relation, new_span, Edit};
    use serde_json::Value;

    fn two_articles() -> Project {
        let mut project = Project::with_articles(vec![
            Article::new("Flags 🇺🇸 rose 5%. It fell.", "One", "one.txt"),
            Article::new("It rose 5%.", "Two", "two.txt"),
        ]);
        let (first, second) = (project.articles()[0].clone(), project.articles()[1].clone());
        for (id, article, start, end) in [("s-b", &first, 6, 8), ("s-a", &first, 19, 26), ("s-c", &second, 0, 10)] {
            let span = new_span(&project, SpanId::from(id), article, start, end, &"claim".into(), 1).unwrap();
            project.apply(Edit::AddSpan(span), 1).unwrap();
        }
        for (id, kind, from, to) in [("r1", "contradicts", "s-b", "s-a"), ("r2", "supports", "s-b", "s-c")] {
            let relation =
                new_relation(&project, RelationId::from(id), &kind.into(), SpanId::from(from), SpanId::from(to), 2);
            project.apply(Edit::AddRelation(relation), 2).unwrap();
        }
        project
    }

    #[test]
    fn integer_ids_code_point_offsets_and_in_article_relations_only() {
        let project = two_articles();
        let lines: Vec<Value> = to_doccano(&project).lines().map(|line| serde_json::from_str(line).unwrap()).collect();
        assert_eq!(lines.len(), 2);
        let entities = lines[0]["entities"].as_array().unwrap();
        assert_eq!(entities[0]["id"], 1);
        assert_eq!((entities[0]["start_offset"].as_u64(), entities[0]["end_offset"].as_u64()), (Some(6), Some(8)));
        assert_eq!(entities[0]["label"], "Claim");
        assert_eq!(lines[0]["relations"].as_array().unwrap().len(), 1);
        assert_eq!(lines[0]["relations"][0]["from_id"], 1);
        assert_eq!(lines[0]["relations"][0]["to_id"], 2);
        assert_eq!(lines[0]["relations"][0]["type"], "contradicts");
        assert_eq!(lines[0]["article_id"], project.articles()[0].id.as_str());
        assert_eq!(lines[1]["entities"][0]["id"], 3);
        assert_eq!(lines[1]["url"], "", "every line has every metadata key");
    }

    #[test]
    fn cross_article_links_go_to_the_sidecar_with_the_same_ids() {
        let project = two_articles();
        assert_eq!(cross_article_link_count(&project), 1);
        let sidecar: Vec<Value> =
            to_cross_article_links(&project).lines().map(|line| serde_json::from_str(line).unwrap()).collect();
        assert_eq!(sidecar.len(), 1);
        assert_eq!(sidecar[0]["id"], 2);
        assert_eq!(sidecar[0]["relation_id"], "r2");
        assert_eq!(sidecar[0]["from"]["entity_id"], 1);
        assert_eq!(sidecar[0]["to"]["entity_id"], 3);
        assert_eq!(sidecar[0]["to"]["text"], "It rose 5%");
        assert_eq!(sidecar[0]["to"]["article_id"], project.articles()[1].id.as_str());
    }
}
