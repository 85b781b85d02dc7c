"""The spaCy / Prodigy JSONL export: Python slices give the span text."""

import json


def test_one_line_per_article(jsonl_lines, expected):
    assert len(jsonl_lines) == expected["articles"]
    assert len({line["id"] for line in jsonl_lines}) == expected["articles"]
    for line in jsonl_lines:
        assert {"id", "title", "source", "text", "spans", "relations"} <= set(line)


def test_every_span_slice_equals_its_text(jsonl_lines, expected):
    count = 0
    for line in jsonl_lines:
        text = line["text"]
        for span in line["spans"]:
            assert isinstance(span["start"], int) and isinstance(span["end"], int)
            assert 0 <= span["start"] < span["end"] <= len(text)
            assert text[span["start"]:span["end"]] == span["text"], span["id"]
            assert span["label"] in expected["labels"]
            assert span["label_id"] == span["label"].lower()
            count += 1
    assert count == expected["spans"]


def test_the_sample_has_hard_unicode(jsonl_lines):
    texts = [span["text"] for line in jsonl_lines for span in line["spans"]]
    assert any("🇺🇸🇮🇱" in text for text in texts)
    assert any("👨‍👩‍👧" in text for text in texts)
    assert any("\n" in text for text in texts)
    assert any("\u2028" in text for text in texts)
    assert all("\r" not in line["text"] for line in jsonl_lines)


def test_relations_sit_on_the_line_of_their_from_span(jsonl_lines, spans, expected):
    relations = [(line["id"], relation) for line in jsonl_lines for relation in line["relations"]]
    assert len(relations) == expected["relations"]
    for article_id, relation in relations:
        assert spans[relation["from"]][0] == article_id == relation["from_article"]
        assert spans[relation["to"]][0] == relation["to_article"]
    assert sum(r["from_article"] != r["to_article"] for _, r in relations) == expected["cross_article_relations"]


def test_project_json_agrees(exports, articles, spans):
    project = json.loads((exports / "project.json").read_text(encoding="utf-8"))
    assert project["format"] == "crosscheck-project"
    assert {article["id"]: article["text"] for article in project["articles"]} == articles
    assert {span["id"] for span in project["spans"]} == set(spans)
    for span in project["spans"]:
        assert articles[span["article"]][span["start"]:span["end"]] == span["text"]
