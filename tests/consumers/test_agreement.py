"""The agreement report, recomputed from the annotators' own project exports.

Every figure of `agreement/report.json` and `agreement/report.csv` is computed again here from
`alice.json`, `bob.json` and `carol.json` (what the annotators send the lead): Cohen's kappa
with scikit-learn's `cohen_kappa_score`, Fleiss' kappa with statsmodels' `fleiss_kappa`,
Krippendorff's alpha with the `krippendorff` package, span and link F1 by counting. Any
difference over 1e-9, or a figure one side leaves undefined and the other does not, fails.
The report's items are the code points that are not whitespace (Python's `str.isspace`, equal to
Unicode White_Space on these texts).
"""

import csv
import io
import itertools
import json
import math
import warnings
from collections import Counter

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa

TOLERANCE = 1e-9
GOLD = "gold"


@pytest.fixture(scope="module")
def data(exports):
    folder = exports / "agreement"
    layers = {}
    articles = {}
    order = []
    labels = {}
    symmetric = {}
    relations = []
    for name in ("alice", "bob", "carol"):
        project = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        for article in project["articles"]:
            if article["id"] not in articles:
                articles[article["id"]] = article["text"]
                order.append(article["id"])
        for label in project["labels"]:
            labels[label["id"]] = label
        for kind in project["relation_types"]:
            symmetric[kind["id"]] = kind["symmetric"]
        for span in project["spans"]:
            layers.setdefault(span["author"], []).append(span)
        relations.extend(project["relations"])
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((folder / "report.csv").read_text(encoding="utf-8"), newline="")))
    spans_by_id = {span["id"]: span for spans in layers.values() for span in spans}
    return {
        "layers": layers, "articles": articles, "order": order, "labels": labels, "symmetric": symmetric,
        "relations": relations, "report": report, "rows": rows, "spans_by_id": spans_by_id,
    }


def same(expected, got, what):
    """`expected` is None when the reference leaves the figure undefined."""
    if expected is None or (isinstance(expected, float) and math.isnan(expected)):
        assert got is None, f"{what}: reference undefined, report says {got}"
    else:
        assert got is not None, f"{what}: reference {expected}, report says n/a"
        assert abs(expected - got) <= TOLERANCE, f"{what}: reference {expected}, report {got}"


def key(span):
    return (span["article"], span["label"], span["start"], span["end"])


def shared_articles(data, authors):
    annotated = [{span["article"] for span in data["layers"].get(author, [])} for author in authors]
    return [article for article in data["order"] if all(article in seen for seen in annotated)]


def spans(data, author, articles, label):
    return [s for s in data["layers"].get(author, []) if s["article"] in articles and s["label"] == label]


def f1(a, b):
    a_count, b_count = Counter(a), Counter(b)
    matches = sum(min(count, b_count[k]) for k, count in a_count.items())
    total = sum(a_count.values()) + sum(b_count.values())
    return (None if total == 0 else 2 * matches / total), matches


def overlap_matches(a, b):
    candidates = []
    for i, left in enumerate(a):
        for j, right in enumerate(b):
            if left["article"] == right["article"] and left["label"] == right["label"]:
                overlap = min(left["end"], right["end"]) - max(left["start"], right["start"])
                if overlap > 0:
                    candidates.append((-overlap, left["start"], right["start"], i, j))
    used_a, used_b, matches = set(), set(), 0
    for _, _, _, i, j in sorted(candidates):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            matches += 1
    return matches


def inside(data, author, article, label):
    marks = [False] * len(data["articles"][article])
    for span in spans(data, author, [article], label):
        for index in range(span["start"], span["end"]):
            marks[index] = True
    return marks


def ratings(data, authors, articles, label):
    """Per author, the inside/outside rating of every non-whitespace code point."""
    rated = {author: [] for author in authors}
    for article in articles:
        text = data["articles"][article]
        marks = {author: inside(data, author, article, label) for author in authors}
        for index, character in enumerate(text):
            if not character.isspace():
                for author in authors:
                    rated[author].append(int(marks[author][index]))
    return rated


def cohen(data, a, b, articles, label):
    rated = ratings(data, [a, b], articles, label)
    if not rated[a]:
        return None, 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = cohen_kappa_score(rated[a], rated[b], labels=[0, 1])
    return (None if math.isnan(value) else float(value)), len(rated[a])


def measured_attributes(label):
    for attribute in label["attributes"]:
        kind = attribute["kind"]
        if kind["type"] == "choice" or (kind["type"] == "text" and kind.get("suggest_from") == "speaker"):
            yield attribute["key"]


def alpha(data, authors, articles):
    """Krippendorff's alpha per (label, attribute) over spans all `authors` marked identically."""
    first = {}
    for author in authors:
        mine = sorted((s for s in data["layers"].get(author, []) if s["article"] in articles), key=lambda s: s["id"])
        for span in mine:
            first.setdefault((author, key(span)), span)
    keys = sorted({k for (_, k) in first}, key=lambda k: (k[0], k[1], k[2], k[3]))
    matched = [[first[(author, k)] for author in authors] for k in keys if all((author, k) in first for author in authors)]
    figures = {}
    for label_id, label in data["labels"].items():
        for attribute in measured_attributes(label):
            units = [versions for versions in matched if versions[0]["label"] == label_id]
            values = sorted({(s["attributes"].get(attribute) or "").strip() for u in units for s in u} - {""})
            code = {value: number for number, value in enumerate(values)}
            matrix = np.array(
                [[code.get((u[r]["attributes"].get(attribute) or "").strip(), np.nan) for u in units] for r in range(len(authors))],
                dtype=float,
            )
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    value = float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
            except (ValueError, ZeroDivisionError):
                value = None
            if value is not None and math.isnan(value):
                value = None
            figures[(label_id, attribute)] = (value, len(units))
    return figures


def link_f1(data, a, b, articles):
    def keys(author, kind):
        out = []
        for relation in data["relations"]:
            if relation["author"] != author or relation["type"] != kind:
                continue
            ends = [data["spans_by_id"].get(relation["from"]), data["spans_by_id"].get(relation["to"])]
            if any(end is None or end["article"] not in articles for end in ends):
                continue
            pair = [key(ends[0]), key(ends[1])]
            if data["symmetric"][kind]:
                pair.sort()
            out.append(tuple(pair))
        return out

    return {kind: f1(keys(a, kind), keys(b, kind)) for kind in data["symmetric"]}


def expected_rows(data):
    """Every figure the report must hold, keyed as the CSV rows are, recomputed here."""
    expected = {}
    annotators = sorted(author for author in data["layers"] if author != GOLD)
    for a, b in itertools.combinations(annotators, 2):
        articles = shared_articles(data, [a, b])
        scopes = [("pair", "", articles)] + [("pair_article", article, [article]) for article in articles]
        for scope, article, compared in scopes:
            for label in data["labels"]:
                a_spans, b_spans = spans(data, a, compared, label), spans(data, b, compared, label)
                exact, _ = f1([key(s) for s in a_spans], [key(s) for s in b_spans])
                total = len(a_spans) + len(b_spans)
                overlap = None if total == 0 else 2 * overlap_matches(a_spans, b_spans) / total
                kappa, _ = cohen(data, a, b, compared, label)
                for measure, value in (("exact_f1", exact), ("overlap_f1", overlap), ("cohen_kappa", kappa)):
                    expected[(scope, a, b, article, label, "", "", measure)] = value
        for (label, attribute), (value, _) in alpha(data, [a, b], articles).items():
            expected[("pair", a, b, "", label, attribute, "", "krippendorff_alpha")] = value
        for kind, (value, _) in link_f1(data, a, b, articles).items():
            expected[("pair", a, b, "", "", "", kind, "link_f1")] = value
    if len(annotators) >= 3:
        articles = shared_articles(data, annotators)
        for label in data["labels"]:
            rated = ratings(data, annotators, articles, label)
            votes = np.array(rated[annotators[0]]) * 0
            for author in annotators:
                votes = votes + np.array(rated[author])
            table = np.column_stack([len(annotators) - votes, votes])
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value = float(fleiss_kappa(table, method="fleiss")) if len(table) else None
            expected[("group", "all", "", "", label, "", "", "fleiss_kappa")] = value
        for (label, attribute), (value, _) in alpha(data, annotators, articles).items():
            expected[("group", "all", "", "", label, attribute, "", "krippendorff_alpha")] = value
    return expected


def test_the_sample_has_three_annotators_who_disagree(data):
    assert data["report"]["annotators"] == ["alice", "bob", "carol"]
    assert data["report"]["group"] is not None
    values = [float(row["value"]) for row in data["rows"] if row["value"]]
    assert any(value < 0.999 for value in values), "the sample must hold disagreement"
    assert any(row["undefined"] for row in data["rows"]), "the sample must hold an undefined figure"


def test_every_csv_figure_equals_the_reference_implementations(data):
    expected = expected_rows(data)
    got = {}
    for row in data["rows"]:
        row_key = tuple(row[c] for c in ("scope", "a", "b", "article", "label", "attribute", "link_type", "measure"))
        got[row_key] = float(row["value"]) if row["value"] else None
        if not row["value"]:
            assert row["undefined"], f"{row_key}: no value and no reason"
    assert set(got) == set(expected)
    for row_key, value in expected.items():
        same(value, got[row_key], row_key)


def test_every_json_figure_and_its_counts_equal_the_recomputation(data):
    report = data["report"]
    for pair in report["pairs"]:
        a, b = pair["a"], pair["b"]
        assert pair["articles"] == shared_articles(data, [a, b])
        for figures in pair["labels"]:
            label = figures["label"]
            a_spans, b_spans = spans(data, a, pair["articles"], label), spans(data, b, pair["articles"], label)
            exact, matches = f1([key(s) for s in a_spans], [key(s) for s in b_spans])
            same(exact, figures["exact_f1"]["value"], (a, b, label, "exact"))
            assert (figures["exact_f1"]["matches"], figures["exact_f1"]["a_spans"], figures["exact_f1"]["b_spans"]) == (
                matches, len(a_spans), len(b_spans))
            assert figures["overlap_f1"]["matches"] == overlap_matches(a_spans, b_spans)
            kappa, items = cohen(data, a, b, pair["articles"], label)
            same(kappa, figures["cohen_kappa"]["value"], (a, b, label, "kappa"))
            assert figures["cohen_kappa"]["items"] == items
        reference = alpha(data, [a, b], pair["articles"])
        for figures in pair["attributes"]:
            value, units = reference[(figures["label"], figures["attribute"])]
            same(value, figures["krippendorff_alpha"]["value"], (a, b, figures["attribute"]))
            assert figures["krippendorff_alpha"]["units"] == units
        links = link_f1(data, a, b, pair["articles"])
        for figures in pair["links"]:
            value, matches = links[figures["type"]]
            same(value, figures["f1"]["value"], (a, b, figures["type"]))
            assert figures["f1"]["matches"] == matches
    group = report["group"]
    assert group["articles"] == shared_articles(data, group["annotators"])
    for figures in group["labels"]:
        rated = ratings(data, group["annotators"], group["articles"], figures["label"])
        assert figures["fleiss_kappa"]["items"] == len(rated[group["annotators"][0]])
        assert sum(figures["fleiss_kappa"]["items_with_votes"]) == figures["fleiss_kappa"]["items"]


def test_the_gold_layer_export_holds_only_gold_spans_with_provenance(exports):
    text = (exports / "agreement" / "gold.jsonl").read_text(encoding="utf-8")
    # split on "\n" only: the texts hold U+2028, which str.splitlines would split on.
    lines = [json.loads(line) for line in text.split("\n") if line]
    gold = [span for line in lines for span in line["spans"]]
    assert gold, "unanimous acceptance puts the spans all three agree on into gold"
    for line in lines:
        for span in line["spans"]:
            assert line["text"][span["start"]:span["end"]] == span["text"]
            assert set(span["provenance"].split(", ")) == {"alice", "bob", "carol"}
