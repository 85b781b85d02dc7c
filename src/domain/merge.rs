//! Merging two copies of one project: what a second browser tab saved, into this tab's copy.
//!
//! Spans and relations merge item by item, by id: the copy with the newer `modified` time wins;
//! a deletion is remembered as a tombstone with its time, and beats any version of the item
//! modified before it, so a deleted item is never resurrected. Articles are the union of both
//! lists (text never changes; the incoming copy's title and source win, being the later write).
//! Schemas take the incoming copy and keep any local label or link type it lacks.

use crate::domain::shared_map::SharedMap;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use crate::domain::annotation::{Relation, RelationId, Span, SpanId};
use crate::domain::article::{Article, ArticleId};
use crate::domain::article_order::merge_order;
use crate::domain::ids::SuggestionKey;
use crate::domain::project::{Project, ProjectParts, Settings};
use crate::domain::schema::{LabelDef, RelationTypeDef};
use crate::domain::sorting::InsertEach;

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
    local: &SharedMap<K, Rc<T>>,
    incoming: &SharedMap<K, Rc<T>>,
    tombstones: &BTreeMap<String, i64>,
    modified: impl Fn(&T) -> i64 + Copy,
) -> SharedMap<K, Rc<T>> {
    let ids: BTreeSet<&K> = local.keys().chain(incoming.keys()).into_set();
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

    let labels = with_local_extras(incoming.labels().to_vec(), local.labels(), |label| &label.id);
    let relation_types = with_local_extras(incoming.relation_types().to_vec(), local.relation_types(), |kind| &kind.id);

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

/// One item another tab wrote, as read from its document (see `formats::stored::incoming`).
#[derive(Clone, Debug, PartialEq)]
pub enum Incoming {
    /// An article (its metadata and text) from the team server: a new one joins the end of the
    /// list, a known one takes the incoming metadata.
    Article(Article),
    /// The article order another copy saved: merged by `domain::article_order::merge_order`.
    ArticleOrder(Vec<ArticleId>),
    Span(Span),
    SpanDeleted(SpanId, i64),
    Relation(Relation),
    RelationDeleted(RelationId, i64),
    Labels(Vec<LabelDef>),
    RelationTypes(Vec<RelationTypeDef>),
    Settings(Settings),
    Rejected(SuggestionKey),
    Unrejected(SuggestionKey),
}

/// What merging one incoming item gives.
#[derive(Debug, PartialEq)]
pub enum Merged {
    /// The project with the item merged in.
    Changed(Project),
    /// This copy already wins (or already holds the item).
    Unchanged,
    /// The item refers to something this copy lacks yet (a link before its span).
    Waiting,
}

fn remember_deletion(tombstones: &mut BTreeMap<String, i64>, id: &str, at: i64) -> bool {
    let known = tombstones.get(id).is_some_and(|time| *time >= at);
    let time = tombstones.get(id).copied().unwrap_or(at).max(at);
    tombstones.insert(id.to_string(), time);
    !known
}

/// The incoming schema entries, then the local ones it lacks (by id).
fn with_local_extras<T: Clone, Id: PartialEq>(mut incoming: Vec<T>, local: &[T], id: impl Fn(&T) -> &Id) -> Vec<T> {
    for entry in local {
        if !incoming.iter().any(|existing| id(existing) == id(entry)) {
            incoming.push(entry.clone());
        }
    }
    incoming
}

/// Merges one item another tab saved, by the rules of [`merge`]: the newer `modified` wins, a
/// deletion beats versions modified before it, a span deletion takes its links along.
pub fn merge_item(local: &Project, incoming: Incoming) -> Merged {
    let mut merged = local.clone();
    match merge_item_into(&mut merged, incoming) {
        MergedInto::Changed => Merged::Changed(merged),
        MergedInto::Unchanged => Merged::Unchanged,
        MergedInto::Waiting => Merged::Waiting,
    }
}

/// What merging one item into a project in place did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MergedInto {
    Changed,
    Unchanged,
    Waiting,
}

/// [`merge_item`] into `project` itself: a batch merged item by item (a pulled batch of team
/// sync) copies the project's maps once, for its first change, not once per item — at 20,000
/// spans a copy per item made a 100-document batch cost a copy of every span 100 times.
pub fn merge_item_into(project: &mut Project, incoming: Incoming) -> MergedInto {
    let local = &*project;
    let tombstone_of = |id: &str| local.tombstones().get(id).copied();
    match &incoming {
        Incoming::Span(span) => {
            if tombstone_of(span.id.as_str()).is_some_and(|deleted| deleted >= span.modified)
                || local.span(&span.id).is_some_and(|old| old.modified > span.modified || **old == *span)
            {
                return MergedInto::Unchanged;
            }
            if local.validate_span(span).is_err() {
                return MergedInto::Waiting;
            }
        }
        Incoming::Relation(relation) => {
            if tombstone_of(relation.id.as_str()).is_some_and(|deleted| deleted >= relation.modified)
                || local
                    .relation(&relation.id)
                    .is_some_and(|old| old.modified > relation.modified || **old == *relation)
            {
                return MergedInto::Unchanged;
            }
            if local.validate_relation_ends(relation).is_err() {
                return MergedInto::Waiting;
            }
        }
        Incoming::Article(article) if local.article(&article.id).is_some_and(|old| **old == *article) => {
            return MergedInto::Unchanged
        }
        Incoming::SpanDeleted(id, at) if local.span(id).is_some_and(|old| old.modified > *at) => {
            return MergedInto::Unchanged
        }
        Incoming::RelationDeleted(id, at) if local.relation(id).is_some_and(|old| old.modified > *at) => {
            return MergedInto::Unchanged
        }
        _ => {}
    }
    // Unshared after the first change: `into_parts` then moves the maps instead of copying them.
    let mut parts = std::mem::take(project).into_parts();
    let changed = match incoming {
        Incoming::Article(article) => {
            match parts.articles.iter_mut().find(|old| old.id == article.id) {
                Some(old) => *old = Rc::new(article),
                None => parts.articles.push(Rc::new(article)),
            }
            true
        }
        Incoming::ArticleOrder(order) => {
            let merged = merge_order(&parts.articles, &order, |article| &article.id);
            let changed =
                !merged.iter().map(|article| &article.id).eq(parts.articles.iter().map(|article| &article.id));
            parts.articles = merged;
            changed
        }
        Incoming::Span(span) => {
            parts.tombstones.remove(span.id.as_str());
            parts.spans.insert(span.id.clone(), Rc::new(span));
            true
        }
        Incoming::SpanDeleted(id, at) => {
            let new = remember_deletion(&mut parts.tombstones, id.as_str(), at);
            let removed = parts.spans.remove(&id).is_some();
            parts.relations.retain(|_, relation| !relation.touches(&id));
            removed || new
        }
        Incoming::Relation(relation) => {
            parts.tombstones.remove(relation.id.as_str());
            parts.relations.insert(relation.id.clone(), Rc::new(relation));
            true
        }
        Incoming::RelationDeleted(id, at) => {
            let new = remember_deletion(&mut parts.tombstones, id.as_str(), at);
            parts.relations.remove(&id).is_some() || new
        }
        Incoming::Labels(labels) => {
            let merged = with_local_extras(labels, &parts.labels, |label| &label.id);
            std::mem::replace(&mut parts.labels, merged) != parts.labels
        }
        Incoming::RelationTypes(relation_types) => {
            let merged = with_local_extras(relation_types, &parts.relation_types, |kind| &kind.id);
            std::mem::replace(&mut parts.relation_types, merged) != parts.relation_types
        }
        Incoming::Settings(settings) => std::mem::replace(&mut parts.settings, settings) != parts.settings,
        Incoming::Rejected(key) => parts.rejected_suggestions.insert(key),
        Incoming::Unrejected(key) => parts.rejected_suggestions.remove(&key),
    };
    *project = Project::from_parts(parts);
    if changed {
        MergedInto::Changed
    } else {
        MergedInto::Unchanged
    }
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
    fn an_article_from_the_team_joins_the_list_and_a_known_one_takes_its_new_metadata() {
        let local = base();
        let arriving = Article::new("A second article about Rafah.", "Second", "Wire");
        let Merged::Changed(merged) = merge_item(&local, Incoming::Article(arriving.clone())) else { panic!("added") };
        assert_eq!(merged.articles().len(), 2);
        assert_eq!(*merged.articles()[1], arriving);
        assert_eq!(merge_item(&merged, Incoming::Article(arriving.clone())), Merged::Unchanged);
        let mut details = local.articles()[0].details();
        details.title = "Renamed by a colleague".to_string();
        let renamed = Article::from_stored(local.articles()[0].id.clone(), local.articles()[0].text.clone(), details);
        let Merged::Changed(merged) = merge_item(&merged, Incoming::Article(renamed)) else { panic!("renamed") };
        assert_eq!(merged.articles()[0].title, "Renamed by a colleague");
        assert_eq!(merged.articles().len(), 2, "replaced in place");
        assert_eq!(merged.spans().len(), 2, "its annotations stay");
    }

    #[test]
    fn the_team_order_arranges_the_list_without_losing_or_doubling_an_article() {
        let local = base();
        let second = Article::new("A second article about Rafah.", "Second", "Wire");
        let Merged::Changed(local) = merge_item(&local, Incoming::Article(second.clone())) else { panic!("added") };
        let mine_only = Article::new("Only in this browser.", "Mine", "Desk");
        let Merged::Changed(local) = merge_item(&local, Incoming::Article(mine_only.clone())) else { panic!("added") };
        let first = local.articles()[0].id.clone();
        let unknown = ArticleId::from("a-00000000000000ff".to_string());
        let order = vec![unknown, second.id.clone(), first.clone(), second.id.clone()];
        let Merged::Changed(merged) = merge_item(&local, Incoming::ArticleOrder(order.clone())) else {
            panic!("moved")
        };
        let ids: Vec<&ArticleId> = merged.articles().iter().map(|article| &article.id).collect();
        assert_eq!(ids, [&second.id, &mine_only.id, &first], "the team's order; mine after its neighbour");
        assert_eq!(merged.spans().len(), 2, "annotations untouched");
        assert_eq!(merge_item(&merged, Incoming::ArticleOrder(order)), Merged::Unchanged, "merging again is a no-op");
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

    #[test]
    fn one_incoming_item_merges_like_a_whole_copy() {
        let mut tab_one = base();
        let mut tab_two = base();
        set_note(&mut tab_one, "a", "older", 10);
        set_note(&mut tab_two, "a", "newer", 20);
        let incoming = Incoming::Span((*tab_two.spans()[&SpanId::from("a")]).clone());
        let Merged::Changed(merged) = merge_item(&tab_one, incoming.clone()) else { panic!("the newer edit wins") };
        assert_eq!(merged.spans()[&SpanId::from("a")].attribute("note"), "newer");
        assert_eq!(merge_item(&merged, incoming), Merged::Unchanged, "merging twice changes nothing");
        // An older copy does not win; a deletion takes the links along; a link waits for its span.
        let older = Incoming::Span((*tab_one.spans()[&SpanId::from("a")]).clone());
        assert_eq!(merge_item(&merged, older), Merged::Unchanged);
        let Merged::Changed(deleted) = merge_item(&merged, Incoming::SpanDeleted(SpanId::from("b"), 30)) else {
            panic!()
        };
        assert!(deleted.relations().is_empty() && deleted.tombstones().contains_key("b"));
        let relation = (*base().relations()[&RelationId::from("r")]).clone();
        assert_eq!(merge_item(&deleted, Incoming::Relation(relation)), Merged::Waiting);
        let resurrect = Incoming::Span((*base().spans()[&SpanId::from("b")]).clone());
        assert_eq!(merge_item(&deleted, resurrect), Merged::Unchanged, "a tombstone beats an older version");
    }
}
