//! Team sync's face: the Team section of Settings (server URL, user, password, connect and
//! disconnect), the header's status line, the conflicts list with keep-mine / keep-theirs, and
//! the annotator filter.
//!
//! Everything here reads `web::sync` and calls it; the protocol and the conflict rules live in
//! `formats::sync`. Only the status line and the filter's bookkeeping are in the first load: the
//! conflicts (marker and list) are code of team sync's module, and the filter's select code of
//! the editing code's module, fetched after the first paint (`ui::lazy_view`).

use yew::prelude::*;

use crate::domain::annotators::{self, AnnotatorFilter};
use crate::formats::sync::conflict::ConflictView;
use crate::formats::sync::status::SyncStatus;
use crate::ui::lazy_view::{lazy_quiet, Lazy, LazyArgs};
use crate::web::clock::now_ms;
use crate::web::sync::{self, Keep};

/// Re-renders the component whenever team sync's status or conflicts change.
#[hook]
fn use_sync_updates() -> u64 {
    let tick = use_state(|| 0u64);
    {
        let tick = tick.clone();
        use_effect_with((), move |_| {
            let counter = std::rc::Rc::new(std::cell::Cell::new(0u64));
            let id = sync::subscribe(move || {
                counter.set(counter.get() + 1);
                tick.set(counter.get());
            });
            move || sync::unsubscribe(id)
        });
    }
    *tick
}

/// The Team section of Settings.
#[component]
pub fn TeamSettings() -> Html {
    use_sync_updates();
    let (saved_url, saved_user, connected) = sync::settings();
    let open = use_state(|| connected || !saved_url.is_empty());
    // Read at submit time from the fields themselves (a change event may not have re-rendered yet).
    let url = use_node_ref();
    let user = use_node_ref();
    let password = use_node_ref();
    // What the person typed, kept across re-renders: bound to the saved settings alone, the fields
    // were emptied by the status change of a failed attempt (a mistyped password cost the URL and
    // the user name too).
    let url_typed = use_state(|| saved_url.clone());
    let user_typed = use_state(|| saved_user.clone());
    let typed = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                state.set(input.value());
            }
        })
    };
    let (on_url_input, on_user_input) = (typed(&url_typed), typed(&user_typed));
    let on_connect = {
        let (url, user, password) = (url.clone(), user.clone(), password.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let value = |field: &NodeRef| {
                field.cast::<web_sys::HtmlInputElement>().map(|input| input.value()).unwrap_or_default()
            };
            sync::connect(value(&url), value(&user), value(&password));
            if let Some(input) = password.cast::<web_sys::HtmlInputElement>() {
                input.set_value("");
            }
        })
    };
    let on_disconnect = Callback::from(|_| sync::disconnect());
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let (status, status_class) = sync::status()
        .map(|status| (status.text(), status_class(&status)))
        .unwrap_or_else(|| ("Not connected".to_string(), ""));
    html! {
        <section class="team">
            <h3>{"Team"}</h3>
            <p>{"Share this project with colleagues through a CouchDB database (CouchDB 3 or pouchdb-server). Your edits sync both ways, offline edits when you are back online. The password is kept only in this page's memory."}</p>
            <button type="button" class="secondary" data-testid="sync-open" aria-expanded={open.to_string()} onclick={toggle}>
                {if *open { "Hide team settings" } else { "Set up team sync…" }}
            </button>
            if *open {
                <form class="team-form" onsubmit={on_connect}>
                    <div class="field">
                        <label for="sync-url">{"Database URL"}</label>
                        <input id="sync-url" type="url" data-testid="sync-url" placeholder="http://127.0.0.1:5984/rafah-desk"
                            value={(*url_typed).clone()} oninput={on_url_input} ref={url} required=true />
                    </div>
                    <div class="field">
                        <label for="sync-user">{"User name"}</label>
                        <input id="sync-user" type="text" data-testid="sync-user" autocomplete="username"
                            value={(*user_typed).clone()} oninput={on_user_input} ref={user} required=true />
                    </div>
                    <div class="field">
                        <label for="sync-password">{"Password"}</label>
                        <input id="sync-password" type="password" data-testid="sync-password" autocomplete="current-password"
                            ref={password} />
                    </div>
                    <div class="team-actions">
                        <button type="submit" data-testid="sync-connect">{"Connect"}</button>
                        <button type="button" class="secondary" data-testid="sync-disconnect" onclick={on_disconnect} disabled={!connected}>{"Disconnect"}</button>
                        <span class={classes!("team-state", status_class)} data-testid="sync-settings-status" role="status">{status}</span>
                    </div>
                </form>
            }
        </section>
    }
}

/// The class that colours a status line (the header's, and the one in Settings): a failure
/// shows as an error in both.
fn status_class(status: &SyncStatus) -> &'static str {
    match status {
        SyncStatus::Synced => "synced",
        SyncStatus::Syncing { .. } => "syncing",
        SyncStatus::Offline { .. } => "offline",
        SyncStatus::Error(_) => "error",
    }
}

/// The header's status line, and the marker that opens the conflicts when there are any.
#[component]
pub fn SyncStatusLine() -> Html {
    use_sync_updates();
    let Some(status) = sync::status() else { return html! {} };
    let class = status_class(&status);
    html! {
        <>
            <span class={classes!("sync-status", class)} data-testid="sync-status" role="status"
                title={format!("Team sync: {}", status.text())}>{status.text()}</span>
            if let SyncStatus::Syncing { done, total: Some(total) } = status {
                <progress class="sync-progress" data-testid="sync-progress" max={total.max(1).to_string()}
                    value={done.min(total).to_string()} aria-label="Team sync progress" />
            }
            // Conflicts are found in team sync's module (`ui::lazy_view`), which syncing loaded.
            if sync::module_loaded() {
                { lazy_quiet(Lazy::ConflictMarker, LazyArgs::default()) }
            }
        </>
    }
}

/// The marker that opens the conflicts (none: nothing shows), and the conflicts dialog.
#[component]
pub fn ConflictMarker() -> Html {
    use_sync_updates();
    let showing = use_state(|| false);
    let conflicts = sync::conflicts();
    let open = {
        let showing = showing.clone();
        Callback::from(move |_| showing.set(true))
    };
    let close = {
        let showing = showing.clone();
        Callback::from(move |()| showing.set(false))
    };
    html! {
        if !conflicts.is_empty() {
            <button type="button" class="conflict-marker" data-testid="conflict-marker" onclick={open}
                title="Items edited by two people at once: choose which version to keep">
                {format!("⚠ {} in conflict", conflicts.len())}
            </button>
            if *showing {
                <ConflictsDialog on_close={close} />
            }
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ConflictsDialogProps {
    pub on_close: Callback<()>,
}

/// The conflicts list: each item with its versions, keep mine, keep theirs or merge.
#[component]
pub fn ConflictsDialog(props: &ConflictsDialogProps) -> Html {
    use_sync_updates();
    let conflicts = sync::conflicts();
    html! {
        <crate::ui::dialog::Dialog title="Conflicts" testid="conflicts" on_close={props.on_close.clone()}>
            <p>{"Two people changed these items at the same time. Every version is kept until you choose; the version shown until then is the same for everyone."}</p>
            <ul class="conflict-list">
                { for conflicts.values().map(|view| html! { <ConflictRow key={view.id.clone()} view={view.clone()} /> }) }
            </ul>
        </crate::ui::dialog::Dialog>
    }
}

fn describe(body: &crate::formats::sync::replica::Body) -> String {
    let data = body.get("data");
    let field = |name: &str| {
        data.and_then(|data| data.get(name))
            .map(|value| value.as_str().map_or_else(|| value.to_string(), str::to_string))
            .unwrap_or_default()
    };
    let attributes = data
        .and_then(|data| data.get("attributes"))
        .and_then(|attributes| attributes.as_object())
        .map(|attributes| {
            attributes
                .iter()
                .map(|(key, value)| format!("{key}: {}", value.as_str().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    let mut text = format!("{} {}–{}", field("label"), field("start"), field("end"));
    if !field("type").is_empty() {
        text = format!("{} {} → {}", field("type"), field("from"), field("to"));
    } else if !field("title").is_empty() {
        text = format!("“{}”, {}", field("title"), field("source"));
    } else if data.is_some_and(|data| data.get("labels").is_some() || data.get("relation_types").is_some()) {
        text = "the project's labels or link types".to_string();
    }
    if !attributes.is_empty() {
        text.push_str(&format!(" ({attributes})"));
    }
    text
}

#[derive(Properties, PartialEq)]
struct ConflictRowProps {
    view: ConflictView,
}

/// A value of one field as a person reads it (`—`: absent).
fn shown(value: Option<&serde_json::Value>) -> String {
    match value {
        None | Some(serde_json::Value::Null) => "—".to_string(),
        Some(value) => value.as_str().map_or_else(|| value.to_string(), str::to_string),
    }
}

/// One conflicted item: mine and theirs, keep either, or merge field by field (shown when more
/// than one field differs: with one, a merge is keeping one side).
#[component]
fn ConflictRow(props: &ConflictRowProps) -> Html {
    let view = &props.view;
    let from_theirs = use_state(std::collections::BTreeSet::<String>::new);
    let problem = use_state(|| None::<String>);
    let (mine, theirs) = sync::mine_and_theirs(view);
    let versions: Vec<_> = std::iter::once(&view.winner).chain(&view.others).collect();
    let version_of =
        |rev: &crate::formats::sync::revision::Rev| versions.iter().find(|version| &version.rev == rev).copied();
    let keep = |which: Keep| {
        let id = view.id.clone();
        let problem = problem.clone();
        Callback::from(move |_| {
            let (id, which, problem) = (id.clone(), which.clone(), problem.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match sync::resolve_conflict(id, which, now_ms()).await {
                    Ok(()) => problem.set(None),
                    Err(why) => problem.set(Some(format!("Not resolved: {why}."))),
                }
            });
        })
    };
    let line = |label: &str, version: Option<&crate::formats::sync::conflict::Version>| match version {
        Some(version) if version.author().is_empty() => {
            html! { <li>{format!("{label} — {}", describe(&version.body))}</li> }
        }
        Some(version) => html! { <li>{format!("{label} — {} by {}", describe(&version.body), version.author())}</li> },
        None => html! {},
    };
    let fields: Vec<(String, String, String)> = view
        .differences()
        .into_iter()
        .filter(|(path, _)| !ConflictView::follows_the_author(path))
        .filter_map(|(path, values)| {
            let value_of = |rev: &crate::formats::sync::revision::Rev| {
                values.iter().find(|(version, _)| version == rev).and_then(|(_, value)| value.clone())
            };
            let (ours, others) = (value_of(&mine), value_of(&theirs));
            (ours != others).then(|| (path, shown(ours.as_ref()), shown(others.as_ref())))
        })
        .collect();
    let field_row = |(path, ours, others): &(String, String, String)| {
        let name = format!("merge-{}-{path}", view.id);
        let pick = |theirs: bool| {
            let from_theirs = from_theirs.clone();
            let path = path.clone();
            Callback::from(move |_: Event| {
                let mut picked = (*from_theirs).clone();
                if theirs {
                    picked.insert(path.clone());
                } else {
                    picked.remove(&path);
                }
                from_theirs.set(picked);
            })
        };
        let taken_from_theirs = from_theirs.contains(path);
        let field = path.split_once('.').map_or(path.as_str(), |(_, inner)| inner).replace('_', " ");
        html! {
            <tr data-testid="merge-field" data-field={path.clone()}>
                <th scope="row">{field}</th>
                <td><label><input type="radio" name={name.clone()} data-testid={format!("merge-mine-{path}")}
                    checked={!taken_from_theirs} onchange={pick(false)} />{ours.clone()}</label></td>
                <td><label><input type="radio" name={name} data-testid={format!("merge-theirs-{path}")}
                    checked={taken_from_theirs} onchange={pick(true)} />{others.clone()}</label></td>
            </tr>
        }
    };
    html! {
        <li class="conflict" data-testid="conflict-item" data-id={view.id.clone()}>
            <strong>{view.id.clone()}</strong>
            <ul>
                { line("Mine", version_of(&mine)) }
                { line("Theirs", version_of(&theirs)) }
            </ul>
            <button type="button" data-testid="resolve-keep-mine" onclick={keep(Keep::Mine)}>{"Keep mine"}</button>
            <button type="button" class="secondary" data-testid="resolve-keep-theirs" onclick={keep(Keep::Theirs)}>{"Keep theirs"}</button>
            if fields.len() > 1 {
                <details class="conflict-merge">
                    <summary>{"Merge field by field…"}</summary>
                    <table>
                        <thead><tr><th scope="col">{"Field"}</th><th scope="col">{"Mine"}</th><th scope="col">{"Theirs"}</th></tr></thead>
                        <tbody>{ for fields.iter().map(field_row) }</tbody>
                    </table>
                    <button type="button" data-testid="resolve-merge"
                        onclick={keep(Keep::Merged { from_theirs: (*from_theirs).clone() })}>{"Keep this merge"}</button>
                </details>
            }
            if let Some(problem) = &*problem {
                <p class="conflict-problem" role="alert">{problem.clone()}</p>
            }
        </li>
    }
}

/// The filter in force, the components showing it (by subscription id), the last id handed out.
type FilterState = (AnnotatorFilter, Vec<(u64, UseStateHandle<AnnotatorFilter>)>, u64);

thread_local! {
    static FILTER: std::cell::RefCell<FilterState> = Default::default();
}

fn set_filter(filter: AnnotatorFilter) {
    let handles = FILTER.with(|cell| {
        let mut cell = cell.borrow_mut();
        cell.0 = filter.clone();
        cell.1.clone()
    });
    for (_, handle) in handles {
        handle.set(filter.clone());
    }
}

#[hook]
fn use_filter() -> AnnotatorFilter {
    let handle = use_state(|| FILTER.with(|cell| cell.borrow().0.clone()));
    {
        let handle = handle.clone();
        use_effect_with((), move |_| {
            let id = FILTER.with(|cell| {
                let mut cell = cell.borrow_mut();
                cell.2 += 1;
                let id = cell.2;
                cell.1.push((id, handle));
                id
            });
            move || FILTER.with(|cell| cell.borrow_mut().1.retain(|(other, _)| *other != id))
        });
    }
    (*handle).clone()
}

/// The spans the reader and the list show under the annotator filter (the same `Rc` when it
/// hides nothing, so nothing re-renders for the filter's sake).
#[hook]
pub fn use_filtered_spans(
    spans: std::rc::Rc<Vec<std::rc::Rc<crate::domain::annotation::Span>>>,
    me: String,
) -> std::rc::Rc<Vec<std::rc::Rc<crate::domain::annotation::Span>>> {
    let filter = use_filter();
    let memo = use_memo((spans, filter, me), |(spans, filter, me)| {
        if *filter == AnnotatorFilter::Everyone {
            spans.clone()
        } else {
            std::rc::Rc::new(spans.iter().filter(|span| filter.shows(&span.author, me)).cloned().collect())
        }
    });
    (*memo).clone()
}

/// A project compared by the identity of its span and link maps: equal while no annotation
/// changed. (The memo once cloned and compared both maps on every render of the header, two
/// walks of 10,000 spans per edit.) Holding the project keeps the maps alive, so an address
/// cannot be reused by a newer map.
struct SameAnnotations(crate::domain::project::Project);

impl PartialEq for SameAnnotations {
    fn eq(&self, other: &SameAnnotations) -> bool {
        std::ptr::eq(self.0.spans(), other.0.spans()) && std::ptr::eq(self.0.relations(), other.0.relations())
    }
}

/// The header's annotator filter, shown once more than one person annotated the project: a view
/// of the editing code's module (`ui::lazy_view`), which the header mounts once it is here.
#[component]
pub fn AnnotatorFilterSelect() -> Html {
    let filter = use_filter();
    let Some(context) = use_context::<crate::ui::state::AppContext>() else { return html! {} };
    let me = context.project.settings().annotator.clone();
    // Every span's and link's author is read (12,000 on the benchmark project, about a
    // millisecond): after the frame that shows an edit, not before it, as the header's warning
    // count is. The first render has none yet, and the select shows from the next frame on.
    let authors = use_state_eq(Vec::<String>::new);
    {
        let authors = authors.clone();
        let latest = use_mut_ref(|| 0u64);
        use_effect_with(SameAnnotations(context.project.clone()), move |project| {
            let project = project.0.clone();
            let revision = {
                let mut latest = latest.borrow_mut();
                *latest += 1;
                *latest
            };
            crate::web::schedule::after_next_paint(move || {
                if *latest.borrow() == revision {
                    authors.set(annotators::authors(&project));
                }
            });
        });
    }
    if authors.iter().filter(|author| **author != me).count() == 0 && filter == AnnotatorFilter::Everyone {
        return html! {};
    }
    let onchange = Callback::from(|event: Event| {
        use wasm_bindgen::JsCast;
        let value = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlSelectElement>().ok())
            .map(|select| select.value())
            .unwrap_or_default();
        set_filter(match value.strip_prefix("hide:") {
            Some(name) => AnnotatorFilter::Hide(name.to_string()),
            None if value == "mine" => AnnotatorFilter::OnlyMine,
            None => AnnotatorFilter::Everyone,
        });
    });
    let selected = |value: &AnnotatorFilter| *value == filter;
    html! {
        <select class="annotator-filter" data-testid="annotator-filter" aria-label="Whose annotations to show"
            title="Whose annotations to show" {onchange}>
            <option value="all" selected={selected(&AnnotatorFilter::Everyone)}>{"Everyone"}</option>
            <option value="mine" selected={selected(&AnnotatorFilter::OnlyMine)}>{"Only mine"}</option>
            { for authors.iter().filter(|author| **author != me).map(|author| html! {
                <option value={format!("hide:{author}")} selected={selected(&AnnotatorFilter::Hide(author.clone()))}>{format!("Hide {author}")}</option>
            }) }
        </select>
    }
}
