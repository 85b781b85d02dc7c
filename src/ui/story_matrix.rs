//! The story matrix view: who says what, one row per linked statement, one column per outlet.
//!
//! A real table (`<table>` with column and row headers) built from `domain::story::StoryMatrix`;
//! this file only renders it and turns clicks into actions. A cell entry is a button: click or
//! Enter opens the span in the reader; a contradiction mark opens both ends in Compare.

use yew::prelude::*;

use crate::domain::story::{Contradiction, Entry, MatrixFilter, RowOrder, RowView, StoryMatrix};
use crate::ui::claim_graph::{compare_ends, jump_to};
use crate::ui::span_editor::input_value;
use crate::ui::state::AppContext;

/// The verdicts the default schema knows get their own colour; any other word a neutral one.
fn verdict_class(verdict: &str) -> String {
    let known = ["accurate", "inaccurate", "misleading", "unsupported", "unverified"];
    format!("verdict v-{}", if known.contains(&verdict) { verdict } else { "other" })
}

fn entry_view(context: &AppContext, entry: &Entry) -> Html {
    let onclick = {
        let context = context.clone();
        let span = entry.span.clone();
        Callback::from(move |_| jump_to(&context, &span))
    };
    let label = context.project.label(&entry.label);
    let short = crate::domain::article::shorten(&entry.text, 140);
    let shortened = short != entry.text.trim();
    let pieces = entry.pieces();
    let text = if shortened {
        html! { <span class="entry-text">{short}</span> }
    } else {
        html! { <span class="entry-text">{ for pieces.iter().map(|(piece, figure)| if *figure { html! { <mark class="figure">{piece.clone()}</mark> } } else { html! { {piece.clone()} } }) }</span> }
    };
    let mut description = entry.text.clone();
    if !entry.speaker.is_empty() {
        description.push_str(&format!(" — {}", entry.speaker));
    }
    html! {
        <button type="button" class="matrix-entry" data-span-id={entry.span.to_string()} {onclick}
            title={description.clone()} aria-label={format!("{}: {description}. Open in the reader", label.map(|label| label.name.clone()).unwrap_or_default())}>
            <span class="entry-head">
                <span class="chip" style={label.map(|label| format!("--label:{}", label.color))}>{label.map(|label| label.name.clone()).unwrap_or_default()}</span>
                if !entry.verdict.is_empty() { <span class={verdict_class(&entry.verdict)}>{entry.verdict.clone()}</span> }
            </span>
            {text}
            if !entry.speaker.is_empty() { <span class="entry-speaker">{format!("— {}", entry.speaker)}</span> }
            if shortened { <span class="entry-full" aria-hidden="true">{entry.text.clone()}</span> }
        </button>
    }
}

fn contradiction_row(context: &AppContext, matrix: &StoryMatrix, view: &RowView, mark: &Contradiction) -> Html {
    let (first, last) = (mark.from_column.min(mark.to_column), mark.from_column.max(mark.to_column));
    let onclick = {
        let context = context.clone();
        let relation = mark.relation.clone();
        Callback::from(move |_| compare_ends(&context, &relation))
    };
    let text_of = |id| {
        view.row
            .cells
            .iter()
            .flatten()
            .find(|entry| &entry.span == id)
            .map(|entry| crate::domain::article::shorten(&entry.text, 40))
            .unwrap_or_default()
    };
    let outlet = |column: usize| matrix.columns.get(column).map(|column| column.outlet.clone()).unwrap_or_default();
    let summary = format!(
        "“{}” ({}) contradicts “{}” ({})",
        text_of(&mark.from),
        outlet(mark.from_column),
        text_of(&mark.to),
        outlet(mark.to_column)
    );
    html! {
        <tr class="matrix-marks">
            <th scope="row" class="mark-head"><span class="visually-hidden">{"Contradiction"}</span></th>
            { for (0..first).map(|_| html! { <td class="mark-gap"></td> }) }
            <td colspan={(last - first + 1).to_string()} class="mark-cell">
                <button type="button" class="matrix-contradiction" data-testid="matrix-contradiction"
                    data-from-column={mark.from_column.to_string()} data-to-column={mark.to_column.to_string()}
                    {onclick} title="Open both ends in Compare">
                    <span class="mark-symbol" aria-hidden="true">{"✕"}</span>
                    <span>{format!("contradicts{}", if mark.kind.is_empty() { String::new() } else { format!(" · {}", mark.kind) })}</span>
                    <span class="mark-summary">{summary}</span>
                    if !mark.note.is_empty() { <span class="mark-note">{format!("Note: {}", mark.note)}</span> }
                </button>
            </td>
            { for (last + 1..matrix.columns.len()).map(|_| html! { <td class="mark-gap"></td> }) }
        </tr>
    }
}

fn row_view(context: &AppContext, matrix: &StoryMatrix, view: &RowView) -> Html {
    let figures = view.row.differing_figures();
    let reported = view.cells.iter().filter(|cell| !cell.is_empty()).count();
    html! {
        <>
            <tr class={classes!("matrix-row", (!view.contradictions.is_empty()).then_some("contradicted"))} data-testid="matrix-row" data-cluster={view.row.key.clone()}>
                <th scope="row" class="row-head">
                    <span class="row-title">{view.row.title.clone()}</span>
                    <span class="row-meta">{format!("{reported} of {} outlets", matrix.columns.len())}
                        if !view.contradictions.is_empty() { <span class="row-contradicted">{format!(" · ✕ {} contradiction{}", view.contradictions.len(), if view.contradictions.len() == 1 { "" } else { "s" })}</span> }
                    </span>
                    if !figures.is_empty() {
                        <span class="row-figures" data-testid="matrix-figures">
                            <span class="visually-hidden">{"Figures differ: "}</span>
                            { for figures.iter().enumerate().map(|(index, (_, figures))| html! { <>
                                if index > 0 { <span class="figure-sep" aria-hidden="true">{" | "}</span> }
                                <mark class="figure">{figures.join(", ")}</mark>
                            </> }) }
                        </span>
                    }
                </th>
                { for view.cells.iter().enumerate().map(|(column, cell)| {
                    let article = matrix.columns[column].article.to_string();
                    html! {
                        <td class={classes!("matrix-cell", cell.is_empty().then_some("empty"))} data-testid="matrix-cell" data-article-id={article} data-cluster={view.row.key.clone()}>
                            if cell.is_empty() { <span class="not-reported">{"not reported"}</span> }
                            else { { for cell.iter().map(|entry| entry_view(context, entry)) } }
                        </td>
                    }
                }) }
            </tr>
            { for view.contradictions.iter().map(|mark| contradiction_row(context, matrix, view, mark)) }
        </>
    }
}

#[component]
pub fn StoryMatrixView() -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let filter = use_state(MatrixFilter::default);
    let order = use_state(RowOrder::default);
    let matrix = {
        let context = context.clone();
        use_memo(context.revision, move |_| StoryMatrix::build(&context.project))
    };
    let rows = matrix.view(&filter, *order);
    let (verdicts, _) = matrix.verdicts_and_annotators();
    let set = |apply: fn(&mut MatrixFilter, String)| {
        let filter = filter.clone();
        Callback::from(move |event: Event| {
            let mut next = (*filter).clone();
            apply(&mut next, input_value(&event));
            filter.set(next);
        })
    };
    let on_order = {
        let order = order.clone();
        Callback::from(move |event: Event| order.set(RowOrder::from_id(&input_value(&event))))
    };
    let options = |values: Vec<(String, String)>, current: &str| {
        html! { <>
            <option value="" selected={current.is_empty()}>{"all"}</option>
            { for values.into_iter().map(|(value, name)| { let selected = current == value; html! { <option {selected} {value}>{name}</option> } }) }
        </> }
    };
    let project = &context.project;
    let labels = project.labels().iter().map(|label| (label.id.to_string(), label.name.clone())).collect();
    let link_types = crate::domain::story::matrix::ROW_LINK_TYPES
        .iter()
        .map(|id| (id.to_string(), project.relation_type(id).map_or_else(|| id.to_string(), |kind| kind.name.clone())))
        .collect();
    let verdict_options = verdicts.iter().map(|verdict| (verdict.to_string(), verdict.to_string())).collect();
    let annotator_options = matrix.annotator_choices();
    let contradicted = rows.iter().filter(|row| !row.contradictions.is_empty()).count();
    html! {
        <section class="story-matrix" data-testid="story-matrix" aria-label="Story matrix">
            <div class="graph-head matrix-head">
                <h1>{"Story matrix"}</h1>
                <p class="reader-meta">{format!("{} linked statements across {} outlets · {contradicted} contradicted", rows.len(), matrix.columns.len())}</p>
                <div class="graph-filters matrix-controls">
                    <label>{"Sort "}
                        <select data-testid="matrix-sort" onchange={on_order}>
                            { for RowOrder::ALL.iter().map(|candidate| html! { <option value={candidate.id()} selected={*order == *candidate}>{candidate.name()}</option> }) }
                        </select>
                    </label>
                    <label>{"Label "}<select data-testid="matrix-filter-label" onchange={set(|filter, value| filter.label = value)}>{options(labels, &filter.label)}</select></label>
                    <label>{"Link "}<select data-testid="matrix-filter-link" onchange={set(|filter, value| filter.link_type = value)}>{options(link_types, &filter.link_type)}</select></label>
                    <label>{"Verdict "}<select data-testid="matrix-filter-verdict" onchange={set(|filter, value| filter.verdict = value)}>{options(verdict_options, &filter.verdict)}</select></label>
                    <label>{"Annotator "}<select data-testid="matrix-filter-annotator" onchange={set(|filter, value| filter.annotator = value)}>{options(annotator_options, &filter.annotator)}</select></label>
                </div>
            </div>
            if rows.is_empty() {
                <div class="empty-state graph-empty">
                    <p><strong>{if matrix.rows.is_empty() { "No linked statements yet." } else { "No row matches these filters." }}</strong></p>
                    <p>{"Link claims and quotes across articles in Compare (same statement, supports, contradicts): each group of linked statements becomes a row here, with what every outlet says side by side."}</p>
                </div>
            } else {
                <div class="matrix-scroll">
                    <table class="matrix-table">
                        <caption class="visually-hidden">{"What each outlet says about each linked statement; contradictions are marked under the row they belong to."}</caption>
                        <thead><tr>
                            <th scope="col" class="corner">{"Statement"}</th>
                            { for matrix.columns.iter().map(|column| html! {
                                <th scope="col" class="column-head" data-article-id={column.article.to_string()} title={column.title.clone()}>
                                    <span class="outlet">{column.outlet.clone()}</span>
                                    <span class="column-date">{if column.date.is_empty() { "undated".to_string() } else { column.date.clone() }}</span>
                                </th>
                            }) }
                        </tr></thead>
                        <tbody>{ for rows.iter().map(|view| row_view(&context, &matrix, view)) }</tbody>
                    </table>
                </div>
            }
        </section>
    }
}
