//! Who a mention is: the people an article names, pronouns, roles and documents resolved
//! against them, and what the article has made salient so far.

use crate::domain::suggest::lexicon::{self, PronounKind};
use crate::domain::suggest::names::{self, Mention, MentionKind};
use crate::domain::suggest::tokens::Token;

use super::{Attribution, Attributor, Speaker};

impl<'a> Attributor<'a> {
    /// Registers the people a sentence names (outside its quotes).
    /// Returns the sentence's person-like mentions (persons and single unknown names), in order,
    /// for [`Attributor::update_salience`].
    pub(super) fn register_people(&mut self, sentence: &[Token]) -> Vec<Mention> {
        let mut mentions = Vec::new();
        for (start, end) in names::name_chunks(sentence) {
            let Some(mention) = names::parse_noun_phrase(self.chars, &sentence[start..end]) else { continue };
            match mention.kind {
                MentionKind::Person => {
                    self.registry.add_person(&mention);
                    mentions.push(mention);
                }
                MentionKind::Unknown => mentions.push(mention),
                _ => {}
            }
        }
        mentions
    }

    /// Turns a mention into a speaker, resolving pronouns, roles, documents and short names.
    pub(super) fn resolve(&self, mention: &Mention, position: usize) -> Option<Speaker> {
        let entity_speaker = |entity: usize, mention_range: Option<(usize, usize)>| {
            let record = &self.registry.entities[entity];
            Speaker {
                name: record.name.clone(),
                mention: mention_range.or_else(|| record.mention_before(position)),
                person: true,
                entity: Some(entity),
            }
        };
        let literal = |person: bool| Speaker {
            name: mention.text.clone(),
            mention: Some((mention.start, mention.end)),
            person,
            entity: None,
        };
        match mention.kind {
            MentionKind::Person => {
                let entity = self.registry.find(&mention.name_words);
                Some(match entity {
                    Some(entity) => entity_speaker(entity, Some((mention.start, mention.end))),
                    None => literal(true),
                })
            }
            MentionKind::Unknown => {
                let word = mention.name_words.first().map(String::as_str).unwrap_or("");
                Some(match self.registry.find_by_any_name(word) {
                    Some(entity) => entity_speaker(entity, Some((mention.start, mention.end))),
                    None => literal(false),
                })
            }
            MentionKind::Organisation => Some(literal(false)),
            MentionKind::Pronoun(PronounKind::Person) => {
                let asker =
                    self.records.last().filter(|record| record.is_question).and_then(|record| record.speaker.clone());
                let entity = self.salience.persons.iter().rev().copied().find(|&entity| {
                    asker.as_ref().is_none_or(|asker| asker.entity != Some(entity) || asker.name.is_empty())
                });
                if let Some(entity) = entity {
                    return Some(entity_speaker(entity, None));
                }
                // An unnamed speaker (a reporter) may still be the one referred to.
                self.records
                    .iter()
                    .rev()
                    .take(4)
                    .filter_map(|record| record.speaker.clone())
                    .find(|speaker| speaker.person)
            }
            MentionKind::Pronoun(PronounKind::Institution) => self.salience.institution.clone(),
            MentionKind::Pronoun(PronounKind::FirstPerson) => None,
            MentionKind::Document => {
                if mention.text == "the statement" {
                    if let Some(speaker) = self.salience.statement.clone() {
                        return Some(speaker);
                    }
                }
                Some(literal(false))
            }
            MentionKind::Role { definite } => {
                if definite {
                    if let Some(entity) = self.resolve_role(mention) {
                        return Some(entity_speaker(entity, None));
                    }
                }
                Some(literal(true))
            }
        }
    }

    /// "The ambassador", "the Israeli minister": the most salient person, when nothing known
    /// about them contradicts the role, or else the last person whose title has the role.
    fn resolve_role(&self, mention: &Mention) -> Option<usize> {
        let role_words: Vec<&String> = mention
            .titles
            .iter()
            .filter(|word| lexicon::is_title_or_role(word) || lexicon::is_title_modifier(word))
            .collect();
        if role_words.is_empty() {
            return None;
        }
        let matches = |entity: usize| {
            let titles = &self.registry.entities[entity].titles;
            role_words.iter().all(|word| titles.contains(*word))
        };
        if let Some(&last) = self.salience.persons.last() {
            if self.registry.entities[last].titles.is_empty() || matches(last) {
                return Some(last);
            }
        }
        let mut candidates: Vec<(usize, usize)> = self
            .registry
            .entities
            .iter()
            .enumerate()
            .filter(|(index, _)| matches(*index))
            .filter_map(|(index, entity)| {
                entity.mentions.iter().map(|(start, _)| *start).max().map(|last| (last, index))
            })
            .collect();
        crate::domain::sorting::sort(&mut candidates);
        candidates.last().map(|(_, index)| *index)
    }

    /// After a sentence: its subject and its speakers become the most salient.
    pub(super) fn update_salience(
        &mut self,
        tokens: &[Token],
        mentions: &[Mention],
        attributions: &[Option<Attribution>],
    ) {
        let first_quote = tokens.iter().position(|token| token.quote_index().is_some()).unwrap_or(tokens.len());
        let subject = mentions.iter().find_map(|mention| match mention.kind {
            MentionKind::Person => self.registry.find(&mention.name_words),
            MentionKind::Unknown => self.registry.find_by_surname(mention.name_words.first()?),
            _ => None,
        });
        let pronoun_subject = tokens
            .first()
            .is_some_and(|token| lexicon::pronoun_kind(&token.lower) == Some(PronounKind::Person) && first_quote > 0);
        if let (Some(entity), false) = (subject, pronoun_subject) {
            self.salience.push_person(entity);
        }
        for attribution in attributions.iter().flatten() {
            let speaker = &attribution.speaker;
            if let Some(entity) = speaker.entity {
                self.salience.push_person(entity);
            } else if !speaker.person {
                self.salience.institution = Some(speaker.clone());
            }
            let in_statement = attribution.cue_phrase.to_lowercase().contains("statement")
                || attribution.referred_as == "the statement";
            if in_statement {
                self.salience.statement = Some(speaker.clone());
                if !speaker.person {
                    self.salience.institution = Some(speaker.clone());
                }
            }
        }
    }
}
