//! Browser tests of the shell in headless Chromium: the app's components render, the DOM
//! selection converts to code points over hard Unicode, the reader's repeated strings cross into
//! JavaScript interned, and a side-panel row on screen follows its link count.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, Node};

use crosscheck::domain::corpus::{default_articles, DEFAULT_CORPUS_FILES};
use crosscheck::domain::history::History;
use crosscheck::domain::project::Project;
use crosscheck::domain::state::UiPosition;
use crosscheck::formats::project_json;
use crosscheck::web::selection::boundary_to_offset;
use crosscheck::web::storage;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().and_then(|window| window.document()).expect("a document")
}

/// Lets Yew's scheduler and the browser run for `ms` milliseconds.
async fn pause(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("setTimeout");
    });
    JsFuture::from(promise).await.expect("timer");
}

/// Waits until `root` holds `count` elements matching `selector` (at most 20 s, in steps of 50
/// ms). The app starts asynchronously (the stored project is read, IndexedDB opened): a fixed
/// pause of 1 s was too short on a clean checkout's first run.
async fn wait_for_count(root: &Element, selector: &str, count: u32) {
    for _ in 0..400 {
        if root.query_selector_all(selector).map(|found| found.length()).unwrap_or(0) >= count {
            return;
        }
        pause(50).await;
    }
}

/// Waits until `holds()` (at most 5 s, in steps of 10 ms).
async fn wait_until(mut holds: impl FnMut() -> bool) {
    for _ in 0..500 {
        if holds() {
            return;
        }
        pause(10).await;
    }
}

/// Lets the microtasks queued so far run (Yew renders in one), but no task and no frame.
async fn settle() {
    for _ in 0..3 {
        JsFuture::from(js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL)).await.expect("a resolved promise");
    }
}

fn fresh_root() -> Element {
    let root = document().create_element("div").expect("div");
    document().body().expect("body").append_child(&root).expect("append");
    root
}

/// Answers the app's fetches of `corpus/<name>` (the sample articles a first start opens, which
/// the test runner does not serve) with the embedded files; every other fetch goes on as before.
fn serve_sample_articles() {
    let window = web_sys::window().expect("a window");
    let original: js_sys::Function =
        js_sys::Reflect::get(&window, &"fetch".into()).expect("fetch").dyn_into().expect("a function");
    let stub = wasm_bindgen::closure::Closure::<dyn Fn(wasm_bindgen::JsValue) -> wasm_bindgen::JsValue>::new(
        move |url: wasm_bindgen::JsValue| {
            let asked = url.as_string().unwrap_or_default();
            match DEFAULT_CORPUS_FILES.iter().find(|(name, _)| asked == format!("corpus/{name}")) {
                Some((_, text)) => {
                    let response = web_sys::Response::new_with_opt_str(Some(text)).expect("a response");
                    js_sys::Promise::resolve(&response).into()
                }
                None => original.call1(&wasm_bindgen::JsValue::NULL, &url).expect("fetch"),
            }
        },
    );
    js_sys::Reflect::set(&window, &"fetch".into(), stub.as_ref()).expect("set fetch");
    stub.forget();
}

#[wasm_bindgen_test]
async fn the_app_opens_on_five_articles_and_shows_the_first() {
    storage::local_storage().expect("storage").clear().expect("clear");
    serve_sample_articles();
    let root = fresh_root();
    yew::Renderer::<crosscheck::ui::boot::Startup>::with_root(root.clone()).render();
    wait_for_count(&root, "[data-testid=article-list] [data-testid=article-item]", 5).await;
    let items = root.query_selector_all("[data-testid=article-list] [data-testid=article-item]").expect("query");
    assert_eq!(items.length(), 5);
    let title = root.query_selector("[data-testid=article-title]").expect("query").expect("a title");
    assert!(title.text_content().unwrap_or_default().starts_with("Israeli Prime Minister Benjamin Netanyahu"));
    let reader = root.query_selector("[data-testid=reader]").expect("query").expect("the reader");
    assert!(reader.text_content().unwrap_or_default().contains("roughly 1 million Palestinians"));

    // Clicking the second article opens it.
    let second: web_sys::HtmlElement = items.item(1).expect("item").dyn_into().expect("element");
    second.click();
    pause(30).await;
    let title = root.query_selector("[data-testid=article-title]").expect("query").expect("a title");
    assert_eq!(
        title.text_content().unwrap_or_default(),
        "US 'disappointed' and 'perplexed' as Israel cancels delegation's trip to Washington"
    );
    root.remove();
}

/// Builds reader-shaped DOM: one paragraph of runs, each with `data-s`, and returns its runs.
fn reader_dom(runs: &[(&str, usize)]) -> (Element, Vec<Node>) {
    let paragraph = document().create_element("p").expect("p");
    let end = runs.last().map(|(text, start)| start + text.chars().count()).unwrap_or(0);
    paragraph.set_attribute("data-s", &runs[0].1.to_string()).expect("attribute");
    paragraph.set_attribute("data-e", &end.to_string()).expect("attribute");
    let mut text_nodes = Vec::new();
    for (text, start) in runs {
        let run = document().create_element("span").expect("span");
        run.set_attribute("data-s", &start.to_string()).expect("attribute");
        run.set_text_content(Some(text));
        paragraph.append_child(&run).expect("append");
        text_nodes.push(run.first_child().expect("text node"));
    }
    document().body().expect("body").append_child(&paragraph).expect("append");
    (paragraph, text_nodes)
}

#[wasm_bindgen_test]
fn dom_offsets_become_code_points_over_hard_unicode() {
    // Flags (two code points, four UTF-16 units), a ZWJ family, combining marks, CJK, RTL.
    let runs = [("Hi 🇺🇸🇮🇱 ", 0), ("👨‍👩‍👧 e\u{301}t", 8), (" 世界 שלום مرحبا", 17)];
    let (paragraph, nodes) = reader_dom(&runs);
    let full: String = runs.iter().map(|(text, _)| *text).collect();
    for (node, (text, start)) in nodes.iter().zip(runs) {
        let mut utf16 = 0;
        for (index, character) in text.chars().enumerate() {
            assert_eq!(boundary_to_offset(node, utf16), Some(start + index), "in {text:?} at {utf16}");
            // The browser agrees on what the UTF-16 offset points at.
            let range = document().create_range().expect("range");
            range.set_start(node, utf16).expect("start");
            range.set_end(node, utf16 + character.len_utf16() as u32).expect("end");
            assert_eq!(String::from(range.to_string()), character.to_string());
            utf16 += character.len_utf16() as u32;
        }
    }
    // Element boundaries: before the second run, and after the last one.
    assert_eq!(boundary_to_offset(&paragraph, 1), Some(8));
    assert_eq!(boundary_to_offset(&paragraph, 3), Some(full.chars().count()));
    paragraph.remove();
}

/// A paragraph the reader has not drawn with its highlights yet holds its text itself, without
/// run elements (`ui::reader::block`): its own `data-s` is where the text starts.
#[wasm_bindgen_test]
fn dom_offsets_in_a_plain_paragraph_count_from_the_paragraph() {
    let text = "Hi 🇺🇸 👨‍👩‍👧 e\u{301}t 世界 שלום";
    let start = 120;
    let paragraph = document().create_element("p").expect("p");
    paragraph.set_attribute("data-s", &start.to_string()).expect("attribute");
    paragraph.set_attribute("data-e", &(start + text.chars().count()).to_string()).expect("attribute");
    paragraph.set_text_content(Some(text));
    document().body().expect("body").append_child(&paragraph).expect("append");
    let node = paragraph.first_child().expect("text node");
    let mut utf16 = 0;
    for (index, character) in text.chars().enumerate() {
        assert_eq!(boundary_to_offset(&node, utf16), Some(start + index), "at {utf16}");
        utf16 += character.len_utf16() as u32;
    }
    assert_eq!(boundary_to_offset(&node, utf16), Some(start + text.chars().count()));
    // Element boundaries: before the text, and after it.
    assert_eq!(boundary_to_offset(&paragraph, 0), Some(start));
    assert_eq!(boundary_to_offset(&paragraph, 1), Some(start + text.chars().count()));
    paragraph.remove();
}

#[wasm_bindgen_test]
async fn highlights_take_their_colours_from_classes_and_the_reader_palette() {
    use crosscheck::domain::annotation::SpanId;
    use crosscheck::domain::project::{new_span, Edit};
    storage::local_storage().expect("storage").clear().expect("clear");
    let mut project = Project::with_articles(default_articles());
    // Seventeen labels: the stylesheet has classes for the first sixteen only.
    let mut labels = project.labels().to_vec();
    for number in 0..14 {
        let mut label = project.labels()[0].clone();
        label.id = format!("extra-{number}").into();
        label.name = format!("Extra {number}");
        label.color = "#123456".to_string();
        labels.push(label);
    }
    project.apply(Edit::SetLabels(labels), 1).expect("labels set");
    let article = project.articles()[0].clone();
    let base = article.paragraphs()[1].start;
    for (id, start, end, label) in [("outer", 0, 30, "claim"), ("inner", 5, 10, "quote"), ("rare", 40, 50, "extra-13")]
    {
        let span =
            new_span(&project, SpanId::from(id), &article, base + start, base + end, &label.into(), 1).expect("a span");
        project.apply(Edit::AddSpan(span), 1).expect("applied");
    }
    let json = project_json::to_stored_json(&project, &UiPosition::default(), &History::default(), 1);
    storage::local_storage().expect("storage").set_item(storage::PROJECT_KEY, &json).expect("seed a v1 project");
    // The test page has no stylesheet of its own: add the app's.
    let sheet = document().create_element("style").expect("style");
    sheet.set_text_content(Some(include_str!("../styles/app.css")));
    document().head().expect("head").append_child(&sheet).expect("append");
    let root = fresh_root();
    yew::Renderer::<crosscheck::ui::boot::Startup>::with_root(root.clone()).render();
    wait_for_count(&root, "[data-testid=reader] mark[data-span-ids='outer inner']", 1).await;

    let reader = root.query_selector("[data-testid=reader]").expect("query").expect("the reader");
    let palette = reader.get_attribute("style").unwrap_or_default();
    assert!(palette.contains("--label-0:#") && palette.contains("--label-15:#123456"), "{palette}");
    let nested = root.query_selector("mark[data-span-ids='outer inner']").expect("query").expect("a nested run");
    let class = nested.get_attribute("class").unwrap_or_default();
    assert!(class.contains("depth-2") && class.contains("c1-1") && class.contains("c2-0"), "{class}");
    assert_eq!(nested.get_attribute("style"), None, "a run the classes describe has no inline style");
    let shadow = web_sys::window()
        .expect("a window")
        .get_computed_style(&nested)
        .expect("style")
        .expect("a computed style")
        .get_property_value("box-shadow")
        .expect("box-shadow");
    let claim = &project.labels()[0].color;
    let quote = &project.labels()[1].color;
    let rgb = |hex: &str| {
        let channel = |at: usize| u8::from_str_radix(&hex[at..at + 2], 16).expect("hex");
        format!("rgb({}, {}, {})", channel(1), channel(3), channel(5))
    };
    assert!(shadow.contains(&rgb(quote)) && shadow.contains(&rgb(claim)), "{shadow}");
    assert!(
        shadow.find(&rgb(quote)) < shadow.find(&rgb(claim)),
        "the innermost label's underline comes first: {shadow}"
    );
    let rare = root.query_selector("mark[data-span-ids='rare']").expect("query").expect("the rare run");
    assert!(rare.get_attribute("style").unwrap_or_default().contains("#123456"), "a 17th label falls back to a style");
    root.remove();
    sheet.remove();
    storage::local_storage().expect("storage").clear().expect("clear");
}

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
let decodes = 0;
let original = null;
// Counts TextDecoder.decode calls (how wasm-bindgen turns a `&str` into a JavaScript string).
export function count_decodes() {
  if (original === null) {
    original = TextDecoder.prototype.decode;
    TextDecoder.prototype.decode = function (...args) {
      decodes += 1;
      return original.apply(this, args);
    };
  }
  decodes = 0;
}
export function decodes_counted() {
  return decodes;
}
"#)]
extern "C" {
    fn count_decodes();
    fn decodes_counted() -> u32;
}

/// Regression (2026-12-01): the reader's repeated attribute values were decoded from UTF-8 anew
/// at every crossing into JavaScript (9,275 decodes in the 100 ms after a click on the benchmark's
/// big article) until wasm-bindgen's `enable-interning` and `web::strings::intern_common`.
#[wasm_bindgen_test]
fn the_readers_repeated_attribute_values_cross_to_javascript_without_decoding() {
    crosscheck::web::strings::intern_common();
    let element = document().create_element("p").expect("p");
    count_decodes();
    for _ in 0..20 {
        element.set_class_name("para");
        element.set_id("highlight");
    }
    let interned = decodes_counted();
    count_decodes();
    for _ in 0..20 {
        element.set_class_name("para-not-interned");
    }
    let not_interned = decodes_counted();
    assert_eq!(interned, 0, "interned values were decoded {interned} times");
    // The control: the counter sees a value that is not interned.
    assert!(not_interned >= 20, "the counter saw {not_interned} decodes of 20 values not interned");
}

/// The side-panel test's harness: a project with two claims, the app's context, and the link
/// counts in a state that a click on `#change-links` changes.
#[yew::component]
fn SidePanelHarness() -> yew::Html {
    use crosscheck::domain::annotation::SpanId;
    use crosscheck::domain::article::Article;
    use crosscheck::domain::paragraph_buckets::LinkCounts;
    use crosscheck::domain::project::{new_span, Edit};
    use crosscheck::domain::state::{AppAction, AppState};
    use std::rc::Rc;
    use yew::prelude::*;

    let state = use_reducer(|| {
        let project = Project::with_articles(vec![Article::new(
            "The UN said 1.4 million people are in Rafah. Officials said 1 million.",
            "One",
            "one.txt",
        )]);
        let state = AppState::new(project, UiPosition::default());
        let article = state.project.articles()[0].clone();
        let add = |id: &str, start: usize, end: usize| {
            Edit::AddSpan(
                new_span(&state.project, SpanId::from(id), &article, start, end, &"claim".into(), 0).expect("a span"),
            )
        };
        let edit = Edit::Batch(vec![add("s1", 0, 44), add("s2", 45, 70)]);
        state.reduce(AppAction::Edit { edit, now: 0 })
    });
    let counts = use_state(|| Rc::new(LinkCounts::from_iter([(SpanId::from("s1"), 1)])));
    let spans: Rc<Vec<Rc<crosscheck::domain::annotation::Span>>> =
        Rc::new(state.project.spans().values().cloned().collect());
    let onclick = {
        let counts = counts.clone();
        Callback::from(move |_| {
            counts.set(Rc::new(LinkCounts::from_iter([(SpanId::from("s1"), 3), (SpanId::from("s2"), 1)])))
        })
    };
    let select_second = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(AppAction::SelectSpan(Some(SpanId::from("s2")))))
    };
    html! {
        <ContextProvider<crosscheck::ui::state::AppContext> context={state.clone()}>
            <button id="change-links" {onclick}>{"change"}</button>
            <button id="select-second" onclick={select_second}>{"select"}</button>
            <crosscheck::ui::side_panel::SidePanel {spans} link_counts={(*counts).clone()} />
        </ContextProvider<crosscheck::ui::state::AppContext>>
    }
}

/// The link counts of each row, in list order ("" for a row without links).
fn row_links(root: &Element) -> Vec<String> {
    let rows = root.query_selector_all("[data-testid=annotation-item]").expect("query");
    (0..rows.length())
        .map(|index| {
            let row: Element = rows.item(index).expect("row").dyn_into().expect("element");
            row.query_selector(".item-links")
                .expect("query")
                .map(|links| links.text_content().unwrap_or_default())
                .unwrap_or_default()
        })
        .collect()
}

/// Regression guard (2026-12-04): side-panel rows render only when their props change, so a
/// row whose props forgot its link count would keep showing the old count after a link is made
/// elsewhere (in Compare) while the row stays on screen.
#[wasm_bindgen_test]
async fn a_side_panel_row_on_screen_shows_its_new_link_count() {
    let root = side_panel_harness().await;
    assert_eq!(row_links(&root), vec!["1 link".to_string(), String::new()]);
    click(&root, "#change-links");
    let wanted = vec!["3 links".to_string(), "1 link".to_string()];
    wait_until(|| row_links(&root) == wanted).await;
    assert_eq!(row_links(&root), wanted);
    root.remove();
}

/// The side-panel harness, mounted in a fresh root, once its rows are there.
async fn side_panel_harness() -> Element {
    let root = fresh_root();
    yew::Renderer::<SidePanelHarness>::with_root(root.clone()).render();
    wait_for_count(&root, "[data-testid=annotation-item]", 2).await;
    root
}

/// Clicks the element `selector` (a script's click: the focus stays where it is).
fn click(root: &Element, selector: &str) {
    let button: web_sys::HtmlElement =
        root.query_selector(selector).expect("query").expect("the element").dyn_into().expect("element");
    button.click();
}

/// The ids of the side panel's selected rows.
fn selected_rows(root: &Element) -> Vec<String> {
    let rows = root.query_selector_all("[data-testid=annotation-item].selected").expect("query");
    (0..rows.length())
        .filter_map(|index| rows.item(index).and_then(|row| row.dyn_into::<Element>().ok()))
        .filter_map(|row| row.get_attribute("data-span-id"))
        .collect()
}

/// The side panel shows a change made outside it after the frame that shows it in the reader
/// (an edit's frame holds the highlight alone), and a change made while the focus is in the
/// panel at once (typing a note must not wait).
#[wasm_bindgen_test]
async fn the_side_panel_follows_outside_changes_after_the_frame_and_its_own_at_once() {
    let root = side_panel_harness().await;
    // A selection made elsewhere: rendered, not yet in the panel; there after the frame.
    click(&root, "#select-second");
    settle().await;
    assert_eq!(selected_rows(&root), Vec::<String>::new(), "the panel changed in the edit's own render");
    wait_until(|| selected_rows(&root) == vec!["s2".to_string()]).await;
    assert_eq!(selected_rows(&root), vec!["s2".to_string()]);
    wait_for_count(&root, "[data-testid=span-editor]", 1).await;
    // A click on a row is a change made in the panel: its selection shows at once.
    click(&root, "[data-testid=annotation-item][data-span-id=s1]");
    settle().await;
    assert_eq!(selected_rows(&root), vec!["s1".to_string()], "the panel waited after a click on its row");
    // The same kind of change with the focus in the panel (its label field) shows at once.
    let label: web_sys::HtmlElement = root
        .query_selector("[data-testid=span-label]")
        .expect("query")
        .expect("the label field")
        .dyn_into()
        .expect("element");
    label.focus().expect("focus");
    click(&root, "#change-links");
    settle().await;
    assert_eq!(
        row_links(&root),
        vec!["3 links".to_string(), "1 link".to_string()],
        "the panel waited with the focus in it"
    );
    root.remove();
}

/// The tag toolbar's label slugs lower-case by the browser's case tables
/// (`web::strings::push_lowercase`): they must be the slugs the exports and the tests name, which
/// `char::to_lowercase` makes.
#[wasm_bindgen_test]
fn label_slugs_lowered_by_the_browser_are_the_domains() {
    use crosscheck::domain::schema::{slug, slug_with};
    for name in [
        "Claim",
        " Check-worthy Claim! ",
        "ÉTAT d'urgence",
        "ΟΔΟΣ Σ",
        "İstanbul",
        "Straße ẞ",
        "ǅemal Ǆ",
        "Ｆｕｌｌ",
        "Ωmega ω",
    ] {
        assert_eq!(slug_with(name, crosscheck::web::strings::push_lowercase), slug(name), "{name:?}");
    }
}
