//! Whose annotations are shown: everyone's, only mine (an agreement study keeps annotators
//! blind to each other so), or everyone's but one person's; and whose an annotation is: a
//! colleague's is read-only for me until I take it over, a recorded step that makes it mine.

use crate::domain::agreement::GOLD;
use crate::domain::annotation::{Relation, Span, TakeOver};
use crate::domain::project::{Project, Settings};

/// Whose an annotation is, seen by `me`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Owner {
    /// Mine, or nobody's in particular (no author, the default unnamed annotator, the
    /// adjudicated gold layer): editable.
    Mine,
    /// A colleague's: read-only until taken over.
    Colleague(String),
}

/// Whose an annotation by `author` is for `me`.
pub fn owner(author: &str, me: &str) -> Owner {
    let nobody = author.trim().is_empty() || author == GOLD || author == Settings::default().annotator;
    if nobody || author == me {
        Owner::Mine
    } else {
        Owner::Colleague(author.to_string())
    }
}

/// An annotation someone made and a colleague may take over: a span or a link.
pub trait Authored: Clone {
    /// Its author and its record of take-overs (oldest first), to read or to change.
    fn authorship(&mut self) -> (&mut String, &mut Vec<TakeOver>);
}

impl Authored for Span {
    fn authorship(&mut self) -> (&mut String, &mut Vec<TakeOver>) {
        (&mut self.author, &mut self.take_overs)
    }
}

impl Authored for Relation {
    fn authorship(&mut self) -> (&mut String, &mut Vec<TakeOver>) {
        (&mut self.author, &mut self.take_overs)
    }
}

/// `item` made `me`'s at `now`, with the take-over recorded; `None` when it is mine already.
pub fn take_over<T: Authored>(item: &T, me: &str, now: i64) -> Option<T> {
    let mut taken = item.clone();
    let (author, take_overs) = taken.authorship();
    let Owner::Colleague(from) = owner(author, me) else { return None };
    take_overs.push(TakeOver { from, by: me.to_string(), at: now });
    *author = me.to_string();
    Some(taken)
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum AnnotatorFilter {
    #[default]
    Everyone,
    OnlyMine,
    Hide(String),
}

impl AnnotatorFilter {
    /// Whether an annotation by `author` is shown to `me`.
    pub fn shows(&self, author: &str, me: &str) -> bool {
        match self {
            AnnotatorFilter::Everyone => true,
            AnnotatorFilter::OnlyMine => author == me,
            AnnotatorFilter::Hide(name) => author != name,
        }
    }
}

/// Every author of a span or link in the project, sorted, once each.
pub fn authors(project: &Project) -> Vec<String> {
    // Borrowed names inserted one by one into a set, then the few distinct ones cloned: this runs
    // after every edit (the header's annotator filter). Cloning 12,000 names cost milliseconds,
    // and so did `collect()`, which sorts all 12,000 before it builds the set; an insertion
    // compares each name with the few distinct ones only.
    let mut names = std::collections::BTreeSet::new();
    let mut last = None;
    for author in project
        .spans()
        .values()
        .map(|span| span.author.as_str())
        .chain(project.relations().values().map(|relation| relation.author.as_str()))
    {
        // Neighbours in id order are often by the same person: one comparison, not a search.
        if last != Some(author) {
            names.insert(author);
            last = Some(author);
        }
    }
    names.into_iter().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_mine_hides_everyone_else_and_hide_hides_one_person() {
        assert!(AnnotatorFilter::Everyone.shows("bob", "ann"));
        assert!(AnnotatorFilter::OnlyMine.shows("ann", "ann"));
        assert!(!AnnotatorFilter::OnlyMine.shows("bob", "ann"));
        let hide_bob = AnnotatorFilter::Hide("bob".to_string());
        assert!(!hide_bob.shows("bob", "ann"));
        assert!(hide_bob.shows("eve", "ann") && hide_bob.shows("ann", "ann"));
        assert!(authors(&Project::default()).is_empty());
    }

    #[test]
    fn a_colleagues_annotation_is_theirs_and_nobodys_is_everyones() {
        assert_eq!(owner("bob", "ann"), Owner::Colleague("bob".to_string()));
        for author in ["ann", "", "  ", GOLD, "anonymous"] {
            assert_eq!(owner(author, "ann"), Owner::Mine, "{author:?}");
        }
    }

    #[test]
    fn a_take_over_makes_the_span_mine_and_records_who_when_and_from_whom() {
        let span = Span {
            id: "s1".into(),
            article: crate::domain::article::ArticleId::from("a-1".to_string()),
            start: 0,
            end: 5,
            label: "claim".into(),
            text: "Rafah".into(),
            attributes: Default::default(),
            author: "bob".to_string(),
            created: 1,
            modified: 1,
            take_overs: Vec::new(),
        };
        let taken = take_over(&span, "ann", 42).expect("bob's span can be taken over");
        assert_eq!(taken.author, "ann");
        assert_eq!(taken.take_overs, vec![TakeOver { from: "bob".to_string(), by: "ann".to_string(), at: 42 }]);
        assert_eq!(owner(&taken.author, "ann"), Owner::Mine);
        assert_eq!(take_over(&taken, "ann", 43), None, "mine already: nothing to take over");
        let back = take_over(&taken, "bob", 50).expect("bob takes it back");
        assert_eq!(back.author, "bob");
        assert_eq!(back.take_overs.len(), 2, "every take-over stays on record");
        assert_eq!(Span { take_overs: Vec::new(), author: "bob".to_string(), ..back }, span);
    }
}
