//! The article list: every article with its word and annotation counts.

use yew::prelude::*;

use crate::domain::article::Article;
use crate::domain::article_metadata::date_part;
use crate::domain::state::AppAction;
use crate::domain::text::counted;
use crate::ui::editing;
use crate::ui::state::AppContext;

/// The source line of a list item: publisher (or source), date and byline when the page gave them.
fn article_item_source(article: &Article) -> String {
    let metadata = &article.metadata;
    let publisher = if metadata.site_name.is_empty() { &article.source } else { &metadata.site_name };
    let parts = [publisher.as_str(), date_part(&article.published), &metadata.byline()];
    parts.iter().filter(|part| !part.is_empty()).copied().collect::<Vec<_>>().join(" · ")
}

#[component]
pub fn ArticleList() -> Html {
    // Renders again when the editing code, which counts words, arrives.
    editing::use_editing_code();
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    // Kept by the project's edits: no walk of the spans here.
    let counts = context.project.span_counts();
    let current = context.current_article().map(|article| article.id.clone());
    let items = context.project.articles().iter().map(|article| {
        let onclick = {
            let context = context.clone();
            let id = article.id.clone();
            Callback::from(move |_| context.dispatch(AppAction::OpenArticle(id.clone())))
        };
        let is_current = current.as_ref() == Some(&article.id);
        let annotations = counts.get(&article.id).copied().unwrap_or(0);
        html! {
            <li>
                <button
                    type="button"
                    data-testid="article-item"
                    data-article-id={article.id.to_string()}
                    class={classes!("article-item", is_current.then_some("current"))}
                    aria-current={is_current.then_some("true")}
                    {onclick}
                >
                    <span class="article-item-title">{article.title.clone()}</span>
                    <span class="article-item-meta">
                        if let Some(words) = editing::word_count(article) { <span>{counted(words, "word", "words")}</span> }
                        <span data-testid="article-annotation-count">{counted(annotations, "annotation", "annotations")}</span>
                    </span>
                    <span class="article-item-source">{article_item_source(article)}</span>
                </button>
            </li>
        }
    });
    html! {
        <nav class="article-list" aria-label="Articles">
            <h2 class="panel-title">{format!("Articles ({})", context.project.articles().len())}</h2>
            <ul data-testid="article-list">{ for items }</ul>
        </nav>
    }
}
