//! The default corpus: five real articles about one event, the project a first start opens.
//!
//! The files under `assets/corpus/` are copies of the project's sample articles. The app fetches
//! them from `corpus/` beside itself on a first start (`web::sample_corpus`), so the main wasm
//! does not carry their text to every returning visitor; the tests and the native tools read
//! the same files embedded with `include_str!` (`DEFAULT_CORPUS_FILES`, which the app does not
//! name, so the linker leaves their text out of it).

use crate::domain::article::{Article, ArticleId};

/// `(file name, raw text)` of each default article, in the order the app lists them.
pub const DEFAULT_CORPUS_FILES: [(&str, &str); 5] = [
    ("000_92a9d14c6e2840a7.txt", include_str!("../../assets/corpus/000_92a9d14c6e2840a7.txt")),
    ("001_fdcd489a63c1b1b4.txt", include_str!("../../assets/corpus/001_fdcd489a63c1b1b4.txt")),
    ("002_b5d4877363400f42.txt", include_str!("../../assets/corpus/002_b5d4877363400f42.txt")),
    ("003_49f1b7efc888a74a.txt", include_str!("../../assets/corpus/003_49f1b7efc888a74a.txt")),
    ("004_912483b5d7e3958a.txt", include_str!("../../assets/corpus/004_912483b5d7e3958a.txt")),
];

/// The default articles' file names, in the order the app lists them: `DEFAULT_CORPUS_FILES`'
/// names, taken at compile time, so a build that names only these carries none of the text.
pub const DEFAULT_CORPUS_NAMES: [&str; 5] = {
    let mut names = [""; 5];
    let mut index = 0;
    while index < names.len() {
        names[index] = DEFAULT_CORPUS_FILES[index].0;
        index += 1;
    }
    names
};

/// The ids of the default articles, in the order of `DEFAULT_CORPUS_FILES`: their texts' SHA-256
/// (`Article::new`), which `default_corpus_ids_are_the_ids_of_their_texts` holds them to. A first
/// start takes them from here ([`sample_articles`]), so the first load carries no SHA-256: a
/// reload's texts are checked with the browser's own (`js/early_texts.js`).
pub const DEFAULT_CORPUS_IDS: [&str; 5] =
    ["a-76cfda3a1b7d770b", "a-59c157cdaed33f94", "a-3de330256addd179", "a-517852d92271e7d0", "a-8508b362aa039a8c"];

/// The default articles from their raw texts, in the order of `DEFAULT_CORPUS_NAMES` (as a first
/// start fetched them), with the ids of [`DEFAULT_CORPUS_IDS`]: [`default_articles`] without
/// hashing.
pub fn sample_articles<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<Article> {
    DEFAULT_CORPUS_NAMES
        .iter()
        .zip(DEFAULT_CORPUS_IDS)
        .zip(texts)
        .map(|((file_name, id), raw_text)| Article::with_known_id(ArticleId::from(id), raw_text, "", file_name))
        .collect()
}

/// The articles of `(file name, raw text)` pairs, titles derived from their text, sources set to
/// their file names: the default corpus however its files were read.
pub fn articles_from_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<Article> {
    files.into_iter().map(|(file_name, raw_text)| Article::new(raw_text, "", file_name)).collect()
}

/// The five default articles, from the text embedded in this build.
pub fn default_articles() -> Vec<Article> {
    articles_from_files(DEFAULT_CORPUS_FILES.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_corpus_ids_are_the_ids_of_their_texts() {
        // A first start takes the ids from the table: a wrong one would be an article whose
        // text does not match its id, left out of the project on the next load.
        let hashed = default_articles();
        let ids: Vec<&str> = hashed.iter().map(|article| article.id.as_str()).collect();
        assert_eq!(ids, DEFAULT_CORPUS_IDS);
        let fetched = sample_articles(DEFAULT_CORPUS_FILES.iter().map(|(_, text)| *text));
        assert_eq!(fetched.len(), hashed.len());
        for (fetched, hashed) in fetched.iter().zip(&hashed) {
            assert!(fetched.id_matches_text());
            assert_eq!(
                (&fetched.id, &fetched.title, &fetched.source, &fetched.text),
                (&hashed.id, &hashed.title, &hashed.source, &hashed.text)
            );
        }
    }

    #[test]
    fn default_corpus_has_five_distinct_articles_with_expected_word_counts() {
        let articles = default_articles();
        assert_eq!(articles.len(), 5);
        let mut ids: Vec<_> = articles.iter().map(|article| article.id.clone()).collect();
        ids.dedup();
        assert_eq!(ids.len(), 5);
        // Unicode word counts; `wc -w` gives 405, 796, 1021, 653, 484 (it splits differently).
        let counts: Vec<usize> = articles.iter().map(Article::word_count).collect();
        for (count, wc) in counts.iter().zip([405, 796, 1021, 653, 484]) {
            assert!((*count as f64 - wc as f64).abs() / (wc as f64) < 0.12, "{counts:?}");
        }
        assert_eq!(
            articles[1].title,
            "US 'disappointed' and 'perplexed' as Israel cancels delegation's trip to Washington"
        );
        assert!(articles[0].title.starts_with("Israeli Prime Minister Benjamin Netanyahu"));
        assert_eq!(articles[2].source, "002_b5d4877363400f42.txt");
        assert!(articles.iter().all(|article| !article.text.contains('\r')));
    }
}
