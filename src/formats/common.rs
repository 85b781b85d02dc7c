//! Small helpers shared by the dataset formats: ISO 8601 dates, IRI escaping, code-point
//! slicing and the names exports show for labels and link types.

use crate::domain::annotation::Span;
use crate::domain::project::Project;

/// The earliest instant an RFC 3339 timestamp can express (0000-01-01T00:00:00Z), in ms.
const MIN_MS: i64 = -62_167_219_200_000;
/// The latest instant an RFC 3339 timestamp can express (9999-12-31T23:59:59.999Z), in ms.
const MAX_MS: i64 = 253_402_300_799_999;

/// Formats milliseconds since the Unix epoch as an RFC 3339 / ISO 8601 UTC timestamp with
/// milliseconds, e.g. `2024-03-25T14:03:07.120Z`. Instants outside years 0–9999 are clamped.
pub fn iso8601_utc(ms: i64) -> String {
    let ms = ms.clamp(MIN_MS, MAX_MS);
    let days = ms.div_euclid(86_400_000);
    let ms_of_day = ms.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    let hour = ms_of_day / 3_600_000;
    let minute = ms_of_day / 60_000 % 60;
    let second = ms_of_day / 1_000 % 60;
    let millis = ms_of_day % 1_000;
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{millis:03}Z")
}

/// Parses an RFC 3339 timestamp (`YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]`, `T` or space) into
/// milliseconds since the Unix epoch. Fractions beyond milliseconds are truncated.
pub fn parse_iso8601(text: &str) -> Option<i64> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        if part.is_empty() || !part.bytes().all(|byte| byte.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    if bytes.len() < 19 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    if !matches!(bytes.get(10), Some(b'T' | b't' | b' '))
        || bytes.get(13) != Some(&b':')
        || bytes.get(16) != Some(&b':')
    {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    if !(1..=12).contains(&month) || !(1..=days_in_month(year, month)).contains(&day) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut position = 19;
    let mut millis = 0;
    if bytes.get(position) == Some(&b'.') {
        let fraction_start = position + 1;
        let mut fraction_end = fraction_start;
        while bytes.get(fraction_end).is_some_and(u8::is_ascii_digit) {
            fraction_end += 1;
        }
        if fraction_end == fraction_start {
            return None;
        }
        let fraction = text.get(fraction_start..fraction_end)?;
        let padded: String = fraction.chars().chain("000".chars()).take(3).collect();
        millis = padded.parse::<i64>().ok()?;
        position = fraction_end;
    }
    let offset_minutes = match text.get(position..)? {
        "Z" | "z" => 0,
        zone if zone.len() == 6 && (zone.starts_with('+') || zone.starts_with('-')) => {
            if zone.as_bytes().get(3) != Some(&b':') {
                return None;
            }
            let hours = digits(position + 1..position + 3)?;
            let minutes = digits(position + 4..position + 6)?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            sign * (hours * 60 + minutes)
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second.min(59) - offset_minutes * 60;
    Some(seconds * 1_000 + millis)
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A proleptic Gregorian date to days since 1970-01-01.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_index = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The calendar date and time of an instant, for file timestamps: (year, month, day, hour,
/// minute, second) in UTC.
pub fn utc_parts(ms: i64) -> (i64, i64, i64, i64, i64, i64) {
    let ms = ms.clamp(MIN_MS, MAX_MS);
    let days = ms.div_euclid(86_400_000);
    let seconds_of_day = ms.rem_euclid(86_400_000) / 1_000;
    let (year, month, day) = civil_from_days(days);
    (year, month, day, seconds_of_day / 3_600, seconds_of_day / 60 % 60, seconds_of_day % 60)
}

/// Appends `row` as one line of JSON Lines. Plain data with string keys always serialises.
pub fn push_json_line<T: serde::Serialize>(output: &mut String, row: &T) {
    output.push_str(&serde_json::to_string(row).unwrap_or_default());
    output.push('\n');
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so that any id can sit in an
/// IRI such as `urn:crosscheck:span:<id>` and still be a valid URI.
pub fn iri_escape(id: &str) -> String {
    let mut escaped = String::with_capacity(id.len());
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            escaped.push(char::from(byte));
        } else {
            escaped.push_str(&format!("%{byte:02X}"));
        }
    }
    escaped
}

/// Reverses [`iri_escape`]; `None` for a malformed escape or bytes that are not UTF-8.
pub fn iri_unescape(escaped: &str) -> Option<String> {
    let bytes = escaped.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if byte == b'%' {
            let hex = escaped.get(index + 1..index + 3)?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            decoded.push(byte);
            index += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

/// The name a dataset shows for a span's label: the label's current name, or its id when the
/// label is no longer in the schema.
pub fn label_name<'project>(project: &'project Project, span: &'project Span) -> &'project str {
    project.label(&span.label).map_or(span.label.as_str(), |label| label.name.as_str())
}

/// The last `count` code points of `text`.
pub fn last_chars(text: &str, count: usize) -> &str {
    match text.char_indices().rev().nth(count.saturating_sub(1)) {
        Some((byte, _)) if count > 0 => &text[byte..],
        _ if count == 0 => "",
        _ => text,
    }
}

/// The first `count` code points of `text`.
pub fn first_chars(text: &str, count: usize) -> &str {
    match text.char_indices().nth(count) {
        Some((byte, _)) => &text[..byte],
        None => text,
    }
}

/// The characters at which Python's `str.splitlines` breaks a line (and so brat, which reads
/// `.ann` files line by line).
pub fn is_line_break(character: char) -> bool {
    matches!(
        character,
        '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{1c}' | '\u{1d}' | '\u{1e}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Replaces tabs and every line break ([`is_line_break`]) with a space, for one-line fields
/// (TSV cells, brat notes).
pub fn one_line(text: &str) -> String {
    text.chars().map(|character| if character == '\t' || is_line_break(character) { ' ' } else { character }).collect()
}

/// One step of a path into a JSON document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JsonStep {
    Key(String),
    Index(usize),
}

/// The 1-based line where the value at `path` starts in `json`, for error messages about a
/// document that already parsed. `None` when the path is not there (or `json` is not valid).
pub fn json_line(json: &str, path: &[JsonStep]) -> Option<usize> {
    let bytes = json.as_bytes();
    let mut position = skip_whitespace(bytes, 0);
    for step in path {
        position = match step {
            JsonStep::Key(key) => member_value(json, position, key)?,
            JsonStep::Index(index) => array_element(bytes, position, *index)?,
        };
    }
    let before = bytes.get(..position)?;
    Some(before.iter().filter(|&&byte| byte == b'\n').count() + 1)
}

/// The offset of the value of `key` in the object starting at `open`.
fn member_value(json: &str, open: usize, key: &str) -> Option<usize> {
    let bytes = json.as_bytes();
    if bytes.get(open) != Some(&b'{') {
        return None;
    }
    let mut position = skip_whitespace(bytes, open + 1);
    loop {
        if bytes.get(position) != Some(&b'"') {
            return None;
        }
        let key_end = skip_value(bytes, position);
        let raw_key = json.get(position..key_end)?;
        let found: String = serde_json::from_str(raw_key).ok()?;
        position = skip_whitespace(bytes, key_end);
        if bytes.get(position) != Some(&b':') {
            return None;
        }
        position = skip_whitespace(bytes, position + 1);
        if found == key {
            return Some(position);
        }
        position = skip_whitespace(bytes, skip_value(bytes, position));
        if bytes.get(position) != Some(&b',') {
            return None;
        }
        position = skip_whitespace(bytes, position + 1);
    }
}

/// The offset of element `index` of the array starting at `open`.
fn array_element(bytes: &[u8], open: usize, index: usize) -> Option<usize> {
    if bytes.get(open) != Some(&b'[') {
        return None;
    }
    let mut position = skip_whitespace(bytes, open + 1);
    if bytes.get(position) == Some(&b']') {
        return None;
    }
    for _ in 0..index {
        position = skip_whitespace(bytes, skip_value(bytes, position));
        if bytes.get(position) != Some(&b',') {
            return None;
        }
        position = skip_whitespace(bytes, position + 1);
    }
    (position < bytes.len()).then_some(position)
}

fn skip_whitespace(bytes: &[u8], mut position: usize) -> usize {
    while bytes.get(position).is_some_and(|byte| matches!(byte, b' ' | b'\t' | b'\n' | b'\r')) {
        position += 1;
    }
    position
}

/// The offset just past the JSON value starting at `position`.
fn skip_value(bytes: &[u8], mut position: usize) -> usize {
    match bytes.get(position) {
        Some(b'"') => {
            position += 1;
            while let Some(&byte) = bytes.get(position) {
                position += 1;
                match byte {
                    b'\\' => position += 1,
                    b'"' => return position,
                    _ => {}
                }
            }
            position
        }
        Some(b'[' | b'{') => {
            let mut depth = 0usize;
            while let Some(&byte) = bytes.get(position) {
                match byte {
                    b'"' => {
                        position = skip_value(bytes, position);
                        continue;
                    }
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return position + 1;
                        }
                    }
                    _ => {}
                }
                position += 1;
            }
            position
        }
        _ => {
            while bytes
                .get(position)
                .is_some_and(|byte| !matches!(byte, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r'))
            {
                position += 1;
            }
            position
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_round_trip() {
        assert_eq!(iso8601_utc(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601_utc(1_711_375_387_120), "2024-03-25T14:03:07.120Z");
        assert_eq!(iso8601_utc(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(iso8601_utc(i64::MAX), "9999-12-31T23:59:59.999Z");
        assert_eq!(iso8601_utc(i64::MIN), "0000-01-01T00:00:00.000Z");
        for ms in [0, 1, -1, 951_782_400_000, 1_711_375_387_120, 4_102_444_800_000, MIN_MS, MAX_MS] {
            assert_eq!(parse_iso8601(&iso8601_utc(ms)), Some(ms), "{ms}");
        }
        assert_eq!(parse_iso8601("2024-03-25T16:03:07+02:00"), Some(1_711_375_387_000));
        assert_eq!(parse_iso8601("2024-03-25 14:03:07.1Z"), Some(1_711_375_387_100));
        for bad in ["", "2024-02-30T00:00:00Z", "2024-03-25T14:03:07", "yesterday", "2024-03-25T14:03:07.Z", "２０２４"]
        {
            assert_eq!(parse_iso8601(bad), None, "{bad}");
        }
    }

    #[test]
    fn iri_escaping_round_trips() {
        for id in ["s-lq3k9x-4f2a9c", "a b/c%d", "שלום🙂", ""] {
            let escaped = iri_escape(id);
            assert!(escaped.bytes().all(|byte| byte.is_ascii_graphic()));
            assert_eq!(iri_unescape(&escaped).as_deref(), Some(id));
        }
        assert_eq!(iri_unescape("%zz"), None);
        assert_eq!(iri_unescape("%"), None);
        assert_eq!(iri_unescape("%FF"), None);
    }

    #[test]
    fn json_paths_find_their_line() {
        let json = "{\"a\\\"b\": [1, \"]}\"],\n \"first\": {\"items\": [\n  {},\n  {\"x\": [\n1]}]}}";
        let key = |name: &str| JsonStep::Key(name.to_string());
        assert_eq!(json_line(json, &[]), Some(1));
        assert_eq!(json_line(json, &[key("first")]), Some(2));
        assert_eq!(json_line(json, &[key("first"), key("items"), JsonStep::Index(1)]), Some(4));
        assert_eq!(
            json_line(json, &[key("first"), key("items"), JsonStep::Index(1), key("x"), JsonStep::Index(0)]),
            Some(5)
        );
        assert_eq!(json_line(json, &[key("first"), key("items"), JsonStep::Index(2)]), None);
        assert_eq!(json_line(json, &[key("a\"b"), JsonStep::Index(1)]), Some(1));
        assert_eq!(json_line(json, &[key("missing")]), None);
        assert_eq!(json_line("[", &[JsonStep::Index(3)]), None);
        assert_eq!(json_line("", &[key("x")]), None);
    }

    #[test]
    fn char_windows() {
        assert_eq!(last_chars("ab🙂c", 2), "🙂c");
        assert_eq!(last_chars("ab", 5), "ab");
        assert_eq!(last_chars("ab", 0), "");
        assert_eq!(first_chars("🙂bc", 2), "🙂b");
        assert_eq!(first_chars("ab", 5), "ab");
        assert_eq!(one_line("a\tb\r\nc\u{2028}d"), "a b  c d");
    }
}
