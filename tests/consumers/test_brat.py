"""The brat standoff export, checked the way brat reads it (Python str offsets = code points)."""

import csv
import io
import re

LINE_BREAKS = set("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
CROSS_COLUMNS = [
    "relation_id", "type", "kind", "note",
    "from_file", "from_brat_id", "from_span_id", "from_article_id",
    "to_file", "to_brat_id", "to_span_id", "to_article_id",
]


def read_conf(brat_dir):
    sections, current = {}, None
    for line in (brat_dir / "annotation.conf").read_text(encoding="utf-8").split("\n"):
        if not line.strip() or line.startswith("#"):
            continue
        match = re.fullmatch(r"\[(\w+)\]", line)
        if match:
            current = sections.setdefault(match.group(1), {})
            continue
        name, _, rest = line.partition("\t")
        current[name] = rest
    return sections


def attribute_values(conf):
    values = {}
    for name, rest in conf["attributes"].items():
        match = re.search(r"Value:([^,]+)", rest)
        values[name] = set(match.group(1).split("|"))
    return values


def read_ann(path):
    """brat's own reading: one annotation per line (str.splitlines on a text file)."""
    entities, attributes, relations, notes = {}, [], {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        ident, data = line.split("\t", 1)
        if ident.startswith("T"):
            type_offsets, text = data.split("\t", 1)
            kind, offsets = type_offsets.split(" ", 1)
            fragments = [tuple(int(n) for n in part.split(" ")) for part in offsets.split(";")]
            entities[ident] = (kind, fragments, text)
        elif ident.startswith("A"):
            attributes.append(tuple(data.split(" ")))
        elif ident.startswith("R"):
            kind, arg1, arg2 = data.split(" ")
            relations[ident] = (kind, arg1.removeprefix("Arg1:"), arg2.removeprefix("Arg2:"))
        elif ident.startswith("#"):
            head, note = data.split("\t", 1)
            notes.append((head.split(" "), note))
        else:
            raise AssertionError(f"unknown line {line!r}")
    return entities, attributes, relations, notes


def ids_map(brat_dir):
    rows = list(csv.DictReader(io.StringIO((brat_dir / "crosscheck_ids.tsv").read_text(encoding="utf-8")), delimiter="\t"))
    return {(row["file"], row["brat_id"]): row for row in rows}


def test_files_and_text_bytes(brat_dir, jsonl_lines, expected):
    txts = sorted(brat_dir.glob("*.txt"))
    assert len(txts) == expected["articles"]
    assert len(sorted(brat_dir.glob("*.ann"))) == expected["articles"]
    assert (brat_dir / "README.md").exists()
    texts = {line["text"].encode("utf-8") for line in jsonl_lines}
    for txt in txts:
        assert txt.read_bytes() in texts, txt.name
        assert (brat_dir / (txt.stem + ".ann")).exists()


def test_ann_offsets_match_txt(brat_dir, spans, expected):
    conf = read_conf(brat_dir)
    allowed = attribute_values(conf)
    ids = ids_map(brat_dir)
    seen_spans = set()
    for ann in sorted(brat_dir.glob("*.ann")):
        txt = (brat_dir / (ann.stem + ".txt")).read_text(encoding="utf-8")
        entities, attributes, relations, notes = read_ann(ann)
        for ident, (kind, fragments, text) in entities.items():
            assert kind in conf["entities"]
            pieces = []
            for start, end in fragments:
                assert 0 <= start < end <= len(txt)
                piece = txt[start:end]
                assert not LINE_BREAKS & set(piece), (ann.name, ident)
                pieces.append(piece)
            assert " ".join(pieces) == text, (ann.name, ident)
            # The fragments are exactly the span minus its line breaks.
            row = ids[(ann.stem, ident)]
            article_id, span = spans[row["crosscheck_id"]]
            assert row["article_id"] == article_id
            covered = [i for start, end in fragments for i in range(start, end)]
            expected_cover = [i for i in range(span["start"], span["end"]) if txt[i] not in LINE_BREAKS]
            assert covered == expected_cover, (ann.name, ident)
            assert kind == span["label"]
            seen_spans.add(span["id"])
        for name, target, value in attributes:
            assert target in entities
            assert value in allowed[name], (name, value)
        for kind, arg1, arg2 in relations.values():
            assert kind in conf["relations"]
            assert arg1 in entities and arg2 in entities
        for (label, target), note in notes:
            assert label == "AnnotatorNotes"
            assert target in entities or target in relations
            assert note and "\n" not in note
    assert len(seen_spans) == expected["spans"]


def test_relations_within_and_across_documents(brat_dir, spans, expected):
    ids = ids_map(brat_dir)
    within = sum(len(read_ann(ann)[2]) for ann in brat_dir.glob("*.ann"))
    rows = list(csv.reader(io.StringIO((brat_dir / "cross_document_relations.tsv").read_text(encoding="utf-8")), delimiter="\t"))
    assert rows[0] == CROSS_COLUMNS
    cross = [dict(zip(CROSS_COLUMNS, row)) for row in rows[1:]]
    assert len(cross) == expected["cross_article_relations"]
    assert within + len(cross) == expected["relations"]
    for row in cross:
        assert row["from_file"] != row["to_file"]
        for end in ("from", "to"):
            mapped = ids[(row[f"{end}_file"], row[f"{end}_brat_id"])]
            assert mapped["crosscheck_id"] == row[f"{end}_span_id"]
            assert spans[row[f"{end}_span_id"]][0] == row[f"{end}_article_id"]
