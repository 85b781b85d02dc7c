"""Label Studio's own server imports the tasks into the shipped labelling interface.

The real `label-studio` package from PyPI, in its own venv (run.sh makes it), started with
SQLite in a temporary folder on 127.0.0.1 (telemetry, Sentry and the version check off). The
project is created with the exported `<Labels>` + `<Relations>` interface and the tasks go
through its import API; then every task, annotation, region and relation is read back.
"""

import json
import time
import urllib.request

import pytest

from conftest import Server, free_port, http_json, venv_python

pytestmark = pytest.mark.server

TOKEN = "crosschecktesttoken0123456789abcdef0123"


@pytest.fixture(scope="module")
def label_studio(tmp_path_factory):
    python = venv_python("label-studio")
    port = free_port()
    data = tmp_path_factory.mktemp("label-studio")
    command = [
        python, "-m", "label_studio.server", "start", "--no-browser", "--internal-host", "127.0.0.1",
        "--port", str(port), "--data-dir", str(data / "data"), "--username", "crosscheck@example.org",
        "--password", "crosscheck-test", "--user-token", TOKEN, "--enable-legacy-api-token",
    ]
    quiet = {"SENTRY_DSN": "", "FRONTEND_SENTRY_DSN": "", "LATEST_VERSION_CHECK": "false",
             "COLLECT_ANALYTICS": "false", "HOST": "", "LABEL_STUDIO_BASE_DATA_DIR": str(data / "data")}
    with open(data / "server.log", "w") as log, Server(command, quiet, log=log) as server:
        base = f"http://127.0.0.1:{port}"
        started = time.monotonic()
        while time.monotonic() - started < 600:
            if server.process.poll() is not None:
                raise AssertionError(f"Label Studio exited; see {data / 'server.log'}")
            try:
                with urllib.request.urlopen(base + "/health", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(2)
        else:
            raise AssertionError("Label Studio did not start within 600 s")
        print(f"Label Studio started in {time.monotonic() - started:.1f} s")
        yield lambda method, path, **kwargs: http_json(method, base + path, f"Token {TOKEN}", **kwargs)


def test_label_studio_imports_every_region_and_relation(label_studio, exports, expected):
    config = (exports / "label-studio-config.xml").read_text(encoding="utf-8")
    tasks = json.loads((exports / "label-studio.json").read_text(encoding="utf-8"))
    status, project = label_studio("POST", "/api/projects", body={"title": "Crosscheck export", "label_config": config})
    assert status == 201, project
    pid = project["id"]
    status, summary = label_studio("POST", f"/api/projects/{pid}/import?commit_to_project=true", body=tasks)
    assert status == 201, json.dumps(summary)[:3000]
    assert summary["task_count"] == expected["articles"]
    assert summary["annotation_count"] == sum(len(task["annotations"]) for task in tasks)

    status, listing = label_studio("GET", f"/api/tasks?project={pid}&page_size=1000&fields=all")
    assert status == 200, listing
    by_article = {task["data"]["article_id"]: task for task in tasks}
    regions, relations, authors = set(), set(), 0
    for task in listing["tasks"]:
        sent = by_article[task["data"]["article_id"]]
        assert task["data"]["text"] == sent["data"]["text"]
        assert len(task["annotations"]) == len(sent["annotations"]) == len(sent["data"]["authors"])
        authors += len(task["annotations"])
        for annotation in task["annotations"]:
            for item in annotation["result"]:
                if item["type"] == "labels":
                    value = item["value"]
                    assert task["data"]["text"][value["start"]:value["end"]] == value["text"], item["id"]
                    regions.add((item["id"], value["start"], value["end"], value["labels"][0]))
                else:
                    assert item["type"] == "relation"
                    ids = {region["id"] for region in annotation["result"] if region["type"] == "labels"}
                    assert {item["from_id"], item["to_id"]} <= ids
                    relations.add((item["from_id"], item["to_id"], item["labels"][0], item["direction"]))
    assert len(regions) == expected["spans"]
    assert {label for *_, label in regions} == set(expected["labels"])
    assert len(relations) == expected["relations"] - expected["cross_article_relations"]
    assert {direction for *_, direction in relations} == {"right", "bi"}
    assert authors > expected["articles"], "some article has more than one author"
