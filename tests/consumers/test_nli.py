"""The NLI pairs as Hugging Face `datasets` loads them, cast to MultiNLI's three class names."""

import json

import pytest

LABELS = {"contradicts": "contradiction", "supports": "entailment", "same-statement": "entailment"}
MNLI_NAMES = ["entailment", "neutral", "contradiction"]  # glue/mnli's ClassLabel, in its order
KEYS = {
    "premise", "hypothesis", "premise_sentence", "hypothesis_sentence", "label", "relation_id",
    "relation_type", "kind", "direction", "sampled", "origin", "suggestion", "premise_article",
    "hypothesis_article", "premise_span", "hypothesis_span", "premise_author", "hypothesis_author",
    "link_author",
}


@pytest.fixture(scope="module")
def pairs(exports):
    lines = (exports / "nli.jsonl").read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""
    return [json.loads(line) for line in lines[:-1]]


def test_hugging_face_datasets_loads_three_mnli_classes(exports, tmp_path, expected):
    from datasets import ClassLabel, load_dataset

    dataset = load_dataset("json", data_files=str(exports / "nli.jsonl"), split="train", cache_dir=str(tmp_path))
    dataset = dataset.cast_column("label", ClassLabel(names=MNLI_NAMES))
    assert dataset.features["label"].names == MNLI_NAMES
    counts = {name: dataset["label"].count(index) for index, name in enumerate(MNLI_NAMES)}
    assert all(counts[name] > 0 for name in MNLI_NAMES), counts
    linked = counts["entailment"] + counts["contradiction"]
    assert linked == expected["nli_pairs"]
    assert 0 < counts["neutral"] <= linked, "1:1 by default, fewer only when fewer unlinked pairs exist"
    assert set(dataset.column_names) == KEYS


def test_rows_carry_spans_sentences_directions_and_provenance(pairs, spans, articles):
    linked = [pair for pair in pairs if not pair["sampled"]]
    for pair in pairs:
        assert set(pair) == KEYS
        for side in ("premise", "hypothesis"):
            article, span = spans[pair[f"{side}_span"]]
            assert (pair[side], pair[f"{side}_article"]) == (span["text"], article)
            sentence = pair[f"{side}_sentence"]
            assert pair[side] in sentence and sentence in articles[article], (side, pair["relation_id"])
    for pair in linked:
        assert pair["label"] == LABELS[pair["relation_type"]]
        assert pair["origin"] in {"annotator", "accepted-suggestion"}
        assert (pair["origin"] == "accepted-suggestion") == bool(pair["suggestion"])
    restatements = [pair for pair in linked if pair["relation_type"] == "same-statement"]
    assert len(restatements) % 2 == 0
    forward = {(p["premise_span"], p["hypothesis_span"]) for p in restatements if p["direction"] == "forward"}
    reverse = {(p["hypothesis_span"], p["premise_span"]) for p in restatements if p["direction"] == "reverse"}
    assert forward == reverse, "every restatement in both directions"
    for pair in pairs:
        if pair["sampled"]:
            assert pair["label"] == "neutral" and pair["origin"] == "sampled"
            assert pair["relation_id"] is None and pair["premise_article"] != pair["hypothesis_article"]
    linked_pairs = {frozenset((p["premise_span"], p["hypothesis_span"])) for p in linked}
    assert not any(frozenset((p["premise_span"], p["hypothesis_span"])) in linked_pairs for p in pairs if p["sampled"])


def test_the_sample_has_rows_a_person_drew_and_rows_from_accepted_suggestions(pairs):
    linked = [pair for pair in pairs if not pair["sampled"]]
    assert {pair["origin"] for pair in linked} == {"annotator", "accepted-suggestion"}
    assert any(pair["relation_type"] == "same-statement" for pair in linked)
