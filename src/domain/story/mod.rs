//! The story at a glance: who says what across outlets, as a matrix and as a picture.
//!
//! [`matrix`] turns the clusters of linked claims and quotes into rows, the articles into
//! columns (outlet and date, in date order) and what each article says into cells, with the
//! contradictions between cells and the numbers that differ along a row. [`numbers`] finds those
//! numbers with `suggest::numbers`. [`picture`] lays the claim graph out for an SVG node-link
//! diagram with `fjadra` (a port of d3-force), one cluster at a time, packed so clusters never
//! overlap.

pub mod matrix;
pub mod numbers;
pub mod picture;

pub use matrix::{
    outlet_of, published_date, Column, Contradiction, Entry, MatrixFilter, Row, RowOrder, RowView, StoryMatrix,
};
