"""The NLI pairs: premise / hypothesis / label in the MultiNLI convention."""

import json

LABELS = {"contradicts": "contradiction", "supports": "entailment", "same-statement": "entailment"}
KEYS = {
    "premise", "hypothesis", "label", "relation_id", "relation_type", "kind",
    "premise_article", "hypothesis_article", "premise_span", "hypothesis_span",
}


def test_pairs(exports, spans, expected):
    lines = (exports / "nli.jsonl").read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""
    pairs = [json.loads(line) for line in lines[:-1]]
    assert len(pairs) == expected["nli_pairs"]
    assert len(pairs) == expected["relations"] - expected["attributed_to_relations"]
    for pair in pairs:
        assert set(pair) == KEYS
        assert pair["label"] in {"entailment", "neutral", "contradiction"}
        assert pair["label"] == LABELS[pair["relation_type"]]
        assert isinstance(pair["premise"], str) and pair["premise"]
        assert isinstance(pair["hypothesis"], str) and pair["hypothesis"]
        premise_article, premise = spans[pair["premise_span"]]
        hypothesis_article, hypothesis = spans[pair["hypothesis_span"]]
        assert (pair["premise"], pair["premise_article"]) == (premise["text"], premise_article)
        assert (pair["hypothesis"], pair["hypothesis_article"]) == (hypothesis["text"], hypothesis_article)
    assert {pair["label"] for pair in pairs} == {"entailment", "contradiction"}
