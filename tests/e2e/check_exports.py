"""Checks the exports the browser downloaded with the consumer suite in tests/consumers.

Usage: check_exports.py DIR, where DIR holds project.json, annotations.jsonl, annotations.csv,
annotations.w3c.json, annotations.brat.zip, nli.jsonl, doccano.jsonl,
doccano-cross-article-links.jsonl, label-studio.json, label-studio-config.xml, fever.jsonl and
claimreview.jsonld as downloaded from the app. The counts
the consumer checks expect (expected.json) are computed here from the project export, so the
other five exports are checked against the project they came from.
"""

import json
import os
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
CONSUMERS = HERE.parent / "consumers"
ROWS_PER_LINK = {"contradicts": 1, "supports": 1, "same-statement": 2}  # NLI rows: restatements both ways


def main(directory):
    directory = pathlib.Path(directory)
    project = json.loads((directory / "project.json").read_text(encoding="utf-8"))
    span_article = {span["id"]: span["article"] for span in project["spans"]}
    texts = {article["id"]: article["text"] for article in project["articles"]}
    for span in project["spans"]:
        assert texts[span["article"]][span["start"]:span["end"]] == span["text"], span
    relations = project["relations"]
    expected = {
        "articles": len(project["articles"]),
        "spans": len(project["spans"]),
        "relations": len(relations),
        "cross_article_relations": sum(span_article[r["from"]] != span_article[r["to"]] for r in relations),
        "attributed_to_relations": sum(r["type"] == "attributed-to" for r in relations),
        "nli_pairs": sum(ROWS_PER_LINK.get(r["type"], 0) for r in relations),
        "claims": sum(span["label"] == "claim" for span in project["spans"]),
        "reviewed_claims": sum(
            span["label"] == "claim" and span.get("attributes", {}).get("verdict", "") not in ("", "unverified")
            for span in project["spans"]
        ),
        "labels": [label["name"] for label in project["labels"]],
    }
    (directory / "expected.json").write_text(json.dumps(expected), encoding="utf-8")
    environment = dict(os.environ, CROSSCHECK_EXPORTS=str(directory), HF_DATASETS_OFFLINE="1", HF_HUB_OFFLINE="1")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(CONSUMERS / "pytest.ini"), "--rootdir", str(CONSUMERS),
         "-q", "-p", "no:cacheprovider", str(CONSUMERS),
         # The doccano and Label Studio servers run on the sample in the consumers step.
         "-m", "not server",
         # These two look for cells of the consumer suite's own sample project.
         "-k", "not the_sample_has and not formula_cells_are_neutralised and not test_agreement"],
        env=environment, capture_output=True, text=True,
    )
    print(result.stdout[-3000:])
    if result.returncode != 0:
        print(result.stderr[-3000:], file=sys.stderr)
        sys.exit(result.returncode)
    check_formulas(directory)
    print(f"all exports check out: {expected['spans']} spans, {expected['relations']} links, {expected['articles']} articles")


def check_formulas(directory):
    """Every cell that would start a spreadsheet formula is neutralised with a leading quote."""
    import pandas

    frame = pandas.read_csv(directory / "annotations.csv", dtype=str, keep_default_na=False)
    cells = [cell for column in frame.columns for cell in frame[column]]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells), "formula cell in CSV"
    notes = set(frame["note"])
    assert "'=HYPERLINK(\"http://evil\")" in notes, notes


if __name__ == "__main__":
    main(sys.argv[1])
