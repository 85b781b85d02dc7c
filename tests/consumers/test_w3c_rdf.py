"""The W3C export read as RDF: pyld expands it with the W3C context (served from a local copy on
127.0.0.1), rdflib loads the N-Quads, and the graph is queried for what a link means.

- Every link is an oa:linking annotation with exactly one oa:hasTarget (its `from` span) and one
  oa:SpecificResource body with purpose oa:linking (its `to` span), so direction survives RDF.
- Its type is a tagging body, and a describing body says whether it is symmetric.
- Every target and link end is a resource of its own: exactly one quote and one position
  selector each, never the selectors of several annotations collected on one node.
"""

import functools
import http.server
import json
import pathlib
import threading
import urllib.request

import pytest

OA = "http://www.w3.org/ns/oa#"
RDF_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
CONTEXT_URL = "http://www.w3.org/ns/anno.jsonld"
SYMMETRIC = {"contradicts", "supports", "same-statement"}


@pytest.fixture(scope="module")
def graph(exports):
    from pyld import jsonld
    from rdflib import Graph

    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(pathlib.Path(__file__).parent / "w3c-context")
    )
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    local = f"http://127.0.0.1:{server.server_address[1]}/anno.jsonld"
    fetched = []

    def loader(url, options=None):
        assert url.rstrip("/") in (CONTEXT_URL, CONTEXT_URL.replace("http:", "https:")), url
        with urllib.request.urlopen(local, timeout=10) as response:
            fetched.append(url)
            return {"contextUrl": None, "documentUrl": url, "document": json.loads(response.read())}

    try:
        document = json.loads((exports / "annotations.w3c.json").read_text(encoding="utf-8"))
        nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": loader})
    finally:
        server.shutdown()
    assert fetched, "the context came from the local server"
    result = Graph()
    result.parse(data=nquads, format="nquads")
    return result


def selectors(graph, node):
    from rdflib import URIRef

    found = {}
    for selector in graph.objects(node, URIRef(OA + "hasSelector")):
        kind = str(next(graph.objects(selector, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"))))
        if kind == OA + "TextPositionSelector":
            found.setdefault("position", []).append(
                (int(next(graph.objects(selector, URIRef(OA + "start")))), int(next(graph.objects(selector, URIRef(OA + "end")))))
            )
        else:
            found.setdefault("quote", []).append(str(next(graph.objects(selector, URIRef(OA + "exact")))))
    return found


def test_links_keep_their_direction_type_and_symmetry(graph, jsonl_lines, spans, expected):
    from rdflib import URIRef

    has_target, has_body, purpose, motivated = (URIRef(OA + name) for name in ("hasTarget", "hasBody", "hasPurpose", "motivatedBy"))
    relations = {relation["id"]: relation for line in jsonl_lines for relation in line["relations"]}
    links = list(graph.subjects(motivated, URIRef(OA + "linking")))
    assert len(links) == expected["relations"]
    for link in links:
        relation = relations[str(link).rsplit(":", 1)[1]]
        targets = list(graph.objects(link, has_target))
        assert len(targets) == 1, link
        bodies = list(graph.objects(link, has_body))
        ends = [body for body in bodies if (body, purpose, URIRef(OA + "linking")) in graph]
        assert len(ends) == 1, link
        texts = {}
        for body in bodies:
            body_purpose = next(graph.objects(body, purpose), None)
            if body_purpose in (URIRef(OA + "tagging"), URIRef(OA + "describing")):
                texts.setdefault(str(body_purpose), []).append(str(next(graph.objects(body, URIRef(RDF_VALUE)))))
        assert texts[OA + "tagging"] == [relation["type"]]
        direction = "direction: symmetric" if relation["type"] in SYMMETRIC else "direction: from target to body"
        assert direction in texts[OA + "describing"]
        for node, span_id in ((targets[0], relation["from"]), (ends[0], relation["to"])):
            span = spans[span_id][1]
            assert selectors(graph, node) == {"position": [(span["start"], span["end"])], "quote": [span["text"]]}, span_id


def test_every_target_node_has_one_annotations_selectors(graph, expected):
    from rdflib import URIRef

    nodes = set(graph.objects(None, URIRef(OA + "hasTarget")))
    nodes |= {body for body in graph.objects(None, URIRef(OA + "hasBody")) if (body, URIRef(OA + "hasSelector"), None) in graph}
    assert len(nodes) == expected["spans"] + 2 * expected["relations"]
    for node in nodes:
        found = selectors(graph, node)
        assert len(found["position"]) == 1 and len(found["quote"]) == 1, node
