//! The side column's tabs: the open article's annotations, or the suggestions to review.

use yew::prelude::*;

use crate::ui::lazy_view::{preloader, Lazy};

#[derive(Properties, PartialEq)]
pub struct SideTabsProps {
    /// Whether the Suggestions tab is the current one.
    pub suggestions_shown: bool,
    /// How many suggestions are open, once they have been computed.
    pub suggestion_count: Option<usize>,
    /// Called with `true` for Suggestions, `false` for Annotations.
    pub on_show: Callback<bool>,
}

#[component]
pub fn SideTabs(props: &SideTabsProps) -> Html {
    let show = |suggestions: bool| props.on_show.reform(move |_: MouseEvent| suggestions);
    let shown = props.suggestions_shown;
    html! {
        <div class="side-tabs" role="tablist" aria-label="Side panel">
            <button type="button" role="tab" data-testid="tab-annotations" aria-selected={(!shown).to_string()}
                class={classes!("tab", (!shown).then_some("current"))} onclick={show(false)}>{"Annotations"}</button>
            <button type="button" role="tab" data-testid="tab-suggestions" aria-selected={shown.to_string()}
                class={classes!("tab", shown.then_some("current"))} onpointerenter={preloader(Lazy::Suggestions)} onfocus={preloader(Lazy::Suggestions)} onclick={show(true)}>
                { props.suggestion_count.map_or("Suggestions".to_string(), |count| format!("Suggestions ({count})")) }
            </button>
        </div>
    }
}
