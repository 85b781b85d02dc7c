//! The view position the browser's copy restores on reload: which view, which article, which two
//! articles side by side.

use serde::{Deserialize, Serialize};

use crate::domain::article::ArticleId;
use crate::domain::state::{UiPosition, View};

/// [`View`] as stored: its tag is spelled here, not taken from the domain variant's name.
#[derive(Clone, Copy, Default, Serialize, Deserialize)]
pub enum StoredView {
    #[default]
    #[serde(rename = "read")]
    Read,
    #[serde(rename = "compare")]
    Compare,
    #[serde(rename = "graph")]
    Graph,
    #[serde(rename = "agreement")]
    Agreement,
    #[serde(rename = "adjudicate")]
    Adjudicate,
    #[serde(rename = "matrix")]
    Matrix,
}

/// [`UiPosition`] as stored; every key is written (`null` when there is no article).
#[derive(Default, Serialize, Deserialize)]
pub struct StoredUiPosition {
    #[serde(default)]
    pub view: StoredView,
    #[serde(default)]
    pub article: Option<String>,
    #[serde(default)]
    pub compare_left: Option<String>,
    #[serde(default)]
    pub compare_right: Option<String>,
}

impl From<&UiPosition> for StoredUiPosition {
    fn from(position: &UiPosition) -> StoredUiPosition {
        let view = match position.view {
            View::Read => StoredView::Read,
            View::Compare => StoredView::Compare,
            View::Graph => StoredView::Graph,
            View::Agreement => StoredView::Agreement,
            View::Adjudicate => StoredView::Adjudicate,
            View::Matrix => StoredView::Matrix,
        };
        let id = |id: &Option<ArticleId>| id.as_ref().map(ArticleId::to_string);
        StoredUiPosition {
            view,
            article: id(&position.article),
            compare_left: id(&position.compare_left),
            compare_right: id(&position.compare_right),
        }
    }
}

impl From<StoredUiPosition> for UiPosition {
    fn from(position: StoredUiPosition) -> UiPosition {
        let view = match position.view {
            StoredView::Read => View::Read,
            StoredView::Compare => View::Compare,
            StoredView::Graph => View::Graph,
            StoredView::Agreement => View::Agreement,
            StoredView::Adjudicate => View::Adjudicate,
            StoredView::Matrix => View::Matrix,
        };
        let id = |id: Option<String>| id.map(ArticleId::from);
        UiPosition {
            view,
            article: id(position.article),
            compare_left: id(position.compare_left),
            compare_right: id(position.compare_right),
        }
    }
}
