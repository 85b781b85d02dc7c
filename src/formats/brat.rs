//! brat standoff export (<https://brat.nlplab.org/standoff.html>): a zip with, per article,
//! `<name>.txt` (the stored text, byte for byte) and `<name>.ann`, plus `annotation.conf`,
//! `cross_document_relations.tsv`, `crosscheck_ids.tsv` and a `README.md` (not `.txt`: brat
//! would list it as a document).
//!
//! - **Offsets** are Unicode code points of the `.txt`, as brat computes them (it reads the file
//!   as UTF-8 text in Python and slices it; in Python 3, and in Python 2 "wide" builds, a code
//!   point is one character — a "narrow" Python 2 build would count an astral character such as
//!   an emoji as two). In Python, `txt[start:end]` is each fragment's text.
//! - `<name>` is the article's source file name without extension (else its title), reduced to
//!   `A-Z a-z 0-9 _ -`, at most 60 characters, made unique with `-2`, `-3`…
//! - **T lines** `T1\tClaim 10 25\ttext`, in reading order. The type is the label's name reduced
//!   to `A-Z a-z 0-9 _ -` (made unique if two labels reduce alike). A span that crosses a line
//!   break becomes brat's discontinuous form `s e;s e`: it is split at every character Python's
//!   `str.splitlines` breaks on (`\n`, `\r`, `\v`, `\f`, `\x1c`–`\x1e`, `\x85`, U+2028, U+2029),
//!   empty fragments are dropped, and the text field is the fragments joined by one space, as
//!   brat itself writes it. A span made only of line breaks cannot be expressed; it is listed
//!   under "Not exported" in `README.md`, with the links that touch it.
//! - **A lines** `A1\tkind T1 numeric`: every non-empty attribute whose schema kind is a fixed
//!   choice (brat's multi-valued attributes); whitespace in a value becomes `_`.
//! - **# lines** `#1\tAnnotatorNotes T1\tspeaker: Joe Biden | note: …`: the other non-empty
//!   attributes (free text, notes) as `key: value` joined by ` | `, tabs and line breaks turned
//!   into spaces. Links get one too, for their `kind` and `note`.
//! - **R lines** `R1\tcontradicts Arg1:T1 Arg2:T2` for links within one article (Arg1 is the
//!   `from` span). Links across articles, which standoff cannot hold, are rows of
//!   `cross_document_relations.tsv` (see [`CROSS_DOCUMENT_COLUMNS`]).
//! - `crosscheck_ids.tsv` maps every `T`/`R` id of every file back to the Crosscheck id.
//! - `annotation.conf` declares the entity types, the relation types (any entity to any entity),
//!   `<OVERLAP>` allowing any overlap (spans may nest or cross), and the attributes with their
//!   values.
//! - Every zip entry carries the export time (`now_ms`, UTC) as its date, so the bytes depend
//!   only on the project and that time.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::annotation::{Span, SpanId};
use crate::domain::ids::{LabelId, RelationTypeId};
use crate::domain::project::Project;
use crate::domain::schema::AttributeKind;
use crate::domain::sorting::InsertEach;
use crate::formats::common::one_line;
use crate::formats::FormatError;

/// The media type of the archive.
pub const MEDIA_TYPE: &str = "application/zip";
/// A suggested download name.
pub const FILE_NAME: &str = "annotations.brat.zip";

/// The header of `cross_document_relations.tsv`.
pub const CROSS_DOCUMENT_COLUMNS: [&str; 12] = [
    "relation_id",
    "type",
    "kind",
    "note",
    "from_file",
    "from_brat_id",
    "from_span_id",
    "from_article_id",
    "to_file",
    "to_brat_id",
    "to_span_id",
    "to_article_id",
];

pub use crate::formats::common::is_line_break;

/// `start..end` split at line breaks into non-empty fragments of code points.
pub fn fragments(text: &str, start: usize) -> Vec<(usize, usize)> {
    let mut fragments = Vec::new();
    let mut fragment_start = start;
    let mut offset = start;
    for character in text.chars() {
        if is_line_break(character) {
            if offset > fragment_start {
                fragments.push((fragment_start, offset));
            }
            fragment_start = offset + 1;
        }
        offset += 1;
    }
    if offset > fragment_start {
        fragments.push((fragment_start, offset));
    }
    fragments
}

/// Reduces a name to brat's safe characters (`A-Z a-z 0-9 _ -`), at most `max` of them.
fn brat_name(name: &str, max: usize) -> String {
    let mut safe = String::new();
    for character in name.trim().chars() {
        if character.is_ascii_alphanumeric() || character == '-' {
            safe.push(character);
        } else if !safe.ends_with('_') {
            safe.push('_');
        }
    }
    safe.trim_matches('_').chars().take(max).collect::<String>().trim_end_matches('_').to_string()
}

/// `name`, or `name-2`, `name-3`… whichever is not yet in `used`; records the choice.
fn unique(name: String, used: &mut BTreeSet<String>) -> String {
    let mut candidate = name.clone();
    let mut counter = 2;
    while used.contains(&candidate.to_lowercase()) {
        candidate = format!("{name}-{counter}");
        counter += 1;
    }
    used.insert(candidate.to_lowercase());
    candidate
}

fn choice_value(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join("_")
}

/// How each label id and relation type id is written in brat.
struct TypeNames {
    labels: BTreeMap<LabelId, String>,
    relations: BTreeMap<RelationTypeId, String>,
}

impl TypeNames {
    fn new(project: &Project) -> TypeNames {
        let mut used = BTreeSet::new();
        let mut labels = BTreeMap::new();
        let label_ids = project
            .labels()
            .iter()
            .map(|label| (label.id.clone(), label.name.clone()))
            .chain(project.spans().values().map(|span| (span.label.clone(), span.label.to_string())));
        for (id, name) in label_ids {
            if labels.contains_key(&id) {
                continue;
            }
            let base = brat_name(&name, 60);
            let base = if base.is_empty() { format!("label_{}", brat_name(&id, 40)) } else { base };
            labels.insert(id, unique(base, &mut used));
        }
        let mut relations = BTreeMap::new();
        let relation_ids = project
            .relation_types()
            .iter()
            .map(|relation_type| relation_type.id.clone())
            .chain(project.relations().values().map(|relation| relation.relation_type.clone()));
        for id in relation_ids {
            if relations.contains_key(&id) {
                continue;
            }
            let base = brat_name(&id, 60);
            let base = if base.is_empty() { "related".to_string() } else { base };
            relations.insert(id, unique(base, &mut used));
        }
        TypeNames { labels, relations }
    }

    fn label<'a>(&'a self, id: &'a str) -> &'a str {
        self.labels.get(id).map_or(id, String::as_str)
    }

    fn relation<'a>(&'a self, id: &'a str) -> &'a str {
        self.relations.get(id).map_or(id, String::as_str)
    }
}

/// Whether `key` is a fixed-choice attribute of the span's label.
fn is_choice(project: &Project, span: &Span, key: &str) -> bool {
    project.label(&span.label).is_some_and(|label| {
        label
            .attributes
            .iter()
            .any(|attribute| attribute.key == key && matches!(attribute.kind, AttributeKind::Choice { .. }))
    })
}

/// Every file of the export as `(path in the zip, content)`, in zip order.
pub fn brat_files(project: &Project) -> Vec<(String, String)> {
    let names = TypeNames::new(project);
    let mut used_file_names = BTreeSet::new();
    // Where each exported span went: span id → (file name, T id).
    let mut placed: BTreeMap<SpanId, (String, String)> = BTreeMap::new();
    let mut not_exported: Vec<String> = Vec::new();
    let mut ids_tsv = String::from("file\tbrat_id\tcrosscheck_id\tarticle_id\n");
    // Attribute name → (entity types, values) for annotation.conf.
    let mut attribute_conf: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    let mut documents = Vec::new();

    for article in project.articles() {
        let stem = article.source.rsplit_once('.').map_or(article.source.as_str(), |(stem, _)| stem);
        let mut base = brat_name(stem, 60);
        if base.is_empty() {
            base = brat_name(&article.title, 60);
        }
        if base.is_empty() {
            base = brat_name(article.id.as_str(), 60);
        }
        let name = unique(base, &mut used_file_names);
        let mut ann = String::new();
        let (mut t, mut a, mut n) = (0, 0, 0);
        for span in project.spans_in_article(&article.id) {
            let parts = fragments(&span.text, span.start);
            if parts.is_empty() {
                not_exported
                    .push(format!("span {} ({}..{} of {}): only line breaks", span.id, span.start, span.end, name));
                continue;
            }
            t += 1;
            let t_id = format!("T{t}");
            let offsets: Vec<String> = parts.iter().map(|(start, end)| format!("{start} {end}")).collect();
            let texts: Vec<&str> = parts.iter().map(|(start, end)| article.slice(*start, *end).unwrap_or("")).collect();
            let entity = names.label(&span.label);
            ann.push_str(&format!("{t_id}\t{entity} {}\t{}\n", offsets.join(";"), texts.join(" ")));
            let mut notes = Vec::new();
            for (key, value) in &span.attributes {
                if value.is_empty() {
                    continue;
                }
                if is_choice(project, &span, key) {
                    a += 1;
                    let attribute = brat_name(key, 60);
                    let value = choice_value(value);
                    ann.push_str(&format!("A{a}\t{attribute} {t_id} {value}\n"));
                    let conf = attribute_conf.entry(attribute).or_default();
                    conf.0.insert(entity.to_string());
                    conf.1.insert(value);
                } else {
                    notes.push(format!("{key}: {}", one_line(value)));
                }
            }
            if !notes.is_empty() {
                n += 1;
                ann.push_str(&format!("#{n}\tAnnotatorNotes {t_id}\t{}\n", notes.join(" | ")));
            }
            ids_tsv.push_str(&format!("{name}\t{t_id}\t{}\t{}\n", one_line(span.id.as_str()), article.id));
            placed.insert(span.id.clone(), (name.clone(), t_id));
        }
        documents.push((name, article.text.to_string(), ann));
    }

    let mut cross = CROSS_DOCUMENT_COLUMNS.join("\t");
    cross.push('\n');
    let mut r_counters: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let note_counts: BTreeMap<String, usize> = documents
        .iter()
        .map(|(name, _, ann)| (name.clone(), ann.lines().filter(|line| line.starts_with('#')).count()))
        .collect();
    let mut relation_lines: BTreeMap<String, String> = BTreeMap::new();
    for relation in project.relations().values() {
        let (Some((from_file, from_t)), Some((to_file, to_t))) = (placed.get(&relation.from), placed.get(&relation.to))
        else {
            not_exported.push(format!("link {}: an end was not exported", relation.id));
            continue;
        };
        let relation_name = names.relation(&relation.relation_type);
        if from_file == to_file {
            let (r, n) =
                r_counters.entry(from_file.clone()).or_insert((0, note_counts.get(from_file).copied().unwrap_or(0)));
            *r += 1;
            let lines = relation_lines.entry(from_file.clone()).or_default();
            lines.push_str(&format!("R{r}\t{relation_name} Arg1:{from_t} Arg2:{to_t}\n"));
            let mut notes = Vec::new();
            if let Some(kind) = &relation.kind {
                notes.push(format!("kind: {}", one_line(kind)));
            }
            if !relation.note.is_empty() {
                notes.push(format!("note: {}", one_line(&relation.note)));
            }
            if !notes.is_empty() {
                *n += 1;
                lines.push_str(&format!("#{n}\tAnnotatorNotes R{r}\t{}\n", notes.join(" | ")));
            }
            ids_tsv.push_str(&format!("{from_file}\tR{r}\t{}\t\n", one_line(relation.id.as_str())));
        } else {
            let (Some(from), Some(to)) = (project.spans().get(&relation.from), project.spans().get(&relation.to))
            else {
                continue;
            };
            let row = [
                one_line(relation.id.as_str()),
                relation_name.to_string(),
                one_line(relation.kind_str()),
                one_line(&relation.note),
                from_file.clone(),
                from_t.clone(),
                one_line(from.id.as_str()),
                from.article.to_string(),
                to_file.clone(),
                to_t.clone(),
                one_line(to.id.as_str()),
                to.article.to_string(),
            ];
            cross.push_str(&row.join("\t"));
            cross.push('\n');
        }
    }

    let mut files = vec![
        ("annotation.conf".to_string(), annotation_conf(project, &names, &attribute_conf)),
        ("README.md".to_string(), readme(&not_exported)),
    ];
    for (name, text, mut ann) in documents {
        if let Some(lines) = relation_lines.get(&name) {
            ann.push_str(lines);
        }
        files.push((format!("{name}.txt"), text));
        files.push((format!("{name}.ann"), ann));
    }
    files.push(("cross_document_relations.tsv".to_string(), cross));
    files.push(("crosscheck_ids.tsv".to_string(), ids_tsv));
    files
}

fn annotation_conf(
    project: &Project,
    names: &TypeNames,
    attributes: &BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>,
) -> String {
    let mut conf = String::from("# brat configuration written by Crosscheck.\n\n[entities]\n");
    let used_labels: BTreeSet<&str> = project.spans().values().map(|span| span.label.as_str()).into_set();
    let mut entities: Vec<&str> = project.labels().iter().map(|label| names.label(&label.id)).collect();
    for label in used_labels {
        if project.label(label).is_none() {
            entities.push(names.label(label));
        }
    }
    for entity in entities {
        conf.push_str(entity);
        conf.push('\n');
    }
    conf.push_str("\n[relations]\n");
    let mut relation_names: Vec<&str> =
        project.relation_types().iter().map(|relation_type| names.relation(&relation_type.id)).collect();
    for relation in project.relations().values() {
        if project.relation_type(&relation.relation_type).is_none() {
            relation_names.push(names.relation(&relation.relation_type));
        }
    }
    let mut seen = BTreeSet::new();
    relation_names.retain(|name| seen.insert(*name));
    for relation in relation_names {
        conf.push_str(&format!("{relation}\tArg1:<ENTITY>, Arg2:<ENTITY>\n"));
    }
    conf.push_str("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n");
    conf.push_str("\n[events]\n\n[attributes]\n");
    let mut declared: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> = attributes.clone();
    for label in project.labels() {
        for attribute in &label.attributes {
            if let AttributeKind::Choice { choices } = &attribute.kind {
                let entry = declared.entry(brat_name(&attribute.key, 60)).or_default();
                entry.0.insert(names.label(&label.id).to_string());
                entry.1.extend(choices.iter().map(|choice| choice_value(choice)).filter(|value| !value.is_empty()));
            }
        }
    }
    for (name, (types, values)) in declared {
        if values.is_empty() {
            continue;
        }
        let types: Vec<&str> = types.iter().map(String::as_str).collect();
        let values: Vec<&str> = values.iter().map(String::as_str).collect();
        conf.push_str(&format!("{name}\tArg:{}, Value:{}\n", types.join("|"), values.join("|")));
    }
    conf
}

fn readme(not_exported: &[String]) -> String {
    let mut readme = String::from(
        "Crosscheck export in brat standoff format (https://brat.nlplab.org/standoff.html).\n\
         \n\
         Copy the .txt, .ann and annotation.conf files into a folder under brat's data directory.\n\
         Offsets count Unicode code points of the .txt files (Python 3: txt[start:end]).\n\
         Spans that cross a line break are written as discontinuous fragments (start end;start end).\n\
         Fixed-choice attributes are A lines; free-text attributes and notes are AnnotatorNotes (#).\n\
         Links inside one article are R lines (Arg1 = from, Arg2 = to). Links between articles are\n\
         the rows of cross_document_relations.tsv (tab-separated, one header row): relation_id, type,\n\
         kind, note, then file, brat T id, Crosscheck span id and article id of each end (from, to).\n\
         crosscheck_ids.tsv maps every T and R id of every file back to its Crosscheck id.\n",
    );
    readme.push_str("\nNot exported:\n");
    if not_exported.is_empty() {
        readme.push_str("(nothing)\n");
    }
    for line in not_exported {
        readme.push_str(&format!("- {line}\n"));
    }
    readme
}

/// The brat export as a zip archive (stored entries, dated `now_ms`; see `zip_store`).
pub fn to_brat_zip(project: &Project, now_ms: i64) -> Result<Vec<u8>, FormatError> {
    let entries: Vec<(String, Vec<u8>)> =
        brat_files(project).into_iter().map(|(path, content)| (path, content.into_bytes())).collect();
    crate::formats::zip_store::stored_zip(&entries, now_ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::annotation::RelationId;
    use crate::domain::article::Article;
    use crate::domain::project::{new_relation, new_span, Edit};

    #[test]
    fn fragments_split_at_line_breaks() {
        assert_eq!(fragments("ab\ncd", 10), vec![(10, 12), (13, 15)]);
        assert_eq!(fragments("ab\n\n", 0), vec![(0, 2)]);
        assert_eq!(fragments("\n", 0), vec![]);
        assert_eq!(fragments("a\u{2028}🙂", 0), vec![(0, 1), (2, 3)]);
        assert_eq!(brat_name(" Check-worthy claim!? ", 60), "Check-worthy_claim");
        assert_eq!(brat_name("000_92a9.txt", 60), "000_92a9_txt");
    }

    #[test]
    fn ann_lines_match_the_text() {
        let mut project = Project::with_articles(vec![
            Article::new("First 🙂 line\nsecond line.", "", "a.txt"),
            Article::new("Other doc.", "", "a.md"),
        ]);
        let first = project.articles()[0].clone();
        let mut span = new_span(&project, SpanId::from("s1"), &first, 6, 19, &"quote".into(), 0).unwrap();
        span.attributes.insert("speaker".to_string(), "Joe\tBiden".to_string());
        span.attributes.insert("form".to_string(), "direct".to_string());
        project.apply(Edit::AddSpan(span), 0).unwrap();
        let claim = new_span(&project, SpanId::from("s2"), &first, 0, 5, &"claim".into(), 0).unwrap();
        project.apply(Edit::AddSpan(claim), 0).unwrap();
        let other = project.articles()[1].clone();
        let far = new_span(&project, SpanId::from("s3"), &other, 0, 5, &"claim".into(), 0).unwrap();
        project.apply(Edit::AddSpan(far), 0).unwrap();
        for (id, to) in [("r1", "s1"), ("r2", "s3")] {
            let mut relation =
                new_relation(&project, RelationId::from(id), &"supports".into(), "s2".into(), to.into(), 0);
            relation.note = "n".to_string();
            project.apply(Edit::AddRelation(relation), 0).unwrap();
        }
        let files: BTreeMap<String, String> = brat_files(&project).into_iter().into_map();
        assert_eq!(files["a.txt"], *first.text);
        let ann = &files["a.ann"];
        assert!(ann.contains("T2\tQuote 6 12;13 19\t🙂 line second\n"), "{ann}");
        assert!(ann.contains("T1\tClaim 0 5\tFirst\n"), "{ann}");
        assert!(ann.contains("\tform T2 direct\n"), "{ann}");
        assert!(ann.contains("AnnotatorNotes T2\tspeaker: Joe Biden\n"), "{ann}");
        assert!(ann.contains("R1\tsupports Arg1:T1 Arg2:T2\n"), "{ann}");
        assert!(ann.contains("AnnotatorNotes R1\tnote: n\n"), "{ann}");
        assert!(files.contains_key("a-2.ann"), "{:?}", files.keys());
        let cross = &files["cross_document_relations.tsv"];
        assert_eq!(cross.lines().count(), 2);
        assert!(cross.contains("r2\tsupports\t\tn\ta\tT1\ts2\t"), "{cross}");
        assert!(files["annotation.conf"].contains("verdict\tArg:Claim, Value:"), "{}", files["annotation.conf"]);
        let zip = to_brat_zip(&project, 1_711_375_387_120).unwrap();
        assert_eq!(&zip[..2], b"PK");
        assert_eq!(zip, to_brat_zip(&project, 1_711_375_387_120).unwrap(), "deterministic");
    }
}
