//! The side panel: the open article's annotations in reading order, and the selected one's editor.

use std::rc::Rc;

use yew::prelude::*;

use crate::domain::annotation::Span;
use crate::domain::article::shorten;
use crate::domain::state::AppAction;
use crate::ui::span_editor::SpanEditor;
use crate::ui::state::AppContext;

#[derive(Properties, PartialEq)]
pub struct SidePanelProps {
    /// The open article's spans in reading order.
    pub spans: Rc<Vec<Rc<Span>>>,
}

/// The one or two attributes worth seeing in a list row.
fn key_attributes(span: &Span) -> String {
    let parts: Vec<&str> = match span.label.as_str() {
        "claim" => vec![span.attribute("kind"), span.attribute("verdict")],
        "quote" => vec![span.attribute("speaker"), span.attribute("form")],
        "speaker" => vec![span.attribute("canonical")],
        _ => span.attributes.values().map(String::as_str).take(2).collect(),
    };
    parts.into_iter().filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" · ")
}

#[component]
pub fn SidePanel(props: &SidePanelProps) -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let project = &context.project;
    let selected = context.selected_span.as_ref().and_then(|id| project.spans.get(id)).cloned();
    let link_count = |span: &Span| project.relations.values().filter(|relation| relation.touches(&span.id)).count();
    let selected_id = selected.as_ref().map(|span| span.id.clone());
    let items = props.spans.iter().map(|span| {
        let label = project.label(&span.label);
        let is_selected = selected_id.as_ref() == Some(&span.id);
        let onclick = {
            let context = context.clone();
            let id = span.id.clone();
            Callback::from(move |_| context.dispatch(AppAction::SelectSpan(Some(id.clone()))))
        };
        let links = link_count(span);
        html! {
            <li
                data-testid="annotation-item"
                data-span-id={span.id.to_string()}
                class={classes!("annotation-item", is_selected.then_some("selected"))}
                role="option"
                aria-selected={is_selected.to_string()}
                {onclick}
            >
                <span class="chip" style={label.map(|label| format!("--label:{}", label.color))}>
                    { label.map(|label| label.name.clone()).unwrap_or_else(|| span.label.clone()) }
                </span>
                <span class="item-text">{shorten(&span.text, 110)}</span>
                <span class="item-attributes">{key_attributes(span)}</span>
                if links > 0 { <span class="item-links">{if links == 1 { "1 link".to_string() } else { format!("{links} links") }}</span> }
            </li>
        }
    });
    let items: Vec<Html> = items.collect();
    html! {
        <aside class="side-panel" aria-label="Annotations">
            if let Some(span) = selected {
                <SpanEditor span={span} />
            }
            <h2 class="panel-title">{format!("Annotations ({})", props.spans.len())}</h2>
            if props.spans.is_empty() {
                <div class="empty-state" data-testid="empty-state">
                    <p><strong>{"Nothing tagged in this article yet."}</strong></p>
                    <ol>
                        <li>{"Select words in the article (the selection snaps to whole words; hold "}<kbd>{"Alt"}</kbd>{" to keep it exact)."}</li>
                        <li>{"Press "}<kbd>{"1"}</kbd>{" Claim, "}<kbd>{"2"}</kbd>{" Quote or "}<kbd>{"3"}</kbd>{" Speaker — or click a label in the toolbar."}</li>
                        <li>{"Fill in the verdict, speaker or note here. Everything saves as you go."}</li>
                        <li>{"Open "}<em>{"Compare"}</em>{" to link claims that contradict or support each other across articles."}</li>
                    </ol>
                    <p class="hint">{"Press "}<kbd>{"?"}</kbd>{" for every shortcut."}</p>
                </div>
            } else {
                <ol class="annotation-list" role="listbox" aria-label="Annotations in reading order">{ for items }</ol>
            }
        </aside>
    }
}
