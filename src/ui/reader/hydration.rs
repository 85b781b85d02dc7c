//! Which blocks of a long article have their highlights drawn: the window around the view
//! (`domain::reader_window`), followed as the reader scrolls.

use std::rc::Rc;

use yew::prelude::*;

use crate::domain::article::Article;
use crate::domain::reader_window::BlockWindow;

use super::block::*;

/// Articles of up to this many blocks are drawn whole in the first render.
pub(super) const DRAW_AT_ONCE_BLOCKS: usize = 9;

/// The distance between the points [`Hydration::measure_view`] looks under.
const VIEW_PROBE_PX: f64 = 24.0;

/// Which blocks of the open article are in the reader, and which have their highlights drawn.
/// A long article's first render holds its first blocks only, highlights in the blocks in view;
/// after the first paint the neighbours get theirs one block per task, then the rest of the
/// text comes, a few blocks per task (so find-in-page and the scroll height are right once
/// `data-highlights` says "complete"), and blocks the view leaves lose their highlights, so the
/// DOM stays small however long the article is.
pub(super) struct Hydration {
    pub(super) article: Rc<Article>,
    pub(super) window: BlockWindow,
    /// Changes with the article, so that a fill for an older article stops.
    pub(super) generation: u64,
    /// A fill is scheduled (or parked while the reader is hidden): a scroll need not start one.
    pub(super) filling: bool,
    /// What the last render wrote in `data-highlights`: a view that moves can complete the
    /// window without drawing anything, and the attribute must still say so.
    pub(super) rendered_complete: bool,
}

impl Hydration {
    pub(super) fn new(article: &Rc<Article>, blocks: usize) -> Hydration {
        static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let generation = GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Hydration {
            article: article.clone(),
            window: BlockWindow::new(blocks, DRAW_AT_ONCE_BLOCKS),
            generation,
            filling: false,
            rendered_complete: false,
        }
    }

    pub(super) fn complete(&self) -> bool {
        self.window.complete()
    }

    pub(super) fn is_shown(&self, block: usize) -> bool {
        self.window.is_drawn(block)
    }

    pub(super) fn is_present(&self, block: usize) -> bool {
        self.window.is_present(block)
    }

    /// Reads which blocks are in view; returns false when the reader is not on screen. Costs a
    /// layout when the DOM changed since the last one: called on a scroll (the layout is fresh
    /// then) and once when a fill starts, not at each of its steps.
    pub(super) fn measure_view(&mut self, container: &NodeRef, article: &Article) -> bool {
        let Some((x, top, bottom)) = visible_band(container) else { return false };
        // The first paragraph from the top edge down and the last from the bottom edge up: a
        // point can fall in the gap between two paragraphs, or on a popup over the text.
        let probe = |from: f64, step: f64| {
            (0..)
                .map(|n| from + step * n as f64)
                .take_while(|y| *y > top && *y < bottom)
                .find_map(|y| block_at(article, x, y))
        };
        let (Some(first), Some(last)) = (probe(top + 4.0, VIEW_PROBE_PX), probe(bottom - 4.0, -VIEW_PROBE_PX)) else {
            return false;
        };
        self.window.set_view(first, last);
        true
    }

    /// Marks the blocks in view drawn; returns whether any was not. The fill draws the
    /// neighbours next, so drawing only what is visible keeps the first paint small.
    pub(super) fn show_in_view(&mut self, container: &NodeRef, article: &Article) -> bool {
        self.measure_view(container, article) && self.window.draw_view()
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

/// Brings the drawn blocks to the window around the view, one block per task, nearest to the
/// view first, until the window is complete or the reader moves to another article (a scroll
/// starts it again: [`follow_scrolling`]). While the reader is hidden (an ancestor has `hidden`)
/// it stops, parked until [`resume_parked_fills`]: its renders cost the shown view's frames.
pub(super) fn fill_in_background(
    hydration: Rc<std::cell::RefCell<Hydration>>,
    container: NodeRef,
    rerender: UseForceUpdateHandle,
    article: Rc<Article>,
    generation: u64,
    measure: bool,
) {
    crate::web::schedule::after_ms(0, move || {
        let changed = {
            let mut state = hydration.borrow_mut();
            if state.generation != generation {
                return;
            }
            let Some(element) = container.cast::<web_sys::Element>() else {
                state.filling = false;
                return;
            };
            if element.closest("[hidden]").ok().flatten().is_some() {
                drop(state);
                PARKED.with(|parked| {
                    parked.borrow_mut().push(Box::new(move || {
                        fill_in_background(hydration, container, rerender, article, generation, true)
                    }))
                });
                return;
            }
            if measure {
                state.measure_view(&container, &article);
            }
            state.window.step() || state.complete() != state.rendered_complete
        };
        if changed {
            rerender.force_update();
        }
        let more = {
            let mut state = hydration.borrow_mut();
            state.filling = !state.complete();
            state.filling
        };
        if more {
            fill_in_background(hydration, container, rerender, article, generation, false);
        }
    });
}

/// Starts a fill when the reader's scrolling pane scrolls and none is under way; the listener
/// lives as long as the returned handle.
pub(super) fn follow_scrolling(
    hydration: Rc<std::cell::RefCell<Hydration>>,
    container: NodeRef,
    rerender: UseForceUpdateHandle,
    article: Rc<Article>,
) -> Option<gloo::events::EventListener> {
    let reader = container.cast::<web_sys::Element>()?;
    let pane = reader.closest(".reader, .pane-body").ok().flatten()?;
    // Passive: the listener never delays the scroll itself.
    Some(gloo::events::EventListener::new(&pane, "scroll", move |_| {
        let generation = {
            let mut state = hydration.borrow_mut();
            if !Rc::ptr_eq(&state.article, &article) || !state.measure_view(&container, &article) {
                return;
            }
            // A fill under way takes the new view at its next step.
            if state.filling || (state.complete() && state.complete() == state.rendered_complete) {
                return;
            }
            state.filling = true;
            state.generation
        };
        fill_in_background(hydration.clone(), container.clone(), rerender.clone(), article.clone(), generation, false);
    }))
}
