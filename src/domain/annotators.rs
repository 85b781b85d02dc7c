//! Whose annotations are shown: everyone's, only mine (an agreement study keeps annotators
//! blind to each other so), or everyone's but one person's.

use crate::domain::project::Project;

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
    let mut authors: Vec<String> = project
        .spans()
        .values()
        .map(|span| span.author.clone())
        .chain(project.relations().values().map(|relation| relation.author.clone()))
        .collect();
    authors.sort();
    authors.dedup();
    authors
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
}
