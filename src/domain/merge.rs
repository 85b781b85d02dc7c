//! Merging two copies of one project: what a second browser tab saved, into this tab's copy.
//!
//! Spans and relations merge item by item, by id: the copy with the newer `modified` time wins;
//! a deletion is remembered as a tombstone with its time, and beats any version of the item
//! modified before it, so a deleted item is never resurrected. Articles are the union of both
//! lists (text never changes; the incoming copy's title and source win, being the later write).
//! Schemas take the incoming copy and keep any local label or link type it lacks.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use crate::domain::project::{Project, ProjectParts};

/// Picks, for one id, the surviving item from the two copies and the two tombstone maps.
fn pick<T: Clone>(
    local: Option<&Rc<T>>,
    incoming: Option<&Rc<T>>,
    tombstone: Option<i64>,
    modified: impl Fn(&T) -> i64,
) -> Option<Rc<T>> {
    let winner = match (local, incoming) {
        (Some(local), Some(incoming)) => {
            if modified(local) > modified(incoming) {
                local
            } else {
                incoming
            }
        }
        (Some(only), None) | (None, Some(only)) => only,
        (None, None) => return None,
    };
    match tombstone {
        Some(deleted_at) if deleted_at >= modified(winner) => None,
        _ => Some(winner.clone()),
    }
}

fn merge_items<K: Ord + Clone + AsRef<str>, T: Clone>(
    local: &BTreeMap<K, Rc<T>>,
    incoming: &BTreeMap<K, Rc<T>>,
    tombstones: &BTreeMap<String, i64>,
    modified: impl Fn(&T) -> i64 + Copy,
) -> BTreeMap<K, Rc<T>> {
    let ids: BTreeSet<&K> = local.keys().chain(incoming.keys()).collect();
    ids.into_iter()
        .filter_map(|id| {
            let tombstone = tombstones.get(id.as_ref()).copied();
            pick(local.get(id), incoming.get(id), tombstone, modified).map(|item| (id.clone(), item))
        })
        .collect()
}

impl AsRef<str> for crate::domain::annotation::SpanId {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for crate::domain::annotation::RelationId {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

/// Merges `incoming` (another tab's saved copy) into `local`.
pub fn merge(local: &Project, incoming: &Project) -> Project {
    let mut tombstones = local.tombstones().clone();
    for (id, time) in incoming.tombstones() {
        let entry = tombstones.entry(id.clone()).or_insert(*time);
        *entry = (*entry).max(*time);
    }

    let mut articles = Vec::with_capacity(local.articles().len().max(incoming.articles().len()));
    for article in local.articles() {
        articles.push(incoming.article(&article.id).cloned().unwrap_or_else(|| article.clone()));
    }
    for article in incoming.articles() {
        if local.article(&article.id).is_none() {
            articles.push(article.clone());
        }
    }

    let mut labels = incoming.labels().to_vec();
    for label in local.labels() {
        if !labels.iter().any(|existing| existing.id == label.id) {
            labels.push(label.clone());
        }
    }
    let mut relation_types = incoming.relation_types().to_vec();
    for relation_type in local.relation_types() {
        if !relation_types.iter().any(|existing| existing.id == relation_type.id) {
            relation_types.push(relation_type.clone());
        }
    }

    let mut merged = ProjectParts {
        articles,
        labels,
        relation_types,
        spans: merge_items(local.spans(), incoming.spans(), &tombstones, |span| span.modified),
        relations: merge_items(local.relations(), incoming.relations(), &tombstones, |relation| relation.modified),
        settings: incoming.settings().clone(),
        tombstones,
        rejected_suggestions: local.rejected_suggestions().union(incoming.rejected_suggestions()).cloned().collect(),
    };
    // A relation survives only with both of its ends (a span deleted in one tab takes its links).
    let spans = &merged.spans;
    merged.relations.retain(|_, relation| spans.contains_key(&relation.from) && spans.contains_key(&relation.to));
    Project::from_parts(merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::annotation::{RelationId, SpanId};
    use crate::domain::article::Article;
    use crate::domain::project::{new_relation, new_span, Edit};

    fn base() -> Project {
        let article = Article::new("Alpha beta gamma delta epsilon.", "", "t");
        let mut project = Project::with_articles(vec![article.clone()]);
        for (id, start, end) in [("a", 0, 5), ("b", 6, 10)] {
            let span = new_span(&project, SpanId::from(id), &article, start, end, &"claim".into(), 1).unwrap();
            project.apply(Edit::AddSpan(span), 1).unwrap();
        }
        let relation =
            new_relation(&project, RelationId::from("r"), &"supports".into(), SpanId::from("a"), SpanId::from("b"), 1);
        project.apply(Edit::AddRelation(relation), 1).unwrap();
        project
    }

    fn set_note(project: &mut Project, id: &str, note: &str, now: i64) {
        let mut span = (*project.spans()[&SpanId::from(id)]).clone();
        span.attributes.insert("note".to_string(), note.to_string());
        project.apply(Edit::UpdateSpan(span), now).unwrap();
    }

    #[test]
    fn edits_in_both_tabs_survive_and_the_newer_edit_of_one_item_wins() {
        let mut tab_one = base();
        let mut tab_two = base();
        set_note(&mut tab_one, "a", "from tab one", 10);
        set_note(&mut tab_two, "a", "from tab two, later", 20);
        set_note(&mut tab_two, "b", "only tab two", 15);
        let article = tab_one.articles()[0].clone();
        let span = new_span(&tab_one, SpanId::from("c"), &article, 11, 16, &"quote".into(), 12).unwrap();
        tab_one.apply(Edit::AddSpan(span), 12).unwrap();

        let merged = merge(&tab_one, &tab_two);
        assert_eq!(merged.spans()[&SpanId::from("a")].attribute("note"), "from tab two, later");
        assert_eq!(merged.spans()[&SpanId::from("b")].attribute("note"), "only tab two");
        assert!(merged.spans().contains_key(&SpanId::from("c")), "a span only one tab made is kept");
        // Merging is symmetric in outcome.
        assert_eq!(merge(&tab_two, &tab_one).spans(), merged.spans());
    }

    #[test]
    fn deletions_are_not_resurrected_but_later_edits_beat_older_deletions() {
        let mut tab_one = base();
        let tab_two = base();
        tab_one.apply(Edit::RemoveSpan(SpanId::from("a")), 30).unwrap();
        let merged = merge(&tab_one, &tab_two);
        assert!(!merged.spans().contains_key(&SpanId::from("a")));
        assert!(merged.relations().is_empty(), "the relation went with its span");
        let merged_other_way = merge(&tab_two, &tab_one);
        assert!(!merged_other_way.spans().contains_key(&SpanId::from("a")));

        let mut tab_three = base();
        set_note(&mut tab_three, "a", "edited after the deletion", 40);
        let merged = merge(&tab_one, &tab_three);
        assert_eq!(merged.spans()[&SpanId::from("a")].attribute("note"), "edited after the deletion");
    }

    #[test]
    fn articles_and_labels_are_united() {
        let mut tab_one = base();
        let tab_two = base();
        tab_one
            .apply(Edit::InsertArticle { position: 9, article: Article::new("Another article.", "", "u") }, 5)
            .unwrap();
        let merged = merge(&tab_two, &tab_one);
        assert_eq!(merged.articles().len(), 2);
    }
}
