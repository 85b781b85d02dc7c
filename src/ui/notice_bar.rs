//! The message line: the reducer's latest notice, dismissible.

use yew::prelude::*;

use crate::domain::state::{AppAction, Notice, NoticeLevel};
use crate::ui::state::AppContext;

/// Shows `text` in the message line.
pub fn notify(context: &AppContext, level: NoticeLevel, text: String) {
    context.dispatch(AppAction::Notify(Notice { level, text }));
}

#[component]
pub fn NoticeBar() -> Html {
    let Some(context) = use_context::<AppContext>() else { return html! {} };
    let Some(notice) = context.notice.clone() else { return html! {} };
    let class = match notice.level {
        NoticeLevel::Info => "notice info",
        NoticeLevel::Warning => "notice warning",
        NoticeLevel::Error => "notice error",
    };
    let role = if notice.level == NoticeLevel::Info { "status" } else { "alert" };
    let dismiss = {
        let context = context.clone();
        Callback::from(move |_| context.dispatch(AppAction::DismissNotice))
    };
    html! {
        <div class={class} role={role} data-testid="notice">
            <span>{notice.text}</span>
            <button type="button" class="dismiss" onclick={dismiss} aria-label="Dismiss">{"×"}</button>
        </div>
    }
}
