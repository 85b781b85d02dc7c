//! Which blocks of a long article the reader draws with highlights: those in view, their
//! neighbours and the selected span's block, no more (issue #20: the DOM stays small).
//!
//! The reader cuts an article into blocks of paragraphs. A block outside the window shows its
//! text only (so find-in-page, selection offsets and the scroll height stay right); a block that
//! enters the window gets its highlights, one block per step, nearest to the view first; a block
//! that moves well out of it loses them again. This type holds only the decision; `ui::reader`
//! measures the view and renders.
//!
//! A long article's first render holds only its first blocks (its text and all): the blocks
//! after them follow, as text, a few per step once the window is drawn. The blocks are only ever
//! added after the last one there, so nothing above the view moves when they come.

use std::ops::RangeInclusive;

/// Blocks drawn on each side of the blocks in view.
pub const MARGIN_BLOCKS: usize = 1;
/// Blocks beyond the margin that keep their highlights until the view moves farther (so that
/// scrolling back and forth by a little does not draw and drop the same block again and again).
pub const KEEP_BLOCKS: usize = 1;
/// Blocks of a long article in its first render: more than a tall screen shows.
pub const FIRST_BLOCKS: usize = 4;
/// Blocks of text added by each step after the window is drawn.
pub const TAIL_BLOCKS_PER_STEP: usize = 16;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockWindow {
    drawn: Vec<bool>,
    /// The blocks `0..present` are in the reader (as text, with or without highlights).
    present: usize,
    /// Short articles: every block drawn, for good.
    whole: bool,
    /// The blocks in view (first, last).
    view: (usize, usize),
    /// The selected span's block, drawn wherever it is.
    pinned: Option<usize>,
}

impl BlockWindow {
    /// A window over `blocks` blocks, the view at the top. Articles of at most `whole_up_to`
    /// blocks are drawn whole from the start; longer ones hold only their first
    /// [`FIRST_BLOCKS`] blocks and draw only the first before their first paint (the rest of
    /// the window, then the rest of the text, follow in steps).
    pub fn new(blocks: usize, whole_up_to: usize) -> BlockWindow {
        let whole = blocks <= whole_up_to;
        let mut drawn = vec![whole; blocks];
        if let Some(first) = drawn.first_mut() {
            *first = true;
        }
        let present = if whole { blocks } else { blocks.min(FIRST_BLOCKS) };
        BlockWindow { drawn, present, whole, view: (0, 0), pinned: None }
    }

    pub fn blocks(&self) -> usize {
        self.drawn.len()
    }

    pub fn is_drawn(&self, block: usize) -> bool {
        self.drawn.get(block).copied().unwrap_or(true)
    }

    /// Whether the block is in the reader at all (every block up to the last one present is).
    pub fn is_present(&self, block: usize) -> bool {
        block < self.present
    }

    /// Draws `block`, and brings every block up to it into the reader.
    fn draw(&mut self, block: usize) {
        self.drawn[block] = true;
        self.present = self.present.max(block + 1);
    }

    /// The blocks in view are now `first..=last` (clamped to the article).
    pub fn set_view(&mut self, first: usize, last: usize) {
        let end = self.drawn.len().saturating_sub(1);
        let (first, last) = (first.min(last).min(end), last.max(first).min(end));
        self.view = (first, last);
    }

    /// The selected span's block (or none): drawn at once, wherever it is.
    pub fn pin(&mut self, block: Option<usize>) {
        self.pinned = block.filter(|block| *block < self.drawn.len());
        if let Some(block) = self.pinned {
            self.draw(block);
        }
    }

    /// Draws the blocks in view now (before a paint); returns whether any was not drawn.
    pub fn draw_view(&mut self) -> bool {
        let mut changed = false;
        for block in self.view.0..=self.view.1.min(self.drawn.len().saturating_sub(1)) {
            changed |= !self.is_drawn(block);
            self.draw(block);
        }
        changed
    }

    /// The blocks that should be drawn: the view and `margin` blocks on each side.
    fn around_view(&self, margin: usize) -> RangeInclusive<usize> {
        let end = self.drawn.len().saturating_sub(1);
        self.view.0.saturating_sub(margin)..=(self.view.1 + margin).min(end)
    }

    /// Whether every block that should be drawn is, and every block is in the reader.
    pub fn complete(&self) -> bool {
        self.drawn.is_empty()
            || (self.present == self.drawn.len()
                && self.around_view(MARGIN_BLOCKS).all(|block| self.drawn[block])
                && self.pinned.is_none_or(|block| self.drawn[block]))
    }

    /// One step towards the window: draws the missing block nearest to the view (or, when none
    /// is missing, brings the next [`TAIL_BLOCKS_PER_STEP`] blocks of text into the reader), and
    /// drops the highlights of every block well out of it. Returns whether anything changed.
    pub fn step(&mut self) -> bool {
        if self.drawn.is_empty() {
            return false;
        }
        let middle = (self.view.0 + self.view.1) / 2;
        let missing = self
            .around_view(MARGIN_BLOCKS)
            .chain(self.pinned)
            .filter(|block| !self.drawn[*block])
            .min_by_key(|block| (block.abs_diff(middle), *block));
        let mut changed = false;
        if let Some(block) = missing {
            self.draw(block);
            changed = true;
        } else if self.present < self.drawn.len() {
            self.present = (self.present + TAIL_BLOCKS_PER_STEP).min(self.drawn.len());
            changed = true;
        }
        if !self.whole {
            let keep = self.around_view(MARGIN_BLOCKS + KEEP_BLOCKS);
            for block in 0..self.drawn.len() {
                if self.drawn[block] && !keep.contains(&block) && self.pinned != Some(block) {
                    self.drawn[block] = false;
                    changed = true;
                }
            }
        }
        changed
    }

    /// How many blocks are drawn.
    pub fn drawn_count(&self) -> usize {
        self.drawn.iter().filter(|drawn| **drawn).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_to_complete(window: &mut BlockWindow) -> usize {
        let mut steps = 0;
        while !window.complete() {
            assert!(window.step(), "a step that changes nothing before the window is complete would loop forever");
            steps += 1;
            assert!(steps <= window.blocks(), "more steps than blocks");
        }
        steps
    }

    #[test]
    fn a_short_article_is_drawn_whole_and_stays_so() {
        let mut window = BlockWindow::new(3, 9);
        assert!(window.complete());
        window.set_view(2, 2);
        window.step();
        assert_eq!(window.drawn_count(), 3);
    }

    #[test]
    fn a_long_article_draws_the_view_and_its_neighbours_nearest_first() {
        let mut window = BlockWindow::new(40, 9);
        assert_eq!(window.drawn_count(), 1);
        window.set_view(0, 1);
        assert!(!window.complete());
        assert!(window.step());
        assert!(window.is_drawn(1), "the block in view comes before the margin");
        run_to_complete(&mut window);
        assert_eq!((0..40).filter(|block| window.is_drawn(*block)).collect::<Vec<_>>(), vec![0, 1, 2]);
    }

    #[test]
    fn scrolling_away_drops_the_far_blocks_so_the_dom_stays_small() {
        let mut window = BlockWindow::new(40, 9);
        for view in 0..38 {
            window.set_view(view, view + 1);
            run_to_complete(&mut window);
            window.step();
            assert!(
                window.drawn_count() <= 2 + 2 * (MARGIN_BLOCKS + KEEP_BLOCKS),
                "at {view}: {} blocks drawn",
                window.drawn_count()
            );
        }
        assert!(!window.is_drawn(0), "the top lost its highlights at the bottom");
        assert!(window.is_drawn(39));
    }

    #[test]
    fn the_selected_block_is_drawn_wherever_it_is() {
        let mut window = BlockWindow::new(40, 9);
        window.pin(Some(30));
        assert!(window.is_drawn(30), "drawn at once, before the next paint");
        run_to_complete(&mut window);
        window.step();
        assert!(window.is_drawn(30), "not dropped while selected");
        window.pin(None);
        window.step();
        assert!(!window.is_drawn(30), "dropped once the selection moves on");
    }

    #[test]
    fn a_jump_draws_the_new_view_before_the_margin() {
        let mut window = BlockWindow::new(40, 9);
        window.set_view(20, 20);
        assert!(window.draw_view());
        assert!(window.is_drawn(20));
        assert!(window.step() && window.step());
        assert!(window.is_drawn(19) && window.is_drawn(21), "the margin comes in the next two steps");
        run_to_complete(&mut window);
    }

    #[test]
    fn a_long_article_starts_with_its_first_blocks_and_the_rest_follows_after_the_window() {
        let mut window = BlockWindow::new(40, 9);
        assert_eq!((0..40).filter(|block| window.is_present(*block)).count(), FIRST_BLOCKS);
        window.set_view(0, 1);
        assert!(window.step());
        assert!(window.is_drawn(1));
        assert!(window.step());
        assert!(window.is_drawn(2), "the window is drawn before more text comes");
        assert_eq!((0..40).filter(|block| window.is_present(*block)).count(), FIRST_BLOCKS);
        assert!(!window.complete(), "not complete while text is missing");
        run_to_complete(&mut window);
        assert!((0..40).all(|block| window.is_present(block)));
        assert!(!window.step(), "nothing left to do");
        assert!(BlockWindow::new(9, 9).is_present(8), "a short article is all there from the start");
    }

    #[test]
    fn the_selected_block_brings_every_block_up_to_it() {
        let mut window = BlockWindow::new(40, 9);
        window.pin(Some(30));
        assert!((0..=30).all(|block| window.is_present(block)), "so that nothing above it moves later");
        assert!(!window.is_present(31));
        let mut jumped = BlockWindow::new(40, 9);
        jumped.set_view(20, 21);
        jumped.draw_view();
        assert!(jumped.is_present(21) && !jumped.is_present(22));
    }

    #[test]
    fn views_out_of_range_are_clamped() {
        let mut window = BlockWindow::new(4, 0);
        window.set_view(10, 7);
        run_to_complete(&mut window);
        assert!(window.is_drawn(3) && window.is_drawn(2));
        let mut empty = BlockWindow::new(0, 0);
        empty.set_view(3, 5);
        assert!(empty.complete());
        assert!(!empty.step());
    }
}
