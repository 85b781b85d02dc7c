"""Shared fixtures: the exports written by `cargo run --example write_exports -- <dir>`.

`run.sh` writes them to a temporary folder and passes it as CROSSCHECK_EXPORTS. Run alone,
pytest writes them itself (which needs cargo).
"""

import json
import os
import pathlib
import subprocess
import zipfile

import pytest

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent


@pytest.fixture(scope="session")
def exports(tmp_path_factory):
    given = os.environ.get("CROSSCHECK_EXPORTS")
    if given:
        return pathlib.Path(given)
    directory = tmp_path_factory.mktemp("exports")
    subprocess.run(
        ["cargo", "run", "--quiet", "--example", "write_exports", "--", str(directory)],
        cwd=REPO,
        check=True,
    )
    return directory


@pytest.fixture(scope="session")
def expected(exports):
    return json.loads((exports / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def jsonl_lines(exports):
    text = (exports / "annotations.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.split("\n") if line]


@pytest.fixture(scope="session")
def articles(jsonl_lines):
    """Article id -> stored text, from the JSONL export."""
    return {line["id"]: line["text"] for line in jsonl_lines}


@pytest.fixture(scope="session")
def spans(jsonl_lines):
    """Span id -> (article id, span object), from the JSONL export."""
    return {span["id"]: (line["id"], span) for line in jsonl_lines for span in line["spans"]}


@pytest.fixture(scope="session")
def brat_dir(exports, tmp_path_factory):
    directory = tmp_path_factory.mktemp("brat")
    with zipfile.ZipFile(exports / "annotations.brat.zip") as archive:
        assert archive.testzip() is None
        archive.extractall(directory)
    return directory
