"""The CSV export as pandas reads it."""

import pandas as pd

COLUMNS = [
    "article_id", "article_title", "start", "end", "label", "text",
    "speaker", "form", "cue", "kind", "check_worthy", "verdict", "canonical", "note",
    "author", "created", "span_id",
]
# Present when some article has a URL, a date or page metadata (see formats/csv.rs).
ARTICLE_METADATA_COLUMNS = [
    "article_url", "article_canonical_url", "article_published", "article_modified",
    "article_authors", "article_site", "article_language", "article_description",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def unneutralize(cell):
    """Undoes the export's formula-injection guard: a leading ' is always the escape."""
    return cell[1:] if cell.startswith("'") else cell


def read(exports):
    return pd.read_csv(exports / "annotations.csv", dtype=str, keep_default_na=False, encoding="utf-8")


def test_rows_and_columns(exports, expected):
    frame = read(exports)
    assert list(frame.columns) in (COLUMNS, COLUMNS + ARTICLE_METADATA_COLUMNS)
    assert len(frame) == expected["spans"]
    assert frame["span_id"].is_unique


def test_cells_match_the_jsonl(exports, articles, spans):
    frame = read(exports)
    for row in frame.itertuples(index=False):
        article_id, span = spans[row.span_id]
        assert row.article_id == article_id
        start, end = int(row.start), int(row.end)
        assert (start, end) == (span["start"], span["end"])
        assert unneutralize(row.text) == span["text"] == articles[article_id][start:end]
        assert row.label == span["label"]
        assert pd.Timestamp(row.created).tzinfo is not None


def test_formula_cells_are_neutralised(exports):
    frame = read(exports)
    for column in frame.columns:
        for cell in frame[column]:
            assert not cell.startswith(FORMULA_STARTS), (column, cell)
    assert "'=SUM(A1) is not a formula" in set(frame["text"])
    assert "'-5% turnout was reported" in set(frame["text"])
    assert any(note.startswith("'@") for note in frame["note"])
    # Titles that start with an apostrophe get one more, so the escape stays reversible.
    assert all(not cell.startswith("'") or cell[1:].startswith(FORMULA_STARTS + ("'",)) for cell in frame["text"])


def test_pandas_unescapes_with_one_replace(exports, spans):
    frame = read(exports)
    restored = frame["text"].str.replace(r"^'", "", regex=True)
    assert list(restored) == [spans[span_id][1]["text"] for span_id in frame["span_id"]]
