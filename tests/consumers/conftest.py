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


@pytest.fixture(scope="session")
def doccano_jsonl(exports):
    text = (exports / "doccano.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.split("\n") if line]


def venv_python(name):
    """The Python of a consumer's own venv, made by run.sh (`.tools/consumers/<name>`)."""
    variable = f"CROSSCHECK_{name.upper().replace('-', '_')}_PYTHON"
    python = os.environ.get(variable) or str(REPO / ".tools" / "consumers" / name / "bin" / "python")
    if not pathlib.Path(python).exists():
        pytest.fail(f"{name} is not installed: run tests/consumers/run.sh, which makes its venv ({python})")
    return python


def free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A consumer's server in its own process group, stopped (with its children) on exit."""

    def __init__(self, command, environment=None, log=None):
        self.command, self.environment, self.log = command, environment, log

    def __enter__(self):
        self.process = subprocess.Popen(
            self.command, stdout=subprocess.PIPE, stderr=self.log or subprocess.DEVNULL, text=True,
            env=dict(os.environ, **(self.environment or {})), start_new_session=True,
        )
        return self

    def wait_for_line(self, prefix, timeout):
        import select
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stdout], [], [], 1)
            if ready:
                line = self.process.stdout.readline()
                if line.startswith(prefix):
                    return line[len(prefix):].strip()
                if not line and self.process.poll() is not None:
                    break
        raise AssertionError(f"{self.command[1]} did not print {prefix!r} within {timeout} s")

    def __exit__(self, *exc):
        import signal

        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def http_json(method, url, token_header, body=None, raw=None, content_type="application/json"):
    """One HTTP request to a local consumer server; returns (status, parsed JSON or text)."""
    import urllib.error
    import urllib.request

    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    headers = {"Authorization": token_header}
    if data is not None:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            status, payload = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, payload = error.code, error.read()
    try:
        return status, json.loads(payload)
    except ValueError:
        return status, payload.decode("utf-8", "replace")


def multipart(field, file_name, content):
    import uuid

    boundary = "crosscheck" + uuid.uuid4().hex
    head = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\n"
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return head + content + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"
