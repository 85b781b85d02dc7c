//! Anchoring a target in an article: position, then exact quote with context, then approximate match.

use super::*;
use super::{import::*, read::*};
use crate::domain::article::{Article, ArticleId};
use crate::domain::project::Project;
use crate::formats::common::{first_chars, iri_unescape, last_chars};
use serde_json::Value;

/// The selectors of a target that matter here.
pub(super) struct Selectors {
    pub(super) position: Option<(usize, usize)>,
    pub(super) exact: Option<String>,
    pub(super) prefix: String,
    pub(super) suffix: String,
}

pub(super) fn read_selectors(target: &Value) -> Selectors {
    let mut selectors = Selectors { position: None, exact: None, prefix: String::new(), suffix: String::new() };
    for selector in one_or_many(target.get("selector")) {
        let types = strings(selector.get("type"));
        if types.contains(&"TextPositionSelector") && selectors.position.is_none() {
            let start = selector.get("start").and_then(Value::as_u64).and_then(|value| usize::try_from(value).ok());
            let end = selector.get("end").and_then(Value::as_u64).and_then(|value| usize::try_from(value).ok());
            if let (Some(start), Some(end)) = (start, end) {
                selectors.position = Some((start, end));
            }
        } else if types.contains(&"TextQuoteSelector") && selectors.exact.is_none() {
            if let Some(exact) = selector.get("exact").and_then(Value::as_str) {
                selectors.exact = Some(exact.to_string());
                selectors.prefix = selector.get("prefix").and_then(Value::as_str).unwrap_or("").to_string();
                selectors.suffix = selector.get("suffix").and_then(Value::as_str).unwrap_or("").to_string();
            }
        }
    }
    selectors
}

pub(super) fn source_article<'p>(project: &'p Project, target: &Value) -> Result<&'p Article, String> {
    let source = match target.get("source") {
        Some(Value::String(iri)) => iri.as_str(),
        Some(Value::Object(resource)) => resource.get("id").and_then(Value::as_str).unwrap_or(""),
        _ => return Err("its target has no source document".to_string()),
    };
    if let Some(id) = source.strip_prefix(ARTICLE_IRI_PREFIX).and_then(iri_unescape) {
        if let Some(article) = project.article(&ArticleId::from(id)) {
            return Ok(article);
        }
    }
    if !source.is_empty() {
        if let Some(article) =
            project.articles().iter().find(|article| article.metadata.canonical_url == source || article.url == source)
        {
            return Ok(article);
        }
    }
    Err(format!("its document {source} is not in the project"))
}

/// Places a target in its article (see the module docs for the order of attempts).
pub(super) fn anchor_target(
    project: &Project,
    target: &Value,
    fuzzy_budget: &mut usize,
    quote_budget: &mut usize,
) -> Result<Anchor, String> {
    if target.is_string() {
        return Err("it targets a whole document, not a passage".to_string());
    }
    let article = source_article(project, target)?;
    let selectors = read_selectors(target);
    let make = |start, end, method| Anchor {
        article: article.id.clone(),
        start,
        end,
        old_start: selectors.position.map(|(start, _)| start),
        method,
    };
    if let Some((start, end)) = selectors.position {
        if start < end {
            if let Some(found) = article.slice(start, end) {
                if selectors.exact.as_deref().is_none_or(|exact| exact == found) {
                    return Ok(make(start, end, None));
                }
            }
        }
    }
    let Some(exact) = selectors.exact.as_deref().filter(|exact| !exact.is_empty()) else {
        return Err(match selectors.position {
            Some((start, end)) => format!("its position {start}..{end} is not inside the article and it has no quote"),
            None => "its target has no TextPositionSelector or TextQuoteSelector".to_string(),
        });
    };
    let old_start = selectors.position.map(|(start, _)| start);
    if let Some((start, end)) =
        find_quote(article, exact, &selectors.prefix, &selectors.suffix, old_start, quote_budget)
    {
        return Ok(make(start, end, Some(AnchorMethod::Quote)));
    }
    let quote_chars = exact.chars().count();
    let work = quote_chars.saturating_mul(article.char_len());
    let shown = first_chars(exact, 60);
    if quote_chars > FUZZY_MAX_QUOTE_CHARS || work > FUZZY_MAX_WORK {
        return Err(format!("its quote \"{shown}\" is not in the article (too long to search approximately)"));
    }
    if work > *fuzzy_budget {
        return Err(format!(
            "its quote \"{shown}\" is not in the article exactly, and this import's time for approximate search is spent"
        ));
    }
    *fuzzy_budget -= work;
    match find_fuzzy(article, exact, old_start) {
        Some((start, end, similarity)) => Ok(make(start, end, Some(AnchorMethod::Fuzzy { similarity }))),
        None => Err(format!("its quote \"{}\" is not in the article", first_chars(exact, 60))),
    }
}

/// Code points that `a` and `b` share at their ends (`from_end`) or starts.
pub(super) fn common_chars(a: &str, b: &str, from_end: bool) -> usize {
    if from_end {
        a.chars().rev().zip(b.chars().rev()).take_while(|(x, y)| x == y).count()
    } else {
        a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
    }
}

/// The best exact occurrence of `exact`: most context matched (up to [`SCORED_CONTEXT_CHARS`]
/// each side), then nearest `old_start`. Each occurrence scored costs `budget` its share; once
/// that is spent, the search stops at the first occurrence.
pub(super) fn find_quote(
    article: &Article,
    exact: &str,
    prefix: &str,
    suffix: &str,
    old_start: Option<usize>,
    budget: &mut usize,
) -> Option<(usize, usize)> {
    let text: &str = &article.text;
    let index = &article.layout().index;
    let exact_chars = exact.chars().count();
    let prefix = last_chars(prefix, SCORED_CONTEXT_CHARS);
    let suffix = first_chars(suffix, SCORED_CONTEXT_CHARS);
    // Finding the next overlapping occurrence re-reads the quote; scoring reads the context and
    // walks at most one checkpoint stride of the text index.
    let cost = exact.len() + prefix.len() + suffix.len() + 64;
    let mut best: Option<(usize, usize, usize)> = None; // (score, distance, start)
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|rest| rest.find(exact)) {
        let byte = from + found;
        let start = index.char_offset(text, byte);
        let before = &text[..byte];
        let after = text.get(byte + exact.len()..).unwrap_or("");
        let score = common_chars(before, prefix, true) + common_chars(after, suffix, false);
        let distance = old_start.map_or(0, |old| old.abs_diff(start));
        let better = match best {
            None => true,
            Some((best_score, best_distance, _)) => {
                score > best_score || (score == best_score && distance < best_distance)
            }
        };
        if better {
            best = Some((score, distance, start));
        }
        if *budget < cost {
            break;
        }
        *budget -= cost;
        // Step one code point, so that overlapping occurrences are seen too.
        from = byte + text[byte..].chars().next().map_or(1, char::len_utf8);
    }
    best.map(|(_, _, start)| (start, start + exact_chars))
}

/// The best approximate occurrence of `exact` (semi-global Levenshtein over code points), if
/// its similarity reaches [`FUZZY_THRESHOLD`]: `(start, end, similarity)`.
pub(super) fn find_fuzzy(article: &Article, exact: &str, old_start: Option<usize>) -> Option<(usize, usize, f64)> {
    let pattern: Vec<char> = exact.chars().collect();
    let text: Vec<char> = article.text.chars().collect();
    let (m, n) = (pattern.len(), text.len());
    if m == 0 || n == 0 || m > FUZZY_MAX_QUOTE_CHARS || m.saturating_mul(n) > FUZZY_MAX_WORK {
        return None;
    }
    // cost[i], start[i]: the cheapest alignment of pattern[..i] ending at the current column.
    let mut cost: Vec<usize> = (0..=m).collect();
    let mut start: Vec<usize> = vec![0; m + 1];
    // (cost, length difference, distance from the old start, start, end): lowest wins.
    let mut best: Option<(usize, usize, usize, usize, usize)> = None;
    for column in 1..=n {
        let mut diagonal_cost = cost[0];
        let mut diagonal_start = start[0];
        cost[0] = 0;
        start[0] = column;
        for row in 1..=m {
            let substitution = diagonal_cost + usize::from(pattern[row - 1] != text[column - 1]);
            let skip_text = cost[row] + 1;
            let skip_pattern = cost[row - 1] + 1;
            let (above_cost, above_start) = (cost[row], start[row]);
            let (new_cost, new_start) = if substitution <= skip_text && substitution <= skip_pattern {
                (substitution, diagonal_start)
            } else if skip_text <= skip_pattern {
                (skip_text, above_start)
            } else {
                (skip_pattern, start[row - 1])
            };
            diagonal_cost = above_cost;
            diagonal_start = above_start;
            cost[row] = new_cost;
            start[row] = new_start;
        }
        let (total, from) = (cost[m], start[m]);
        let key = (total, m.abs_diff(column - from), old_start.map_or(0, |old| old.abs_diff(from)));
        let better = best.is_none_or(|(cost, length, distance, _, _)| key < (cost, length, distance));
        if better && from < column {
            best = Some((key.0, key.1, key.2, from, column));
        }
    }
    let (total, _, _, from, to) = best?;
    let longer = m.max(to - from);
    let similarity = 1.0 - total as f64 / longer as f64;
    (similarity >= FUZZY_THRESHOLD).then_some((from, to, similarity))
}
