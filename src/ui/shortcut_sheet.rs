//! The `?` sheet: every keyboard shortcut in one place.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ShortcutSheetProps {
    pub on_close: Callback<()>,
}

/// `(keys, what they do)`, grouped by where they work.
const SHORTCUTS: &[(&str, &[(&str, &str)])] = &[
    (
        "Tagging",
        &[
            ("select text", "snaps to whole words; hold Alt while selecting to keep it exact"),
            ("1 – 9", "apply the label with that number (1 Claim, 2 Quote, 3 Speaker)"),
            ("click a highlight", "select that annotation; where spans overlap, pick one"),
            ("j / k", "next / previous annotation"),
            ("Delete / Backspace", "delete the selected annotation and its links"),
            ("Esc", "clear the selection"),
        ],
    ),
    (
        "Linking (Compare view)",
        &[
            ("select a span on the left and one on the right", "or select text: it is tagged on the fly"),
            ("c", "contradicts"),
            ("s", "supports"),
            ("=", "same statement"),
            ("a", "attributed to (quote → speaker)"),
        ],
    ),
    ("Everywhere", &[("Ctrl+Z", "undo"), ("Ctrl+Shift+Z / Ctrl+Y", "redo"), ("?", "show or hide this sheet")]),
];

#[component]
pub fn ShortcutSheet(props: &ShortcutSheetProps) -> Html {
    html! {
        <crate::ui::dialog::Dialog title="Keyboard shortcuts" testid="shortcut-sheet" on_close={props.on_close.clone()}>
            { for SHORTCUTS.iter().map(|(group, rows)| html! {
                <section>
                    <h3>{*group}</h3>
                    <dl>{ for rows.iter().map(|(keys, what)| html! { <><dt><kbd>{*keys}</kbd></dt><dd>{*what}</dd></> }) }</dl>
                </section>
            }) }
        </crate::ui::dialog::Dialog>
    }
}
