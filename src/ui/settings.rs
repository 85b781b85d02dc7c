//! The settings dialog: annotator name, storage use, and the label and link-type schemas.
//!
//! Every schema change is one undoable edit (`Edit::SetLabels` / `Edit::SetRelationTypes`),
//! validated by the domain: a label still in use cannot be deleted, colours must be `#rrggbb`.

use yew::prelude::*;

use crate::domain::project::{Edit, Project, Settings};
use crate::domain::schema::{slug, AttributeKind, LabelDef, RelationTypeDef};
use crate::domain::state::AppAction;
use crate::ui::span_editor::input_value;
use crate::ui::state::AppContext;
use crate::web::clock::now_ms;
use crate::web::storage;

/// Colours offered to new labels, in turn.
const PALETTE: [&str; 8] = ["#f2b233", "#3fa7d6", "#a77bdb", "#e5484d", "#30a46c", "#f76b15", "#0090ff", "#d6409f"];

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub on_close: Callback<()>,
    /// Called after a change so the storage figure refreshes.
    #[prop_or_default]
    pub storage_note: Option<String>,
}

fn split_choices(value: &str) -> Vec<String> {
    value.split(',').map(str::trim).filter(|choice| !choice.is_empty()).map(str::to_string).collect()
}

fn format_bytes(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.2} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.0} KiB", bytes as f64 / 1024.0)
    }
}

/// Changes a list of the schema (`read` from the project, made an edit by `edit`) as `change`
/// does to the latest one (after any edit waiting for the editing code: `ui::editing::edit`);
/// nothing when it returns `false`.
fn change_list<Item: Clone + 'static>(
    context: &AppContext,
    read: fn(&Project) -> &[Item],
    edit: fn(Vec<Item>) -> Edit,
    change: impl FnOnce(&mut Vec<Item>) -> bool + 'static,
) {
    let now = now_ms();
    crate::ui::editing::edit(context, move |context| {
        let mut items = read(&context.project).to_vec();
        if change(&mut items) {
            context.dispatch(AppAction::Edit { edit: edit(items), now });
        }
    });
}

/// [`change_list`] for the labels.
fn change_labels(context: &AppContext, change: impl FnOnce(&mut Vec<LabelDef>) -> bool + 'static) {
    change_list(context, Project::labels, Edit::SetLabels, change);
}

/// [`change_list`] for the link types.
fn change_relation_types(context: &AppContext, change: impl FnOnce(&mut Vec<RelationTypeDef>) -> bool + 'static) {
    change_list(context, Project::relation_types, Edit::SetRelationTypes, change);
}

/// Changes the latest settings as `change` does ([`change_list`]).
fn change_settings(context: &AppContext, change: impl FnOnce(&mut Settings) + 'static) {
    let now = now_ms();
    crate::ui::editing::edit(context, move |context| {
        let mut settings = context.project.settings().clone();
        change(&mut settings);
        context.dispatch(AppAction::Edit { edit: Edit::SetSettings(settings), now });
    });
}

/// Adds a label, named and coloured after its place in the list.
fn add_label_to(labels: &mut Vec<LabelDef>) -> bool {
    let mut number = labels.len() + 1;
    let mut id = format!("label-{number}");
    while labels.iter().any(|label| label.id == id) {
        number += 1;
        id = format!("label-{number}");
    }
    labels.push(LabelDef {
        id: id.into(),
        name: format!("Label {number}"),
        color: PALETTE[labels.len() % PALETTE.len()].to_string(),
        attributes: vec![crate::domain::schema::AttributeDef {
            key: "note".to_string(),
            name: "Note".to_string(),
            kind: AttributeKind::Note,
        }],
    });
    true
}

/// A callback that edits label `index` with `change(label, value)`.
fn label_change(context: &AppContext, index: usize, change: fn(&mut LabelDef, String)) -> Callback<Event> {
    let context = context.clone();
    Callback::from(move |event: Event| {
        let value = input_value(&event);
        change_labels(&context, move |labels| labels.get_mut(index).map(|label| change(label, value)).is_some());
    })
}

fn relation_change(context: &AppContext, index: usize, change: fn(&mut RelationTypeDef, String)) -> Callback<Event> {
    let context = context.clone();
    Callback::from(move |event: Event| {
        let value = input_value(&event);
        change_relation_types(&context, move |relation_types| {
            relation_types.get_mut(index).map(|relation_type| change(relation_type, value)).is_some()
        });
    })
}

fn label_row(context: &AppContext, index: usize, label: &LabelDef, count: usize) -> Html {
    let labels_len = context.project.labels().len();
    let moved = |offset: isize| {
        let context = context.clone();
        Callback::from(move |_| {
            change_labels(&context, move |labels| {
                let target = index as isize + offset;
                let moves = target >= 0 && (target as usize) < labels.len() && index < labels.len();
                if moves {
                    labels.swap(index, target as usize);
                }
                moves
            });
        })
    };
    let remove = {
        let context = context.clone();
        Callback::from(move |_| {
            change_labels(&context, move |labels| (index < labels.len()).then(|| labels.remove(index)).is_some());
        })
    };
    let choice_rows = label.attributes.iter().enumerate().filter_map(|(attribute_index, attribute)| {
        let AttributeKind::Choice { choices } = &attribute.kind else { return None };
        let onchange = {
            let context = context.clone();
            Callback::from(move |event: Event| {
                let choices = split_choices(&input_value(&event));
                if choices.is_empty() {
                    return;
                }
                change_labels(&context, move |labels| {
                    let attribute = labels.get_mut(index).and_then(|label| label.attributes.get_mut(attribute_index));
                    attribute.map(|attribute| attribute.kind = AttributeKind::Choice { choices }).is_some()
                });
            })
        };
        Some(html! {
            <label class="choice-row">
                <span>{format!("{} choices", attribute.name)}</span>
                <input type="text" value={choices.join(", ")} {onchange} aria-label={format!("{} choices, comma-separated", attribute.name)} />
            </label>
        })
    });
    html! {
        <li class="schema-row" data-testid="schema-label">
            <div class="schema-main">
                <kbd>{if index < 9 { (index + 1).to_string() } else { String::new() }}</kbd>
                <input type="color" value={label.color.clone()} onchange={label_change(context, index, |label, value| label.color = value)} aria-label={format!("Colour of {}", label.name)} />
                <input type="text" class="schema-name" value={label.name.clone()} data-testid="schema-label-name"
                    onchange={label_change(context, index, |label, value| if !value.trim().is_empty() { label.name = value.trim().to_string() })}
                    aria-label="Label name" />
                <span class="schema-count">{format!("{count} used")}</span>
                <button type="button" class="secondary" onclick={moved(-1)} disabled={index == 0} aria-label="Move up">{"↑"}</button>
                <button type="button" class="secondary" onclick={moved(1)} disabled={index + 1 == labels_len} aria-label="Move down">{"↓"}</button>
                <button type="button" class="danger" onclick={remove} disabled={count > 0} title={if count > 0 { "Delete its annotations first" } else { "Delete this label" }}>{"Delete"}</button>
            </div>
            { for choice_rows }
        </li>
    }
}

/// Whether IndexedDB is 80 % full or more.
fn nearly_full(estimate: Option<Option<(f64, f64)>>) -> bool {
    matches!(estimate, Some(Some((usage, quota))) if quota > 0.0 && usage / quota >= 0.8)
}

/// The Storage section's line on IndexedDB, which holds the article texts.
fn estimate_line(estimate: Option<Option<(f64, f64)>>) -> Html {
    match estimate {
        None => html! { {"Article texts are kept in IndexedDB; measuring how much room they take…"} },
        Some(None) => {
            html! { {"Article texts are kept in IndexedDB; this browser does not say how much room is left."} }
        }
        Some(Some((usage, quota))) => html! {
            <>
                {format!("Article texts are kept in IndexedDB: {} of {} available to this site ({:.0} %).", format_bytes(usage as usize), format_bytes(quota as usize), if quota > 0.0 { usage / quota * 100.0 } else { 0.0 })}
                if nearly_full(estimate) { <strong>{" Nearly full: export the project and remove articles you no longer need."}</strong> }
            </>
        },
    }
}

#[component]
pub fn SettingsDialog(props: &SettingsProps) -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let project = &context.project;
    let used = storage::used_bytes();
    let share = used as f64 / storage::QUOTA_BYTES as f64;
    // IndexedDB (article texts) through `navigator.storage.estimate()`, read once the dialog opens.
    // `None` while it is read, `Some(None)` when the browser does not give one.
    let estimate = use_state(|| None::<Option<(f64, f64)>>);
    {
        let estimate = estimate.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                estimate.set(Some(crate::web::idb::estimate().await));
            });
        });
    }
    let counts = {
        let mut counts = std::collections::BTreeMap::new();
        for span in project.spans().values() {
            *counts.entry(span.label.clone()).or_insert(0usize) += 1;
        }
        counts
    };
    let relation_counts = {
        let mut counts = std::collections::BTreeMap::new();
        for relation in project.relations().values() {
            *counts.entry(relation.relation_type.clone()).or_insert(0usize) += 1;
        }
        counts
    };
    let on_annotator = {
        let context = context.clone();
        Callback::from(move |event: Event| {
            let name = input_value(&event).trim().to_string();
            let annotator = if name.is_empty() { Settings::default().annotator } else { name };
            change_settings(&context, move |settings| settings.annotator = annotator);
        })
    };
    let on_reviewer = |field: fn(&mut Settings) -> &mut String| {
        let context = context.clone();
        Callback::from(move |event: Event| {
            let value = input_value(&event).trim().to_string();
            change_settings(&context, move |settings| *field(settings) = value);
        })
    };
    let add_label = {
        let context = context.clone();
        Callback::from(move |_| change_labels(&context, add_label_to))
    };
    let add_relation_type = {
        let context = context.clone();
        Callback::from(move |_| {
            change_relation_types(&context, |relation_types| {
                let number = relation_types.len() + 1;
                let name = format!("link-{number}");
                relation_types.push(RelationTypeDef {
                    id: slug(&name).into(),
                    name,
                    color: PALETTE[number % PALETTE.len()].to_string(),
                    symmetric: true,
                    kinds: Vec::new(),
                    hotkey: String::new(),
                });
                true
            });
        })
    };
    let relation_rows = project.relation_types().iter().enumerate().map(|(index, relation_type)| {
        let count = relation_counts.get(&relation_type.id).copied().unwrap_or(0);
        let remove = {
            let context = context.clone();
            Callback::from(move |_| {
                change_relation_types(&context, move |relation_types| {
                    (index < relation_types.len()).then(|| relation_types.remove(index)).is_some()
                });
            })
        };
        html! {
            <li class="schema-row">
                <div class="schema-main">
                    <kbd>{relation_type.hotkey.clone()}</kbd>
                    <input type="color" value={relation_type.color.clone()} onchange={relation_change(&context, index, |relation, value| relation.color = value)} aria-label="Colour" />
                    <input type="text" class="schema-name" value={relation_type.name.clone()}
                        onchange={relation_change(&context, index, |relation, value| if !value.trim().is_empty() { relation.name = value.trim().to_string() })} aria-label="Link type name" />
                    <span class="schema-count">{format!("{} · {count} used", if relation_type.symmetric { "symmetric" } else { "directed" })}</span>
                    <button type="button" class="danger" onclick={remove} disabled={count > 0}>{"Delete"}</button>
                </div>
                <label class="choice-row">
                    <span>{"Kinds"}</span>
                    <input type="text" value={relation_type.kinds.join(", ")}
                        onchange={relation_change(&context, index, |relation, value| relation.kinds = split_choices(&value))} aria-label="Kinds, comma-separated" />
                </label>
            </li>
        }
    });
    html! {
        <crate::ui::dialog::Dialog title="Settings" testid="settings" class="settings" on_close={props.on_close.clone()}>
            <section>
                <h3>{"Annotator"}</h3>
                <div class="field">
                    <label for="annotator">{"Your name, written into every annotation and link you make"}</label>
                    <input id="annotator" type="text" data-testid="annotator-name" value={project.settings().annotator.clone()} onchange={on_annotator} />
                </div>
            </section>
            <section>
                <h3>{"Fact-check publisher"}</h3>
                <div class="field">
                    <label for="reviewer-organisation">{"Organisation named as the reviewer in ClaimReview exports"}</label>
                    <input id="reviewer-organisation" type="text" data-testid="reviewer-organisation" value={project.settings().reviewer_organisation.clone()} onchange={on_reviewer(|settings| &mut settings.reviewer_organisation)} />
                </div>
                <div class="field">
                    <label for="reviewer-url">{"Its web address (each review's URL is this plus # and the claim's id)"}</label>
                    <input id="reviewer-url" type="url" data-testid="reviewer-url" value={project.settings().reviewer_url.clone()} onchange={on_reviewer(|settings| &mut settings.reviewer_url)} />
                </div>
            </section>
            <section>
                <h3>{"Storage"}</h3>
                <p data-testid="storage-usage" class={classes!("storage-usage", (share >= 0.8).then_some("warn"))}>
                    {format!("{} of about {} used in this browser ({:.0} %).", format_bytes(used), format_bytes(storage::QUOTA_BYTES), share * 100.0)}
                    if share >= 0.8 { <strong>{" Storage is nearly full: export the project and remove articles you no longer need."}</strong> }
                </p>
                // Always a line, so that nothing below moves when the estimate arrives: a click on
                // the Team section's button at that moment could land on the text above it.
                <p data-testid="storage-estimate" class={classes!("storage-usage", nearly_full(*estimate).then_some("warn"))}>
                    { estimate_line(*estimate) }
                </p>
                if let Some(note) = &props.storage_note { <p>{note.clone()}</p> }
            </section>
            <crate::ui::team::TeamSettings />
            <section>
                <h3>{"Labels"}</h3>
                <ul class="schema-list">{ for project.labels().iter().enumerate().map(|(index, label)| label_row(&context, index, label, counts.get(&label.id).copied().unwrap_or(0))) }</ul>
                <button type="button" class="secondary" data-testid="add-label" onclick={add_label}>{"+ Add label"}</button>
            </section>
            <section>
                <h3>{"Link types"}</h3>
                <ul class="schema-list">{ for relation_rows }</ul>
                <button type="button" class="secondary" onclick={add_relation_type}>{"+ Add link type"}</button>
            </section>
        </crate::ui::dialog::Dialog>
    }
}
