//! User Timing measures for DevTools' performance panel and `make bench` (`crosscheck:save`,
//! `crosscheck:load-store`, `crosscheck:migrate`, …). Marks and measures are cleared as soon as
//! they are made (a `PerformanceObserver` still receives them), so the timeline never grows.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(module = "/js/local_store.js")]
extern "C" {
    #[wasm_bindgen(catch)]
    fn record_measure(name: &str, start: f64, end: f64) -> Result<(), wasm_bindgen::JsValue>;
}

/// Records the measures `(name, start, end)` given as [`now`] times: no marks to create and
/// clear in the work measured (three marks cost ~0.3 ms of a 1 ms save).
pub fn record(measures: &[(&str, f64, f64)]) {
    for (name, start, end) in measures {
        let _ = record_measure(name, *start, *end);
    }
}

fn performance() -> Option<web_sys::Performance> {
    web_sys::window().and_then(|window| window.performance())
}

/// Milliseconds on the page's clock (`performance.now()`).
pub fn now() -> f64 {
    performance().map_or_else(js_sys::Date::now, |performance| performance.now())
}

pub fn mark(name: &str) {
    if let Some(performance) = performance() {
        let _ = performance.mark(name);
    }
}

/// Records the measures `(name, from mark, to mark)`, then clears them and the marks.
pub fn measure(measures: &[(&str, &str, &str)], marks: &[&str]) {
    let Some(performance) = performance() else { return };
    for (name, from, to) in measures {
        let _ = performance.measure_with_start_mark_and_end_mark(name, from, to);
        performance.clear_measures_with_measure_name(name);
    }
    for mark in marks {
        performance.clear_marks_with_mark_name(mark);
    }
}

/// Starts the measure `name` (ended by [`end`], possibly in a later task).
pub fn start(name: &str) {
    mark(&format!("{name}-start"));
}

/// Ends the measure `name` started by [`start`].
pub fn end(name: &str) {
    let (start, end) = (format!("{name}-start"), format!("{name}-end"));
    mark(&end);
    measure(&[(name, &start, &end)], &[&start, &end]);
}
