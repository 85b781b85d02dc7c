//! The story matrix: rows of linked claims and quotes, one column per article, in date order.
//!
//! A row is a cluster of spans joined by same-statement, supports or contradicts links
//! (`graph::clusters_where`; attributed-to links are left out so speakers are not rows). A column
//! is an article, headed by its outlet and date. A cell holds what that article says for the
//! row: each span with its text, its speaker (quotes) and its verdict (claims). Contradictions
//! join two cells; figures that differ along a row are marked. Building is done once per project
//! revision; sorting and filtering ([`StoryMatrix::view`]) borrow from it.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::agreement::GOLD;
use crate::domain::annotation::{LabelId, RelationId, RelationTypeId, SpanId};
use crate::domain::article::{shorten, Article, ArticleId};
use crate::domain::graph::{clusters_where, SpeakerIndex};
use crate::domain::project::Project;
use crate::domain::schema::{CONTRADICTS, SAME_STATEMENT, SUPPORTS};
use crate::domain::sorting::InsertEach;
use crate::domain::story::numbers::{figures_in, mark_differences, Figure};

/// The link types that put two spans in one row.
pub const ROW_LINK_TYPES: [&str; 3] = [SAME_STATEMENT, SUPPORTS, CONTRADICTS];

/// The name an article's column is headed with: its outlet (the page's site name, else the
/// source), else its title.
pub fn outlet_of(article: &Article) -> String {
    [article.metadata.site_name.trim(), article.source.trim()]
        .into_iter()
        .find(|name| !name.is_empty())
        .map_or_else(|| shorten(&article.title, 40), str::to_string)
}

/// The calendar date of an article's `published` value (`2024-03-25T…` → `2024-03-25`), or the
/// value as written when it is not ISO 8601, or "" when unknown.
pub fn published_date(article: &Article) -> String {
    let published = article.published.trim();
    let iso = published.len() >= 10
        && published.as_bytes()[..10].iter().enumerate().all(|(index, byte)| {
            if index == 4 || index == 7 {
                *byte == b'-'
            } else {
                byte.is_ascii_digit()
            }
        });
    if iso {
        published[..10].to_string()
    } else {
        published.to_string()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub article: ArticleId,
    pub outlet: String,
    /// See [`published_date`]; "" when unknown.
    pub date: String,
    pub title: String,
}

/// One span in a cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub span: SpanId,
    pub text: String,
    /// The label id.
    pub label: LabelId,
    /// Who a quote is credited with ("" for other labels or nobody).
    pub speaker: String,
    /// The `verdict` attribute ("" when the label has none).
    pub verdict: String,
    /// The span's `note` attribute.
    pub note: String,
    pub author: String,
    /// Figures in the text, in code points of `text`.
    pub figures: Vec<Figure>,
}

/// A contradicts link between two entries of a row.
impl Entry {
    /// The text in pieces, each flagged when it is a figure that differs along the row.
    pub fn pieces(&self) -> Vec<(String, bool)> {
        let chars: Vec<char> = self.text.chars().collect();
        let mut pieces = Vec::new();
        let mut at = 0;
        for figure in self.figures.iter().filter(|figure| figure.differs) {
            if figure.start < at || figure.end > chars.len() {
                continue;
            }
            if figure.start > at {
                pieces.push((chars[at..figure.start].iter().collect(), false));
            }
            pieces.push((chars[figure.start..figure.end].iter().collect(), true));
            at = figure.end;
        }
        if at < chars.len() {
            pieces.push((chars[at..].iter().collect(), false));
        }
        pieces
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Contradiction {
    pub relation: RelationId,
    pub from: SpanId,
    pub to: SpanId,
    pub from_column: usize,
    pub to_column: usize,
    /// The sub-kind (numeric, factual, …) or "".
    pub kind: String,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The id of the row's first span in export order: stable while the cluster lives.
    pub key: String,
    /// A short name for the row: its earliest-reported span's text, shortened.
    pub title: String,
    /// One list of entries per column, in reading order; empty: not reported.
    pub cells: Vec<Vec<Entry>>,
    pub contradictions: Vec<Contradiction>,
    /// The types of the links inside the row.
    pub link_types: BTreeSet<RelationTypeId>,
    pub link_count: usize,
    /// Whether some figures along the row disagree.
    pub figures_differ: bool,
    /// The row's place in the cluster order (largest first), the last tie-break of every sort.
    position: usize,
}

impl Row {
    /// How many articles report the row.
    pub fn reported_by(&self) -> usize {
        self.cells.iter().filter(|cell| !cell.is_empty()).count()
    }

    /// The first column (earliest article) that reports the row.
    pub fn first_column(&self) -> usize {
        self.cells.iter().position(|cell| !cell.is_empty()).unwrap_or(usize::MAX)
    }

    /// The differing figures of each column, for "1 million | 1.4 million" (columns without one
    /// left out).
    pub fn differing_figures(&self) -> Vec<(usize, Vec<&str>)> {
        self.cells
            .iter()
            .enumerate()
            .filter_map(|(column, cell)| {
                let figures: Vec<&str> = cell
                    .iter()
                    .flat_map(|entry| {
                        entry.figures.iter().filter(|figure| figure.differs).map(|figure| figure.text.as_str())
                    })
                    .collect();
                (!figures.is_empty()).then_some((column, figures))
            })
            .collect()
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RowOrder {
    /// Most contradicts links first, then most reported.
    #[default]
    MostContradicted,
    /// Reported by the most articles first.
    MostReported,
    /// Reported earliest first (the leftmost column).
    FirstReported,
}

impl RowOrder {
    pub const ALL: [RowOrder; 3] = [RowOrder::MostContradicted, RowOrder::MostReported, RowOrder::FirstReported];

    pub fn id(self) -> &'static str {
        match self {
            RowOrder::MostContradicted => "most-contradicted",
            RowOrder::MostReported => "most-reported",
            RowOrder::FirstReported => "first-reported",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            RowOrder::MostContradicted => "Most contradicted",
            RowOrder::MostReported => "Most reported",
            RowOrder::FirstReported => "First reported",
        }
    }

    pub fn from_id(id: &str) -> RowOrder {
        RowOrder::ALL.into_iter().find(|order| order.id() == id).unwrap_or_default()
    }
}

/// What the matrix shows; an empty field admits everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MatrixFilter {
    /// A label id: only spans with it.
    pub label: String,
    /// A link type: only rows with a link of it.
    pub link_type: String,
    /// Only spans with this verdict.
    pub verdict: String,
    /// Only spans this person made.
    pub annotator: String,
}

impl MatrixFilter {
    pub fn admits(&self, entry: &Entry) -> bool {
        (self.label.is_empty() || entry.label == self.label)
            && (self.verdict.is_empty() || entry.verdict == self.verdict)
            && (self.annotator.is_empty() || entry.author == self.annotator)
    }
}

/// A row as shown: its entries and contradictions that pass the filter.
#[derive(Clone, Debug, PartialEq)]
pub struct RowView<'matrix> {
    pub row: &'matrix Row,
    pub cells: Vec<Vec<&'matrix Entry>>,
    pub contradictions: Vec<&'matrix Contradiction>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct StoryMatrix {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

impl StoryMatrix {
    /// Builds every row of the project. `O(s log s + r)` plus reading each span's figures.
    pub fn build(project: &Project) -> StoryMatrix {
        let mut columns: Vec<(usize, &Article)> =
            project.articles().iter().enumerate().map(|(index, article)| (index, &**article)).collect();
        // Dated articles first, by date; undated ones after them, in project order.
        crate::domain::sorting::sort_by_cached_key(&mut columns, |(index, article)| {
            let date = published_date(article);
            (date.is_empty(), date, *index)
        });
        let column_of: BTreeMap<&ArticleId, usize> =
            columns.iter().enumerate().map(|(column, (_, article))| (&article.id, column)).into_map();
        let speakers = SpeakerIndex::new(project);
        let clusters = clusters_where(project, |relation| ROW_LINK_TYPES.contains(&relation.relation_type.as_str()));
        let mut rows = Vec::with_capacity(clusters.len());
        for (position, cluster) in clusters.iter().enumerate() {
            let mut cells: Vec<Vec<Entry>> = vec![Vec::new(); columns.len()];
            let mut column_of_span: BTreeMap<&SpanId, usize> = BTreeMap::new();
            for span in cluster.spans.iter().filter_map(|id| project.spans().get(id)) {
                let Some(&column) = column_of.get(&span.article) else { continue };
                column_of_span.insert(&span.id, column);
                let speaker = if span.label == "quote" { speakers.speaker_of(span) } else { String::new() };
                cells[column].push(Entry {
                    span: span.id.clone(),
                    text: span.text.to_string(),
                    label: span.label.clone(),
                    speaker,
                    verdict: span.attribute("verdict").to_string(),
                    note: span.attribute("note").to_string(),
                    author: span.author.clone(),
                    figures: figures_in(&span.text),
                });
            }
            let mut figures: Vec<Vec<Figure>> =
                cells.iter_mut().flatten().map(|entry| std::mem::take(&mut entry.figures)).collect();
            let figures_differ = mark_differences(&mut figures);
            for (entry, figures) in cells.iter_mut().flatten().zip(figures) {
                entry.figures = figures;
            }
            let mut contradictions = Vec::new();
            let mut link_types = BTreeSet::new();
            for relation in cluster.relations.iter().filter_map(|id| project.relations().get(id)) {
                link_types.insert(relation.relation_type.clone());
                let ends = (column_of_span.get(&relation.from), column_of_span.get(&relation.to));
                if let (true, (Some(&from_column), Some(&to_column))) = (relation.relation_type == CONTRADICTS, ends) {
                    contradictions.push(Contradiction {
                        relation: relation.id.clone(),
                        from: relation.from.clone(),
                        to: relation.to.clone(),
                        from_column,
                        to_column,
                        kind: relation.kind_str().to_string(),
                        note: relation.note.clone(),
                    });
                }
            }
            crate::domain::sorting::sort_by_key(&mut contradictions, |mark| {
                (mark.from_column.min(mark.to_column), mark.from_column.max(mark.to_column))
            });
            let title = cells.iter().flatten().next().map(|entry| shorten(&entry.text, 70)).unwrap_or_default();
            let key = cluster.spans.first().map(|id| id.to_string()).unwrap_or_default();
            rows.push(Row {
                key,
                title,
                cells,
                contradictions,
                link_types,
                link_count: cluster.relations.len(),
                figures_differ,
                position,
            });
        }
        let columns = columns
            .into_iter()
            .map(|(_, article)| Column {
                article: article.id.clone(),
                outlet: outlet_of(article),
                date: published_date(article),
                title: article.title.clone(),
            })
            .collect();
        StoryMatrix { columns, rows }
    }

    /// The rows that pass `filter`, in `order`. A row whose entries are all filtered out is left
    /// out; a contradiction is shown only when both its ends are.
    pub fn view(&self, filter: &MatrixFilter, order: RowOrder) -> Vec<RowView<'_>> {
        let mut views: Vec<RowView> = self
            .rows
            .iter()
            .filter(|row| filter.link_type.is_empty() || row.link_types.contains(filter.link_type.as_str()))
            .filter_map(|row| {
                let cells: Vec<Vec<&Entry>> =
                    row.cells.iter().map(|cell| cell.iter().filter(|entry| filter.admits(entry)).collect()).collect();
                let shown: BTreeSet<&SpanId> = cells.iter().flatten().map(|entry| &entry.span).into_set();
                if shown.is_empty() {
                    return None;
                }
                let contradictions = row
                    .contradictions
                    .iter()
                    .filter(|mark| shown.contains(&mark.from) && shown.contains(&mark.to))
                    .collect();
                Some(RowView { row, cells, contradictions })
            })
            .collect();
        let reported = |view: &RowView| view.cells.iter().filter(|cell| !cell.is_empty()).count();
        let first = |view: &RowView| view.cells.iter().position(|cell| !cell.is_empty()).unwrap_or(usize::MAX);
        match order {
            RowOrder::MostContradicted => crate::domain::sorting::sort_by_cached_key(&mut views, |view| {
                (std::cmp::Reverse(view.contradictions.len()), std::cmp::Reverse(reported(view)), view.row.position)
            }),
            RowOrder::MostReported => crate::domain::sorting::sort_by_cached_key(&mut views, |view| {
                (std::cmp::Reverse(reported(view)), std::cmp::Reverse(view.contradictions.len()), view.row.position)
            }),
            RowOrder::FirstReported => {
                crate::domain::sorting::sort_by_cached_key(&mut views, |view| (first(view), view.row.position))
            }
        }
        views
    }

    /// The verdicts and annotators present, for the filter menus.
    pub fn verdicts_and_annotators(&self) -> (BTreeSet<&str>, BTreeSet<&str>) {
        let entries = || self.rows.iter().flat_map(|row| row.cells.iter().flatten());
        let verdicts = entries().map(|entry| entry.verdict.as_str()).filter(|verdict| !verdict.is_empty()).collect();
        let annotators = entries().map(|entry| entry.author.as_str()).filter(|author| !author.is_empty()).collect();
        (verdicts, annotators)
    }

    /// The annotator filter's choices, value and name: the agreement gold layer first (as
    /// "gold layer", the name the export menu gives it), then each annotator.
    pub fn annotator_choices(&self) -> Vec<(String, String)> {
        let (_, annotators) = self.verdicts_and_annotators();
        let gold = annotators.contains(GOLD).then(|| (GOLD.to_string(), "gold layer".to_string()));
        gold.into_iter()
            .chain(annotators.iter().filter(|name| **name != GOLD).map(|name| (name.to_string(), name.to_string())))
            .collect()
    }

    /// The column of an article.
    pub fn column_of(&self, article: &ArticleId) -> Option<usize> {
        self.columns.iter().position(|column| &column.article == article)
    }
}
