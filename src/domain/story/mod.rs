//! The story at a glance: who says what across outlets, as a matrix and as a picture.
//!
//! [`matrix`] turns the clusters of linked claims and quotes into rows, the articles into
//! columns (outlet and date, in date order) and what each article says into cells, with the
//! contradictions between cells and the numbers that differ along a row. [`numbers`] finds those
//! numbers with `suggest::numbers`. [`picture`] lays the claim graph out for an SVG node-link
//! diagram, one cluster shape at a time with [`forces`] (`fjadra`, a port of d3-force; in the
//! browser inside a web worker), packed so clusters never overlap.

pub mod forces;
pub mod matrix;
pub mod numbers;
pub mod picture;

pub use matrix::{
    outlet_of, published_date, Column, Contradiction, Entry, MatrixFilter, Row, RowOrder, RowView, StoryMatrix,
};
