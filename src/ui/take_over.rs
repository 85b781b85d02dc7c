//! Whose a span or link is, in its editor: a colleague's is read-only for me, with the reason
//! and a *Take over* button (one recorded edit that makes it mine); every take-over on record is
//! listed with who, when and from whom.

use std::rc::Rc;

use yew::prelude::*;

use crate::domain::annotation::TakeOver;
use crate::domain::annotators::{owner, take_over, Authored, Owner};
use crate::domain::project::Edit;
use crate::domain::state::AppAction;
use crate::ui::state::AppContext;
use crate::web::clock::now_ms;

/// The colleague whose annotation by `author` is read-only for `me`; `None` when it is mine.
pub fn colleague(author: &str, me: &str) -> Option<String> {
    match owner(author, me) {
        Owner::Mine => None,
        Owner::Colleague(name) => Some(name),
    }
}

/// The *Take over* button's action: `item` made mine, applied as the edit `update` makes of it.
pub fn take_over_callback<T: Authored + 'static>(
    context: &AppContext,
    item: Rc<T>,
    update: fn(T) -> Edit,
) -> Callback<MouseEvent> {
    let context = context.clone();
    Callback::from(move |_| {
        let (item, now) = (item.clone(), now_ms());
        crate::ui::editing::edit(&context, move |context| {
            if let Some(taken) = take_over(&*item, &context.project.settings().annotator, now) {
                context.dispatch(AppAction::Edit { edit: update(taken), now });
            }
        });
    })
}

/// The read-only note for a colleague's span or link (`what`: "annotation", "link"; `testid`:
/// the note's `data-testid`) with its *Take over* button, then the record of take-overs. A plain
/// function, not a component: it adds nothing to the first load a component would.
pub fn take_over_note(
    colleague: Option<&str>,
    take_overs: &[TakeOver],
    what: &str,
    testid: &'static str,
    on_take_over: Callback<MouseEvent>,
) -> Html {
    html! {
        <>
            if let Some(name) = colleague {
                <div class="take-over" data-testid={testid} role="note">
                    <p>{format!("This is {name}'s {what}: read-only for you, so nobody overwrites a colleague by accident. Take it over to edit it (recorded, and seen by the team).")}</p>
                    <button type="button" class="secondary" data-testid="take-over" onclick={on_take_over}>{format!("Take over from {name}")}</button>
                </div>
            }
            if !take_overs.is_empty() {
                <ul class="take-over-record" data-testid="take-over-record" aria-label="Take-overs">
                    { for take_overs.iter().map(take_over_line) }
                </ul>
            }
        </>
    }
}

/// One recorded take-over: "Taken over by ann from bob, 2026-11-30 08:05 UTC".
fn take_over_line(record: &TakeOver) -> Html {
    let when = crate::formats::common::iso8601_utc(record.at);
    let when = format!("{} UTC", when.get(..16).unwrap_or(&when).replace('T', " "));
    html! { <li>{format!("Taken over by {} from {}, {when}", record.by, record.from)}</li> }
}
