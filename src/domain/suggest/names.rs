//! Names and noun phrases: who a stretch of words refers to.
//!
//! [`parse_noun_phrase`] reads the words that stand where a speaker stands ("National Security
//! Council spokesman John Kirby", "Netanyahu's office", "the ambassador", "he") and says what they
//! are: a person (the name without its title), an organisation, a role, a document or a pronoun.
//! The [`Registry`] collects the people named in an article so that "Kirby" and "Mr Kirby" become
//! "John Kirby", and so that "the ambassador" can find the ambassador named earlier.

use std::collections::{BTreeSet, HashMap};

use crate::domain::suggest::lexicon::{self, PronounKind};
use crate::domain::suggest::tokens::{Token, TokenKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MentionKind {
    Person,
    Organisation,
    /// A title or role without a name: "the ambassador", "a reporter", "US Vice President".
    Role {
        definite: bool,
    },
    /// A document quoted as a speaker: "the resolution", "the statement".
    Document,
    Pronoun(PronounKind),
    /// A single capitalised word that may be a person, a country or a group.
    Unknown,
}

/// What a noun phrase names, with the code points of the part a Speaker span should cover.
#[derive(Clone, Debug, PartialEq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub kind: MentionKind,
    /// The name (for a person), or the phrase as written (organisation, role, document).
    pub text: String,
    /// The name's words in lower case (persons and unknowns).
    pub name_words: Vec<String>,
    /// Title and role words in lower case ("prime", "minister").
    pub titles: Vec<String>,
}

fn is_acronym(token: &Token) -> bool {
    let letters: Vec<char> = token.text.chars().filter(|character| *character != '.').collect();
    letters.len() >= 2 && letters.iter().all(|character| character.is_uppercase())
}

fn is_title_like(token: &Token) -> bool {
    token.has(lexicon::TITLE) || token.has(lexicon::MODIFIER)
}

fn is_organisation_like(token: &Token) -> bool {
    token.has(lexicon::ORGANISATION) || is_acronym(token)
}

fn is_connector(lower: &str) -> bool {
    matches!(lower, "of" | "to" | "for" | "the")
}

/// Whether a word can be part of a noun phrase naming a speaker.
pub fn is_noun_phrase_word(token: &Token) -> bool {
    if token.kind != TokenKind::Word {
        return false;
    }
    let lower = token.lower.as_str();
    if token.is_capitalised() {
        return !token.has(lexicon::CAPITALISED_FUNCTION) || matches!(lower, "the" | "a" | "an" | "one" | "another");
    }
    lexicon::is_determiner(lower) && lower != "that"
        || lower == "such"
        || token.has(
            lexicon::TITLE
                | lexicon::MODIFIER
                | lexicon::ORGANISATION
                | lexicon::HEAD_NOUN
                | lexicon::DOCUMENT
                | lexicon::HONORIFIC,
        )
        || lexicon::ordinal_value(lower).is_some()
        || is_connector(lower)
}

fn text_of(chars: &[char], start: usize, end: usize) -> String {
    chars[start.min(chars.len())..end.min(chars.len())].iter().collect()
}

fn rank(kind: MentionKind) -> u8 {
    match kind {
        MentionKind::Person => 6,
        MentionKind::Pronoun(_) => 5,
        MentionKind::Organisation => 4,
        MentionKind::Document => 3,
        MentionKind::Role { .. } => 2,
        MentionKind::Unknown => 1,
    }
}

/// Reads a noun phrase (possibly with comma-separated appositives: "the chamber's director, Paul
/// Ibsen") and returns what it names, preferring a person's name over a role or organisation.
pub fn parse_noun_phrase(chars: &[char], tokens: &[Token]) -> Option<Mention> {
    let mut best: Option<Mention> = None;
    let mut role_titles: Vec<String> = Vec::new();
    for part in tokens.split(|token| token.is_punct(',') || token.is_punct('(') || token.is_punct(')')) {
        let Some(mention) = parse_part(chars, part) else { continue };
        if matches!(mention.kind, MentionKind::Role { .. }) {
            role_titles.extend(mention.titles.iter().cloned());
        }
        let better = best.as_ref().is_none_or(|current| rank(mention.kind) > rank(current.kind));
        if better {
            best = Some(mention);
        }
    }
    if let Some(mention) = best.as_mut() {
        if mention.kind == MentionKind::Person {
            for title in role_titles {
                if !mention.titles.contains(&title) {
                    mention.titles.push(title);
                }
            }
        }
    }
    best
}

/// Parses one comma-free part of a noun phrase.
fn parse_part(chars: &[char], part: &[Token]) -> Option<Mention> {
    let words: Vec<&Token> = part.iter().filter(|token| token.kind == TokenKind::Word).collect();
    if words.is_empty() || words.len() != part.iter().filter(|token| token.kind != TokenKind::Punct).count() {
        return None;
    }
    if words.len() == 1 {
        if let Some(pronoun) = lexicon::pronoun_kind(&words[0].lower) {
            return Some(Mention {
                start: words[0].start,
                end: words[0].end,
                kind: MentionKind::Pronoun(pronoun),
                text: words[0].text.clone(),
                name_words: Vec::new(),
                titles: Vec::new(),
            });
        }
    }
    let mut first = 0;
    let mut definite = false;
    let mut honorific = false;
    while first < words.len() {
        let lower = words[first].lower.as_str();
        if lower == "the" {
            definite = true;
        } else if words[first].has(lexicon::HONORIFIC) {
            honorific = true;
        } else if !(lexicon::is_determiner(lower) || lower == "such") {
            break;
        }
        first += 1;
    }
    let words = &words[first..];
    if words.is_empty() {
        return None;
    }
    // "Netanyahu's office", "the ministry's spokesman": the possessor's institution speaks.
    if let Some(position) = words.iter().position(|word| word.possessive) {
        if position + 2 == words.len() && words[position + 1].has(lexicon::HEAD_NOUN) {
            let start = words.iter().position(|word| !word.has(lexicon::HONORIFIC)).unwrap_or(0);
            let start_offset = words[start].start;
            let end_offset = words[position + 1].end;
            return Some(Mention {
                start: start_offset,
                end: end_offset,
                kind: MentionKind::Organisation,
                text: text_of(chars, start_offset, end_offset),
                name_words: Vec::new(),
                titles: vec![words[position + 1].lower.clone()],
            });
        }
    }
    let last = words[words.len() - 1];
    if last.has(lexicon::DOCUMENT)
        && !last.is_capitalised()
        && words.iter().all(|word| !word.is_capitalised() || word.has(lexicon::CAPITALISED_FUNCTION))
    {
        return Some(Mention {
            start: last.start,
            end: last.end,
            kind: MentionKind::Document,
            text: format!("the {}", last.lower),
            name_words: Vec::new(),
            titles: Vec::new(),
        });
    }
    // The name is the run of capitalised words at the end that are not titles or institutions.
    let mut name_start = words.len();
    while name_start > 0 {
        let word = words[name_start - 1];
        let is_name_word = word.is_capitalised()
            && !is_title_like(word)
            && !is_organisation_like(word)
            && !word.has(lexicon::HONORIFIC)
            && !word.has(lexicon::CAPITALISED_FUNCTION)
            && !word.has(lexicon::CUE)
            && !word.has(lexicon::TIME_WORD)
            && (name_start == words.len() || !word.possessive);
        if !is_name_word {
            break;
        }
        name_start -= 1;
    }
    let before_name = &words[..name_start];
    let complement = before_name.last().is_some_and(|word| is_connector(&word.lower));
    let has_title = before_name.iter().any(|word| is_title_like(word)) || honorific;
    let titles: Vec<String> = before_name
        .iter()
        .filter(|word| is_title_like(word) || is_organisation_like(word) || word.is_capitalised())
        .filter(|word| !is_connector(&word.lower))
        .map(|word| word.lower.clone())
        .collect();
    if name_start < words.len() && !complement {
        let name = &words[name_start..];
        let start = name[0].start;
        let end = name[name.len() - 1].end;
        let kind = if name.len() >= 2 || has_title { MentionKind::Person } else { MentionKind::Unknown };
        return Some(Mention {
            start,
            end,
            kind,
            text: text_of(chars, start, end),
            name_words: name.iter().map(|word| word.lower.clone()).collect(),
            titles,
        });
    }
    let start = words[0].start;
    let end = last.end;
    if words.iter().any(|word| is_title_like(word)) {
        return Some(Mention {
            start,
            end,
            kind: MentionKind::Role { definite: definite || words[0].is_capitalised() },
            text: text_of(chars, if definite { part[0].start.min(start) } else { start }, end),
            name_words: Vec::new(),
            titles: words.iter().filter(|word| !is_connector(&word.lower)).map(|word| word.lower.clone()).collect(),
        });
    }
    // "the tenant", "a witness": an unnamed speaker described by a common noun.
    if first > 0 && !last.is_capitalised() && !last.has(lexicon::STOPWORD) && !is_organisation_like(last) {
        return Some(Mention {
            start,
            end,
            kind: MentionKind::Role { definite },
            text: text_of(chars, if definite { part[0].start.min(start) } else { start }, end),
            name_words: Vec::new(),
            titles: Vec::new(),
        });
    }
    if words.iter().any(|word| word.is_capitalised()) {
        return Some(Mention {
            start,
            end,
            kind: MentionKind::Organisation,
            text: text_of(chars, start, end),
            name_words: Vec::new(),
            titles: Vec::new(),
        });
    }
    None
}

/// Token ranges of the noun phrases in a sentence that may name someone: capitalised runs with
/// their titles ("Prime Minister Benjamin Netanyahu", "spokesman John Kirby", "Mr Kirby").
pub fn name_chunks(tokens: &[Token]) -> Vec<(usize, usize)> {
    let mut chunks = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        let token = &tokens[index];
        let starts = token.kind == TokenKind::Word
            && ((token.is_capitalised() && !token.has(lexicon::CAPITALISED_FUNCTION) && !token.has(lexicon::CUE))
                || token.has(lexicon::HONORIFIC)
                || (is_title_like(token) && tokens.get(index + 1).is_some_and(|next| next.is_capitalised())));
        if !starts {
            index += 1;
            continue;
        }
        let mut end = index + 1;
        while end < tokens.len() && !tokens[end - 1].possessive {
            let next = &tokens[end];
            let continues = next.kind == TokenKind::Word
                && ((next.is_capitalised() && !next.has(lexicon::CAPITALISED_FUNCTION) && !next.has(lexicon::CUE))
                    || is_title_like(next)
                    || next.has(lexicon::HONORIFIC)
                    || (is_connector(&next.lower) && connects_to_capitalised(tokens, end)));
            if !continues {
                break;
            }
            end += 1;
        }
        // A possessive followed by its institution ("Netanyahu's office") stays one phrase.
        if end < tokens.len() && tokens[end - 1].possessive && tokens[end].has(lexicon::HEAD_NOUN) {
            end += 1;
        }
        chunks.push((index, end));
        index = end;
    }
    chunks
}

fn connects_to_capitalised(tokens: &[Token], index: usize) -> bool {
    let mut next = index + 1;
    while next < tokens.len() && matches!(tokens[next].lower.as_str(), "the" | "of") {
        next += 1;
    }
    let mut previous = index;
    while previous > 0 && is_connector(&tokens[previous - 1].lower) {
        previous -= 1;
    }
    previous > 0
        && (is_title_like(&tokens[previous - 1]) || is_organisation_like(&tokens[previous - 1]))
        && tokens.get(next).is_some_and(Token::is_capitalised)
}

/// A person named in the article, with every place they are mentioned.
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    pub name: String,
    pub words: Vec<String>,
    pub titles: BTreeSet<String>,
    /// Code-point ranges of the mentions, in reading order.
    pub mentions: Vec<(usize, usize)>,
}

impl Entity {
    /// The last mention that starts before `position`.
    pub fn mention_before(&self, position: usize) -> Option<(usize, usize)> {
        self.mentions.iter().rev().find(|(start, _)| *start < position).copied()
    }
}

/// The people of one article, found by surname (and, for speakers only, by first name).
#[derive(Clone, Debug, Default)]
pub struct Registry {
    pub entities: Vec<Entity>,
    by_last_word: HashMap<String, Vec<usize>>,
    by_first_word: HashMap<String, Vec<usize>>,
}

impl Registry {
    /// Records a person mention, merging it with an entity that has the same surname and a
    /// compatible first name. Returns the entity's index.
    pub fn add_person(&mut self, mention: &Mention) -> Option<usize> {
        let words = &mention.name_words;
        let last = words.last()?;
        let found = if words.len() >= 2 {
            self.by_last_word.get(last).and_then(|candidates| {
                candidates.iter().copied().find(|&candidate| {
                    let entity = &self.entities[candidate];
                    entity.words.len() == 1 || entity.words.first() == words.first()
                })
            })
        } else {
            self.find_by_surname(last)
        };
        let index = match found {
            Some(index) => index,
            None => {
                self.entities.push(Entity {
                    name: mention.text.clone(),
                    words: words.clone(),
                    titles: BTreeSet::new(),
                    mentions: Vec::new(),
                });
                let index = self.entities.len() - 1;
                self.by_last_word.entry(last.clone()).or_default().push(index);
                if let Some(first) = words.first() {
                    self.by_first_word.entry(first.clone()).or_default().push(index);
                }
                index
            }
        };
        let entity = &mut self.entities[index];
        if words.len() > entity.words.len() {
            entity.words = words.clone();
            entity.name = mention.text.clone();
            if let Some(first) = words.first() {
                self.by_first_word.entry(first.clone()).or_default().push(index);
            }
        }
        entity.titles.extend(mention.titles.iter().cloned());
        let range = (mention.start, mention.end);
        if let Err(position) = entity.mentions.binary_search(&range) {
            entity.mentions.insert(position, range);
        }
        Some(index)
    }

    /// The first-introduced person with this surname.
    pub fn find_by_surname(&self, word: &str) -> Option<usize> {
        self.by_last_word.get(word).and_then(|candidates| candidates.first().copied())
    }

    /// A person by a one-word mention: surname first, then first name ("Riyad said").
    pub fn find_by_any_name(&self, word: &str) -> Option<usize> {
        self.find_by_surname(word).or_else(|| self.by_first_word.get(word).and_then(|list| list.first().copied()))
    }

    /// The entity a person mention refers to, if known.
    pub fn find(&self, words: &[String]) -> Option<usize> {
        let last = words.last()?;
        if words.len() == 1 {
            return self.find_by_surname(last);
        }
        self.by_last_word.get(last).and_then(|candidates| {
            candidates.iter().copied().find(|&candidate| self.entities[candidate].words.first() == words.first())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::suggest::tokens::tokenize;

    fn parse(text: &str) -> Option<(MentionKind, String)> {
        let chars: Vec<char> = text.chars().collect();
        let tokens = tokenize(&chars, 0, chars.len(), &[]);
        parse_noun_phrase(&chars, &tokens).map(|mention| (mention.kind, mention.text))
    }

    #[test]
    fn titles_are_separated_from_names() {
        let person = |name: &str| Some((MentionKind::Person, name.to_string()));
        assert_eq!(parse("National Security Council spokesman John Kirby"), person("John Kirby"));
        assert_eq!(parse("UN Secretary-General António Guterres"), person("António Guterres"));
        assert_eq!(
            parse("The US Ambassador to the United Nations Linda Thomas-Greenfield"),
            person("Linda Thomas-Greenfield")
        );
        assert_eq!(parse("Secretary of State Antony Blinken"), person("Antony Blinken"));
        assert_eq!(parse("the chamber's director, Paul Ibsen"), person("Paul Ibsen"));
        assert_eq!(parse("The mayor of Ornans, Luc Ferrand"), person("Luc Ferrand"));
        assert_eq!(parse("Mr Kirby"), person("Kirby"));
        assert_eq!(parse("Dr. Samuel Okafor"), person("Samuel Okafor"));
        assert_eq!(parse("Israel’s prime minister Benjamin Netanyahu"), person("Benjamin Netanyahu"));
    }

    #[test]
    fn organisations_roles_documents_and_pronouns() {
        assert_eq!(parse("Mr Netanyahu's office"), Some((MentionKind::Organisation, "Netanyahu's office".to_string())));
        assert_eq!(parse("The White House"), Some((MentionKind::Organisation, "White House".to_string())));
        assert_eq!(parse("the ambassador"), Some((MentionKind::Role { definite: true }, "the ambassador".to_string())));
        assert_eq!(parse("a reporter"), Some((MentionKind::Role { definite: false }, "reporter".to_string())));
        assert_eq!(parse("The statement"), Some((MentionKind::Document, "the statement".to_string())));
        assert_eq!(parse("she").map(|mention| mention.0), Some(MentionKind::Pronoun(PronounKind::Person)));
        assert_eq!(parse("Harris"), Some((MentionKind::Unknown, "Harris".to_string())));
        assert_eq!(parse("the tenant"), Some((MentionKind::Role { definite: true }, "the tenant".to_string())));
    }

    #[test]
    fn registry_merges_surnames_and_keeps_namesakes_apart() {
        let chars: Vec<char> = "Margaret Ellery Tom Ellery Ellery".chars().collect();
        let mention = |start: usize, end: usize, words: &[&str]| Mention {
            start,
            end,
            kind: MentionKind::Person,
            text: chars[start..end].iter().collect(),
            name_words: words.iter().map(|word| word.to_string()).collect(),
            titles: Vec::new(),
        };
        let mut registry = Registry::default();
        let margaret = registry.add_person(&mention(0, 15, &["margaret", "ellery"]));
        let tom = registry.add_person(&mention(16, 26, &["tom", "ellery"]));
        assert_ne!(margaret, tom);
        assert_eq!(registry.find(&["ellery".to_string()]), margaret, "the first-introduced wins");
        assert_eq!(registry.find_by_any_name("tom"), tom);
    }
}
