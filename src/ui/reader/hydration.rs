//! Which blocks of a long article have their highlights drawn, nearest to the view first.

use std::rc::Rc;

use yew::prelude::*;

use crate::domain::article::Article;

use super::block::*;

/// Articles of up to this many blocks are drawn whole in the first render.
pub(super) const DRAW_AT_ONCE_BLOCKS: usize = 3;

/// Which blocks of the open article have their highlights drawn. A long article first shows its
/// text in every paragraph (so find-in-page, selection offsets and the scroll height are right
/// from the start) with highlights only in the blocks in view; the other blocks get theirs one
/// block per task, nearest to the view first, so the first paint and the input stay fast.
pub(super) struct Hydration {
    pub(super) article: Rc<Article>,
    pub(super) shown: Vec<bool>,
    /// Changes with the article, so that a background fill for an older article stops.
    pub(super) generation: u64,
}

impl Hydration {
    pub(super) fn new(article: &Rc<Article>, blocks: usize) -> Hydration {
        static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let all = blocks <= DRAW_AT_ONCE_BLOCKS;
        let mut shown = vec![all; blocks];
        // The reader opens at the top: the first block fills the view (24 paragraphs).
        if let Some(first) = shown.first_mut() {
            *first = true;
        }
        let generation = GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Hydration { article: article.clone(), shown, generation }
    }

    pub(super) fn complete(&self) -> bool {
        self.shown.iter().all(|shown| *shown)
    }

    pub(super) fn is_shown(&self, block: usize) -> bool {
        self.shown.get(block).copied().unwrap_or(true)
    }

    /// Marks `block` drawn; returns whether it was not.
    pub(super) fn show(&mut self, block: usize) -> bool {
        match self.shown.get_mut(block) {
            Some(shown) if !*shown => {
                *shown = true;
                true
            }
            _ => false,
        }
    }

    /// Marks the blocks in view drawn; returns whether any was not. The background fill draws
    /// the neighbours next, so drawing only what is visible keeps the first paint small.
    pub(super) fn show_in_view(&mut self, container: &NodeRef, article: &Article) -> bool {
        let Some((x, top, bottom)) = visible_band(container) else { return false };
        let Some(middle) = block_at(article, x, (top + bottom) / 2.0) else { return false };
        // Where the top or bottom edge falls between paragraphs, take the neighbouring block.
        let first = block_at(article, x, top + 8.0).unwrap_or(middle.saturating_sub(1)).min(middle);
        let last = block_at(article, x, bottom - 8.0).unwrap_or(middle + 1).max(middle);
        let mut changed = false;
        for block in first..=last {
            changed |= self.show(block);
        }
        changed
    }

    /// The undrawn block nearest to `block`.
    pub(super) fn nearest_hidden(&self, block: usize) -> Option<usize> {
        (0..self.shown.len()).filter(|index| !self.shown[*index]).min_by_key(|index| (index.abs_diff(block), *index))
    }
}

/// The reader's visible part, in viewport coordinates: the text's middle column and the top and
/// bottom of what shows of its scrolling pane.
pub(super) fn visible_band(container: &NodeRef) -> Option<(f64, f64, f64)> {
    let reader = container.cast::<web_sys::Element>()?;
    let view = reader.closest(".reader, .pane-body").ok().flatten().unwrap_or_else(|| reader.clone());
    let rect = view.get_bounding_client_rect();
    let reader_rect = reader.get_bounding_client_rect();
    let x = (reader_rect.left() + reader_rect.right()) / 2.0;
    let bottom = rect.bottom().min(gloo::utils::window().inner_height().ok()?.as_f64()?);
    Some((x, rect.top().max(0.0), bottom))
}

/// The block of the paragraph at viewport point `(x, y)`, if a paragraph is there.
pub(super) fn block_at(article: &Article, x: f64, y: f64) -> Option<usize> {
    let element = gloo::utils::document().element_from_point(x as f32, y as f32)?;
    let paragraph = element.closest("p.para[data-s]").ok().flatten()?;
    let start: usize = paragraph.get_attribute("data-s")?.parse().ok()?;
    Some(article.paragraph_at(start)? / BLOCK_PARAGRAPHS)
}

/// The block under the middle of the reader's visible part, if the reader is on screen.
pub(super) fn block_in_view(container: &NodeRef, article: &Article) -> Option<usize> {
    let (x, top, bottom) = visible_band(container)?;
    block_at(article, x, (top + bottom) / 2.0)
}

thread_local! {
    /// Background fills stopped while their reader was hidden (under the Claim graph), each to
    /// go on when it shows again.
    static PARKED: std::cell::RefCell<Vec<Box<dyn FnOnce()>>> = std::cell::RefCell::new(Vec::new());
}

/// Goes on with the background fills stopped while their reader was hidden (`ui::app` calls it
/// when Read shows again).
pub fn resume_parked_fills() {
    for resume in PARKED.with(|parked| std::mem::take(&mut *parked.borrow_mut())) {
        resume();
    }
}

/// Draws the remaining blocks, one per task, nearest to the view first, until all are drawn or
/// the reader moves to another article. While the reader is hidden (an ancestor has `hidden`)
/// it stops, parked until [`resume_parked_fills`]: its renders cost the shown view's frames.
pub(super) fn fill_in_background(
    hydration: Rc<std::cell::RefCell<Hydration>>,
    container: NodeRef,
    rerender: UseForceUpdateHandle,
    article: Rc<Article>,
    generation: u64,
) {
    gloo::timers::callback::Timeout::new(0, move || {
        {
            let mut state = hydration.borrow_mut();
            let Some(element) = container.cast::<web_sys::Element>() else { return };
            if state.generation != generation {
                return;
            }
            if element.closest("[hidden]").ok().flatten().is_some() {
                drop(state);
                PARKED.with(|parked| {
                    parked
                        .borrow_mut()
                        .push(Box::new(move || fill_in_background(hydration, container, rerender, article, generation)))
                });
                return;
            }
            let near = block_in_view(&container, &article).unwrap_or(0);
            let Some(block) = state.nearest_hidden(near) else { return };
            state.show(block);
        }
        rerender.force_update();
        if !hydration.borrow().complete() {
            fill_in_background(hydration, container, rerender, article, generation);
        }
    })
    .forget();
}
