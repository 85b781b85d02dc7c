//! One block of paragraphs: the unit the reader renders and hydrates.

use std::rc::Rc;

use yew::prelude::*;

use crate::domain::annotation::{Span, SpanId};
use crate::domain::article::{Article, Paragraph};
use crate::domain::ids::SuggestionKey;
use crate::domain::paragraph_buckets::LinkBucket;
use crate::domain::suggest::SuggestedSpan;
use crate::ui::highlight::LabelColors;
use crate::ui::paragraph::ParagraphView;

/// Paragraphs per [`ParagraphBlock`].
pub(super) const BLOCK_PARAGRAPHS: usize = 8;

#[derive(Properties, PartialEq)]
pub(super) struct ParagraphBlockProps {
    pub(super) article: Rc<Article>,
    /// The index of the block's first paragraph.
    pub(super) first: usize,
    /// Per paragraph of the block: its spans, link counts and suggestions. Compared element by
    /// element, which is a pointer comparison for every paragraph the last edit did not touch.
    pub(super) spans: Rc<[Rc<[Rc<Span>]>]>,
    pub(super) links: Rc<[LinkBucket]>,
    pub(super) suggestions: Rc<[Rc<[Rc<SuggestedSpan>]>]>,
    pub(super) colors: Rc<LabelColors>,
    /// The selected span and its range, only when it touches the block.
    pub(super) selected: Option<(SpanId, (usize, usize))>,
    pub(super) selected_suggestion: Option<(SuggestionKey, (usize, usize))>,
    /// Not hydrated yet: the paragraphs' text only, without components (see [`Hydration`]).
    pub(super) plain: bool,
}

/// A run of consecutive paragraphs in a `div.para-block` (`div.reader-text > div.para-block >
/// p.para`). The wrapper is for layout: a change in one paragraph (a tag's mark) makes the
/// browser lay out the paragraph's parent again, which walks every child of it; under the
/// reader's text that was all 520 paragraphs of the benchmark's article, under a block it is 8
/// (and the text's 65 blocks). The block is also what `content-visibility: auto` skips off screen
/// (`styles/app.css`); its containment keeps the last paragraph's bottom margin inside it, which
/// spaces the blocks as the paragraphs are spaced.
#[component]
pub(super) fn ParagraphBlock(props: &ParagraphBlockProps) -> Html {
    let paragraphs = props.article.paragraphs();
    let views: Vec<Html> = if props.plain {
        // The paragraph and its text, without a component or a run element: the first render
        // of a long article, and the blocks after it, create hundreds of these. The paragraph
        // carries `data-s` itself, so a selection in it maps to offsets as in a run
        // (`web::selection`).
        let last = (props.first + BLOCK_PARAGRAPHS).min(paragraphs.len());
        paragraphs[props.first..last]
            .iter()
            .enumerate()
            .map(|(offset, paragraph)| {
                let text = props.article.slice(paragraph.start, paragraph.end).unwrap_or_default().to_string();
                html! {
                    <p key={props.first + offset} class="para" data-s={paragraph.start.to_string()} data-e={paragraph.end.to_string()}>
                        { text }
                    </p>
                }
            })
            .collect()
    } else {
        let touching =
            |range: (usize, usize), paragraph: &Paragraph| range.0 < paragraph.end && paragraph.start < range.1;
        props
            .spans
            .iter()
            .enumerate()
            .map(|(offset, spans)| {
                let index = props.first + offset;
                let paragraph = paragraphs[index];
                let selected =
                    props.selected.as_ref().filter(|(_, range)| touching(*range, &paragraph)).map(|(id, _)| id.clone());
                let selected_suggestion = props
                    .selected_suggestion
                    .as_ref()
                    .filter(|(_, range)| touching(*range, &paragraph))
                    .map(|(key, _)| key.clone());
                html! {
                    <ParagraphView
                        key={index}
                        article={props.article.clone()}
                        paragraph={paragraph}
                        spans={spans.clone()}
                        colors={props.colors.clone()}
                        selected={selected}
                        link_counts={props.links[offset].clone()}
                        suggestions={props.suggestions[offset].clone()}
                        selected_suggestion={selected_suggestion}
                    />
                }
            })
            .collect()
    };
    html! { <div class="para-block">{ for views }</div> }
}
