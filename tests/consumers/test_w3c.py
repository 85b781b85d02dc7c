"""The W3C Web Annotation export against the W3C test suite's JSON schemas (draft-04).

Every annotation of the export must pass every MUST assertion of
`annotations/annotationMusts.test` that is in the vendored copy under `w3c-schemas/` (19 of
54; the other 35 check features the export does not use and are skipped by name), plus the
"should" check that it has a body. The collection and its page are checked against the
definitions of `collections.json`.
"""

import copy
import json
import pathlib

import jsonschema
import pytest
import referencing
import referencing.jsonschema

SCHEMAS = pathlib.Path(__file__).resolve().parent / "w3c-schemas"
MUSTS = json.loads((SCHEMAS / "annotations" / "annotationMusts.test").read_text(encoding="utf-8"))
FORMATS = jsonschema.Draft4Validator.FORMAT_CHECKER


def registry():
    resources = []
    for path in sorted((SCHEMAS / "definitions").glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resource = referencing.Resource(contents=schema, specification=referencing.jsonschema.DRAFT4)
        resources.append((schema["id"], resource))
    return referencing.Registry().with_resources(resources)


REGISTRY = registry()


def load_assertion(path):
    return json.loads((SCHEMAS / path).read_text(encoding="utf-8"))


def passes(entry, instance):
    """Evaluates one entry of a .test file's `assertions` list the way the wpt page does."""
    if isinstance(entry, str):
        entry = load_assertion(entry)
    if isinstance(entry, list):
        return all(passes(item, instance) for item in entry)
    if "assertions" in entry:
        results = [passes(item, instance) for item in entry["assertions"]]
        return any(results) if entry.get("compareWith") == "or" else all(results)
    validator = jsonschema.Draft4Validator(entry, registry=REGISTRY, format_checker=FORMATS)
    valid = validator.is_valid(instance)
    return valid == (entry.get("expectedResult", "valid") == "valid")


@pytest.fixture(scope="session")
def collection(exports):
    return json.loads((exports / "annotations.w3c.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def annotations(collection):
    return collection["first"]["items"]


def test_formats_are_really_checked():
    assert "uri" in FORMATS.checkers, "pip install rfc3987 (tests/consumers/requirements.txt)"
    assert "date-time" in FORMATS.checkers, "pip install rfc3339-validator"


def test_musts_list_is_the_upstream_one():
    assert len(MUSTS["assertions"]) == 54
    present = [path for path in MUSTS["assertions"] if (SCHEMAS / path).exists()]
    assert len(present) == 19


@pytest.mark.parametrize("assertion", MUSTS["assertions"], ids=lambda path: path.split("/")[-1])
def test_every_annotation_passes_must(assertion, annotations):
    if not (SCHEMAS / assertion).exists():
        pytest.skip("assertion not in the vendored subset (checks a feature the export does not use)")
    schema = load_assertion(assertion)
    assert schema.get("assertionType", "must") == "must"
    failures = [item["id"] for item in annotations if not passes(schema, item)]
    assert not failures, f"{assertion}: {schema.get('errorMessage')} {failures[:5]}"


def test_every_annotation_has_a_body(annotations):
    schema = load_assertion("annotations/3.1-bodyKeyFound.json")
    assert all(passes(schema, item) for item in annotations)


@pytest.mark.parametrize(
    "breakage",
    ["context", "id", "exact", "start", "body_and_value", "created"],
)
def test_the_checks_catch_broken_annotations(breakage, annotations):
    """The runner is not vacuous: a broken copy of an exported annotation fails a MUST."""
    broken = copy.deepcopy(annotations[0])
    if breakage == "context":
        broken["@context"] = "http://example.org/not-anno.jsonld"
    elif breakage == "id":
        broken["id"] = "not a uri"
    elif breakage == "exact":
        del broken["target"]["selector"][0]["exact"]
    elif breakage == "start":
        broken["target"]["selector"][1]["start"] = -1
    elif breakage == "body_and_value":
        broken["bodyValue"] = "both"
    elif breakage == "created":
        broken["created"] = "yesterday"
    present = [path for path in MUSTS["assertions"] if (SCHEMAS / path).exists()]
    assert not all(passes(path, broken) for path in present)


def definition(name):
    return {"$ref": f"collections.json#/definitions/{name}"}


def test_collection_and_page(collection, annotations, expected):
    checks = [
        "annotationCollectionTypeValueFound", "labelDefinition", "totalDefinition",
        "firstValidIfPresent", "firstRequiredIfTotalMoreThanZero",
    ]
    for name in checks:
        assert passes(definition(name), collection), name
    assert passes(definition("contextValueFound"), collection["@context"])
    page = collection["first"]
    for name in ["annotationPageTypeValueFound", "itemsFound", "partOfValidIfPresent", "startIndexDefinition"]:
        assert passes(definition(name), page), name
    assert page["partOf"] == collection["id"]
    assert collection["total"] == len(annotations) == expected["spans"] + expected["relations"]


def test_selectors_agree_with_the_text(annotations, articles, spans):
    targets = {}
    for item in annotations:
        if item["motivation"] != "tagging":
            continue
        target = item["target"]
        article_id = target["source"].removeprefix("urn:crosscheck:article:")
        text = articles[article_id]
        quote, position = target["selector"]
        assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
        start, end = position["start"], position["end"]
        assert text[start:end] == quote["exact"]
        assert text[:start].endswith(quote.get("prefix", "")) and len(quote.get("prefix", "")) <= 32
        assert text[end:].startswith(quote.get("suffix", "")) and len(quote.get("suffix", "")) <= 32
        assert len(quote.get("prefix", "")) == min(32, start)
        span_id = item["id"].removeprefix("urn:crosscheck:span:")
        assert spans[span_id][1]["text"] == quote["exact"]
        tags = [body["value"] for body in item["body"] if body["purpose"] == "tagging"]
        assert tags == [spans[span_id][1]["label"]]
        targets[target["id"]] = target
    assert len(targets) == len(spans)
    links = [item for item in annotations if item["motivation"] == "linking"]
    for link in links:
        relation_id = link["id"].removeprefix("urn:crosscheck:relation:")
        (to_end,) = [body for body in link["body"] if body["type"] == "SpecificResource"]
        assert to_end["purpose"] == "linking"
        for end in (link["target"], to_end):
            span_target_id, own = end["id"].split("/in/")
            assert own == relation_id, "each link end is a resource of its own"
            same = {key: value for key, value in end.items() if key not in ("id", "purpose")}
            assert {key: value for key, value in targets[span_target_id].items() if key != "id"} == same
