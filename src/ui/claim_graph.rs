//! The claim graph: every relation in the corpus, grouped into connected clusters, with filters
//! and the consistency warnings of `domain::graph`.
//!
//! Both lists are paged: the clusters (largest first) up to the first [`LINKS_PER_PAGE`] links,
//! and the first [`WARNINGS_PER_PAGE`] warnings, then a "Show more" button adds the next page (a
//! cluster cut by the page goes on in the next). Rendering all 1,082 clusters of a 2,000-link
//! project took 2–4 s before the picture above could even start, and the largest cluster alone
//! has hundreds of links.

use std::rc::Rc;

use yew::prelude::*;

use crate::domain::annotation::{Relation, RelationId, SpanId};
use crate::domain::article::{shorten, ArticleId};
use crate::domain::graph::{Warning, WarningKind};
use crate::domain::state::AppAction;
use crate::ui::span_editor::input_value;
use crate::ui::state::AppContext;

/// Links rendered at first, and added by each "Show more".
pub const LINKS_PER_PAGE: usize = 40;
/// Warnings rendered at first, and added by each "Show more".
pub const WARNINGS_PER_PAGE: usize = 20;

/// The "Show more" button under a paged list: `shown` of `total` are rendered.
fn show_more(
    testid: &'static str,
    noun: &str,
    shown: usize,
    total: usize,
    page: usize,
    more: &UseStateHandle<usize>,
) -> Html {
    if shown >= total {
        return html! {};
    }
    let onclick = {
        let more = more.clone();
        Callback::from(move |_| more.set(*more + page))
    };
    html! {
        <div class="show-more">
            <button type="button" class="banner-button" data-testid={testid} {onclick}>
                {format!("Show {} more {noun}", page.min(total - shown))}
            </button>
            <span class="reader-meta">{format!("{shown} of {total} shown")}</span>
        </div>
    }
}

fn warning_title(kind: WarningKind) -> &'static str {
    match kind {
        WarningKind::ContradictsAndSupports => "Contradicts and supports",
        WarningKind::QuoteWithoutSpeaker => "Quote without a speaker",
        WarningKind::SameStatementDifferentSpeakers => "Same statement, different speakers",
    }
}

/// Opens both ends of a link side by side in Compare, with the link selected.
pub fn compare_ends(context: &AppContext, relation: &RelationId) {
    let Some(relation) = context.project.relations().get(relation) else { return };
    let article = |id: &SpanId| context.project.spans().get(id).map(|span| span.article.clone());
    context.dispatch(AppAction::SetCompare { left: article(&relation.from), right: article(&relation.to) });
    context.dispatch(AppAction::SetView(crate::domain::state::View::Compare));
    context.dispatch(AppAction::SelectRelation(Some(relation.id.clone())));
}

/// Opens the article of `span` in the reader with the span selected.
pub fn jump_to(context: &AppContext, span: &SpanId) {
    if let Some(article) = context.project.spans().get(span).map(|span| span.article.clone()) {
        context.dispatch(AppAction::OpenArticle(article));
        context.dispatch(AppAction::SelectSpan(Some(span.clone())));
    }
}

#[component]
pub fn ClaimGraph() -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let type_filter = use_state(String::new);
    let article_filter = use_state(String::new);
    let link_limit = use_state(|| LINKS_PER_PAGE);
    let warning_limit = use_state(|| WARNINGS_PER_PAGE);
    // Found in idle time before the view opened, when the page had a moment (`ui::graph_prepare`).
    let all_clusters = &crate::ui::graph_prepare::graph_clusters(&context);
    let warnings = &crate::ui::graph_prepare::graph_warnings(&context);
    let project = &context.project;

    let relation_passes = |relation: &Relation| {
        let type_ok = type_filter.is_empty() || relation.relation_type == *type_filter;
        let article_ok = article_filter.is_empty()
            || [&relation.from, &relation.to].iter().any(|end| {
                project.spans().get(*end).is_some_and(|span| span.article.as_str() == article_filter.as_str())
            });
        type_ok && article_ok
    };
    let end_view = |id: &SpanId, testid: &'static str| {
        let span = project.spans().get(id);
        let article = span.and_then(|span| project.article(&span.article));
        let label = span.and_then(|span| project.label(&span.label));
        let onclick = {
            let context = context.clone();
            let id = id.clone();
            Callback::from(move |_| jump_to(&context, &id))
        };
        html! {
            <button type="button" class="graph-end" {onclick} title="Open in the reader">
                <span class="chip" style={label.map(|label| format!("--label:{}", label.color))}>{label.map(|label| label.name.clone()).unwrap_or_default()}</span>
                <span class="rel-text" data-testid={testid}>{span.map(|span| span.text.to_string()).unwrap_or_default()}</span>
                <span class="rel-article">{article.map(|article| format!("{} — {}", shorten(&article.title, 60), article.source)).unwrap_or_default()}</span>
            </button>
        }
    };
    let relation_view = |relation: &Rc<Relation>| {
        let symmetric = project.relation_type(&relation.relation_type).is_some_and(|definition| definition.symmetric);
        html! {
            <li class="graph-relation" data-testid="relation-item" data-relation-type={relation.relation_type.to_string()} data-kind={relation.kind_str().to_string()}>
                { end_view(&relation.from, "relation-from") }
                <span class={classes!("rel-type", "graph-type", format!("rel-{}", relation.relation_type))}>
                    {format!("{} {}", if symmetric { "↔" } else { "→" }, relation.relation_type)}
                    if let Some(kind) = &relation.kind { <span class="rel-kind">{kind.clone()}</span> }
                </span>
                { end_view(&relation.to, "relation-to") }
                if !relation.note.is_empty() { <p class="rel-note">{relation.note.clone()}</p> }
            </li>
        }
    };
    // The clusters with a link that passes the filters, each with those links; only the first
    // `link_limit` links are rendered.
    let passing: Vec<(&crate::domain::graph::Cluster, Vec<Rc<Relation>>)> = all_clusters
        .iter()
        .filter_map(|cluster| {
            let relations: Vec<Rc<Relation>> = cluster
                .relations
                .iter()
                .filter_map(|id| project.relations().get(id))
                .filter(|relation| relation_passes(relation))
                .cloned()
                .collect();
            (!relations.is_empty()).then_some((cluster, relations))
        })
        .collect();
    let total_links: usize = passing.iter().map(|(_, relations)| relations.len()).sum();
    let mut budget = *link_limit;
    let cluster_views: Vec<Html> = passing
        .iter()
        .enumerate()
        .map_while(|(index, (cluster, relations))| {
            if budget == 0 {
                return None;
            }
            let shown = relations.len().min(budget);
            budget -= shown;
            let number = index + 1;
            let articles: std::collections::BTreeSet<&ArticleId> =
                cluster.spans.iter().filter_map(|id| project.spans().get(id)).map(|span| &span.article).collect();
            Some(html! {
                <section class="cluster" data-testid="graph-cluster" aria-label={format!("Cluster {number}")}>
                    <h3 class="cluster-head">{format!("Cluster {number} · {} spans in {} articles · {} links", cluster.spans.len(), articles.len(), relations.len())}</h3>
                    <ul class="graph-relations">{ for relations[..shown].iter().map(relation_view) }</ul>
                    if shown < relations.len() {
                        <p class="reader-meta">{format!("{shown} of its {} links shown; the next page goes on with this cluster.", relations.len())}</p>
                    }
                </section>
            })
        })
        .collect();
    let warning_view = |warning: &Warning| {
        let first = warning.spans.first().cloned();
        let onclick = {
            let context = context.clone();
            Callback::from(move |_| {
                if let Some(span) = &first {
                    jump_to(&context, span);
                }
            })
        };
        html! {
            <li class="warning" data-testid="consistency-warning" data-kind={format!("{:?}", warning.kind)}>
                <button type="button" class="warning-body" {onclick}>
                    <strong>{warning_title(warning.kind)}</strong>
                    <span>{warning.message.clone()}</span>
                </button>
            </li>
        }
    };
    // A new filter starts the list again from its first page.
    let on_type = {
        let (type_filter, link_limit) = (type_filter.clone(), link_limit.clone());
        Callback::from(move |event: Event| {
            type_filter.set(input_value(&event));
            link_limit.set(LINKS_PER_PAGE);
        })
    };
    let on_article = {
        let (article_filter, link_limit) = (article_filter.clone(), link_limit.clone());
        Callback::from(move |event: Event| {
            article_filter.set(input_value(&event));
            link_limit.set(LINKS_PER_PAGE);
        })
    };
    html! {
        <section class="claim-graph" data-testid="claim-graph" aria-label="Claim graph">
            <div class="graph-head">
                <h1>{"Claim graph"}</h1>
                <p class="reader-meta">{format!("{} links in {} clusters across {} articles", project.relations().len(), all_clusters.len(), project.articles().len())}</p>
                <div class="graph-filters">
                    <label>{"Type "}
                        <select data-testid="graph-filter-type" onchange={on_type}>
                            <option value="" selected={type_filter.is_empty()}>{"all"}</option>
                            { for project.relation_types().iter().map(|relation_type| html! { <option value={relation_type.id.to_string()} selected={relation_type.id == *type_filter}>{relation_type.name.clone()}</option> }) }
                        </select>
                    </label>
                    <label>{"Article "}
                        <select data-testid="graph-filter-article" onchange={on_article}>
                            <option value="" selected={article_filter.is_empty()}>{"all"}</option>
                            { for project.articles().iter().map(|article| html! { <option value={article.id.to_string()} selected={*article_filter == *article.id}>{shorten(&article.title, 50)}</option> }) }
                        </select>
                    </label>
                </div>
            </div>
            <crate::ui::graph_picture::GraphPicture clusters={all_clusters.clone()} />
            if !warnings.is_empty() {
                <section class="warnings" aria-label="Consistency warnings">
                    <h2 class="panel-title">{format!("Consistency warnings ({})", warnings.len())}</h2>
                    <ul>{ for warnings.iter().take(*warning_limit).map(warning_view) }</ul>
                    { show_more("graph-more-warnings", "warnings", warnings.len().min(*warning_limit), warnings.len(), WARNINGS_PER_PAGE, &warning_limit) }
                </section>
            }
            if passing.is_empty() {
                <div class="empty-state graph-empty">
                    <p><strong>{"No links yet."}</strong></p>
                    <p>{"Open Compare, pick two articles, choose a span in each and press "}<kbd>{"c"}</kbd>{" (contradicts), "}<kbd>{"s"}</kbd>{" (supports), "}<kbd>{"="}</kbd>{" (same statement) or "}<kbd>{"a"}</kbd>{" (attributed to). Every link appears here, grouped with everything connected to it."}</p>
                </div>
            } else {
                { for cluster_views }
                { show_more("graph-more-links", "links", total_links.min(*link_limit), total_links, LINKS_PER_PAGE, &link_limit) }
            }
        </section>
    }
}
