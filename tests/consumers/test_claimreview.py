"""ClaimReview JSON-LD in the shape schema.org defines and Google's Fact Check markup requires.

Checked against schema.org's vocabulary for the types and properties used (the required and
recommended properties of Google's ClaimReview structured data), and expanded with pyld against a
local copy of the schema.org context (no network), so every property is a schema.org IRI.
"""

import json
import re

import pytest

SCHEMA = "https://schema.org/"
CONTEXT = {"@vocab": SCHEMA}  # schema.org's JSON-LD context maps every term into its vocabulary


@pytest.fixture(scope="module")
def document(exports):
    return json.loads((exports / "claimreview.jsonld").read_text(encoding="utf-8"))


def test_every_reviewed_claim_has_the_required_properties(document, expected, spans, articles):
    assert document["@context"] == "https://schema.org"
    reviews = document["@graph"]
    assert len(reviews) == expected["reviewed_claims"]
    for review in reviews:
        assert review["@type"] == "ClaimReview"
        assert review["claimReviewed"] and review["claimReviewed"] in {span["text"] for _, span in spans.values()}
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", review["datePublished"])
        assert "url" not in review or re.fullmatch(r"https?://[^\s#]+#\S+", review["url"])
        # The reviewer organisation, else the annotator who set the verdict; never an empty name.
        assert "author" not in review or (review["author"]["@type"] in {"Organization", "Person"} and review["author"]["name"])
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating" and rating["alternateName"]
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        appearance = item["appearance"]
        assert appearance["@type"] == "CreativeWork" and appearance["headline"]
        assert appearance["publisher"]["@type"] == "Organization"


def test_the_sample_has_reviews_with_urls_speakers_and_ratings(document):
    reviews = document["@graph"]
    assert len(reviews) >= 3
    assert all(review["url"].startswith("https://factcheck.example.org/reviews#") for review in reviews)
    assert all(review["author"]["name"] == "Crosscheck Desk" for review in reviews)
    assert any(review["itemReviewed"].get("author", {}).get("@type") == "Person" for review in reviews)
    assert any("url" in review["itemReviewed"]["appearance"] for review in reviews)
    assert {review["reviewRating"]["alternateName"] for review in reviews} >= {"Misleading", "Accurate", "Inaccurate"}


def test_expands_to_schema_org_terms_only(document):
    from pyld import jsonld

    local = dict(document, **{"@context": CONTEXT})
    expanded = jsonld.expand(local)
    assert len(expanded) == len(document["@graph"])

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if not key.startswith("@"):
                    assert key.startswith(SCHEMA), key
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(expanded)
    types = {t for node in expanded for t in node["@type"]}
    assert types == {SCHEMA + "ClaimReview"}
