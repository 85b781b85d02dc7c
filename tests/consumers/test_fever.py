"""The FEVER-style claims as Hugging Face `datasets` loads them, labels as a FEVER ClassLabel."""

import json

FEVER_NAMES = ["SUPPORTS", "REFUTES", "NOT ENOUGH INFO"]


def test_datasets_loads_claims_with_fever_labels_and_evidence(exports, tmp_path, expected, articles, spans):
    from datasets import ClassLabel, load_dataset

    dataset = load_dataset("json", data_files=str(exports / "fever.jsonl"), split="train", cache_dir=str(tmp_path))
    dataset = dataset.cast_column("label", ClassLabel(names=FEVER_NAMES))
    assert len(dataset) == expected["claims"]
    assert set(dataset["label"]) <= {0, 1, 2}
    rows = [json.loads(line) for line in (exports / "fever.jsonl").read_text("utf-8").split("\n") if line]
    for row in rows:
        text = articles[row["claim_article"]]
        assert text[row["claim_start"]:row["claim_end"]] == row["claim"] == spans[row["claim_span"]][1]["text"]
        assert row["claim"] in row["claim_sentence"] and row["claim_sentence"] in text
        stances = {item["stance"] for evidence_set in row["evidence"] for item in evidence_set}
        want = {frozenset({"supports"}): "SUPPORTS", frozenset({"refutes"}): "REFUTES"}
        assert row["label"] == want.get(frozenset(stances), "NOT ENOUGH INFO")
        assert row["conflicting"] == (stances == {"supports", "refutes"})
        assert (row["verifiable"] == "NOT VERIFIABLE") == (not row["evidence"])
        for evidence_set in row["evidence"]:
            assert len(evidence_set) == 1
            item = evidence_set[0]
            evidence_text = articles[item["article_id"]]
            assert evidence_text[item["start"]:item["end"]] == item["text"]
            assert item["text"] in item["sentence"] and item["sentence"] in evidence_text


def test_the_sample_has_all_three_fever_labels(exports):
    rows = [json.loads(line) for line in (exports / "fever.jsonl").read_text("utf-8").split("\n") if line]
    assert {row["label"] for row in rows} == set(FEVER_NAMES)
