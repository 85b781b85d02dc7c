#![cfg(not(target_arch = "wasm32"))]
//! Property tests of the dataset formats over arbitrary Unicode articles and random spans:
//! JSONL slices, CSV cells, W3C export → import, brat offsets, NLI pairs, corpus and project
//! JSON round trips.

use std::collections::BTreeMap;

use proptest::prelude::*;

use crosscheck::domain::annotation::{RelationId, Span, SpanId};
use crosscheck::domain::article::Article;
use crosscheck::domain::project::{new_relation, new_span, Edit, EditError, Project};
use crosscheck::domain::schema::AttributeKind;
use crosscheck::formats::brat::{brat_files, is_line_break};
use crosscheck::formats::w3c::{from_w3c, to_w3c, AnchorMethod};
use crosscheck::formats::{corpus, csv, jsonl, nli, project_json};

/// Pieces of text that are hard for offset arithmetic.
const PIECES: &[&str] = &[
    "word",
    " ",
    "The ",
    "claim",
    ".",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "🙂",
    "🇺🇸",
    "🇮🇱",
    "👨‍👩‍👧",
    "✊🏽",
    "e\u{301}",
    "世界",
    "שלום",
    "مرحبا",
    "=",
    "-",
    "@",
    "+",
    "\t",
    "\"",
    ",",
    "'",
    "\u{2028}",
    "\u{85}",
    "\u{0b}",
    "a",
    "é",
];
/// Attribute values, including ones that look like formulas or "key: value".
const VALUES: &[&str] =
    &["", "Joe Biden", "=1+1", "multi\nline", "key: value: more", "🙂 🇺🇸", " padded ", "-5%", "a\tb"];
const ID_SUFFIXES: &[&str] = &["", " x", "/é", "%20", ":🙂", "#1"];
const AUTHORS: &[&str] = &["anonymous", "Ana Editor", "José 🙂"];
const LABELS: &[&str] = &["claim", "quote", "speaker"];
const RELATION_TYPES: &[&str] = &["contradicts", "supports", "same-statement", "attributed-to"];

fn text_strategy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(PIECES).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 1..40).prop_map(|pieces| pieces.concat())
}

/// (article, start seed, length seed, label, attribute seed, author, created)
type SpanSeed = (usize, usize, usize, usize, usize, usize, i64);
/// (from, to, type, kind seed, note seed, created)
type RelationSeed = (usize, usize, usize, usize, usize, i64);

fn project_strategy() -> impl Strategy<Value = Project> {
    (
        prop::collection::vec(text_strategy(), 1..4),
        prop::collection::vec(
            (
                any::<usize>(),
                any::<usize>(),
                any::<usize>(),
                0..3usize,
                any::<usize>(),
                any::<usize>(),
                0..4_102_444_800_000i64,
            ),
            0..14,
        ),
        prop::collection::vec(
            (any::<usize>(), any::<usize>(), 0..4usize, any::<usize>(), any::<usize>(), 0..4_102_444_800_000i64),
            0..8,
        ),
    )
        .prop_map(|(texts, spans, relations)| build(texts, spans, relations))
}

fn build(texts: Vec<String>, span_seeds: Vec<SpanSeed>, relation_seeds: Vec<RelationSeed>) -> Project {
    let mut articles: Vec<Article> = Vec::new();
    for (index, text) in texts.iter().enumerate() {
        let mut article = Article::new(text, "", &format!("file {index}.txt"));
        if index % 2 == 1 {
            article.url = format!("https://example.org/{index}?a=1&b=2");
            article.published = "2024-03-25".to_string();
        }
        if articles.iter().all(|existing| existing.id != article.id) {
            articles.push(article);
        }
    }
    let mut project = Project::with_articles(articles);
    for (index, (article, start, length, label, seed, author, created)) in span_seeds.into_iter().enumerate() {
        let article = project.articles()[article % project.articles().len()].clone();
        let char_len = article.char_len();
        let start = start % char_len;
        let end = start + 1 + length % (char_len - start).min(12);
        let id = SpanId::from(format!("s-{index}{}", ID_SUFFIXES[index % ID_SUFFIXES.len()]));
        let Some(mut span) = new_span(&project, id, &article, start, end, &LABELS[label].into(), created) else {
            continue;
        };
        span.author = AUTHORS[author % AUTHORS.len()].to_string();
        if let Some(label) = project.label(LABELS[label]) {
            for (offset, attribute) in label.attributes.iter().enumerate() {
                let pick = seed.wrapping_add(offset * 7);
                let value = match &attribute.kind {
                    AttributeKind::Choice { choices } => choices[pick % choices.len()].clone(),
                    _ => VALUES[pick % VALUES.len()].to_string(),
                };
                span.attributes.insert(attribute.key.clone(), value);
            }
        }
        project.apply(Edit::AddSpan(span), created + 1_234).expect("generated spans are valid");
    }
    let span_ids: Vec<SpanId> = project.spans().keys().cloned().collect();
    if span_ids.len() >= 2 {
        for (index, (from, to, kind, kind_seed, note_seed, created)) in relation_seeds.into_iter().enumerate() {
            let (from, to) = (span_ids[from % span_ids.len()].clone(), span_ids[to % span_ids.len()].clone());
            let mut relation = new_relation(
                &project,
                RelationId::from(format!("r-{index} ü")),
                &RELATION_TYPES[kind].into(),
                from,
                to,
                created,
            );
            let kinds = project.relation_type(RELATION_TYPES[kind]).map(|kind| kind.kinds.clone()).unwrap_or_default();
            if !kinds.is_empty() && kind_seed % 3 != 0 {
                relation.kind = Some(kinds[kind_seed % kinds.len()].clone());
            }
            relation.note = VALUES[note_seed % VALUES.len()].to_string();
            relation.author = AUTHORS[note_seed % AUTHORS.len()].to_string();
            // Self-links and duplicates are refused by the domain and skipped; nothing else may be.
            match project.apply(Edit::AddRelation(relation), created + 99) {
                Ok(_) | Err(EditError::SelfRelation | EditError::DuplicateRelation { .. }) => {}
                Err(other) => panic!("a generated link was refused: {other}"),
            }
        }
    }
    project
}

fn empty_copy(project: &Project) -> Project {
    project.without_annotations()
}

fn char_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end.saturating_sub(start)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn jsonl_slices_equal_span_text(project in project_strategy()) {
        let exported = jsonl::to_jsonl(&project);
        let lines: Vec<serde_json::Value> =
            exported.lines().map(|line| serde_json::from_str(line).expect("valid JSON line")).collect();
        prop_assert_eq!(lines.len(), project.articles().len());
        let mut spans = 0;
        let mut relations = 0;
        for line in &lines {
            let text = line["text"].as_str().unwrap_or_default();
            for span in line["spans"].as_array().into_iter().flatten() {
                let start = span["start"].as_u64().unwrap_or(u64::MAX) as usize;
                let end = span["end"].as_u64().unwrap_or(0) as usize;
                prop_assert_eq!(char_slice(text, start, end), span["text"].as_str().unwrap_or("\u{0}"));
                spans += 1;
            }
            relations += line["relations"].as_array().map_or(0, Vec::len);
        }
        prop_assert_eq!(spans, project.spans().len());
        prop_assert_eq!(relations, project.relations().len());
        // A JSONL export reads back as the same articles through the corpus importer (which
        // refuses blank articles, as it should).
        if project.articles().iter().any(|article| article.text.trim().is_empty()) {
            let refused = corpus::parse_corpus_file("export.jsonl", exported.as_bytes());
            prop_assert!(refused.is_err());
            return Ok(());
        }
        let articles = corpus::parse_corpus_file("export.jsonl", exported.as_bytes()).expect("corpus import");
        let expected: Vec<Article> = project.articles().iter().map(|article| (**article).clone()).collect();
        prop_assert_eq!(articles, expected.clone());
        let wrapped = format!("{{\"articles\": [\n{}]}}", exported.trim_end().replace('\n', ",\n"));
        let articles = corpus::parse_corpus_file("export.json", wrapped.as_bytes()).expect("corpus import");
        prop_assert_eq!(articles, expected);
    }

    #[test]
    fn csv_rows_match_spans(project in project_strategy()) {
        let exported = csv::to_csv(&project);
        let mut reader = ::csv::Reader::from_reader(exported.as_bytes());
        let header = reader.headers().expect("header").clone();
        let column = |name: &str| header.iter().position(|cell| cell == name).expect("column");
        let (text, start, end, id) = (column("text"), column("start"), column("end"), column("span_id"));
        let rows: Vec<::csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
        prop_assert_eq!(rows.len(), project.spans().len());
        for (row, span) in rows.iter().zip(project.spans_in_order()) {
            prop_assert_eq!(&row[id], csv::neutralize_formula(span.id.as_str()));
            prop_assert_eq!(row[start].parse::<usize>().ok(), Some(span.start));
            prop_assert_eq!(row[end].parse::<usize>().ok(), Some(span.end));
            let cell = &row[text];
            let restored = cell.strip_prefix('\'').unwrap_or(cell);
            prop_assert_eq!(restored, span.text.as_str());
        }
    }

    #[test]
    fn w3c_export_import_round_trips(project in project_strategy()) {
        let exported = to_w3c(&project, 1_711_375_387_120);
        let imported = from_w3c(&exported, &empty_copy(&project), 0).expect("import");
        prop_assert_eq!(&imported.unanchored, &vec![]);
        prop_assert_eq!(&imported.reanchored, &vec![]);
        let mut spans = imported.spans.clone();
        spans.sort_by(|left, right| left.id.cmp(&right.id));
        let expected: Vec<Span> = project.spans().values().map(|span| (**span).clone()).collect();
        prop_assert_eq!(spans, expected);
        let expected: Vec<_> = project.relations().values().map(|relation| (**relation).clone()).collect();
        prop_assert_eq!(&imported.relations, &expected);
        let mut target = empty_copy(&project);
        target.apply(imported.into_edit(), 5).expect("the import applies as one batch");
        prop_assert_eq!(target.spans().len(), project.spans().len());
        // Importing again into the filled project adds nothing and reports everything.
        let again = from_w3c(&exported, &project, 0).expect("import");
        prop_assert!(again.spans.is_empty() && again.relations.is_empty());
        prop_assert_eq!(again.unanchored.len(), project.spans().len() + project.relations().len());
    }

    #[test]
    fn w3c_moved_positions_are_reanchored_to_the_quote(project in project_strategy(), shift in 1usize..9) {
        let exported = to_w3c(&project, 0);
        let mut document: serde_json::Value = serde_json::from_str(&exported).expect("json");
        if let Some(items) = document["first"]["items"].as_array_mut() {
            for item in items.iter_mut().filter(|item| item["motivation"] == "tagging") {
                let position = &mut item["target"]["selector"][1];
                let start = position["start"].as_u64().unwrap_or(0) + shift as u64;
                let end = position["end"].as_u64().unwrap_or(0) + shift as u64;
                position["start"] = start.into();
                position["end"] = end.into();
            }
        }
        let imported = from_w3c(&document.to_string(), &empty_copy(&project), 0).expect("import");
        // Every quote is in its article, so every span comes back with exactly its quote.
        prop_assert_eq!(imported.spans.len(), project.spans().len());
        for span in &imported.spans {
            let original = project.spans().get(&span.id).expect("same id");
            prop_assert_eq!(&span.text, &original.text);
            prop_assert_eq!(span.end - span.start, original.end - original.start);
        }
        for moved in &imported.reanchored {
            prop_assert_eq!(&moved.method, &AnchorMethod::Quote);
        }
        prop_assert_eq!(imported.relations.len(), project.relations().len());
    }

    #[test]
    fn brat_offsets_match_the_txt(project in project_strategy()) {
        let files: BTreeMap<String, String> = brat_files(&project).into_iter().collect();
        let ids = &files["crosscheck_ids.tsv"];
        let mut t_lines = 0;
        let mut r_lines = 0;
        for (name, ann) in files.iter().filter(|(name, _)| name.ends_with(".ann")) {
            let txt = &files[&format!("{}.txt", name.trim_end_matches(".ann"))];
            let chars: Vec<char> = txt.chars().collect();
            prop_assert!(ann.is_empty() || ann.ends_with('\n'));
            for line in ann.lines() {
                prop_assert!(!line.chars().any(is_line_break), "a line break inside {line:?}");
                let fields: Vec<&str> = line.splitn(3, '\t').collect();
                if fields[0].starts_with('T') {
                    t_lines += 1;
                    let (_, offsets) = fields[1].split_once(' ').expect("type and offsets");
                    let mut pieces = Vec::new();
                    for fragment in offsets.split(';') {
                        let (start, end) = fragment.split_once(' ').expect("start end");
                        let (start, end): (usize, usize) = (start.parse().expect("start"), end.parse().expect("end"));
                        prop_assert!(start < end && end <= chars.len());
                        pieces.push(chars[start..end].iter().collect::<String>());
                    }
                    prop_assert_eq!(pieces.join(" "), fields[2]);
                    // The fragments are the span minus its line breaks.
                    let prefix = format!("{}\t{}\t", name.trim_end_matches(".ann"), fields[0]);
                    let row = ids.lines().find(|row| row.starts_with(&prefix)).expect("id row");
                    let span_id = row.split('\t').nth(2).expect("span id");
                    let span = project.spans().values().find(|span| span.id.as_str() == span_id).expect("span");
                    let kept: String = span.text.chars().filter(|character| !is_line_break(*character)).collect();
                    prop_assert_eq!(pieces.concat(), kept);
                } else if fields[0].starts_with('R') {
                    r_lines += 1;
                    for argument in fields[1].split(' ').skip(1) {
                        let target = argument.split_once(':').map(|(_, target)| target).unwrap_or("");
                        prop_assert!(ann.contains(&format!("{target}\t")), "{argument} names no T line");
                    }
                }
            }
        }
        let exportable = project.spans().values().filter(|span| !span.text.chars().all(is_line_break)).count();
        prop_assert_eq!(t_lines, exportable);
        let cross = files["cross_document_relations.tsv"].lines().count() - 1;
        let not_exported = files["README.md"].lines().filter(|line| line.starts_with("- link")).count();
        prop_assert_eq!(r_lines + cross + not_exported, project.relations().len());
        prop_assert!(crosscheck::formats::brat::to_brat_zip(&project, 0).is_ok());
    }

    #[test]
    fn nli_pairs_cover_the_three_textual_link_types(project in project_strategy()) {
        let lines: Vec<serde_json::Value> = nli::to_nli_jsonl(&project, 0.0)
            .lines()
            .map(|line| serde_json::from_str(line).expect("valid JSON line"))
            .collect();
        let expected: usize = project.relations().values().map(|relation| nli::rows_per_link(&relation.relation_type)).sum();
        prop_assert_eq!(lines.len(), expected);
        for line in &lines {
            let label = line["label"].as_str().unwrap_or("");
            prop_assert!(label == "contradiction" || label == "entailment");
        }
    }

    #[test]
    fn project_json_round_trip_is_byte_identical(project in project_strategy()) {
        let json = project_json::to_json(&project);
        let (loaded, _) = project_json::from_json(&json).expect("load");
        prop_assert_eq!(project_json::to_json(&loaded), json);
    }
}
