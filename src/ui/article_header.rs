//! The reader's header: headline, byline, publication date, publisher, canonical URL and counts,
//! and the dialog that edits them (a module of its own, `ui::lazy_view`, fetched when *Edit
//! details* is first pointed at, focused or pressed). Every value is page or user text, rendered
//! as text.

use std::rc::Rc;

use yew::prelude::*;

use crate::domain::article::{Article, ArticleDetails, ArticleDetailsChange, ArticleMetadata, TextDirection};
use crate::domain::article_metadata::date_part;
use crate::domain::project::Edit;
use crate::domain::state::AppAction;
use crate::domain::text::counted;
use crate::ui::dialog::Dialog;
use crate::ui::lazy_view::{lazy, preloader, Lazy, LazyArgs};
use crate::ui::span_editor::input_value;
use crate::ui::state::AppContext;
use crate::web::clock::now_ms;

/// A URL as a link when it is http(s), else as plain text (a `javascript:` URL is never linked).
pub fn url_text(url: &str, testid: &'static str) -> Html {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        html! { <a class="source-link" data-testid={testid} href={url.to_string()} target="_blank" rel="noopener noreferrer">{url.to_string()}</a> }
    } else {
        html! { <span class="source-link" data-testid={testid}>{url.to_string()}</span> }
    }
}

#[derive(Properties, PartialEq)]
pub struct ArticleHeaderProps {
    pub article: Rc<Article>,
    pub annotation_count: usize,
}

#[component]
pub fn ArticleHeader(props: &ArticleHeaderProps) -> Html {
    // Renders again when the editing code, which counts words, arrives.
    crate::ui::editing::use_editing_code();
    let editing = use_state(|| false);
    let article = &props.article;
    let metadata = &article.metadata;
    let byline = metadata.byline();
    let site = (!metadata.site_name.is_empty()).then(|| metadata.site_name.clone());
    let open = {
        let editing = editing.clone();
        Callback::from(move |_| editing.set(true))
    };
    let close = {
        let editing = editing.clone();
        Callback::from(move |_| editing.set(false))
    };
    let has_credits = !byline.is_empty() || !article.published.is_empty() || site.is_some();
    html! {
        <div class="reader-head" lang={(!metadata.language.is_empty()).then(|| metadata.language.clone())} dir={metadata.direction.map(TextDirection::as_str)}>
            <h1 data-testid="article-title">{article.title.clone()}</h1>
            if has_credits {
                <p class="article-credits">
                    if !byline.is_empty() { <span class="article-byline" data-testid="article-byline">{format!("By {byline}")}</span> }
                    if !article.published.is_empty() {
                        <time class="article-published" data-testid="article-published" datetime={article.published.clone()} title={article.published.clone()}>{date_part(&article.published).to_string()}</time>
                    }
                    if let Some(site) = site { <span class="article-site" data-testid="article-site">{site}</span> }
                </p>
            }
            if !metadata.description.is_empty() { <p class="article-description">{metadata.description.clone()}</p> }
            <p class="reader-meta">
                {article.source.clone()}
                if let Some(words) = crate::ui::editing::word_count(article) { {" · "}{counted(words, "word", "words")} }
                {" · "}{counted(props.annotation_count, "annotation", "annotations")}
                if !metadata.canonical_url.is_empty() { {" · "}{ url_text(&metadata.canonical_url, "article-canonical-url") } }
                if !article.url.is_empty() && article.url != metadata.canonical_url { {" · "}{ url_text(&article.url, "article-url") } }
                {" · "}
                <button type="button" class="link-button" data-testid="edit-article-details" onclick={open}
                    onpointerenter={preloader(Lazy::ArticleDetails)} onfocus={preloader(Lazy::ArticleDetails)}>{"Edit details"}</button>
            </p>
            if *editing {
                { lazy(Lazy::ArticleDetails, LazyArgs { on_close: close, article: Some(article.clone()), ..LazyArgs::default() }) }
            }
        </div>
    }
}

/// The text fields of the details form, in order.
const FIELDS: [(&str, &str); 9] = [
    ("title", "Headline"),
    ("byline", "Authors (comma-separated)"),
    ("site", "Publisher / site"),
    ("published", "Published"),
    ("modified", "Modified"),
    ("canonical", "Canonical URL"),
    ("url", "URL"),
    ("language", "Language (e.g. en, pt-BR)"),
    ("source", "Source"),
];

fn field_values(article: &Article) -> Vec<String> {
    let metadata = &article.metadata;
    vec![
        article.title.clone(),
        metadata.authors.join(", "),
        metadata.site_name.clone(),
        article.published.clone(),
        metadata.modified.clone(),
        metadata.canonical_url.clone(),
        article.url.clone(),
        metadata.language.clone(),
        article.source.clone(),
    ]
}

/// The details as edited: trimmed, the byline split into authors, an empty headline kept as was.
fn details_from(article: &Article, values: &[String], direction: &str, description: &str) -> ArticleDetails {
    let value = |index: usize| values.get(index).map(|value| value.trim().to_string()).unwrap_or_default();
    let title = if value(0).is_empty() { article.title.clone() } else { value(0) };
    ArticleDetails {
        title,
        source: value(8),
        url: value(6),
        published: value(3),
        metadata: ArticleMetadata {
            authors: ArticleMetadata::authors_from_byline(&value(1)),
            site_name: value(2),
            modified: value(4),
            canonical_url: value(5),
            language: value(7),
            direction: TextDirection::parse(direction),
            description: description.trim().to_string(),
        },
    }
}

#[derive(Properties, PartialEq)]
pub struct ArticleDetailsDialogProps {
    pub article: Rc<Article>,
    pub on_close: Callback<()>,
}

#[component]
pub fn ArticleDetailsDialog(props: &ArticleDetailsDialogProps) -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let article = props.article.clone();
    let values = use_mut_ref(|| field_values(&article));
    let direction = use_mut_ref(|| article.metadata.direction.map(TextDirection::as_str).unwrap_or("").to_string());
    let description = use_mut_ref(|| article.metadata.description.clone());
    let current_direction = direction.borrow().clone();
    let current_description = description.borrow().clone();
    let inputs: Html = FIELDS.iter().enumerate().map(|(index, (key, label))| {
        let oninput = {
            let values = values.clone();
            Callback::from(move |event: InputEvent| values.borrow_mut()[index] = input_value(&event))
        };
        let id = format!("article-detail-{key}");
        html! {
            <div class="field">
                <label for={id.clone()}>{*label}</label>
                <input id={id} data-testid={format!("article-detail-{key}")} value={values.borrow()[index].clone()} {oninput} />
            </div>
        }
    }).collect();
    let on_direction = {
        let direction = direction.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                *direction.borrow_mut() = select.value();
            }
        })
    };
    let on_description = {
        let description = description.clone();
        Callback::from(move |event: InputEvent| *description.borrow_mut() = input_value(&event))
    };
    let on_save = {
        let on_close = props.on_close.clone();
        let article = article.clone();
        let (values, direction, description) = (values.clone(), direction.clone(), description.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let details = details_from(&article, &values.borrow(), &direction.borrow(), &description.borrow());
            if details != article.details() {
                let edit = Edit::SetArticleDetails(ArticleDetailsChange { id: article.id.clone(), details });
                let now = now_ms();
                crate::ui::editing::edit(&context, move |context| context.dispatch(AppAction::Edit { edit, now }));
            }
            on_close.emit(());
        })
    };
    html! {
        <Dialog title="Article details" testid="article-details" class={classes!("article-details")} on_close={props.on_close.clone()}>
            <form onsubmit={on_save}>
                <div class="details-grid">{ inputs }</div>
                <div class="field">
                    <label for="article-detail-direction">{"Text direction"}</label>
                    <select id="article-detail-direction" data-testid="article-detail-direction" onchange={on_direction}>
                        <option value="" selected={current_direction.is_empty()}>{"As the text goes"}</option>
                        <option value="ltr" selected={current_direction == "ltr"}>{"Left to right"}</option>
                        <option value="rtl" selected={current_direction == "rtl"}>{"Right to left"}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="article-detail-description">{"Description"}</label>
                    <textarea id="article-detail-description" data-testid="article-detail-description" rows="3" value={current_description} oninput={on_description} />
                </div>
                <button type="submit" class="primary" data-testid="article-details-save">{"Save"}</button>
            </form>
        </Dialog>
    }
}
