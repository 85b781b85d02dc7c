//! Adds an article from pasted text, with optional title, source and URL.
//!
//! Pasting HTML from a browser (the clipboard's `text/html`) runs it through the same extractor
//! as an imported web page: paragraphs are kept, page furniture dropped, and the page's title,
//! site, URL and metadata filled in. Plain text pastes as it is. The form sits in a modal
//! `ui::dialog::Dialog` (focus in, Tab kept inside, Escape closes, focus back to Paste), loaded
//! on first use with `ui::lazy_view`.

use yew::prelude::*;

use wasm_bindgen::JsCast;

use crate::domain::article::{Article, ArticleMetadata};
use crate::domain::project::Edit;
use crate::domain::state::{AppAction, NoticeLevel};
use crate::formats::web_page::article_from_extracted;
use crate::ui::notice_bar::notify;
use crate::ui::span_editor::input_value;
use crate::ui::state::AppContext;
use crate::web::clock::now_ms;
use crate::web::html_text::Extraction;

#[derive(Properties, PartialEq)]
pub struct PasteDialogProps {
    pub on_close: Callback<()>,
}

/// Adds an article from pasted text, with optional title, source and URL.
#[component]
pub fn PasteDialog(props: &PasteDialogProps) -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let fields = use_mut_ref(|| [String::new(), String::new(), String::new(), String::new()]);
    let metadata = use_mut_ref(ArticleMetadata::default);
    let published = use_mut_ref(String::new);
    let redraw = use_force_update();
    let onpaste = {
        let (fields, metadata, published) = (fields.clone(), metadata.clone(), published.clone());
        let context = context.clone();
        Callback::from(move |event: Event| {
            let Some(clipboard) = event.dyn_ref::<web_sys::ClipboardEvent>().and_then(|event| event.clipboard_data())
            else {
                return;
            };
            let html = clipboard.get_data("text/html").unwrap_or_default();
            if html.trim().is_empty() {
                return;
            }
            event.prevent_default();
            let (fields, metadata, published, redraw) =
                (fields.clone(), metadata.clone(), published.clone(), redraw.clone());
            let context = context.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match crate::web::html_text::extract_pasted(&html).await {
                    Ok(Extraction::Article(extracted)) => {
                        let article = article_from_extracted("pasted", "", &extracted);
                        let mut fields = fields.borrow_mut();
                        fields[3] = article.text.to_string();
                        if fields[0].trim().is_empty() {
                            fields[0] = extracted.title.clone();
                        }
                        if fields[1].trim().is_empty() {
                            fields[1] = article.metadata.site_name.clone();
                        }
                        if fields[2].trim().is_empty() {
                            fields[2] = article.url.clone();
                        }
                        *metadata.borrow_mut() = article.metadata;
                        *published.borrow_mut() = article.published;
                    }
                    Ok(Extraction::NoArticle { whole_text, .. }) => fields.borrow_mut()[3] = whole_text,
                    Err(why) => {
                        notify(&context, NoticeLevel::Error, format!("The pasted page could not be read: {why}"))
                    }
                }
                redraw.force_update();
            });
        })
    };
    let field = |index: usize| {
        let fields = fields.clone();
        Callback::from(move |event: InputEvent| fields.borrow_mut()[index] = input_value(&event))
    };
    let on_add = {
        let context = context.clone();
        let fields = fields.clone();
        let (metadata, published) = (metadata.clone(), published.clone());
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
            article.metadata = metadata.borrow().clone();
            article.published = published.borrow().clone();
            let now = now_ms();
            crate::ui::editing::edit(&context, move |context| {
                if context.project.article(&article.id).is_some() {
                    return notify(context, NoticeLevel::Info, "That article is already in the project.".to_string());
                }
                let id = article.id.clone();
                context.dispatch(AppAction::Edit { edit: Edit::InsertArticle { position: usize::MAX, article }, now });
                context.dispatch(AppAction::OpenArticle(id));
            });
            on_close.emit(());
        })
    };
    let values = fields.borrow().clone();
    html! {
        <crate::ui::dialog::Dialog title="Paste an article" testid="paste-dialog" class="paste" on_close={props.on_close.clone()}>
            <form class="paste-form" onsubmit={on_add}>
                <div class="field"><label for="paste-title-input">{"Title (optional: derived from the text)"}</label><input id="paste-title-input" data-testid="paste-title" value={values[0].clone()} oninput={field(0)} /></div>
                <div class="paste-row">
                    <div class="field"><label for="paste-source">{"Source"}</label><input id="paste-source" data-testid="paste-source" value={values[1].clone()} oninput={field(1)} placeholder="Outlet or file" /></div>
                    <div class="field"><label for="paste-url">{"URL"}</label><input id="paste-url" type="url" data-testid="paste-url" value={values[2].clone()} oninput={field(2)} /></div>
                </div>
                <div class="field"><label for="paste-text">{"Text"}</label><textarea id="paste-text" data-testid="paste-text" rows="12" value={values[3].clone()} oninput={field(3)} {onpaste} /></div>
                <button type="submit" class="primary" data-testid="paste-add">{"Add article"}</button>
            </form>
        </crate::ui::dialog::Dialog>
    }
}
