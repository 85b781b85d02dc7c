#![cfg(not(target_arch = "wasm32"))]
//! The story matrix and the graph picture on the five default articles annotated with their
//! contradictions: Rafah's population (1 million against 1.4 million) and the resolution
//! (non-binding against binding under the UN Charter).

use crosscheck::domain::agreement::GOLD;
use crosscheck::domain::annotation::{RelationId, SpanId};
use crosscheck::domain::corpus::default_articles;
use crosscheck::domain::project::{new_relation, new_span, Edit, Project};
use crosscheck::domain::schema::{ATTRIBUTED_TO, CONTRADICTS, SAME_STATEMENT, SUPPORTS};
use crosscheck::domain::story::forces::{answer, simulate, LayoutJob, LayoutReply, LayoutRequest, Shape, ShapeMemory};
use crosscheck::domain::story::picture::{caption_name, caption_width, lay_out, PictureJob, CAPTION_GAP, NODE_RADIUS};
use crosscheck::domain::story::{MatrixFilter, RowOrder, StoryMatrix};
use crosscheck::formats::report;

/// Tags the first occurrence of `text` in article `article` and returns the span id.
fn tag(project: &mut Project, article: usize, text: &str, label: &str, attributes: &[(&str, &str)]) -> SpanId {
    let article = project.articles()[article].clone();
    let byte = article.text.find(text).unwrap_or_else(|| panic!("{text} is not in the article"));
    let start = article.text[..byte].chars().count();
    let id = SpanId::from(format!("s{}", project.spans().len() + 1));
    let mut span =
        new_span(project, id.clone(), &article, start, start + text.chars().count(), &label.into(), 0).unwrap();
    for (key, value) in attributes {
        span.attributes.insert(key.to_string(), value.to_string());
    }
    project.apply(Edit::AddSpan(span), 0).unwrap();
    id
}

fn link(project: &mut Project, kind: &str, from: &SpanId, to: &SpanId, sub_kind: &str, note: &str) {
    let id = RelationId::from(format!("r{}", project.relations().len() + 1));
    let mut relation = new_relation(project, id, &kind.into(), from.clone(), to.clone(), 0);
    relation.kind = (!sub_kind.is_empty()).then(|| sub_kind.to_string());
    relation.note = note.to_string();
    project.apply(Edit::AddRelation(relation), 0).unwrap();
}

/// The five articles with their contradictions, as an editor would annotate them; the third
/// article is dated earliest, the first latest, the others undated.
fn story() -> Project {
    let mut articles = default_articles();
    articles[2].published = "2024-03-25T18:00:00Z".to_string();
    articles[0].published = "2024-03-26".to_string();
    let mut project = Project::with_articles(articles);
    let million = tag(&mut project, 0, "roughly 1 million Palestinians", "claim", &[("verdict", "inaccurate")]);
    let about =
        tag(&mut project, 1, "about 1.4 million people", "claim", &[("verdict", "accurate"), ("note", "UNRWA")]);
    let protect = tag(&mut project, 2, "the 1.4 million Palestinians seeking refuge", "claim", &[]);
    link(&mut project, CONTRADICTS, &million, &about, "numeric", "UNRWA counts 1.4 million");
    link(&mut project, SAME_STATEMENT, &about, &protect, "", "");
    link(&mut project, CONTRADICTS, &million, &protect, "numeric", "");
    let non_binding = tag(&mut project, 1, "This is a non-binding resolution", "quote", &[]);
    let kirby = tag(&mut project, 1, "Mr Kirby", "speaker", &[("canonical", "John Kirby")]);
    let binding =
        tag(&mut project, 1, "all Security Council resolutions are binding under international law", "claim", &[]);
    link(&mut project, ATTRIBUTED_TO, &non_binding, &kirby, "", "");
    link(&mut project, CONTRADICTS, &non_binding, &binding, "factual", "UN Charter art. 25");
    let retreat = tag(&mut project, 3, "This is a clear retreat", "quote", &[("speaker", "Netanyahu's office")]);
    let withdrawal =
        tag(&mut project, 0, "This is a clear withdrawal from the US", "quote", &[("speaker", "Netanyahu")]);
    link(&mut project, SUPPORTS, &retreat, &withdrawal, "", "");
    project
}

#[test]
fn columns_are_articles_in_date_order_headed_by_outlet_and_date() {
    let matrix = StoryMatrix::build(&story());
    let heads: Vec<(&str, &str)> =
        matrix.columns.iter().map(|column| (column.outlet.as_str(), column.date.as_str())).collect();
    assert_eq!(
        heads,
        [
            ("002_b5d4877363400f42.txt", "2024-03-25"),
            ("000_92a9d14c6e2840a7.txt", "2024-03-26"),
            ("001_fdcd489a63c1b1b4.txt", ""),
            ("003_49f1b7efc888a74a.txt", ""),
            ("004_912483b5d7e3958a.txt", ""),
        ]
    );
}

#[test]
fn a_column_is_headed_by_the_site_name_when_the_page_gave_one() {
    let mut articles = default_articles();
    articles[1].metadata.site_name = "  The Harbour Times ".to_string();
    articles[3].source = String::new();
    articles[3].title = "A title that stands in for an outlet nobody named".to_string();
    let matrix = StoryMatrix::build(&Project::with_articles(articles));
    let outlets: Vec<&str> = matrix.columns.iter().map(|column| column.outlet.as_str()).collect();
    assert_eq!(
        outlets,
        [
            "000_92a9d14c6e2840a7.txt",
            "The Harbour Times",
            "002_b5d4877363400f42.txt",
            "A title that stands in for an outlet…",
            "004_912483b5d7e3958a.txt",
        ]
    );
}

#[test]
fn rafah_row_sets_the_differing_figures_side_by_side_and_marks_both_contradictions() {
    let matrix = StoryMatrix::build(&story());
    let rows = matrix.view(&MatrixFilter::default(), RowOrder::MostContradicted);
    assert_eq!(rows.len(), 3, "Rafah, the resolution, the retreat quotes; the speaker is no row");
    let rafah = &rows[0];
    assert_eq!(rafah.contradictions.len(), 2);
    assert_eq!(rafah.row.reported_by(), 3);
    assert!(rafah.row.figures_differ);
    let figures: Vec<(usize, Vec<&str>)> = rafah.row.differing_figures();
    assert_eq!(figures, [(0, vec!["1.4 million"]), (1, vec!["1 million"]), (2, vec!["1.4 million"])]);
    let million = &rafah.cells[1][0];
    assert_eq!(million.text, "roughly 1 million Palestinians");
    assert_eq!(million.verdict, "inaccurate");
    assert!(rafah.cells[3].is_empty() && rafah.cells[4].is_empty(), "not reported");
    let joined: Vec<(usize, usize, &str)> =
        rafah.contradictions.iter().map(|mark| (mark.from_column, mark.to_column, mark.kind.as_str())).collect();
    assert_eq!(joined, [(1, 0, "numeric"), (1, 2, "numeric")]);
}

#[test]
fn binding_row_holds_both_ends_in_one_cell_with_the_quote_credited_to_kirby() {
    let matrix = StoryMatrix::build(&story());
    let rows = matrix.view(&MatrixFilter::default(), RowOrder::MostContradicted);
    let binding = &rows[1];
    assert_eq!(binding.cells[2].len(), 2);
    assert_eq!(binding.cells[2][0].speaker, "John Kirby");
    assert_eq!(binding.cells[2][1].label, "claim");
    assert_eq!(binding.contradictions[0].note, "UN Charter art. 25");
    assert_eq!((binding.contradictions[0].from_column, binding.contradictions[0].to_column), (2, 2));
    assert!(!binding.row.figures_differ);
}

#[test]
fn sorts_order_rows_by_contradictions_reports_and_first_report() {
    let matrix = StoryMatrix::build(&story());
    let titles = |order| -> Vec<String> {
        matrix.view(&MatrixFilter::default(), order).iter().map(|view| view.row.title.clone()).collect()
    };
    let most_contradicted = titles(RowOrder::MostContradicted);
    assert!(most_contradicted[0].contains("1.4 million") && most_contradicted[1].contains("non-binding"));
    assert!(most_contradicted[2].contains("withdrawal"), "{most_contradicted:?}");
    let most_reported = titles(RowOrder::MostReported);
    assert!(most_reported[0].contains("1.4 million") && most_reported[1].contains("withdrawal"), "{most_reported:?}");
    let first_reported = titles(RowOrder::FirstReported);
    assert_eq!(first_reported[0], most_contradicted[0], "the Rafah row starts in the earliest column");
    assert!(first_reported[1].contains("withdrawal"), "{first_reported:?}");
}

#[test]
fn filters_narrow_entries_and_rows() {
    let matrix = StoryMatrix::build(&story());
    let count = |filter: MatrixFilter| matrix.view(&filter, RowOrder::MostContradicted).len();
    assert_eq!(count(MatrixFilter { label: "quote".into(), ..MatrixFilter::default() }), 2);
    assert_eq!(count(MatrixFilter { link_type: SUPPORTS.into(), ..MatrixFilter::default() }), 1);
    assert_eq!(count(MatrixFilter { verdict: "accurate".into(), ..MatrixFilter::default() }), 1);
    assert_eq!(count(MatrixFilter { annotator: "nobody".into(), ..MatrixFilter::default() }), 0);
    // A contradiction shows only while both its ends do.
    let accurate =
        matrix.view(&MatrixFilter { verdict: "accurate".into(), ..MatrixFilter::default() }, RowOrder::MostReported);
    assert!(accurate[0].contradictions.is_empty());
    let (verdicts, _) = matrix.verdicts_and_annotators();
    assert!(verdicts.contains("accurate") && verdicts.contains("inaccurate"));
}

#[test]
fn picture_groups_every_linked_span_in_non_overlapping_clusters() {
    let project = story();
    let picture = lay_out(&project, 600.0);
    assert_eq!(picture.nodes.len(), 8);
    assert_eq!(picture.edges.len(), project.relations().len());
    assert_eq!(picture.clusters.len(), 3);
    for (index, left) in picture.clusters.iter().enumerate() {
        for right in &picture.clusters[index + 1..] {
            assert!(!left.overlaps(right), "{left:?} overlaps {right:?}");
        }
    }
    for node in &picture.nodes {
        let cluster = picture.clusters[node.cluster];
        assert!(node.x > cluster.x && node.x < cluster.x + cluster.width, "{node:?} outside {cluster:?}");
        assert!(node.y > cluster.y && node.y < cluster.y + cluster.height);
    }
    assert_eq!(lay_out(&project, 600.0), picture, "the same project gives the same picture");
}

/// The built-in articles' sources are file names (`000_92a9….txt`): captions named them and ran
/// past their cluster's box. They name the site, else the title, and the box makes room.
#[test]
fn picture_captions_name_the_outlet_not_the_file_and_stay_inside_their_cluster() {
    let project = story();
    let picture = lay_out(&project, 600.0);
    assert!(picture.nodes.iter().all(|node| !node.caption.is_empty()), "a small picture captions every node");
    for node in &picture.nodes {
        assert!(!node.caption.contains(".txt"), "{}", node.caption);
        let article = project.article(&node.article).unwrap();
        let title_start: String = article.title.chars().take(8).collect();
        assert!(node.caption.starts_with(&title_start), "{} should start with {title_start}", node.caption);
        let cluster = picture.clusters[node.cluster];
        let caption_end = node.x + CAPTION_GAP + caption_width(&node.caption);
        // The drawn box is inset by 4 units on each side.
        assert!(caption_end < cluster.x + cluster.width - 4.0, "{node:?} runs past {cluster:?}");
        // Captions run right of their node: two on one line would overlap.
        for other in picture.nodes.iter().filter(|other| other.cluster == node.cluster && other.span != node.span) {
            assert!((other.y - node.y).abs() >= 2.0 * NODE_RADIUS, "{node:?} and {other:?} share a caption line");
        }
    }
    let mut articles: Vec<_> = project.articles().iter().map(|article| (**article).clone()).collect();
    articles[0].metadata.site_name = "Coast Herald".to_string();
    assert_eq!(caption_name(&articles[0]), "Coast Herald");
    articles[1].source = "www.example.org".to_string();
    assert_eq!(caption_name(&articles[1]), "www.example.org", "a source that is not a file name names the outlet");
}

/// Opening the picture again lays out nothing new; an edit lays out only the changed shapes,
/// and the answer combines the new positions with the kept ones.
#[test]
fn shape_memory_lays_out_only_new_shapes_and_answers_with_kept_ones() {
    let pair = Shape { sectors: vec![0, 1], links: vec![(0, 1)] };
    let chain = Shape { sectors: vec![0, 1, 2], links: vec![(0, 1), (1, 2)] };
    let mut memory = ShapeMemory::default();
    assert_eq!(memory.missing(&[pair.clone(), pair.clone()]), vec![pair.clone()]);
    let first = memory.complete(std::slice::from_ref(&pair), vec![pair.clone()], vec![simulate(&pair)]);
    assert_eq!(first, Some(vec![simulate(&pair)]));
    let both = [chain.clone(), pair.clone()];
    assert_eq!(memory.missing(&both), vec![chain.clone()]);
    assert_eq!(memory.positions(&both), None);
    let answer = memory.complete(&both, vec![chain.clone()], vec![simulate(&chain)]);
    assert_eq!(answer, Some(vec![simulate(&chain), simulate(&pair)]));
    assert!(memory.missing(&both).is_empty());
    assert_eq!(memory.positions(&both), answer);
    // A reply of the wrong length is no answer, and is not kept.
    let mut fresh = ShapeMemory::default();
    assert_eq!(fresh.complete(&both, both.to_vec(), vec![simulate(&chain)]), None);
    assert_eq!(fresh.missing(&both).len(), 2);
}

/// Once adjudication wrote a gold layer (spans authored by `agreement::GOLD`), the annotator
/// filter offers it first, named as the export menu names it, and it keeps only gold entries.
#[test]
fn matrix_annotator_filter_offers_the_gold_layer_first() {
    let mut project = story();
    let mut spans: Vec<_> = project.spans().values().map(|span| (**span).clone()).collect();
    spans.sort_by(|left, right| left.id.cmp(&right.id));
    for (index, mut span) in spans.into_iter().enumerate() {
        span.author = if index % 2 == 0 { GOLD.to_string() } else { "ana".to_string() };
        project.apply(Edit::UpdateSpan(span), 0).unwrap();
    }
    let matrix = StoryMatrix::build(&project);
    let choices = matrix.annotator_choices();
    assert_eq!(choices, vec![(GOLD.to_string(), "gold layer".to_string()), ("ana".to_string(), "ana".to_string())]);
    let gold_only = MatrixFilter { annotator: GOLD.to_string(), ..MatrixFilter::default() };
    let rows = matrix.view(&gold_only, RowOrder::default());
    let authors: Vec<&str> =
        rows.iter().flat_map(|row| row.cells.iter().flatten()).map(|entry| entry.author.as_str()).collect();
    assert!(!authors.is_empty() && authors.iter().all(|author| *author == GOLD), "{authors:?}");
    // Without a gold layer there is no gold choice.
    assert!(StoryMatrix::build(&story()).annotator_choices().iter().all(|(value, _)| value != GOLD));
}

/// The browser path: the shapes go to the layout worker as JSON and the positions come back as
/// JSON; the picture must be the one `lay_out` draws natively, to the last bit.
#[test]
fn picture_through_the_worker_messages_equals_the_native_picture() {
    let project = story();
    let job = PictureJob::new(&project);
    assert!(!job.shapes.is_empty());
    let request = serde_json::to_string(&LayoutRequest { id: 7, shapes: job.shapes.clone() }).unwrap();
    let reply: LayoutReply = serde_json::from_str(&answer(&request)).unwrap();
    assert_eq!((reply.id, reply.error.as_deref()), (7, None));
    assert_eq!(reply.positions, job.shapes.iter().map(simulate).collect::<Vec<_>>());
    assert_eq!(job.finish(&project, &reply.positions, 600.0), lay_out(&project, 600.0));
}

/// The worker runs a request in slices (a tick of a simulation at a time, stopping when its time
/// is up) so that a page going away ends it at once; sliced, the reply is the one run at once.
#[test]
fn a_layout_job_stopped_after_every_tick_replies_as_if_run_at_once() {
    let job = PictureJob::new(&story());
    let request = serde_json::to_string(&LayoutRequest { id: 3, shapes: job.shapes.clone() }).unwrap();
    let Ok(mut sliced) = LayoutJob::start(&request) else { panic!("the request parses") };
    let mut slices = 1;
    while !sliced.advance(|| false) {
        slices += 1;
    }
    // More slices than shapes: a slice ends inside a shape's simulation, not only between two.
    assert!(slices > job.shapes.len() * 10, "{slices} slices for {} shapes", job.shapes.len());
    assert_eq!(sliced.reply(), answer(&request));
    assert!(LayoutJob::start("{\"shapes\": 3}").is_err_and(|reply| reply.contains("bad layout request")));
}

/// A worker reply that does not fit (missing or short position lists) still gives every span a
/// place, in non-overlapping clusters; a request that does not parse gets an error reply.
#[test]
fn picture_from_a_bad_worker_reply_still_places_every_span() {
    let project = story();
    let job = PictureJob::new(&project);
    for positions in [vec![], vec![vec![[1.0, 2.0]]]] {
        let picture = job.finish(&project, &positions, 600.0);
        assert_eq!(picture.nodes.len(), 8);
        assert_eq!(picture.edges.len(), project.relations().len());
        for (index, left) in picture.clusters.iter().enumerate() {
            assert!(picture.clusters[index + 1..].iter().all(|right| !left.overlaps(right)));
        }
    }
    let reply: LayoutReply = serde_json::from_str(&answer("{\"shapes\": 3}")).unwrap();
    assert!(reply.error.is_some_and(|error| error.contains("bad layout request")));
    assert!(reply.positions.is_empty());
    // Links naming spans the shape does not have are ignored, not an index out of bounds.
    let broken = r#"{"id":1,"shapes":[{"sectors":[0,1],"links":[[0,5],[1,0]]}]}"#;
    let reply: LayoutReply = serde_json::from_str(&answer(broken)).unwrap();
    assert_eq!(reply.positions.len(), 1);
    assert_eq!(reply.positions[0].len(), 2);
}

/// The payloads of tests/e2e/hostile.test.mjs.
const SCRIPT: &str = "<script>window.__crosscheckPwned = \"script\"</script>";
const IMG: &str = "<img src=x onerror=\"window.__crosscheckPwned = 'img'\">";
const SVG: &str = "<svg onload=\"window.__crosscheckPwned = 'svg'\"></svg>";

/// Every tag in `html`, by name, with its attribute text.
fn tags(html: &str) -> Vec<(String, String)> {
    html.split('<')
        .skip(1)
        .map(|rest| {
            let tag = rest.split('>').next().unwrap_or("");
            let name: String = tag.chars().take_while(|character| *character != ' ').collect();
            (name.trim_start_matches('/').to_lowercase(), tag.to_string())
        })
        .collect()
}

#[test]
fn report_holds_the_matrix_both_sides_of_each_contradiction_verdicts_and_warnings() {
    let mut project = story();
    tag(&mut project, 4, "We are very disappointed", "quote", &[]);
    let html = report::to_report_html(&project, "2024-03-27");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("default-src 'none'"), "a CSP that forbids scripts and requests");
    assert!(html.contains("@media print"));
    assert!(html.contains("<mark class=\"figure\">1 million</mark>"));
    assert!(html.contains("Figures differ: 1.4 million | 1 million | 1.4 million"), "{html}");
    assert!(html.contains("Note: UN Charter art. 25"));
    assert!(html.contains("This is a non-binding resolution"));
    assert!(html.contains("— John Kirby"));
    assert!(html.contains("<span class=\"verdict v-inaccurate\">inaccurate</span>"));
    assert_eq!(html.matches("class=\"pair\"").count(), 3, "three contradictions");
    assert_eq!(html.matches("not reported").count(), 3 * 5 - 6);
    assert!(html.contains("002_b5d4877363400f42.txt, 2024-03-25"));
    assert!(html.contains("<li>The quote &quot;We are very disappointed&quot; has no speaker.</li>"), "the warnings");
    for (name, _) in tags(&html) {
        assert!(!matches!(name.as_str(), "script" | "img" | "link" | "iframe" | "object" | "svg"), "{name}");
    }
}

#[test]
fn report_escapes_hostile_titles_sources_texts_notes_speakers_and_labels() {
    let mut article = crosscheck::domain::article::Article::new(
        &format!("Opening {SCRIPT} middle {IMG} and {SVG}. Then 5 ships came, not 7 ships."),
        &format!("Title {IMG}"),
        &format!("Source {SCRIPT}"),
    );
    article.published = format!("2024 {SVG}");
    let mut project = Project::with_articles(vec![article, default_articles().remove(0)]);
    let mut labels = project.labels().to_vec();
    labels[0].name = format!("Claim {SVG}");
    project.apply(Edit::SetLabels(labels), 0).unwrap();
    let payload =
        tag(&mut project, 0, &format!("{SCRIPT} middle {IMG}"), "quote", &[("speaker", IMG), ("note", SCRIPT)]);
    let ships = tag(&mut project, 0, "5 ships came", "claim", &[("verdict", "misleading"), ("note", IMG)]);
    let other = tag(&mut project, 0, "not 7 ships", "claim", &[("verdict", SVG)]);
    link(&mut project, CONTRADICTS, &payload, &ships, SCRIPT, IMG);
    link(&mut project, CONTRADICTS, &ships, &other, "numeric", SVG);
    let html = report::to_report_html(&project, SCRIPT);
    assert!(html.contains("&lt;script&gt;window.__crosscheckPwned = &quot;script&quot;&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=&quot;window.__crosscheckPwned = &#39;img&#39;&quot;&gt;"));
    let allowed = [
        "!doctype",
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "h1",
        "h2",
        "p",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "span",
        "br",
        "div",
        "mark",
        "blockquote",
        "ul",
        "li",
    ];
    for (name, tag) in tags(&html) {
        assert!(allowed.contains(&name.as_str()), "unexpected tag <{tag}>");
        assert!(!tag.contains("onerror") && !tag.contains("onload"), "<{tag}>");
    }
    assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("<svg"));
}
