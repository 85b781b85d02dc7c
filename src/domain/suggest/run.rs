//! One run of every suggester over a project, a chunk at a time: the pipeline the browser ships
//! and the quality test measures.
//!
//! [`SuggestionRun::new`] takes a snapshot of the project (a cheap clone); each
//! [`SuggestionRun::advance`] reads at most a given number of paragraphs of one article with the
//! per-article suggesters and says how far the run is; [`SuggestionRun::finish`] reads what is
//! left, then runs the cross-article pass and keeps the suggestions still open in the snapshot
//! ([`OpenSuggestions`]), each key once. [`suggest_all`](crate::domain::suggest::suggest_all) is
//! a run advanced to its end in chunks of [`PARAGRAPHS_PER_CHUNK`], so a chunk boundary (which
//! decides how far back a speaker is looked for) falls where it falls in the browser.

use std::collections::BTreeSet;

use crate::domain::annotation::Span;
use crate::domain::article::Article;
use crate::domain::project::Project;
use crate::domain::suggest::open::OpenSuggestions;
use crate::domain::suggest::{suggest_across, suggest_for_paragraphs, Suggestion};

/// Paragraphs per chunk: small enough that one chunk of the 50,000-word benchmark article fits
/// well inside a frame's budget, so the browser yields between chunks.
pub const PARAGRAPHS_PER_CHUNK: usize = 40;

/// How far a run is, in paragraphs read with the per-article suggesters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub paragraphs_done: usize,
    pub paragraphs_total: usize,
}

impl Progress {
    /// Whether every paragraph is read (what is left is [`SuggestionRun::finish`]).
    pub fn is_complete(self) -> bool {
        self.paragraphs_done >= self.paragraphs_total
    }
}

/// A suggestion run in progress over a snapshot of a project.
#[derive(Clone, Debug)]
pub struct SuggestionRun {
    project: Project,
    /// The article being read, an index into the snapshot's articles.
    article: usize,
    /// The first paragraph of that article not yet read.
    paragraph: usize,
    paragraphs_done: usize,
    paragraphs_total: usize,
    per_article: Vec<Suggestion>,
}

impl SuggestionRun {
    pub fn new(project: &Project) -> SuggestionRun {
        let paragraphs_total = project.articles().iter().map(|article| article.paragraphs().len()).sum();
        SuggestionRun {
            project: project.clone(),
            article: 0,
            paragraph: 0,
            paragraphs_done: 0,
            paragraphs_total,
            per_article: Vec::new(),
        }
    }

    pub fn progress(&self) -> Progress {
        Progress { paragraphs_done: self.paragraphs_done, paragraphs_total: self.paragraphs_total }
    }

    /// Reads the next at most `paragraphs` paragraphs (at least one) of the current article;
    /// a chunk never spans two articles. Does nothing once every paragraph is read.
    pub fn advance(&mut self, paragraphs: usize) -> Progress {
        let articles = self.project.articles();
        while let Some(article) = articles.get(self.article) {
            let count = article.paragraphs().len();
            if self.paragraph >= count {
                self.article += 1;
                self.paragraph = 0;
                continue;
            }
            let last = (self.paragraph + paragraphs.max(1)).min(count);
            self.per_article.extend(suggest_for_paragraphs(article, self.paragraph..last));
            self.paragraphs_done += last - self.paragraph;
            self.paragraph = last;
            break;
        }
        self.progress()
    }

    /// Reads what is left in chunks of [`PARAGRAPHS_PER_CHUNK`], then the cross-article pass;
    /// returns the suggestions still open in the snapshot, per article in the project's article
    /// order and reading order, then the links by decreasing score, each key once.
    pub fn finish(mut self) -> Vec<Suggestion> {
        while !self.advance(PARAGRAPHS_PER_CHUNK).is_complete() {}
        let articles: Vec<&Article> = self.project.articles().iter().map(|article| article.as_ref()).collect();
        let spans: Vec<&Span> = self.project.spans().values().map(|span| span.as_ref()).collect();
        let links = suggest_across(&articles, &spans, &self.per_article);
        let open = OpenSuggestions::new(&self.project);
        // A speaker is proposed with each chunk that quotes them: the first chunk's stays.
        let mut seen = BTreeSet::new();
        self.per_article
            .into_iter()
            .chain(links)
            .filter(|suggestion| seen.insert(suggestion.key.clone()) && open.is_open(suggestion))
            .collect()
    }
}
