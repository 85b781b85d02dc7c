//! Team sync's way into the project: the replica's winners handed to the app's hook (merged
//! like another tab's documents, a slice per task), and the latest project for validation.

use std::collections::BTreeSet;
use std::rc::Rc;

use crate::domain::article::{Article, ArticleId};
use crate::domain::project::Project;
use crate::domain::sorting::InsertEach;
use crate::formats::stored::docs::{article_from_body, ArticleBody, ARTICLE_PREFIX, PROJECT_ID};
use crate::formats::sync::mapping::text_id;
use crate::formats::sync::mapping::{
    classify, wire_data, wire_to_stored, MappingContext, Replication, TextBody, TEXT_PREFIX,
};
use crate::formats::sync::replica::{Body, Replica};
use crate::web::sync::with_engine;

/// The length in code points of an article's text, if this browser has it (kept with the
/// article's layout: counting the text per span document made a batch of spans on a long
/// article quadratic).
pub(crate) fn article_length(project: &Option<Project>, article: &ArticleId) -> Option<usize> {
    project.as_ref()?.article(article).map(|article| article.char_len())
}

/// The latest project, through the app's hook.
pub(crate) fn latest_project() -> Option<Project> {
    with_engine(|engine| engine.hooks.as_ref().map(|hooks| hooks.project.clone())).and_then(|project| project())
}

/// Waits until the project has merged every delivery handed to it: the pull checkpoints a
/// batch only once it is in the project and the store.
pub(crate) async fn merged() {
    while with_engine(|engine| engine.hooks.as_ref().map(|hooks| hooks.merging.clone()))
        .is_some_and(|merging| merging())
    {
        crate::web::sync_http::sleep(4).await;
    }
}

/// Sends the replica's winner of each id to the project (merged like another tab's documents).
pub(crate) fn apply_winners(ids: &[String]) {
    let Some(project) = latest_project() else { return };
    let context = MappingContext::new(&project);
    // An article needs both its documents: metadata (`art:`) and text (`text:`), which may
    // arrive in different batches.
    let mut ids: BTreeSet<String> = ids.iter().cloned().into_set();
    let texts: Vec<String> = ids.iter().filter_map(|id| id.strip_prefix(TEXT_PREFIX)).map(str::to_string).collect();
    ids.extend(texts.iter().map(|article| format!("{ARTICLE_PREFIX}{article}")));
    // The server's article order once more with every arriving article: an article that was not
    // whole yet when the order came would otherwise stay at the end of the list.
    if ids.iter().any(|id| id.starts_with(ARTICLE_PREFIX)) {
        ids.insert(PROJECT_ID.to_string());
    }
    let (hook, documents, articles) = with_engine(|engine| {
        let replica = &engine.state.replica;
        let mut articles = Vec::new();
        let mut documents: Vec<(String, String)> = ids
            .iter()
            .filter_map(|id| {
                let (rev, deleted, body) = replica.winner_wire(id)?;
                if let (Some(article), false) = (id.strip_prefix(ARTICLE_PREFIX), deleted) {
                    articles.extend(article_of(replica, &project, &ArticleId::from(article), &body));
                }
                Some((id.clone(), wire_to_stored(id, &body, &rev, deleted, &context)?))
            })
            .collect();
        // What others refer to first (a link's spans before the link), not in id order; by
        // bucket, not a sort, which would add its code to the first load.
        let mut buckets: [Vec<(String, String)>; 6] = Default::default();
        for document in documents.drain(..) {
            let rank = match classify(&document.0) {
                Replication::Shared(kind) => usize::from(kind.apply_rank()).min(4),
                _ => 5,
            };
            buckets[rank].push(document);
        }
        documents = buckets.into_iter().flatten().collect();
        (engine.hooks.as_ref().map(|hooks| hooks.apply_remote.clone()), documents, articles)
    });
    if let (Some(apply), false) = (hook, documents.is_empty()) {
        apply(documents, articles);
    }
}

/// The article whose metadata is `body`, with its text from the replica (or this browser's
/// project); `None` while the text has not arrived.
fn article_of(replica: &Replica, project: &Project, id: &ArticleId, body: &Body) -> Option<Article> {
    let details = wire_data::<ArticleBody>(body)?;
    let text: Rc<str> = match project.article(id) {
        Some(article) => article.text.clone(),
        None => {
            let (_, deleted, text) = replica.winner_wire(&text_id(id.as_str()))?;
            Rc::from(wire_data::<TextBody>(&text).filter(|_| !deleted)?.text)
        }
    };
    let article = article_from_body(id, details, &text).ok()?;
    // Counted here (unless its document brought the count), in the task of its few texts: else
    // the first render that lists it counts every arriving article's words at once, a long task.
    article.word_count();
    Some(article)
}
