//! Word lists the suggesters share: speech cue verbs, titles and roles, organisation words,
//! number words and stopwords.
//!
//! The lists describe how news English attributes speech and states quantities in general; none
//! of them is drawn from a particular article. The lists are kept sorted (a unit test checks the
//! order) for whoever edits them; lookups go through one hash table built on first use.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Verbs (in any inflection) that introduce or close reported speech: "said", "told", "wrote".
const CUE_VERBS: &[&str] = &[
    "accuse",
    "accused",
    "accuses",
    "accusing",
    "acknowledge",
    "acknowledged",
    "acknowledges",
    "add",
    "added",
    "adding",
    "adds",
    "admit",
    "admits",
    "admitted",
    "admitting",
    "announce",
    "announced",
    "announces",
    "answer",
    "answered",
    "answers",
    "argue",
    "argued",
    "argues",
    "arguing",
    "ask",
    "asked",
    "asking",
    "asks",
    "assert",
    "asserted",
    "asserts",
    "call",
    "called",
    "calling",
    "calls",
    "claim",
    "claimed",
    "claiming",
    "claims",
    "comment",
    "commented",
    "complain",
    "complained",
    "complains",
    "concede",
    "conceded",
    "concedes",
    "confirm",
    "confirmed",
    "confirms",
    "continue",
    "continued",
    "continues",
    "criticise",
    "criticised",
    "criticize",
    "criticized",
    "declare",
    "declared",
    "declares",
    "demand",
    "demanded",
    "demanding",
    "demands",
    "denied",
    "denies",
    "deny",
    "describe",
    "described",
    "describes",
    "describing",
    "emphasise",
    "emphasised",
    "emphasize",
    "emphasized",
    "exclaimed",
    "explain",
    "explained",
    "explains",
    "expressed",
    "insist",
    "insisted",
    "insisting",
    "insists",
    "maintain",
    "maintained",
    "maintains",
    "note",
    "noted",
    "notes",
    "noting",
    "observed",
    "posted",
    "predicted",
    "pressed",
    "promise",
    "promised",
    "promises",
    "quipped",
    "recalled",
    "recalls",
    "reiterate",
    "reiterated",
    "reiterates",
    "remarked",
    "replied",
    "replies",
    "reply",
    "respond",
    "responded",
    "responds",
    "reveal",
    "revealed",
    "reveals",
    "said",
    "say",
    "saying",
    "says",
    "shouted",
    "state",
    "stated",
    "states",
    "stressed",
    "stresses",
    "suggested",
    "tell",
    "telling",
    "tells",
    "testified",
    "told",
    "tweeted",
    "urge",
    "urged",
    "urges",
    "urging",
    "vow",
    "vowed",
    "vows",
    "warn",
    "warned",
    "warning",
    "warns",
    "write",
    "writes",
    "writing",
    "wrote",
];

/// Cue verbs that only introduce speech when something is quoted right after them or they close
/// a quote ("it continued"); they are too common elsewhere to open a subject search.
const WEAK_CUE_VERBS: &[&str] = &["call", "calling", "calls", "continue", "continues", "state", "states"];

/// Honorifics: they mark a person and are not part of the name.
const HONORIFICS: &[&str] = &[
    "dame", "dr", "dr.", "lady", "lord", "m.", "miss", "mme", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "mx", "prof",
    "prof.", "sir",
];

/// Title and role nouns that may precede or describe a named person ("spokesman John Kirby").
const TITLES_AND_ROLES: &[&str] = &[
    "adviser",
    "advisers",
    "advisor",
    "aide",
    "ambassador",
    "analyst",
    "archbishop",
    "attorney",
    "bishop",
    "capt.",
    "captain",
    "ceo",
    "chair",
    "chairman",
    "chairwoman",
    "chancellor",
    "chief",
    "col.",
    "colonel",
    "commander",
    "commissioner",
    "congressman",
    "congresswoman",
    "correspondent",
    "councillor",
    "councilman",
    "councilor",
    "councilwoman",
    "counterpart",
    "delegate",
    "deputy",
    "diplomat",
    "director",
    "economist",
    "editor",
    "envoy",
    "epidemiologist",
    "executive",
    "founder",
    "gen.",
    "general",
    "gov.",
    "governor",
    "head",
    "imam",
    "inspector",
    "interviewer",
    "judge",
    "justice",
    "king",
    "lawmaker",
    "lawyer",
    "leader",
    "lieutenant",
    "manager",
    "marshal",
    "mayor",
    "member",
    "minister",
    "negotiator",
    "nephew",
    "niece",
    "officer",
    "official",
    "officials",
    "pope",
    "prefect",
    "premier",
    "presenter",
    "president",
    "president-elect",
    "prince",
    "princess",
    "professor",
    "prosecutor",
    "queen",
    "rabbi",
    "rep.",
    "reporter",
    "representative",
    "researcher",
    "secretary",
    "secretary-general",
    "sen.",
    "senator",
    "sergeant",
    "sheikh",
    "sheriff",
    "speaker",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "superintendent",
    "teacher",
    "treasurer",
    "vice",
];

/// Lower-case words that may sit inside a title before the role noun ("national security adviser").
const TITLE_MODIFIERS: &[&str] = &[
    "acting",
    "assistant",
    "associate",
    "chief",
    "defence",
    "defense",
    "deputy",
    "economy",
    "finance",
    "fire",
    "foreign",
    "former",
    "health",
    "interim",
    "interior",
    "justice",
    "managing",
    "military",
    "national",
    "opposition",
    "parliamentary",
    "police",
    "press",
    "prime",
    "regional",
    "security",
    "senior",
    "special",
    "state",
    "top",
    "trade",
    "transport",
    "union",
];

/// Words that make a capitalised run an organisation or a place rather than a person.
const ORGANISATION_WORDS: &[&str] = &[
    "administration",
    "agency",
    "airport",
    "army",
    "assembly",
    "association",
    "authority",
    "bank",
    "brigade",
    "cabinet",
    "centre",
    "chamber",
    "channel",
    "charter",
    "city",
    "club",
    "coalition",
    "college",
    "command",
    "commission",
    "committee",
    "company",
    "congress",
    "corporation",
    "council",
    "county",
    "court",
    "defence",
    "defense",
    "department",
    "district",
    "east",
    "embassy",
    "federation",
    "force",
    "forces",
    "foundation",
    "front",
    "fund",
    "government",
    "group",
    "guard",
    "hospital",
    "house",
    "inc",
    "institute",
    "island",
    "kingdom",
    "ltd",
    "media",
    "ministry",
    "mission",
    "movement",
    "nations",
    "navy",
    "network",
    "news",
    "north",
    "office",
    "organisation",
    "organization",
    "parliament",
    "party",
    "police",
    "post",
    "prefecture",
    "press",
    "republic",
    "river",
    "school",
    "sea",
    "senate",
    "service",
    "services",
    "south",
    "square",
    "state",
    "states",
    "street",
    "strip",
    "territories",
    "times",
    "union",
    "university",
    "valley",
    "west",
];

/// Nouns that make "X's <noun>" a speaker in its own right ("Netanyahu's office said").
const SPEAKER_HEAD_NOUNS: &[&str] = &[
    "administration",
    "army",
    "cabinet",
    "campaign",
    "government",
    "lawyer",
    "lawyers",
    "military",
    "ministry",
    "office",
    "press",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "statement",
    "team",
];

/// Nouns that stand for a document or an institution quoted as a speaker ("the resolution demands").
const DOCUMENT_NOUNS: &[&str] = &[
    "agreement",
    "bill",
    "communique",
    "declaration",
    "document",
    "letter",
    "memo",
    "motion",
    "order",
    "post",
    "report",
    "resolution",
    "ruling",
    "statement",
    "text",
    "tweet",
    "verdict",
];

/// Capitalised words that start sentences or headlines but never begin a name.
const CAPITALISED_FUNCTION_WORDS: &[&str] = &[
    "a",
    "according",
    "after",
    "again",
    "also",
    "although",
    "an",
    "and",
    "another",
    "any",
    "as",
    "asked",
    "at",
    "because",
    "before",
    "both",
    "but",
    "by",
    "despite",
    "during",
    "each",
    "even",
    "every",
    "for",
    "from",
    "further",
    "he",
    "her",
    "here",
    "his",
    "however",
    "i",
    "if",
    "in",
    "initially",
    "instead",
    "it",
    "its",
    "just",
    "last",
    "later",
    "let",
    "many",
    "meanwhile",
    "more",
    "most",
    "my",
    "no",
    "not",
    "now",
    "of",
    "on",
    "once",
    "one",
    "only",
    "or",
    "our",
    "over",
    "related",
    "separately",
    "she",
    "since",
    "so",
    "some",
    "still",
    "than",
    "that",
    "the",
    "their",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "to",
    "today",
    "tomorrow",
    "under",
    "unless",
    "until",
    "updated",
    "we",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "why",
    "with",
    "without",
    "yesterday",
    "yet",
    "you",
    "your",
];

/// Words that may stand between a subject and its speech verb ("has also said").
const BETWEEN_SUBJECT_AND_VERB: &[&str] = &[
    "again",
    "already",
    "also",
    "briefly",
    "did",
    "earlier",
    "finally",
    "firmly",
    "had",
    "has",
    "have",
    "initially",
    "is",
    "just",
    "later",
    "meanwhile",
    "never",
    "not",
    "once",
    "openly",
    "previously",
    "privately",
    "publicly",
    "quickly",
    "repeatedly",
    "reportedly",
    "separately",
    "sharply",
    "simply",
    "still",
    "strongly",
    "then",
    "was",
    "were",
    "will",
    "would",
];

/// Time words that form a prepositional phrase to skip between a subject and its verb.
const TIME_WORDS: &[&str] = &[
    "april",
    "august",
    "december",
    "evening",
    "february",
    "friday",
    "january",
    "july",
    "june",
    "march",
    "may",
    "monday",
    "morning",
    "night",
    "november",
    "october",
    "saturday",
    "september",
    "sunday",
    "thursday",
    "today",
    "tonight",
    "tuesday",
    "wednesday",
    "week",
    "weekend",
    "yesterday",
];

/// Month names, for dates.
const MONTHS: &[&str] = &[
    "apr",
    "apr.",
    "april",
    "aug",
    "aug.",
    "august",
    "dec",
    "dec.",
    "december",
    "feb",
    "feb.",
    "february",
    "jan",
    "jan.",
    "january",
    "jul",
    "july",
    "jun",
    "june",
    "mar",
    "mar.",
    "march",
    "may",
    "nov",
    "nov.",
    "november",
    "oct",
    "oct.",
    "october",
    "sep",
    "sep.",
    "sept",
    "sept.",
    "september",
];

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "adm", "capt", "co", "col", "corp", "dr", "e.g", "etc", "gen", "gov", "i.e", "inc", "jr", "lt", "ltd", "messrs",
    "mr", "mrs", "ms", "no", "nos", "prof", "rep", "rev", "sen", "sgt", "sr", "st", "vs",
];

/// Capitalised words that usually begin a new sentence after an abbreviation such as "U.S.".
const SENTENCE_STARTERS: &[&str] = &[
    "a", "after", "an", "and", "as", "at", "but", "for", "he", "her", "his", "however", "i", "in", "it", "its", "on",
    "our", "she", "that", "the", "their", "there", "these", "they", "this", "those", "we", "when", "while",
];

/// English stopwords, ignored when comparing statements.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "even",
    "every",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "let",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "said",
    "same",
    "says",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "you",
    "your",
    "yours",
];

/// Cardinal number words and their values.
const CARDINALS: &[(&str, f64)] = &[
    ("eight", 8.0),
    ("eighteen", 18.0),
    ("eighty", 80.0),
    ("eleven", 11.0),
    ("fifteen", 15.0),
    ("fifty", 50.0),
    ("five", 5.0),
    ("forty", 40.0),
    ("four", 4.0),
    ("fourteen", 14.0),
    ("nine", 9.0),
    ("nineteen", 19.0),
    ("ninety", 90.0),
    ("one", 1.0),
    ("seven", 7.0),
    ("seventeen", 17.0),
    ("seventy", 70.0),
    ("six", 6.0),
    ("sixteen", 16.0),
    ("sixty", 60.0),
    ("ten", 10.0),
    ("thirteen", 13.0),
    ("thirty", 30.0),
    ("three", 3.0),
    ("twelve", 12.0),
    ("twenty", 20.0),
    ("two", 2.0),
];

/// Ordinal number words and their values.
const ORDINALS: &[(&str, f64)] = &[
    ("eighth", 8.0),
    ("eleventh", 11.0),
    ("fifth", 5.0),
    ("first", 1.0),
    ("fourth", 4.0),
    ("ninth", 9.0),
    ("second", 2.0),
    ("seventh", 7.0),
    ("sixth", 6.0),
    ("tenth", 10.0),
    ("third", 3.0),
    ("twelfth", 12.0),
    ("twentieth", 20.0),
];

/// Words that multiply the number before them.
const MULTIPLIERS: &[(&str, f64)] = &[
    ("billion", 1e9),
    ("bn", 1e9),
    ("dozen", 12.0),
    ("hundred", 100.0),
    ("million", 1e6),
    ("thousand", 1e3),
    ("trillion", 1e12),
];

/// Plural quantity words used vaguely ("hundreds of hostages"), with the smallest value meant.
const VAGUE_QUANTITIES: &[(&str, f64)] = &[
    ("billions", 1e9),
    ("dozens", 24.0),
    ("hundreds", 200.0),
    ("millions", 2e6),
    ("scores", 40.0),
    ("tens", 20.0),
    ("thousands", 2000.0),
];

/// Time units, which make a number a duration.
const TIME_UNITS: &[&str] = &[
    "century", "day", "days", "decade", "decades", "hour", "hours", "minute", "minutes", "month", "months", "night",
    "nights", "round", "rounds", "second", "seconds", "term", "terms", "time", "times", "week", "weeks", "year",
    "years",
];

/// Nouns for people in general, which count as the same unit as one another and as any
/// capitalised plural demonym ("Palestinians").
const GENERIC_PEOPLE_NOUNS: &[&str] =
    &["adults", "civilians", "individuals", "inhabitants", "people", "persons", "population", "residents"];

/// Participles that, right after a number, mean "people who were …" ("100,000 killed").
const PEOPLE_PARTICIPLES: &[&str] =
    &["arrested", "dead", "detained", "displaced", "evacuated", "injured", "killed", "maimed", "missing", "wounded"];

/// Bits of [`flags`]: one per word list above.
pub const CUE: u32 = 1 << 0;
pub const WEAK_CUE: u32 = 1 << 1;
pub const HONORIFIC: u32 = 1 << 2;
pub const TITLE: u32 = 1 << 3;
pub const MODIFIER: u32 = 1 << 4;
pub const ORGANISATION: u32 = 1 << 5;
pub const HEAD_NOUN: u32 = 1 << 6;
pub const DOCUMENT: u32 = 1 << 7;
pub const CAPITALISED_FUNCTION: u32 = 1 << 8;
pub const BETWEEN: u32 = 1 << 9;
pub const TIME_WORD: u32 = 1 << 10;
pub const MONTH: u32 = 1 << 11;
pub const ABBREVIATION: u32 = 1 << 12;
pub const SENTENCE_STARTER: u32 = 1 << 13;
pub const STOPWORD: u32 = 1 << 14;
pub const TIME_UNIT: u32 = 1 << 15;
pub const GENERIC_PEOPLE: u32 = 1 << 16;
pub const PEOPLE_PARTICIPLE: u32 = 1 << 17;

/// Every listed word with the bits of the lists it is in, built once.
fn table() -> &'static HashMap<&'static str, u32> {
    static TABLE: OnceLock<HashMap<&'static str, u32>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let lists: [(&[&str], u32); 18] = [
            (CUE_VERBS, CUE),
            (WEAK_CUE_VERBS, WEAK_CUE),
            (HONORIFICS, HONORIFIC),
            (TITLES_AND_ROLES, TITLE),
            (TITLE_MODIFIERS, MODIFIER),
            (ORGANISATION_WORDS, ORGANISATION),
            (SPEAKER_HEAD_NOUNS, HEAD_NOUN),
            (DOCUMENT_NOUNS, DOCUMENT),
            (CAPITALISED_FUNCTION_WORDS, CAPITALISED_FUNCTION),
            (BETWEEN_SUBJECT_AND_VERB, BETWEEN),
            (TIME_WORDS, TIME_WORD),
            (MONTHS, MONTH),
            (ABBREVIATIONS, ABBREVIATION),
            (SENTENCE_STARTERS, SENTENCE_STARTER),
            (STOPWORDS, STOPWORD),
            (TIME_UNITS, TIME_UNIT),
            (GENERIC_PEOPLE_NOUNS, GENERIC_PEOPLE),
            (PEOPLE_PARTICIPLES, PEOPLE_PARTICIPLE),
        ];
        let mut table: HashMap<&'static str, u32> = HashMap::new();
        for (list, bit) in lists {
            for word in list {
                *table.entry(word).or_default() |= bit;
            }
        }
        table
    })
}

/// The lists a lower-case word is in, as bits: one hash lookup answers every `is_…` question,
/// and the tokenizer stores the answer on each word.
pub fn flags(lower: &str) -> u32 {
    table().get(lower).copied().unwrap_or(0)
}

fn value_of(list: &[(&str, f64)], word: &str) -> Option<f64> {
    list.binary_search_by(|(entry, _)| entry.cmp(&word)).ok().map(|index| list[index].1)
}

pub fn is_cue_verb(lower: &str) -> bool {
    flags(lower) & CUE != 0
}

pub fn is_weak_cue_verb(lower: &str) -> bool {
    flags(lower) & WEAK_CUE != 0
}

pub fn is_honorific(lower: &str) -> bool {
    flags(lower) & HONORIFIC != 0
}

pub fn is_title_or_role(lower: &str) -> bool {
    flags(lower) & TITLE != 0
}

pub fn is_title_modifier(lower: &str) -> bool {
    flags(lower) & MODIFIER != 0
}

pub fn is_organisation_word(lower: &str) -> bool {
    flags(lower) & ORGANISATION != 0
}

pub fn is_speaker_head_noun(lower: &str) -> bool {
    flags(lower) & HEAD_NOUN != 0
}

pub fn is_document_noun(lower: &str) -> bool {
    flags(lower) & DOCUMENT != 0
}

pub fn is_capitalised_function_word(lower: &str) -> bool {
    flags(lower) & CAPITALISED_FUNCTION != 0
}

pub fn is_between_subject_and_verb(lower: &str) -> bool {
    flags(lower) & BETWEEN != 0
}

pub fn is_time_word(lower: &str) -> bool {
    flags(lower) & TIME_WORD != 0
}

pub fn is_month(lower: &str) -> bool {
    flags(lower) & MONTH != 0
}

pub fn is_abbreviation(lower: &str) -> bool {
    flags(lower) & ABBREVIATION != 0
}

pub fn is_sentence_starter(lower: &str) -> bool {
    flags(lower) & SENTENCE_STARTER != 0
}

pub fn is_stopword(lower: &str) -> bool {
    flags(lower) & STOPWORD != 0
}

pub fn cardinal_value(lower: &str) -> Option<f64> {
    value_of(CARDINALS, lower)
}

pub fn ordinal_value(lower: &str) -> Option<f64> {
    value_of(ORDINALS, lower)
}

pub fn multiplier_value(lower: &str) -> Option<f64> {
    value_of(MULTIPLIERS, lower)
}

pub fn vague_quantity_value(lower: &str) -> Option<f64> {
    value_of(VAGUE_QUANTITIES, lower)
}

pub fn is_time_unit(lower: &str) -> bool {
    flags(lower) & TIME_UNIT != 0
}

pub fn is_generic_people_noun(lower: &str) -> bool {
    flags(lower) & GENERIC_PEOPLE != 0
}

pub fn is_people_participle(lower: &str) -> bool {
    flags(lower) & PEOPLE_PARTICIPLE != 0
}

/// Subject pronouns that a speaker can be referred to by, with whether they mean a person.
pub fn pronoun_kind(lower: &str) -> Option<PronounKind> {
    match lower {
        "he" | "she" => Some(PronounKind::Person),
        "it" | "they" => Some(PronounKind::Institution),
        "i" | "we" => Some(PronounKind::FirstPerson),
        _ => None,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PronounKind {
    Person,
    Institution,
    FirstPerson,
}

/// Whether a lower-case word is a determiner that may open a noun phrase.
pub fn is_determiner(lower: &str) -> bool {
    matches!(lower, "the" | "a" | "an" | "one" | "another" | "its" | "his" | "her" | "their" | "our" | "this" | "that")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_is_sorted_for_binary_search() {
        let lists: &[(&str, &[&str])] = &[
            ("CUE_VERBS", CUE_VERBS),
            ("WEAK_CUE_VERBS", WEAK_CUE_VERBS),
            ("HONORIFICS", HONORIFICS),
            ("TITLES_AND_ROLES", TITLES_AND_ROLES),
            ("TITLE_MODIFIERS", TITLE_MODIFIERS),
            ("ORGANISATION_WORDS", ORGANISATION_WORDS),
            ("SPEAKER_HEAD_NOUNS", SPEAKER_HEAD_NOUNS),
            ("DOCUMENT_NOUNS", DOCUMENT_NOUNS),
            ("CAPITALISED_FUNCTION_WORDS", CAPITALISED_FUNCTION_WORDS),
            ("BETWEEN_SUBJECT_AND_VERB", BETWEEN_SUBJECT_AND_VERB),
            ("TIME_WORDS", TIME_WORDS),
            ("MONTHS", MONTHS),
            ("ABBREVIATIONS", ABBREVIATIONS),
            ("SENTENCE_STARTERS", SENTENCE_STARTERS),
            ("STOPWORDS", STOPWORDS),
            ("TIME_UNITS", TIME_UNITS),
            ("GENERIC_PEOPLE_NOUNS", GENERIC_PEOPLE_NOUNS),
            ("PEOPLE_PARTICIPLES", PEOPLE_PARTICIPLES),
        ];
        for (name, list) in lists {
            for pair in list.windows(2) {
                assert!(pair[0] < pair[1], "{name} is not sorted at {:?}", pair);
            }
        }
        let valued: &[(&str, &[(&str, f64)])] = &[
            ("CARDINALS", CARDINALS),
            ("ORDINALS", ORDINALS),
            ("MULTIPLIERS", MULTIPLIERS),
            ("VAGUE_QUANTITIES", VAGUE_QUANTITIES),
        ];
        for (name, list) in valued {
            for pair in list.windows(2) {
                assert!(pair[0].0 < pair[1].0, "{name} is not sorted at {:?}", pair);
            }
        }
    }

    #[test]
    fn lookups() {
        assert!(is_cue_verb("said") && is_cue_verb("told") && !is_cue_verb("the"));
        assert_eq!(cardinal_value("forty"), Some(40.0));
        assert_eq!(ordinal_value("sixth"), Some(6.0));
        assert!(is_title_or_role("spokesman") && is_honorific("mr"));
        assert_eq!(pronoun_kind("she"), Some(PronounKind::Person));
    }
}
