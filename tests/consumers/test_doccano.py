"""doccano's own server imports the doccano export: every span and every in-article link arrives.

The server is doccano 1.8 from PyPI in its own venv (run.sh makes it), run by
servers/doccano_server.py on 127.0.0.1 with SQLite in a temporary folder. The file goes in the way
doccano's web page sends it: a filepond upload, then the import API with the "JSONL(Relation)"
option of a sequence-labelling project with relations and overlapping spans allowed.
"""

import json
import pathlib
import time

import pytest

from conftest import Server, free_port, http_json, multipart, venv_python

HERE = pathlib.Path(__file__).resolve().parent


def test_the_file_has_integer_ids_and_code_point_offsets(doccano_jsonl, articles, expected, exports):
    assert len(doccano_jsonl) == expected["articles"]
    entity_count = 0
    for line in doccano_jsonl:
        assert line["text"] == articles[line["article_id"]]
        ids = set()
        for entity in line["entities"]:
            assert all(isinstance(entity[key], int) for key in ("id", "start_offset", "end_offset"))
            assert 0 <= entity["start_offset"] < entity["end_offset"] <= len(line["text"])
            assert entity["label"] in expected["labels"]
            ids.add(entity["id"])
        for relation in line["relations"]:
            assert isinstance(relation["id"], int)
            assert {relation["from_id"], relation["to_id"]} <= ids
        entity_count += len(line["entities"])
    assert entity_count == expected["spans"]
    sidecar = [json.loads(line) for line in (exports / "doccano-cross-article-links.jsonl").read_text("utf-8").split("\n") if line]
    assert len(sidecar) == expected["cross_article_relations"]
    for link in sidecar:
        for end in (link["from"], link["to"]):
            assert articles[end["article_id"]][end["start_offset"]:end["end_offset"]] == end["text"]
    in_article = sum(len(line["relations"]) for line in doccano_jsonl)
    assert in_article + len(sidecar) == expected["relations"]


@pytest.fixture(scope="module")
def doccano(tmp_path_factory):
    python = venv_python("doccano")
    port = free_port()
    data = tmp_path_factory.mktemp("doccano")
    with open(data / "server.log", "w") as log:
        with Server([python, str(HERE / "servers" / "doccano_server.py"), str(port), str(data / "db")], log=log) as server:
            started = time.monotonic()
            token = server.wait_for_line("READY ", timeout=300)
            print(f"doccano started in {time.monotonic() - started:.1f} s")
            base = f"http://127.0.0.1:{port}/v1"
            yield lambda method, path, **kwargs: http_json(method, base + path, f"Token {token}", **kwargs)


@pytest.mark.server
def test_doccano_imports_every_span_and_in_article_relation(doccano, exports, doccano_jsonl, expected):
    status, project = doccano("POST", "/projects", body={
        "name": "Crosscheck export", "description": "consumer test", "guideline": "",
        "project_type": "SequenceLabeling", "resourcetype": "SequenceLabelingProject",
        "use_relation": True, "allow_overlapping": True,
    })
    assert status == 201, project
    pid = project["id"]
    body, content_type = multipart("filepond", "doccano.jsonl", (exports / "doccano.jsonl").read_bytes())
    status, upload_id = doccano("POST", "/fp/process/", raw=body, content_type=content_type)
    assert status == 200, upload_id
    status, catalog = doccano("GET", f"/projects/{pid}/catalog")
    assert any(option["display_name"] == "JSONL(Relation)" for option in catalog), catalog
    status, task = doccano("POST", f"/projects/{pid}/upload", body={
        "uploadIds": [upload_id], "format": "JSONL", "task": "RelationExtraction",
        "column_data": "text", "column_label": "label",
    })
    assert status == 200, task
    status, outcome = doccano("GET", f"/tasks/status/{task['task_id']}")
    assert status == 200 and outcome["ready"], outcome
    assert outcome["result"]["error"] == [], outcome

    status, examples = doccano("GET", f"/projects/{pid}/examples?limit=1000")
    assert examples["count"] == expected["articles"]
    _, span_types = doccano("GET", f"/projects/{pid}/span-types")
    _, relation_types = doccano("GET", f"/projects/{pid}/relation-types")
    span_label = {kind["id"]: kind["text"] for kind in span_types}
    relation_label = {kind["id"]: kind["text"] for kind in relation_types}
    lines = {line["article_id"]: line for line in doccano_jsonl}
    span_total = relation_total = 0
    for example in examples["results"]:
        line = lines[example["meta"]["article_id"]]
        assert example["text"] == line["text"]
        assert example["meta"]["title"] == line["title"] and example["meta"]["source"] == line["source"]
        _, spans = doccano("GET", f"/projects/{pid}/examples/{example['id']}/spans")
        got = sorted((span["start_offset"], span["end_offset"], span_label[span["label"]]) for span in spans)
        want = sorted((entity["start_offset"], entity["end_offset"], entity["label"]) for entity in line["entities"])
        assert got == want, example["meta"]["article_id"]
        by_offsets = {span["id"]: (span["start_offset"], span["end_offset"]) for span in spans}
        entity_offsets = {entity["id"]: (entity["start_offset"], entity["end_offset"]) for entity in line["entities"]}
        _, relations = doccano("GET", f"/projects/{pid}/examples/{example['id']}/relations")
        got = sorted((by_offsets[r["from_id"]], by_offsets[r["to_id"]], relation_label[r["type"]]) for r in relations)
        want = sorted((entity_offsets[r["from_id"]], entity_offsets[r["to_id"]], r["type"]) for r in line["relations"])
        assert got == want, example["meta"]["article_id"]
        span_total += len(spans)
        relation_total += len(relations)
    assert span_total == expected["spans"]
    assert relation_total == expected["relations"] - expected["cross_article_relations"]
    assert relation_total > 0
