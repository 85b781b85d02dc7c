//! Tests of speaker attribution over short news passages.

use super::*;
use crate::domain::suggest::quotes::find_quotes;

/// (quote text, speaker, rule) for every top-level quote of `text`.
fn attribute(text: &str) -> Vec<(String, String, Form)> {
    let chars: Vec<char> = text.chars().collect();
    let mut paragraphs = Vec::new();
    let mut offset = 0;
    for line in text.split('\n') {
        let length = line.chars().count();
        if !line.trim().is_empty() {
            paragraphs.push((offset, offset + length));
        }
        offset += length + 1;
    }
    let passages = find_quotes(&chars, &paragraphs);
    let (results, _) = attribute_quotes(&chars, &paragraphs, &passages);
    results
        .into_iter()
        .map(|result| {
            let passage = &passages[result.passage];
            (
                chars[passage.content_start..passage.content_end].iter().collect(),
                result.attribution.map(|found| found.speaker.name).unwrap_or_default(),
                result.form,
            )
        })
        .collect()
}

fn speakers(text: &str) -> Vec<String> {
    attribute(text).into_iter().map(|(_, speaker, _)| speaker).collect()
}

#[test]
fn cue_after_the_quote_in_both_orders() {
    assert_eq!(speakers("“We will go,” Kirby said."), ["Kirby"]);
    assert_eq!(speakers("\"We will go,\" said Dana Whitfield, president of the union."), ["Dana Whitfield"]);
    assert_eq!(speakers("“We go,” National Security Council spokesman John Kirby told reporters."), ["John Kirby"]);
    assert_eq!(speakers("\"It's over,\" the chamber's director, Paul Ibsen, said in a statement."), ["Paul Ibsen"]);
    assert_eq!(speakers("“It is over,” according to Ana Ruiz."), ["Ana Ruiz"]);
}

#[test]
fn titles_expand_to_the_full_name_named_earlier() {
    let text = "Spokesman John Kirby spoke on Monday.\n\n“We are disappointed,” Mr Kirby said.";
    assert_eq!(speakers(text), ["John Kirby"]);
}

#[test]
fn cue_before_the_quote_and_its_subject() {
    assert_eq!(speakers("Later at the White House, Mr Kirby said: “We're perplexed by this.”"), ["Kirby"]);
    assert_eq!(
        speakers("Mr Miller called the move “a bit surprising” but said Israel has “made clear” its view."),
        ["Miller", "Miller"]
    );
    assert_eq!(speakers("Ambassador Gilad Erdan criticized the council for passing a measure that called for a ceasefire “without conditions.”"), ["Gilad Erdan"]);
    assert_eq!(
        speakers("The council adopted a resolution that demands a “lasting ceasefire” in Gaza."),
        ["the resolution"]
    );
    assert_eq!(speakers("Gallant, for his part, argued that Israel “does not have the right.”"), ["Gallant"]);
    assert_eq!(speakers("The White House on Monday said it was “very disappointed” by the decision."), ["White House"]);
}

#[test]
fn pronouns_roles_and_documents_resolve_to_earlier_names() {
    let text = "US Ambassador Linda Thomas-Greenfield said the text was fine.\n\n“A ceasefire could have come,” the ambassador said.\n\n“Any ceasefire must come with the release,” she added.";
    assert_eq!(speakers(text), ["Linda Thomas-Greenfield", "Linda Thomas-Greenfield"]);
    let office = "\"This is a retreat,\" Netanyahu's office said in a statement.\nThe statement added that it \"hurts the war effort,\" a reference to the hostages.\n\"It gives Hamas hope,\" it continued.";
    assert_eq!(speakers(office), ["Netanyahu's office", "Netanyahu's office", "Netanyahu's office"]);
}

#[test]
fn continuations_resumed_quotes_and_dialogue() {
    let text = "“The water rose fast,” Claire Montag said. “We had forty minutes.”";
    assert_eq!(speakers(text), ["Claire Montag", "Claire Montag"]);
    let resumed = "“When they closed the school,” Ellery said, “they told us it was arithmetic.”";
    assert_eq!(attribute(resumed).into_iter().map(|quote| quote.2).collect::<Vec<_>>(), [Form::Direct, Form::Direct]);
    let briefing = "\"How many cases?\" a reporter asked.\n\n\"We have 1,284 cases,\" Ruiz said.\n\n\"Do you still believe that?\"\n\n\"I said it was contained.\"";
    assert_eq!(speakers(briefing), ["reporter", "Ruiz", "reporter", "Ruiz"]);
}

#[test]
fn headlines_and_colons() {
    assert_eq!(speakers("US 'disappointed' and 'perplexed' as Israel cancels trip"), ["US", "US"]);
    assert_eq!(speakers("Benjamin Netanyahu: 'We will finish the job in Rafah'"), ["Benjamin Netanyahu"]);
}

#[test]
fn forms() {
    let forms: Vec<Form> = attribute("He called it a “red line” for the US. “We will go,” he said.")
        .into_iter()
        .map(|quote| quote.2)
        .collect();
    assert_eq!(forms, [Form::Partial, Form::Direct]);
}
