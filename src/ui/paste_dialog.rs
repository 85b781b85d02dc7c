//! Adds an article from pasted text, with optional title, source and URL.

use yew::prelude::*;

use crate::domain::article::Article;
use crate::domain::project::Edit;
use crate::domain::state::{AppAction, Notice, NoticeLevel};
use crate::ui::span_editor::input_value;
use crate::ui::state::AppContext;
use crate::web::clock::now_ms;

fn notify(context: &AppContext, level: NoticeLevel, text: String) {
    context.dispatch(AppAction::Notify(Notice { level, text }));
}

#[derive(Properties, PartialEq)]
pub struct PasteDialogProps {
    pub on_close: Callback<()>,
}

/// Adds an article from pasted text, with optional title, source and URL.
#[component]
pub fn PasteDialog(props: &PasteDialogProps) -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let fields = use_mut_ref(|| [String::new(), String::new(), String::new(), String::new()]);
    let field = |index: usize| {
        let fields = fields.clone();
        Callback::from(move |event: InputEvent| fields.borrow_mut()[index] = input_value(&event))
    };
    let on_add = {
        let context = context.clone();
        let fields = fields.clone();
        let on_close = props.on_close.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let [title, source, url, text] = fields.borrow().clone();
            if text.trim().is_empty() {
                notify(&context, NoticeLevel::Error, "Paste the article's text first.".to_string());
                return;
            }
            let source = if source.trim().is_empty() { "pasted".to_string() } else { source.trim().to_string() };
            let mut article = Article::new(&text, &title, &source);
            article.url = url.trim().to_string();
            if context.project.article(&article.id).is_some() {
                notify(&context, NoticeLevel::Info, "That article is already in the project.".to_string());
                on_close.emit(());
                return;
            }
            let id = article.id.clone();
            context.dispatch(AppAction::Edit {
                edit: Edit::InsertArticle { position: usize::MAX, article },
                now: now_ms(),
            });
            context.dispatch(AppAction::OpenArticle(id));
            on_close.emit(());
        })
    };
    let close = props.on_close.reform(|_| ());
    let stop = Callback::from(|event: MouseEvent| event.stop_propagation());
    html! {
        <div class="overlay" onclick={close.clone()}>
            <form class="sheet paste" role="dialog" aria-modal="true" aria-labelledby="paste-title" data-testid="paste-dialog" onclick={stop} onsubmit={on_add}>
                <div class="sheet-head">
                    <h2 id="paste-title">{"Paste an article"}</h2>
                    <button type="button" class="dismiss" onclick={close} aria-label="Close">{"×"}</button>
                </div>
                <div class="field"><label for="paste-title-input">{"Title (optional: derived from the text)"}</label><input id="paste-title-input" data-testid="paste-title" oninput={field(0)} /></div>
                <div class="paste-row">
                    <div class="field"><label for="paste-source">{"Source"}</label><input id="paste-source" data-testid="paste-source" oninput={field(1)} placeholder="Outlet or file" /></div>
                    <div class="field"><label for="paste-url">{"URL"}</label><input id="paste-url" type="url" data-testid="paste-url" oninput={field(2)} /></div>
                </div>
                <div class="field"><label for="paste-text">{"Text"}</label><textarea id="paste-text" data-testid="paste-text" rows="12" oninput={field(3)} /></div>
                <button type="submit" class="primary" data-testid="paste-add">{"Add article"}</button>
            </form>
        </div>
    }
}
