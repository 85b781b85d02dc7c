//! The editor for the selected annotation: label, attributes, links, delete.
//!
//! Choices save on change; free text saves on every keystroke, grouped so that typing a note
//! undoes as one step. Speaker fields offer every speaker name already used in the corpus.
//! A colleague's annotation is read-only (controls disabled, the reason said) until I take it
//! over: one recorded edit that makes it mine, listed here with who, when and from whom.

use std::collections::BTreeSet;
use std::rc::Rc;

use yew::prelude::*;

use crate::domain::annotation::Span;
use crate::domain::article::shorten;
use crate::domain::project::{Edit, Project};
use crate::domain::schema::{AttributeDef, AttributeKind};
use crate::domain::state::AppAction;
use crate::ui::commands::delete_span;
use crate::ui::state::LiveContext;
use crate::ui::take_over::{colleague, take_over_callback, take_over_note};
use crate::web::clock::now_ms;

#[derive(Properties, Clone)]
pub struct SpanEditorProps {
    pub span: Rc<Span>,
    /// The project the panel shows (a snapshot, a frame behind the reader after an edit made
    /// elsewhere), and its revision.
    pub project: Project,
    pub revision: u64,
    /// For the callbacks, which act on the latest state.
    pub live: LiveContext,
}

/// Compared by the project's revision, never by walking its spans.
impl PartialEq for SpanEditorProps {
    fn eq(&self, other: &SpanEditorProps) -> bool {
        self.span == other.span && self.revision == other.revision && self.live == other.live
    }
}

/// Every value used anywhere for attribute `key`, plus the text of Speaker spans for speakers.
fn completions(project: &Project, key: &str) -> BTreeSet<String> {
    let mut values = BTreeSet::new();
    for span in project.spans().values() {
        let value = span.attribute(key);
        if !value.trim().is_empty() {
            values.insert(value.trim().to_string());
        }
        if key == "speaker" {
            if span.label == "speaker" {
                values.insert(span.text.trim().to_string());
            }
            let canonical = span.attribute("canonical");
            if !canonical.trim().is_empty() {
                values.insert(canonical.trim().to_string());
            }
        }
    }
    values
}

fn with_attribute(span: &Span, key: &str, value: String) -> Span {
    let mut updated = span.clone();
    updated.attributes.insert(key.to_string(), value);
    updated
}

/// The current value of the input, select or textarea an event came from.
pub fn input_value(event: &Event) -> String {
    use wasm_bindgen::JsCast;
    let Some(target) = event.target() else { return String::new() };
    if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        return input.value();
    }
    if let Some(select) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
        return select.value();
    }
    if let Some(area) = target.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        return area.value();
    }
    String::new()
}

/// `focused` is the key of the text field that has the focus: only its completions are gathered
/// (a walk over every span of the project), not every field's on every render.
fn attribute_field(
    project: &Project,
    live: &LiveContext,
    span: &Rc<Span>,
    attribute: &AttributeDef,
    focused: &UseStateHandle<Option<String>>,
    read_only: bool,
) -> Html {
    let field_id = format!("attr-{}", attribute.key);
    let current = span.attribute(&attribute.key).to_string();
    let testid = format!("attribute-{}", attribute.key);
    let control = match &attribute.kind {
        AttributeKind::Choice { choices } => {
            let onchange = {
                let live = live.clone();
                let span_id = span.id.clone();
                let key = attribute.key.clone();
                Callback::from(move |event: Event| {
                    let (span_id, key, value, now) = (span_id.clone(), key.clone(), input_value(&event), now_ms());
                    crate::ui::editing::edit(&live.get(), move |context| {
                        let Some(latest) = context.project.spans().get(&span_id).cloned() else { return };
                        let edit = Edit::UpdateSpan(with_attribute(&latest, &key, value));
                        context.dispatch(AppAction::Edit { edit, now });
                    });
                })
            };
            html! {
                <select id={field_id.clone()} data-testid={testid} {onchange} disabled={read_only}>
                    { for choices.iter().map(|choice| html! {
                        <option value={choice.clone()} selected={*choice == current}>{choice.clone()}</option>
                    }) }
                </select>
            }
        }
        AttributeKind::Text { suggest_from } => {
            let list_id = format!("completions-{}", attribute.key);
            let has_focus = focused.as_deref() == Some(attribute.key.as_str());
            let options =
                suggest_from.as_deref().filter(|_| has_focus).map(|key| completions(project, key)).unwrap_or_default();
            let oninput = grouped_input(live, span, &attribute.key);
            let onfocus = {
                let focused = focused.clone();
                let key = attribute.key.clone();
                Callback::from(move |_: FocusEvent| focused.set(Some(key.clone())))
            };
            let onblur = {
                let focused = focused.clone();
                Callback::from(move |_: FocusEvent| focused.set(None))
            };
            html! {
                <>
                    <input id={field_id.clone()} data-testid={testid} type="text" list={list_id.clone()}
                        value={current} {oninput} {onfocus} {onblur} autocomplete="off" disabled={read_only} />
                    <datalist id={list_id}>{ for options.into_iter().map(|value| html! { <option value={value} /> }) }</datalist>
                </>
            }
        }
        AttributeKind::Note => {
            let oninput = grouped_input(live, span, &attribute.key);
            html! { <textarea id={field_id.clone()} data-testid={testid} rows="3" value={current} {oninput} disabled={read_only} /> }
        }
    };
    html! {
        <div class="field">
            <label for={field_id}>{attribute.name.clone()}</label>
            { control }
        </div>
    }
}

fn grouped_input(live: &LiveContext, span: &Rc<Span>, key: &str) -> Callback<InputEvent> {
    let live = live.clone();
    let span_id = span.id.clone();
    let key = key.to_string();
    Callback::from(move |event: InputEvent| {
        let (span_id, key, value, now) = (span_id.clone(), key.clone(), input_value(&event), now_ms());
        crate::ui::editing::edit(&live.get(), move |context| {
            // Read the latest span: earlier keystrokes of this burst have already changed it.
            let Some(latest) = context.project.spans().get(&span_id).cloned() else { return };
            let edit = Edit::UpdateSpan(with_attribute(&latest, &key, value));
            context.dispatch(AppAction::EditGrouped { edit, now, group: format!("{span_id}:{key}") });
        });
    })
}

#[component]
pub fn SpanEditor(props: &SpanEditorProps) -> Html {
    let focused = use_state(|| None::<String>);
    let span = &props.span;
    let project = &props.project;
    let live = &props.live;
    let label = project.label(&span.label);
    let on_label_change = {
        let live = live.clone();
        let span = span.clone();
        Callback::from(move |event: Event| {
            let (span_id, label_id, now) = (span.id.clone(), input_value(&event), now_ms());
            crate::ui::editing::edit(&live.get(), move |context| {
                let Some(label) = context.project.label(&label_id).cloned() else { return };
                let Some(latest) = context.project.spans().get(&span_id) else { return };
                let mut updated = (**latest).clone();
                updated.label = label.id.clone();
                for attribute in &label.attributes {
                    updated.attributes.get_or_insert_with(attribute.key.as_str(), || attribute.default_value());
                }
                context.dispatch(AppAction::Edit { edit: Edit::UpdateSpan(updated), now });
            });
        })
    };
    let on_delete = {
        let live = live.clone();
        let id = span.id.clone();
        Callback::from(move |_| delete_span(&live.get(), &id))
    };
    let me = project.settings().annotator.clone();
    let colleague = colleague(&span.author, &me);
    let read_only = colleague.is_some();
    let on_take_over = take_over_callback(&live.get(), span.clone(), Edit::UpdateSpan);
    let relations = project.relations_of(&span.id);
    let relation_rows = relations.iter().map(|relation| {
        let other = relation.other_end(&span.id).and_then(|id| project.spans().get(id));
        let other_article = other.and_then(|other| project.article(&other.article)).map(|article| shorten(&article.title, 40));
        let direction = if relation.from == span.id { "→" } else { "←" };
        let select_other = {
            let live = live.clone();
            let other_id = other.map(|other| other.id.clone());
            let relation_id = relation.id.clone();
            Callback::from(move |_| {
                let context = live.get();
                context.dispatch(AppAction::SelectRelation(Some(relation_id.clone())));
                context.dispatch(AppAction::SelectSpan(other_id.clone()));
            })
        };
        html! {
            <li class="relation-row" data-testid="relation-item">
                <button type="button" class="link-button" onclick={select_other}>
                    <span class={classes!("rel-type", format!("rel-{}", relation.relation_type))}>{format!("{direction} {}", relation.relation_type)}</span>
                    if let Some(kind) = &relation.kind { <span class="rel-kind">{kind.clone()}</span> }
                    <span class="rel-text">{other.map(|other| shorten(&other.text, 80)).unwrap_or_default()}</span>
                    <span class="rel-article">{other_article.unwrap_or_default()}</span>
                </button>
            </li>
        }
    });
    html! {
        <section class="span-editor" aria-label="Selected annotation" data-testid="span-editor">
            <div class="editor-head">
                <select class="label-select" aria-label="Label" data-testid="span-label" onchange={on_label_change}
                    style={label.map(|label| format!("--label:{}", label.color))} disabled={read_only}>
                    { for project.labels().iter().map(|choice| html! {
                        <option value={choice.id.to_string()} selected={choice.id == span.label}>{choice.name.clone()}</option>
                    }) }
                </select>
                <button type="button" class="danger" data-testid="delete-span" onclick={on_delete} title="Delete (Del)"
                    disabled={read_only}>{"Delete"}</button>
            </div>
            <blockquote class="span-text" data-testid="span-text">{span.text.to_string()}</blockquote>
            <p class="span-meta" data-testid="span-owner">{format!("{}–{} · by {}", span.start, span.end, span.author)}</p>
            { take_over_note(colleague.as_deref(), &span.take_overs, "annotation", "span-read-only", on_take_over) }
            { for label.into_iter().flat_map(|label| label.attributes.iter()).map(|attribute| attribute_field(project, live, span, attribute, &focused, read_only)) }
            if !relations.is_empty() {
                <h3 class="subhead">{format!("Links ({})", relations.len())}</h3>
                <ul class="relation-list">{ for relation_rows }</ul>
            }
        </section>
    }
}
