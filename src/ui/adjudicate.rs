//! The Adjudicate view: one article's places, each annotator's version side by side, and the
//! decision that puts one into the gold layer.
//!
//! Keyboard first: `j`/`↓` and `k`/`↑` move between places, `n` jumps to the next open one,
//! `1`–`9` accept that version, `a` the largest, `x` rejects, `e` edits the gold span in the
//! reader; `Ctrl+Z` undoes like any edit. Every decision is a `domain::adjudication` edit
//! dispatched through the history.

use std::cell::RefCell;

use yew::prelude::*;

use crate::domain::adjudication::{
    accept, auto_accept, merge_attribute, places, progress, reject, AutoAccept, Place, Resolution, Version, PROVENANCE,
};
use crate::domain::annotation::Span;
use crate::domain::article::{shorten, ArticleId};
use crate::domain::ids::SuggestionKey;
use crate::domain::project::{Edit, Project};
use crate::domain::state::{AppAction, Notice, NoticeLevel};
use crate::ui::span_editor::input_value;
use crate::ui::state::AppContext;
use crate::web::clock::{new_id, now_ms};

thread_local! {
    /// A place another view asked to show (the Agreement view's least-agreeing list).
    static FOCUS_REQUEST: RefCell<Option<SuggestionKey>> = const { RefCell::new(None) };
}

/// Asks the Adjudicate view to focus the place with this key when it next renders.
pub fn request_focus(key: SuggestionKey) {
    FOCUS_REQUEST.with(|request| *request.borrow_mut() = Some(key));
}

/// The keys this view handles itself (the global hotkeys leave them alone here).
pub fn handles_key(key: &str) -> bool {
    matches!(key, "j" | "k" | "n" | "a" | "x" | "e" | "ArrowDown" | "ArrowUp")
        || (key.len() == 1 && ("1"..="9").contains(&key))
}

/// Makes the decision `make` builds from the project (after any edit waiting for the editing
/// code: `ui::editing::edit`) as one undoable step, and says what it did.
fn decide(context: &AppContext, make: impl FnOnce(&Project, i64) -> (Edit, String) + 'static) {
    let now = now_ms();
    crate::ui::editing::edit(context, move |context| {
        let (edit, what) = make(&context.project, now);
        if matches!(&edit, Edit::Batch(edits) if edits.is_empty()) {
            return;
        }
        context.dispatch(AppAction::Edit { edit, now });
        context.dispatch(AppAction::Notify(Notice {
            level: NoticeLevel::Info,
            text: format!("{what} (Ctrl+Z undoes it)."),
        }));
    });
}

fn accept_version(context: &AppContext, place: &Place, version: &Version) {
    let (place, version, id) = (place.clone(), version.clone(), new_id("d"));
    let what = if version.spans.is_empty() {
        "Rejected: the version says nothing is here".to_string()
    } else {
        format!("Accepted {}'s version into gold", version.authors.join(" + "))
    };
    decide(context, move |project, now| (accept(project, &place, &version, &id, now), what));
}

fn reject_place(context: &AppContext, place: &Place) {
    let place = place.clone();
    decide(context, move |project, _| (reject(project, &place), "Rejected this place".to_string()));
}

fn edit_in_reader(context: &AppContext, place: &Place) {
    if let Resolution::Accepted(spans) = &place.resolution {
        if let Some(span) = spans.first() {
            context.dispatch(AppAction::OpenArticle(place.article.clone()));
            context.dispatch(AppAction::SelectSpan(Some(span.id.clone())));
        }
    }
}

fn attributes_of(project: &Project, span: &Span) -> Vec<(String, String)> {
    let names = project.label(&span.label).map(|label| label.attributes.clone()).unwrap_or_default();
    span.attributes
        .iter()
        .filter(|(key, value)| *key != PROVENANCE && !value.trim().is_empty())
        .map(|(key, value)| {
            (names.iter().find(|a| a.key == key).map_or_else(|| key.to_string(), |a| a.name.clone()), value.clone())
        })
        .collect()
}

fn span_card(project: &Project, span: &Span) -> Html {
    let label = project.label(&span.label);
    let links = project.relations_of(&span.id).into_iter().map(|relation| {
        let other = relation.other_end(&span.id).and_then(|id| project.span(id));
        let arrow = if relation.from == span.id { "→" } else { "←" };
        html! { <li>{format!("{} {arrow} “{}”", relation.relation_type, other.map(|other| shorten(&other.text, 50)).unwrap_or_default())}</li> }
    });
    html! {
        <div class="version-span">
            <span class="chip" style={label.map(|label| format!("--label:{}", label.color))}>{label.map(|label| label.name.clone()).unwrap_or_else(|| span.label.to_string())}</span>
            <span class="offsets">{format!("{}–{}", span.start, span.end)}</span>
            <q>{shorten(&span.text, 160)}</q>
            <dl>{ for attributes_of(project, span).into_iter().map(|(key, value)| html! { <><dt>{key}</dt><dd>{value}</dd></> }) }</dl>
            if !project.relations_of(&span.id).is_empty() { <ul class="links">{ for links }</ul> }
        </div>
    }
}

/// Buttons that take one attribute value from a version into the accepted gold span.
fn merge_buttons(context: &AppContext, place: &Place) -> Html {
    let Resolution::Accepted(gold) = &place.resolution else { return html! {} };
    let project = &context.project;
    let mut buttons = Vec::new();
    for gold_span in gold {
        for version in &place.versions {
            let Some(theirs) = version.spans.iter().find(|span| {
                span.start == gold_span.start && span.end == gold_span.end && span.label == gold_span.label
            }) else {
                continue;
            };
            for (key, value) in
                theirs.attributes.iter().filter(|(key, value)| *key != PROVENANCE && !value.trim().is_empty())
            {
                if gold_span.attribute(key) == value {
                    continue;
                }
                let onclick = {
                    let context = context.clone();
                    let edit = merge_attribute(gold_span, key, value, &version.authors[0]);
                    let what = format!("Took {key} = {value} from {}", version.authors[0]);
                    Callback::from(move |_| {
                        let (edit, what) = (edit.clone(), what.clone());
                        decide(&context, move |_, _| (edit, what))
                    })
                };
                let label = project
                    .label(&gold_span.label)
                    .and_then(|label| label.attributes.iter().find(|a| a.key == key))
                    .map_or_else(|| key.to_string(), |a| a.name.clone());
                buttons.push(html! { <button type="button" class="merge" data-testid="adjudicate-merge" {onclick}>{format!("{label}: {value} ({})", version.authors.join(" + "))}</button> });
            }
        }
    }
    if buttons.is_empty() {
        return html! {};
    }
    html! { <div class="merges"><span>{"Take an attribute from another version: "}</span>{ for buttons }</div> }
}

#[derive(Properties, PartialEq)]
struct ItemProps {
    place: Place,
    focused: bool,
    on_focus: Callback<()>,
}

#[component]
fn AdjudicationItem(props: &ItemProps) -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(props.focused, move |focused| {
            if *focused {
                if let Some(element) = node.cast::<web_sys::HtmlElement>() {
                    let active = gloo::utils::document().active_element();
                    let inside = active.as_ref().is_some_and(|active| element.contains(Some(active)));
                    if !inside {
                        let _ = element.focus();
                    }
                    element.scroll_into_view_with_bool(false);
                }
            }
        });
    }
    let place = &props.place;
    let project = &context.project;
    let text = project
        .article(&place.article)
        .and_then(|article| article.slice(place.start, place.end))
        .map(|text| shorten(text, 240))
        .unwrap_or_default();
    let (status, status_class) = match &place.resolution {
        Resolution::Open if place.unanimous() => ("Open · unanimous".to_string(), "open"),
        Resolution::Open => (format!("Open · {:.0}% agree", place.agreement() * 100.0), "open"),
        Resolution::Accepted(spans) => (
            format!(
                "Accepted ({})",
                spans.first().map(|span| span.attribute(PROVENANCE).to_string()).unwrap_or_default()
            ),
            "accepted",
        ),
        Resolution::Rejected => ("Rejected".to_string(), "rejected"),
    };
    let versions = place.versions.iter().enumerate().map(|(index, version)| {
        let onclick = {
            let context = context.clone();
            let place = place.clone();
            let version = version.clone();
            Callback::from(move |_| accept_version(&context, &place, &version))
        };
        let chosen = matches!(&place.resolution, Resolution::Accepted(gold) if gold.len() == version.spans.len() && gold.iter().zip(&version.spans).all(|(g, v)| g.start == v.start && g.end == v.end && g.label == v.label));
        html! {
            <div class={classes!("version", chosen.then_some("chosen"))} data-testid="adjudication-version">
                <h4>{format!("{} · {}", index + 1, version.authors.join(" + "))}</h4>
                if version.spans.is_empty() { <p class="nothing">{"Nothing tagged here."}</p> }
                { for version.spans.iter().map(|span| span_card(project, span)) }
                <button type="button" data-testid="adjudicate-accept" {onclick} title={format!("Accept this version ({})", index + 1)}>
                    { if version.spans.is_empty() { format!("Accept: nothing here ({})", index + 1) } else { format!("Accept ({})", index + 1) } }
                </button>
            </div>
        }
    });
    let on_reject = {
        let context = context.clone();
        let place = place.clone();
        Callback::from(move |_| reject_place(&context, &place))
    };
    let on_edit = {
        let context = context.clone();
        let place = place.clone();
        Callback::from(move |_| edit_in_reader(&context, &place))
    };
    let onfocus = props.on_focus.reform(|_: FocusEvent| ());
    html! {
        <li ref={node} class={classes!("adjudication-item", status_class, props.focused.then_some("focused"))} data-testid="adjudication-item"
            data-status={status_class} tabindex={if props.focused { "0" } else { "-1" }} {onfocus}
            aria-label={format!("{status}: {text}")}>
            <div class="item-head">
                <span class={classes!("status", status_class)}>{status}</span>
                <q class="place-text">{text}</q>
            </div>
            <div class="versions">{ for versions }</div>
            { merge_buttons(&context, place) }
            <div class="item-actions">
                <button type="button" data-testid="adjudicate-reject" onclick={on_reject} title="Reject: nothing goes into gold here (x)">{"Reject (x)"}</button>
                if matches!(place.resolution, Resolution::Accepted(_)) {
                    <button type="button" data-testid="adjudicate-edit" onclick={on_edit} title="Edit the gold span in the reader (e)">{"Edit in reader (e)"}</button>
                }
            </div>
        </li>
    }
}

#[component]
pub fn AdjudicateView() -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let all = {
        let project = context.project.clone();
        use_memo(context.revision, move |_| places(&project))
    };
    let mode = use_state(|| AutoAccept::Unanimous);
    let focused = use_state(|| None::<SuggestionKey>);
    let article: Option<ArticleId> = context.current_article().map(|article| article.id.clone());
    let here: Vec<Place> = all.iter().filter(|place| Some(&place.article) == article.as_ref()).cloned().collect();
    if let Some(key) = FOCUS_REQUEST.with(|request| request.borrow_mut().take()) {
        focused.set(Some(key));
    }
    let focus_index = focused.as_ref().and_then(|key| here.iter().position(|place| &place.key() == key)).unwrap_or(0);
    let (resolved, total) = progress(&all);
    let onkeydown = {
        let context = context.clone();
        let here = here.clone();
        let focused = focused.clone();
        Callback::from(move |event: KeyboardEvent| {
            let key = event.key();
            if crate::ui::keyboard::typing_into_field(&event)
                || event.ctrl_key()
                || event.meta_key()
                || event.alt_key()
                || here.is_empty()
            {
                return;
            }
            let Some(place) = here.get(focus_index) else { return };
            let go = |index: usize| focused.set(here.get(index).map(Place::key));
            match key.as_str() {
                "j" | "ArrowDown" => go((focus_index + 1).min(here.len() - 1)),
                "k" | "ArrowUp" => go(focus_index.saturating_sub(1)),
                "n" => {
                    let next = (1..=here.len())
                        .map(|step| (focus_index + step) % here.len())
                        .find(|index| !here[*index].is_resolved());
                    if let Some(index) = next {
                        go(index);
                    }
                }
                "a" => {
                    if let Some(version) = place.versions.first() {
                        accept_version(&context, place, version);
                    }
                }
                "x" => reject_place(&context, place),
                "e" => edit_in_reader(&context, place),
                digit if digit.len() == 1 && ("1"..="9").contains(&digit) => {
                    let index = digit.parse::<usize>().unwrap_or(1) - 1;
                    match place.versions.get(index) {
                        Some(version) => accept_version(&context, place, version),
                        None => return,
                    }
                }
                _ => return,
            }
            event.prevent_default();
        })
    };
    let on_article = {
        let context = context.clone();
        Callback::from(move |event: Event| {
            let id = ArticleId::from(input_value(&event));
            context.dispatch(AppAction::OpenArticle(id));
            context.dispatch(AppAction::SetView(crate::domain::state::View::Adjudicate));
        })
    };
    let on_mode = {
        let mode = mode.clone();
        Callback::from(move |event: Event| {
            mode.set(match input_value(&event).as_str() {
                "majority" => AutoAccept::Majority,
                "none" => AutoAccept::None,
                _ => AutoAccept::Unanimous,
            })
        })
    };
    let agreed = all.iter().filter(|place| !place.is_resolved() && place.agreed(*mode)).count();
    let on_auto = {
        let context = context.clone();
        let all = all.clone();
        let mode = *mode;
        Callback::from(move |_| {
            let (all, id) = (all.clone(), new_id("d"));
            decide(&context, move |project, now| {
                let (count, edit) = auto_accept(project, &all, mode, &id, now);
                (edit, format!("Accepted {count} agreed place{}", if count == 1 { "" } else { "s" }))
            })
        })
    };
    let options = context.project.articles().iter().map(|option| {
        let open = all.iter().filter(|place| place.article == option.id && !place.is_resolved()).count();
        let count = all.iter().filter(|place| place.article == option.id).count();
        html! { <option value={option.id.to_string()} selected={Some(&option.id) == article.as_ref()}>{format!("{} — {open} open of {count}", shorten(&option.title, 60))}</option> }
    });
    let items = here.iter().enumerate().map(|(index, place)| {
        let on_focus = {
            let focused = focused.clone();
            let key = place.key();
            Callback::from(move |_| {
                if focused.as_ref() != Some(&key) {
                    focused.set(Some(key.clone()));
                }
            })
        };
        html! { <AdjudicationItem key={place.key().to_string()} place={place.clone()} focused={index == focus_index} {on_focus} /> }
    });
    let percent = (resolved * 100).checked_div(total).unwrap_or(0);
    html! {
        <section class="adjudicate" data-testid="adjudicate-view" aria-label="Adjudicate" {onkeydown}>
            <div class="adjudicate-head">
                <h1>{"Adjudicate"}</h1>
                <label>{"Article "}<select data-testid="adjudicate-article" onchange={on_article}>{ for options }</select></label>
                <label>{"Accept agreed places automatically: "}
                    <select data-testid="adjudicate-auto-mode" onchange={on_mode}>
                        <option value="unanimous" selected={*mode == AutoAccept::Unanimous}>{"unanimous"}</option>
                        <option value="majority" selected={*mode == AutoAccept::Majority}>{"majority"}</option>
                        <option value="none" selected={*mode == AutoAccept::None}>{"none"}</option>
                    </select>
                </label>
                <button type="button" data-testid="adjudicate-auto-apply" onclick={on_auto} disabled={agreed == 0}>{format!("Accept {agreed} agreed place{}", if agreed == 1 { "" } else { "s" })}</button>
                <div class="progress" data-testid="adjudication-progress" role="progressbar" aria-label="Places resolved"
                    aria-valuemin="0" aria-valuemax={total.to_string()} aria-valuenow={resolved.to_string()} data-resolved={resolved.to_string()} data-total={total.to_string()}>
                    <progress max={total.max(1).to_string()} value={resolved.to_string()} aria-hidden="true">{format!("{percent}%")}</progress>
                    <span>{format!("Resolved {resolved} of {total}")}</span>
                </div>
            </div>
            <p class="keys">{"j/k move · n next open · 1–9 accept that version · a accept the largest · x reject · e edit in the reader · Ctrl+Z undo"}</p>
            if here.is_empty() {
                <p class="adjudicate-empty">{"Nobody annotated this article. Pick another, or import a colleague's project as their layer."}</p>
            } else {
                <ol class="adjudication-list">{ for items }</ol>
            }
        </section>
    }
}
