//! The compare view: two articles side by side, and linking a span on the left to one on the right.
//!
//! Each pane picks its article and scrolls on its own. Selecting text or clicking a highlight in a
//! pane sets that pane's end of the link; a relation hotkey (`c`, `s`, `=`, `a`) or a button links
//! the two ends, creating spans from selected text on the fly, as one undoable step.

use std::rc::Rc;

use yew::prelude::*;

use crate::domain::annotation::{Relation, SpanId};
use crate::domain::article::{shorten, ArticleId};
use crate::domain::project::Edit;
use crate::domain::schema::LabelDef;
use crate::domain::state::AppAction;
use crate::ui::commands::{link_compare_ends, pending_from_selection};
use crate::ui::reader::{LinkCounts, Reader, SpanClick};
use crate::ui::span_editor::input_value;
use crate::ui::state::{AppContext, ChosenEnd, CompareHandle, PendingHandle};
use crate::ui::take_over::{colleague, take_over_callback, take_over_note};
use crate::web::clock::now_ms;
use crate::web::selection::ReaderSelection;

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Left,
    Right,
}

/// What the Compare view reads and changes (its module is loaded on first use: `ui::lazy_view`).
#[derive(Clone, PartialEq)]
pub struct CompareArgs {
    pub pending: PendingHandle,
    pub compare: CompareHandle,
    pub labels: Rc<Vec<LabelDef>>,
    pub link_counts: Rc<LinkCounts>,
}

#[derive(Properties, PartialEq)]
pub struct CompareViewProps {
    pub args: CompareArgs,
}

#[derive(Properties, PartialEq)]
struct PaneProps {
    side: Side,
    pending: PendingHandle,
    compare: CompareHandle,
    labels: Rc<Vec<LabelDef>>,
    link_counts: Rc<LinkCounts>,
}

#[component]
fn ComparePane(props: &PaneProps) -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let (article_id, testid, reader_testid) = match props.side {
        Side::Left => (context.position.compare_left.clone(), "compare-left", "reader-left"),
        Side::Right => (context.position.compare_right.clone(), "compare-right", "reader-right"),
    };
    let article = article_id.as_ref().and_then(|id| context.project.article(id)).cloned();
    let spans = {
        let context = context.clone();
        use_memo((context.revision, article_id.clone()), move |(_, article_id)| {
            article_id.as_ref().map(|id| context.project.spans_in_article(id)).unwrap_or_default()
        })
    };
    let end = match props.side {
        Side::Left => props.compare.left.clone(),
        Side::Right => props.compare.right.clone(),
    };
    // The highlighted span: the selected relation's end in this article, else this pane's end.
    let relation_end =
        context.selected_relation.as_ref().and_then(|id| context.project.relations().get(id)).and_then(|relation| {
            [&relation.from, &relation.to]
                .into_iter()
                .find(|end| {
                    context.project.spans().get(*end).is_some_and(|span| Some(&span.article) == article_id.as_ref())
                })
                .cloned()
        });
    let selected = relation_end.or(match &end {
        Some(ChosenEnd::Span(id)) => Some(id.clone()),
        _ => None,
    });
    let set_end = {
        let compare = props.compare.clone();
        let side = props.side;
        move |end: Option<ChosenEnd>| {
            let mut next = (*compare).clone();
            match side {
                Side::Left => next.left = end,
                Side::Right => next.right = end,
            }
            compare.set(next);
        }
    };
    let on_selection = {
        let context = context.clone();
        let pending = props.pending.clone();
        let set_end = set_end.clone();
        let article_id = article_id.clone();
        Callback::from(move |(selection, exact): (ReaderSelection, bool)| {
            let Some(article_id) = &article_id else { return };
            let snapped = pending_from_selection(&context, article_id, &selection, exact);
            pending.set(snapped.clone());
            set_end(snapped.map(ChosenEnd::Text));
        })
    };
    let on_span_click = {
        let context = context.clone();
        let pending = props.pending.clone();
        let set_end = set_end.clone();
        Callback::from(move |click: SpanClick| {
            pending.set(None);
            // Where spans nest, the innermost (listed last) is the one meant.
            let id = click.span_ids.last().cloned();
            context.dispatch(AppAction::SelectRelation(None));
            context.dispatch(AppAction::SelectSpan(id.clone()));
            set_end(id.map(ChosenEnd::Span));
        })
    };
    let on_plain_click = {
        let pending = props.pending.clone();
        Callback::from(move |_| pending.set(None))
    };
    let on_pick = {
        let context = context.clone();
        let side = props.side;
        let set_end = set_end.clone();
        Callback::from(move |event: Event| {
            let id = Some(ArticleId::from(input_value(&event)));
            let (left, right) = match side {
                Side::Left => (id, None),
                Side::Right => (None, id),
            };
            set_end(None);
            context.dispatch(AppAction::SetCompare { left, right });
        })
    };
    let end_text = match &end {
        Some(ChosenEnd::Span(id)) => {
            context.project.spans().get(id).map(|span| format!("Span: {}", shorten(&span.text, 60)))
        }
        Some(ChosenEnd::Text(selection)) => context
            .project
            .article(&selection.article)
            .and_then(|article| article.slice(selection.start, selection.end))
            .map(|text| format!("Text: {}", shorten(text, 60))),
        None => None,
    };
    html! {
        <section class="compare-pane" data-testid={testid} aria-label={if props.side == Side::Left { "Left article" } else { "Right article" }}>
            <div class="pane-head">
                <select class="article-picker" aria-label="Article" onchange={on_pick} data-testid={format!("{testid}-picker")}>
                    { for context.project.articles().iter().map(|choice| html! {
                        <option value={choice.id.to_string()} selected={Some(&choice.id) == article_id.as_ref()}>{shorten(&choice.title, 70)}</option>
                    }) }
                </select>
                <p class={classes!("pane-end", end_text.is_none().then_some("empty"))}>
                    { end_text.unwrap_or_else(|| "Select text or click a highlight to choose this end.".to_string()) }
                </p>
            </div>
            if let Some(article) = article {
                <div class="pane-body">
                    <Reader
                        article={article}
                        spans={spans}
                        labels={props.labels.clone()}
                        selected={selected}
                        link_counts={props.link_counts.clone()}
                        {on_selection}
                        {on_span_click}
                        {on_plain_click}
                        testid={AttrValue::Static(reader_testid)}
                    />
                </div>
            }
        </section>
    }
}

#[component]
pub fn CompareView(props: &CompareViewProps) -> Html {
    let props = &props.args;
    html! {
        <div class="compare" data-testid="compare-view">
            <h1 class="visually-hidden">{"Compare two articles"}</h1>
            <ComparePane side={Side::Left} pending={props.pending.clone()} compare={props.compare.clone()}
                labels={props.labels.clone()} link_counts={props.link_counts.clone()} />
            <ComparePane side={Side::Right} pending={props.pending.clone()} compare={props.compare.clone()}
                labels={props.labels.clone()} link_counts={props.link_counts.clone()} />
            <LinkPanel compare={props.compare.clone()} />
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct LinkPanelProps {
    compare: CompareHandle,
}

/// One relation as a row: both ends with their articles; clicking selects it.
pub fn relation_row(context: &AppContext, relation: &Relation, on_select: Callback<Relation>) -> Html {
    let project = &context.project;
    let end = |id: &SpanId| {
        let span = project.spans().get(id);
        let article = span
            .and_then(|span| project.article(&span.article))
            .map(|article| shorten(&article.title, 36))
            .unwrap_or_default();
        (span.map(|span| shorten(&span.text, 90)).unwrap_or_default(), article)
    };
    let (from_text, from_article) = end(&relation.from);
    let (to_text, to_article) = end(&relation.to);
    let selected = context.selected_relation.as_ref() == Some(&relation.id);
    let symmetric = project.relation_type(&relation.relation_type).is_some_and(|definition| definition.symmetric);
    let onclick = {
        let relation = relation.clone();
        Callback::from(move |_| on_select.emit(relation.clone()))
    };
    html! {
        <li class={classes!("relation-card", selected.then_some("selected"))} data-testid="relation-item"
            data-relation-id={relation.id.to_string()} data-relation-type={relation.relation_type.to_string()} data-kind={relation.kind_str().to_string()}>
            <button type="button" class="relation-card-body" {onclick} aria-pressed={selected.to_string()}>
                <span class="rel-end"><span class="rel-text" data-testid="relation-from">{from_text}</span><span class="rel-article">{from_article}</span></span>
                <span class={classes!("rel-type", format!("rel-{}", relation.relation_type))}>
                    {format!("{} {}", if symmetric { "↔" } else { "→" }, relation.relation_type)}
                    if let Some(kind) = &relation.kind { <span class="rel-kind">{format!(" · {kind}")}</span> }
                </span>
                <span class="rel-end"><span class="rel-text" data-testid="relation-to">{to_text}</span><span class="rel-article">{to_article}</span></span>
                if !relation.note.is_empty() { <span class="rel-note">{relation.note.clone()}</span> }
            </button>
        </li>
    }
}

/// Selects a relation and opens both its ends side by side.
pub fn select_relation_callback(context: &AppContext) -> Callback<Relation> {
    let context = context.clone();
    Callback::from(move |relation: Relation| {
        let article_of = |id: &SpanId| context.project.spans().get(id).map(|span| span.article.clone());
        let (left, right) = (article_of(&relation.from), article_of(&relation.to));
        context.dispatch(AppAction::SetCompare { left, right });
        context.dispatch(AppAction::SelectRelation(Some(relation.id.clone())));
    })
}

#[component]
fn LinkPanel(props: &LinkPanelProps) -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let project = &context.project;
    let compare = &props.compare;
    let buttons = project.relation_types().iter().map(|relation_type| {
        let onclick = {
            let context = context.clone();
            let compare = compare.clone();
            let id = relation_type.id.clone();
            Callback::from(move |_| link_compare_ends(&context, &compare, &id))
        };
        html! {
            <button type="button" class="link-type-button" data-testid={format!("link-{}", relation_type.id)}
                style={format!("--label:{}", relation_type.color)} {onclick}
                title={format!("Link left and right as {} ({})", relation_type.name, relation_type.hotkey)}>
                <kbd>{relation_type.hotkey.clone()}</kbd>{relation_type.name.clone()}
            </button>
        }
    });
    let on_kind = {
        let compare = compare.clone();
        Callback::from(move |event: Event| {
            compare.set(crate::ui::state::CompareState {
                contradiction_kind: Some(input_value(&event)).filter(|kind| !kind.is_empty()),
                ..(*compare).clone()
            })
        })
    };
    let on_label = {
        let compare = compare.clone();
        Callback::from(move |event: Event| {
            compare.set(crate::ui::state::CompareState {
                new_span_label: input_value(&event).into(),
                ..(*compare).clone()
            })
        })
    };
    let contradiction_kinds = project
        .relation_type(crate::domain::schema::CONTRADICTS)
        .map(|definition| definition.kinds.clone())
        .unwrap_or_default();
    let open: Vec<ArticleId> =
        [&context.position.compare_left, &context.position.compare_right].into_iter().flatten().cloned().collect();
    let in_view: Vec<Rc<Relation>> = project
        .relations()
        .values()
        .filter(|relation| {
            [&relation.from, &relation.to]
                .iter()
                .all(|end| project.spans().get(*end).is_some_and(|span| open.contains(&span.article)))
        })
        .cloned()
        .collect();
    let on_select = select_relation_callback(&context);
    let selected = context.selected_relation.as_ref().and_then(|id| project.relations().get(id)).cloned();
    html! {
        <aside class="side-panel link-panel" aria-label="Links">
            <h2 class="panel-title">{"Link left → right"}</h2>
            <div class="link-options">
                <div class="field">
                    <label for="link-kind">{"Contradiction kind"}</label>
                    <select id="link-kind" data-testid="link-kind" onchange={on_kind}>
                        <option value="" selected={compare.contradiction_kind.is_none()}>{"(choose later)"}</option>
                        { for contradiction_kinds.iter().map(|kind| html! { <option value={kind.clone()} selected={compare.contradiction_kind.as_ref() == Some(kind)}>{kind.clone()}</option> }) }
                    </select>
                </div>
                <div class="field">
                    <label for="link-label">{"Selected text becomes a"}</label>
                    <select id="link-label" data-testid="link-label" onchange={on_label}>
                        { for project.labels().iter().map(|label| html! { <option value={label.id.to_string()} selected={label.id == compare.new_span_label}>{label.name.clone()}</option> }) }
                    </select>
                </div>
            </div>
            <div class="link-buttons">{ for buttons }</div>
            if let Some(relation) = selected {
                <RelationEditor relation={relation} />
            }
            <h2 class="panel-title">{format!("Links between these articles ({})", in_view.len())}</h2>
            if in_view.is_empty() {
                <p class="empty-state">{"Choose an end in each pane — select text or click a highlight — then press "}<kbd>{"c"}</kbd>{" contradicts, "}<kbd>{"s"}</kbd>{" supports, "}<kbd>{"="}</kbd>{" same statement or "}<kbd>{"a"}</kbd>{" attributed to."}</p>
            } else {
                <ul class="relation-cards">{ for in_view.iter().map(|relation| relation_row(&context, relation, on_select.clone())) }</ul>
            }
        </aside>
    }
}

#[derive(Properties, PartialEq)]
pub struct RelationEditorProps {
    pub relation: Rc<Relation>,
}

/// Edits the selected relation: type, kind, note; swaps direction; deletes.
#[component]
pub fn RelationEditor(props: &RelationEditorProps) -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let relation = &props.relation;
    // Each change is made to the latest relation (`ui::editing::edit`), `grouped` with the
    // keystrokes of one burst of typing.
    let change_with = |change: fn(&mut Relation, String), grouped: Option<&'static str>| {
        let context = context.clone();
        let id = relation.id.clone();
        move |value: String| {
            let (id, now) = (id.clone(), now_ms());
            crate::ui::editing::edit(&context, move |context| {
                let Some(latest) = context.project.relations().get(&id) else { return };
                let mut updated = (**latest).clone();
                change(&mut updated, value);
                let edit = Edit::UpdateRelation(updated);
                context.dispatch(match grouped {
                    Some(field) => AppAction::EditGrouped { edit, now, group: format!("{id}:{field}") },
                    None => AppAction::Edit { edit, now },
                });
            });
        }
    };
    let update = |change: fn(&mut Relation, String)| {
        let change = change_with(change, None);
        Callback::from(move |event: Event| change(input_value(&event)))
    };
    let on_type = update(|relation, value| relation.relation_type = value.into());
    let on_kind = update(|relation, value| relation.kind = (!value.is_empty()).then_some(value));
    let on_note = {
        let change = change_with(|relation, note| relation.note = note, Some("note"));
        Callback::from(move |event: InputEvent| change(crate::ui::span_editor::input_value(&event)))
    };
    let on_swap = {
        let change = change_with(|relation, _| std::mem::swap(&mut relation.from, &mut relation.to), None);
        Callback::from(move |_| change(String::new()))
    };
    let on_delete = {
        let context = context.clone();
        let id = relation.id.clone();
        Callback::from(move |_| {
            let (id, now) = (id.clone(), now_ms());
            crate::ui::editing::edit(&context, move |context| {
                context.dispatch(AppAction::Edit { edit: Edit::RemoveRelation(id), now });
                context.dispatch(AppAction::SelectRelation(None));
            });
        })
    };
    let colleague = colleague(&relation.author, &context.project.settings().annotator);
    let read_only = colleague.is_some();
    let on_take_over = take_over_callback(&context, relation.clone(), Edit::UpdateRelation);
    let kinds = context
        .project
        .relation_type(&relation.relation_type)
        .map(|definition| definition.kinds.clone())
        .unwrap_or_default();
    html! {
        <section class="span-editor relation-editor" aria-label="Selected link" data-testid="relation-editor">
            <div class="editor-head">
                <select aria-label="Link type" data-testid="relation-type" onchange={on_type} disabled={read_only}>
                    { for context.project.relation_types().iter().map(|choice| html! {
                        <option value={choice.id.to_string()} selected={choice.id == relation.relation_type}>{choice.name.clone()}</option>
                    }) }
                </select>
                <button type="button" class="secondary" onclick={on_swap} title="Swap the two ends" disabled={read_only}>{"⇄"}</button>
                <button type="button" class="danger" data-testid="delete-relation" onclick={on_delete} disabled={read_only}>{"Delete link"}</button>
            </div>
            <p class="span-meta" data-testid="relation-owner">{format!("by {}", relation.author)}</p>
            { take_over_note(colleague.as_deref(), &relation.take_overs, "link", "relation-read-only", on_take_over) }
            if !kinds.is_empty() {
                <div class="field">
                    <label for="relation-kind">{"Kind"}</label>
                    <select id="relation-kind" data-testid="relation-kind" onchange={on_kind} disabled={read_only}>
                        <option value="" selected={relation.kind.is_none()}>{"(none)"}</option>
                        { for kinds.iter().map(|kind| html! { <option value={kind.clone()} selected={relation.kind.as_ref() == Some(kind)}>{kind.clone()}</option> }) }
                    </select>
                </div>
            }
            <div class="field">
                <label for="relation-note">{"Note"}</label>
                <textarea id="relation-note" data-testid="relation-note" rows="2" value={relation.note.clone()} oninput={on_note} disabled={read_only} />
            </div>
        </section>
    }
}
