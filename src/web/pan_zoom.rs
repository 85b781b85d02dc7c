//! Pan and zoom of the graph picture: one CSS transform on its `<svg>` (a composited layer inside
//! a clipping viewport), written at most once per animation frame however many pointer, wheel or
//! key events arrive in it. Nothing else is touched per event: no Yew render, no per-node work,
//! no layout read but the viewport's size and place. Below [`CAPTIONS_HIDDEN_BELOW`] the viewport
//! gets one attribute (`data-zoomed-out`) that hides the node captions.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::NodeRef;

/// Zoom limits.
const MIN_SCALE: f64 = 0.2;
const MAX_SCALE: f64 = 24.0;
/// Captions are unreadable below this scale: hidden by one class on the viewport.
pub const CAPTIONS_HIDDEN_BELOW: f64 = 0.6;
/// A press that moves less than this (CSS pixels, both axes summed) is a click, not a drag.
const DRAG_THRESHOLD: f64 = 4.0;

/// The picture's view: translate x, y (CSS pixels) and scale, the drag under way (the pointer's
/// last place, and how far it has moved), and whether a frame is already asked for.
pub struct PanZoom {
    svg: NodeRef,
    view: [f64; 3],
    written: Option<[f64; 3]>,
    drag: Option<(f64, f64, f64)>,
    frame_asked: bool,
}

/// The pan-and-zoom state shared by the picture's event handlers.
#[derive(Clone)]
pub struct Shared(Rc<RefCell<PanZoom>>);

impl PartialEq for Shared {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Shared {
    /// The view of the `<svg>` that `svg` refers to, at rest (no translation, scale 1).
    pub fn new(svg: NodeRef) -> Shared {
        Shared(Rc::new(RefCell::new(PanZoom {
            svg,
            view: [0.0, 0.0, 1.0],
            written: None,
            drag: None,
            frame_asked: false,
        })))
    }

    fn svg(&self) -> Option<web_sys::Element> {
        self.0.borrow().svg.cast::<web_sys::Element>()
    }

    /// The viewport's (the `<svg>`'s parent's) size in CSS pixels.
    pub fn viewport_size(&self) -> (f64, f64) {
        let viewport = self.svg().and_then(|svg| svg.parent_element());
        viewport
            .map_or((1.0, 1.0), |element| (element.client_width().max(1) as f64, element.client_height().max(1) as f64))
    }

    /// Writes the view to the `<svg>` now (if it changed since the last write).
    pub fn write(&self) {
        let (svg, view) = {
            let mut state = self.0.borrow_mut();
            state.frame_asked = false;
            if state.written == Some(state.view) {
                return;
            }
            state.written = Some(state.view);
            (state.svg.cast::<web_sys::Element>(), state.view)
        };
        let Some(svg) = svg else { return };
        let [x, y, scale] = view;
        let _ = svg.set_attribute("style", &format!("transform:translate({x:.1}px,{y:.1}px) scale({scale:.4})"));
        if let Some(viewport) = svg.parent_element() {
            let _ = match scale < CAPTIONS_HIDDEN_BELOW {
                true => viewport.set_attribute("data-zoomed-out", ""),
                false => viewport.remove_attribute("data-zoomed-out"),
            };
        }
    }

    /// Writes the view at the next animation frame (once, whatever else changes before it).
    fn write_at_next_frame(&self) {
        if std::mem::replace(&mut self.0.borrow_mut().frame_asked, true) {
            return;
        }
        let shared = self.clone();
        crate::web::schedule::at_next_frame(move || shared.write());
    }

    /// Moves the picture by `dx`, `dy` CSS pixels (drawn at the next frame).
    pub fn pan_by(&self, dx: f64, dy: f64) {
        {
            let view = &mut self.0.borrow_mut().view;
            view[0] += dx;
            view[1] += dy;
        }
        self.write_at_next_frame();
    }

    /// Zooms by `factor` keeping the point `at` (CSS pixels inside the viewport) in place, or
    /// the viewport's centre (drawn at the next frame).
    pub fn zoom_by(&self, factor: f64, at: Option<(f64, f64)>) {
        let (centre_x, centre_y) = at.unwrap_or_else(|| {
            let (width, height) = self.viewport_size();
            (width / 2.0, height / 2.0)
        });
        {
            let view = &mut self.0.borrow_mut().view;
            let [x, y, scale] = *view;
            let next = (scale * factor).clamp(MIN_SCALE, MAX_SCALE);
            let applied = next / scale;
            *view = [centre_x - (centre_x - x) * applied, centre_y - (centre_y - y) * applied, next];
        }
        self.write_at_next_frame();
    }

    /// Back to no translation and scale 1, written now (also to an `<svg>` drawn anew).
    pub fn reset(&self) {
        {
            let mut state = self.0.borrow_mut();
            state.view = [0.0, 0.0, 1.0];
            state.written = None;
        }
        self.write();
    }

    pub fn start_drag(&self, x: f64, y: f64) {
        self.0.borrow_mut().drag = Some((x, y, 0.0));
    }

    pub fn dragging(&self) -> bool {
        self.0.borrow().drag.is_some()
    }

    /// The pointer moved to `x`, `y` (client pixels): pans by the move if a drag is under way.
    /// Once it has moved [`DRAG_THRESHOLD`], the viewport says `data-dragging` (a cover then
    /// takes the pointer until the drag ends: styles/story.css).
    pub fn drag_to(&self, x: f64, y: f64) {
        let Some((start_x, start_y, moved)) = self.0.borrow().drag else { return };
        let now_moved = moved + (x - start_x).abs() + (y - start_y).abs();
        self.0.borrow_mut().drag = Some((x, y, now_moved));
        if moved < DRAG_THRESHOLD && now_moved >= DRAG_THRESHOLD {
            self.mark_dragging(true);
        }
        self.pan_by(x - start_x, y - start_y);
    }

    /// Ends a drag; the view is written now (the last move shows without waiting for a frame).
    pub fn end_drag(&self) {
        let Some((_, _, moved)) = self.0.borrow_mut().drag.take() else { return };
        if moved >= DRAG_THRESHOLD {
            self.mark_dragging(false);
        }
        self.write();
    }

    fn mark_dragging(&self, dragging: bool) {
        let Some(viewport) = self.svg().and_then(|svg| svg.parent_element()) else { return };
        let _ = match dragging {
            true => viewport.set_attribute("data-dragging", ""),
            false => viewport.remove_attribute("data-dragging"),
        };
    }

    /// The point `client_x`, `client_y` in CSS pixels inside the viewport.
    pub fn in_viewport(&self, client_x: f64, client_y: f64) -> Option<(f64, f64)> {
        let viewport = self.svg()?.parent_element()?;
        let rect = viewport.dyn_into::<web_sys::Element>().ok()?.get_bounding_client_rect();
        Some((client_x - rect.left(), client_y - rect.top()))
    }
}
