"""Hostile input for every reader: whatever the bytes, no exception escapes, every good record is kept with
its fields intact, and every problem names the file and the line."""

from __future__ import annotations

import codecs
import html
import csv
import dataclasses
import functools
import io
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citegraph.extract.readers import FORMATS, read_file, read_listings
from citegraph.extract.readers import text as readers_text
from tests.bibliographic_exports import FORMAT_OF, exports_dir

FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                      HealthCheck.too_slow])

# a title or abstract as a user may type it: any character but surrogates and control characters (a raw NUL makes
# a file binary); line separators (U+2028), HTML, emoji, RTL marks and zero-width characters included
_CHAR = st.characters(blacklist_categories=("Cs", "Cc"))
_TEXT = st.text(_CHAR, min_size=1, max_size=120).filter(lambda t: t.split())
_HTML = st.sampled_from(["<script>alert(1)</script>", "<b>bold</b> &amp; &lt;", "<img src=x onerror=alert(1)>",
                         "'}) DETACH DELETE n //", "\U0001F600 emoji \u200b zero\u200dwidth", "\u202eRTL\u202c"])
_TITLE = st.one_of(_TEXT, _HTML, st.tuples(_TEXT, _HTML).map(" ".join))


def _spaced(text: str) -> str:
    """What a reader keeps of a text: whitespace runs collapsed."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz-readers")


def _read(path: Path, data: bytes, fmt: str | None = None):
    path.write_bytes(data)
    problems: list = []
    rows = read_file(path, fmt=fmt, year=2025, problems=problems)
    for p in problems:
        assert p.path == str(path), p
        assert isinstance(p.line, int) and p.line >= 0, p
        assert p.message, p
    for r in rows:
        assert r.source.startswith(f"{path}:") and int(r.source.rpartition(":")[2]) >= 1
    return rows, problems


# --- any bytes at all --------------------------------------------------------------------------------------------

@FUZZ
@given(data=st.binary(max_size=3000), fmt=st.sampled_from((None, *FORMATS)),
       ext=st.sampled_from([".txt", ".jsonl", ".csv", ".xml", ""]))
def test_fuzz_readers_random_bytes_never_raise(work, data, fmt, ext):
    _read(work / f"random{ext}", data, fmt)


_PIECES = st.sampled_from(["\n", "\r\n", "\r", "\x00", "\ufeff", "\xef\xbb\xbf", '"', ",", "\t", "{", "}", "[", "]",
                           ":", '"title"', '"abstract"', "title,abstract", "<entry>", "</entry>", "<title>", "<feed>",
                           "Mar 17", "null", "1e999", "-", "\u2028", "\x85", "\ud7ff", "\U0001F600", "é", "&amp;",
                           # the bibliographic formats' structure
                           "FN Web of Science\nVR 1.0\n", "PT J\n", "TI ", "CR ", "   ", "ER\n", "EF", "PT\tTI\tUT\n",
                           "TY  - JOUR\n", "N1  - References: ", "ER  - \n", "@article{k,", "title = {", "}", "{\\\"u}",
                           "Title,Source title,EID\n", "2-s2.0-1", "Lens ID,Title\n", "About the data\n", "|", "; "])


@FUZZ
@given(parts=st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=60), fmt=st.sampled_from(FORMATS),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
def test_fuzz_readers_structured_garbage_never_raises(work, parts, fmt, encoding):
    data = "".join(parts).encode(encoding, errors="replace")
    _read(work / f"garbage.{fmt}", data, fmt)


# --- a good record among garbage is kept, fields intact ----------------------------------------------------------

_JSON_GARBAGE = st.one_of(st.text(st.characters(blacklist_characters="\r\n\x00", blacklist_categories=("Cs",)),
                                  max_size=80),
                          st.sampled_from(["{", "[1, 2]", "null", '{"title": 3}', '{"title": null}', "{'x': 1}",
                                           '"just a string"', "[" * 5000, '{"id": ' + "9" * 5000 + "}",
                                           '{"title": "unterminated']))


@FUZZ
@given(title=_TITLE, abstract=st.one_of(st.just(""), _TEXT), date=st.dates().map(str),
       before=st.lists(_JSON_GARBAGE, max_size=5), after=st.lists(_JSON_GARBAGE, max_size=5),
       newline=st.sampled_from(["\n", "\r\n", "\r"]), ascii_only=st.booleans())
def test_fuzz_readers_jsonl_good_record_among_garbage_is_kept(work, title, abstract, date, before, after, newline,
                                                              ascii_only):
    good = json.dumps({"id": "good-1", "title": title, "abstract": abstract, "date": date},
                      ensure_ascii=ascii_only)
    lines = [*before, good, *after]
    rows, problems = _read(work / "mixed.jsonl", newline.join(lines).encode("utf-8"))
    ours = [r for r in rows if r.id == "good-1"]
    assert len(ours) == 1
    assert (ours[0].title, ours[0].abstract, ours[0].date) == (_spaced(title), _spaced(abstract), date)
    assert ours[0].source.endswith(f":{len(before) + 1}")
    # every line that is not an object with a string title was reported at its own line
    bad = {i for i, line in enumerate(lines, 1) if line.strip() and line is not good
           and not (line.startswith("{") and '"title": "' in line and line.endswith('"}'))}
    assert bad <= {p.line for p in problems}


# any character at all, lone surrogates included (only a JSON escape such as \ud800 can carry one in a file)
_ANY_TEXT = st.text(st.characters(), min_size=1, max_size=60)


@FUZZ
@given(title=_ANY_TEXT, abstract=_ANY_TEXT, record_id=_ANY_TEXT, authors=st.lists(_ANY_TEXT, max_size=3),
       before=st.lists(_JSON_GARBAGE, max_size=3))
def test_fuzz_readers_jsonl_lone_surrogates_become_replacement_characters(work, title, abstract, record_id,
                                                                        authors, before):
    """A lone surrogate (\ud800 escape) anywhere in a record: the record is kept, every text it gives can be
    encoded, and the replacement is reported at the record's line."""
    good = json.dumps({"id": record_id, "title": "T " + title, "abstract": abstract, "authors": authors})
    rows, problems = _read(work / "surrogates.jsonl", "\n".join([*before, good]).encode("utf-8"))
    line = len(before) + 1
    ours = [r for r in rows if r.source.endswith(f":{line}")]
    assert len(ours) == 1
    for text in (ours[0].title, ours[0].abstract, ours[0].id, *ours[0].authors):
        text.encode("utf-8")
    lone = sum(1 for c in title + abstract + record_id + "".join(authors) if "\ud800" <= c <= "\udfff")
    if lone:
        assert any(p.line == line and "cannot be encoded" in p.message for p in problems)


@FUZZ
@given(fmt=st.sampled_from(["jsonl", "csv", "hf"]), over=st.integers(1, 3),
       newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_fuzz_readers_a_line_over_the_limit_is_skipped_and_the_next_record_kept(work, monkeypatch, fmt, over,
                                                                              newline):
    monkeypatch.setattr(readers_text, "MAX_LINE_CHARS", 50)  # the readers read the limit from the text module
    for module in ("jsonl", "csv_table", "hf"):
        monkeypatch.setattr(f"citegraph.extract.readers.{module}.MAX_LINE_CHARS", 50)
    long = "w" * (50 + over)
    text = {"jsonl": [json.dumps({"title": "Long", "abstract": long}), json.dumps({"title": "Next"})],
            "csv": ["title,abstract", f"Long,{long}", "Next,fine"],
            "hf": ["Mar 17", "", "Long", "", long, "", "Next", "", "An abstract."]}[fmt]
    rows, problems = _read(work / f"long.{fmt}", newline.join(text).encode("utf-8"), fmt)
    assert [r.title for r in rows] == ["Next"]
    assert any("over the limit" in p.message for p in problems)


_CSV_GARBAGE = st.one_of(st.text(st.characters(blacklist_characters='\r\n"\x00', blacklist_categories=("Cs",)),
                                 max_size=60),
                         st.sampled_from(["", ",", ",,,,,,,,", "only-one-cell", "a,b,c,d,e,f,g,h", '"never closed',
                                          "a,\x00b"]))


@FUZZ
@given(title=_TITLE, abstract=_TEXT, before=st.lists(_CSV_GARBAGE, max_size=5),
       after=st.lists(_CSV_GARBAGE.filter(lambda g: '"' not in g), max_size=5),
       newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_fuzz_readers_csv_good_row_among_broken_rows_is_kept(work, title, abstract, before, after, newline):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(["good-1", title, abstract])
    lines = ["id,title,abstract", *before, buf.getvalue(), *after]
    rows, problems = _read(work / "mixed.csv", newline.join(lines).encode("utf-8"))
    ours = [r for r in rows if r.id == "good-1"]
    assert len(ours) == 1
    assert (ours[0].title, ours[0].abstract) == (_spaced(title), _spaced(abstract))
    assert ours[0].source.endswith(f":{len(before) + 2}")


@pytest.mark.parametrize("content, kept, line", [
    ('id,title,abstract\n1,"never closed,x\n2,Kept,fine\n', ["Kept"], 2),
    ('id,title,abstract\n1,"a"b,x\n2,Kept,fine\n', ["Kept"], 2),
    ('id,title,abstract\n"never closed\ngood-1,Kept,",0"\n', ["Kept"], 2),  # the quote closes inside the good row
    ("id,title,abstract\n1,Short\n2,Kept,fine,extra,cells\n", ["Short", "Kept"], 2),
    ("id,title\n1,Kept\n" + "2,x" + "y" * 200_000 + "\n3,Also kept\n", ["Kept", "Also kept"], 3),
])
def test_fuzz_readers_csv_quoting_errors_keep_the_other_rows(tmp_path, content, kept, line):
    rows, problems = _read(tmp_path / "in.csv", content.encode("utf-8"))
    assert [r.title for r in rows] == kept
    assert line in {p.line for p in problems}


# --- the real bibliographic exports, cut anywhere and with garbage between their records ---------------------

@functools.lru_cache(maxsize=None)
def _full_read(shared: Path, name: str) -> tuple[str, list]:
    """A real export of ../shared read whole: its text and listings."""
    path = exports_dir(shared) / name
    return path.read_bytes().decode("utf-8-sig"), read_file(path, year=2025, problems=[])


def _at_line(rows) -> list:
    """Listings with their source reduced to the line, to compare reads of the same text in two files."""
    return [dataclasses.replace(r, source=r.source.rpartition(":")[2]) for r in rows]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(sorted(FORMAT_OF)), at=st.floats(0, 1))
def test_fuzz_readers_real_exports_cut_anywhere_keep_the_records_before_the_cut(work, shared_dir, name, at):
    text, full = _full_read(shared_dir, name)
    cut = text[:int(len(text) * at)]
    if not cut.strip():
        return
    rows, _ = _read(work / name, cut.encode("utf-8"), FORMAT_OF[name])
    assert len(rows) <= len(full)
    # every record before the one the cut fell in is read as in the whole file; that one is reported and skipped,
    # or read as far as the file goes (a CSV row cut at a cell boundary cannot be told from a whole one)
    assert _at_line(rows[:-1]) == _at_line(full[:max(len(rows) - 1, 0)])


_LINE_GARBAGE = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"),
                        min_size=1, max_size=40).filter(lambda t: t.strip() and not t.startswith((" ", "@", "%")))


@FUZZ
@given(garbage=st.lists(_LINE_GARBAGE, min_size=1, max_size=3), fmt=st.sampled_from(["wos", "ris", "bibtex"]))
def test_fuzz_readers_garbage_between_records_keeps_every_record(work, shared_dir, garbage, fmt):
    name = {"wos": "wos_plaintext_bibliometrix.txt", "ris": "scopus_citation_file_formatting.ris",
            "bibtex": "scopus_pybibx.bib"}[fmt]
    text, full = _full_read(shared_dir, name)
    # the start of the second record
    at = re.compile({"wos": r"^PT ", "ris": r"^TY  - ", "bibtex": r"^@"}[fmt], re.MULTILINE).finditer(text)
    at = [m.start() for m in at][1]
    noisy = text[:at] + "\n".join(garbage) + "\n" + text[at:]
    rows, problems = _read(work / name, noisy.encode("utf-8"), fmt)
    assert [r.title for r in rows] == [r.title for r in full]
    if fmt != "bibtex":  # text between BibTeX entries is a comment by definition
        first = text[:at].count("\n") + 1
        assert {first + i for i in range(len(garbage))} <= {p.line for p in problems}


# --- JSON values of the wrong type -------------------------------------------------------------------------------

_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                 max_size=4), max_leaves=12)


@FUZZ
@given(fields=st.fixed_dictionaries({}, optional={k: _JSON for k in ("title", "abstract", "summary", "date",
                                                                      "published", "id", "url", "authors")}))
def test_fuzz_readers_json_fields_of_any_type(work, fields):
    line = json.dumps(fields)
    rows, problems = _read(work / "types.jsonl", (line + "\n" + json.dumps({"title": "Next"}) + "\n").encode())
    assert rows[-1].title == "Next"  # the record after it is always kept
    title = fields.get("title")
    if isinstance(title, str) and readers_text.clean(title):
        assert len(rows) == 2 and rows[0].title == readers_text.clean(title)
    else:  # no usable title: skipped, and said so at line 1
        assert len(rows) == 1 and any(p.line == 1 and "title" in p.message for p in problems)


# --- encodings, line endings, NUL, empty -------------------------------------------------------------------------

HF_PAGE = ("new\nGet trending papers in your email inbox!\nSubscribe\nbyAK and the research community\nMar 17\n"
           "A <b>Bold</b> Title About Transformers\n"
           "We propose a transformer. It works on ImageNet (Deng et al., 2009).\n"
           "Second Paper Title \U0001F600\nAnother abstract that is long enough to be an abstract paragraph.\n")


def _records(rows):
    return [(r.title, r.abstract, r.date, r.id) for r in rows]


@pytest.mark.parametrize("name, text", [
    ("page.txt", HF_PAGE),
    ("in.jsonl", '{"title": "T\u2028one", "abstract": "A\x85b"}\n{"title": "T two"}\n'),
    ("in.csv", "title,abstract\nT one,\"multi\nline\"\nT two,x\n"),
    ("feed.xml", '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">\n'
                 "<entry><title>T one</title><summary>S</summary></entry>\n"
                 "<entry><title>Caf\xe9</title></entry></feed>"),
    ("wos.txt", "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI T one\n   continued\nAB S\nER\n\n"
                "PT J\nTI Caf\xe9\nER\n\nEF\n"),
    ("wos-tab.txt", "PT\tTI\tAB\tUT\t\nJ\tT one\tS\tWOS:1\t\nJ\tCaf\xe9\t\tWOS:2\t\n"),
    ("refs.ris", "TY  - JOUR\nTI  - T one\nAB  - S\nER  - \n\nTY  - JOUR\nTI  - Caf\xe9\nER  - \n"),
    ("refs.bib", "@article{a,\n  title = {T one},\n  abstract = {S}\n}\n\n@article{b,\n  title = {Caf{\\'e}}\n}\n"),
    ("scopus.csv", 'Title,Abstract,Source title,EID\nT one,S,J,2-s2.0-1\n"Caf\xe9",,J,2-s2.0-2\n'),
])
@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be-bom", "crlf", "cr"])
def test_fuzz_readers_boms_utf16_and_line_endings_read_like_plain_utf8(tmp_path, name, text, encoding):
    expected = _records(_read(tmp_path / name, text.encode("utf-8"))[0])
    assert expected
    if encoding == "crlf":
        data = text.replace("\n", "\r\n").encode("utf-8")
    elif encoding == "cr":
        data = text.replace("\n", "\r").encode("utf-8")
    elif encoding == "utf-16-be-bom":
        data = codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    rows, problems = _read(tmp_path / name, data)
    assert _records(rows) == expected
    assert not problems


def test_fuzz_readers_xml_declared_encoding_is_honoured(tmp_path):
    data = ('<?xml version="1.0" encoding="ISO-8859-1"?><feed><entry><title>Caf\xe9 na\xefve</title></entry>'
            "</feed>").encode("latin-1")
    rows, problems = _read(tmp_path / "latin.xml", data)
    assert [r.title for r in rows] == ["Café naïve"] and not problems


def test_fuzz_readers_nul_bytes(tmp_path):
    late = ("title,abstract\nFirst,x\n" + "pad,x\n" * 2000 + "Last\x00one,x\n").encode()  # NUL after 8 KB
    rows, _ = _read(tmp_path / "late.csv", late)
    assert rows[0].title == "First" and rows[-1].title == "Last one"
    rows, _ = _read(tmp_path / "late.jsonl", b'{"title": "a"}\n' * 600 + b'{"title": "Last\\u0000one"}\n')
    assert rows[-1].title == "Last one"
    rows, problems = _read(tmp_path / "bin.jsonl", b'{"title": "x"}\n' + bytes(range(256)) * 4)
    assert not rows and "binary" in str(problems[0])
    rows, problems = _read(tmp_path / "stray.jsonl", b'{"title": "x"}\n\x00\n{"title": "y"}\n')
    assert [r.title for r in rows] == ["x", "y"] and [p.line for p in problems] == [2]


@FUZZ
@given(ws=st.text(st.sampled_from(" \t\r\n\x0b\x0c"), max_size=50), fmt=st.sampled_from((None, *FORMATS)))
def test_fuzz_readers_empty_and_whitespace_files(work, ws, fmt):
    rows, problems = _read(work / "blank.txt", ws.encode(), fmt)
    assert not rows and "empty" in str(problems[0])


# --- XML: bombs, entities, truncation ----------------------------------------------------------------------------

_LOL = "".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10))
XML_ATTACKS = {
    "billion laughs": f'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY lol0 "lol">{_LOL}]>'
                      "<feed><entry><title>&lol9;</title></entry></feed>",
    "quadratic blowup": '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "' + "x" * 50_000 + '">]><feed><entry>'
                        "<title>" + "&a;" * 5000 + "</title></entry></feed>",
    "external entity": '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                       "<feed><entry><title>&xxe;</title></entry></feed>",
    "external dtd": '<?xml version="1.0"?><!DOCTYPE feed SYSTEM "http://127.0.0.1:9/evil.dtd">'
                    "<feed><entry><title>T</title></entry></feed>",
    "parameter entity": '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>'
                        "<feed><entry><title>T</title></entry></feed>",
}


@pytest.mark.timeout(60)  # a hang guard: an expanded bomb would take minutes and gigabytes
@pytest.mark.parametrize("attack", sorted(XML_ATTACKS))
def test_fuzz_readers_xml_bombs_and_entities_are_refused(tmp_path, attack):
    rows, problems = _read(tmp_path / "attack.xml", XML_ATTACKS[attack].encode())
    assert not rows
    assert "refused" in str(problems[0]) and "passwd" not in " ".join(map(str, problems))


ATOM = ('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        "<entry>\n<id>http://arxiv.org/abs/1</id>\n<title>First &amp; <![CDATA[<b>x</b>]]></title>\n"
        "<summary>S one</summary>\n</entry>\n<entry>\n<title>Second</title>\n</entry>\n</feed>\n")


@FUZZ
@given(cut=st.integers(0, len(ATOM)))
def test_fuzz_readers_truncated_xml(work, cut):
    rows, problems = _read(work / "cut.xml", ATOM[:cut].encode())
    if cut < len(ATOM.rstrip()):
        assert not rows and problems
    else:
        assert [r.title for r in rows] == ["First & <b>x</b>", "Second"]
        assert [r.source.rpartition(":")[2] for r in rows] == ["3", "8"]  # the line of each <entry>


# --- paths that are not files, long lines, limits ----------------------------------------------------------------

def test_fuzz_readers_directories_missing_paths_and_pipes(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    good = tmp_path / "good.jsonl"
    good.write_text('{"title": "Good"}\n')
    result = read_listings([tmp_path / "missing.txt", tmp_path, fifo, good])
    assert [p.title for p in result.papers] == ["Good"]
    messages = {p.path: p.message for p in result.problems}
    assert "cannot be read" in messages[str(tmp_path / "missing.txt")]
    assert "directory" in messages[str(tmp_path)]
    assert "not a regular file" in messages[str(fifo)]


@pytest.mark.parametrize("name, make, line", [
    ("long.jsonl", lambda big: json.dumps({"title": "Big", "abstract": big}) + "\n" + '{"title": "Next"}\n', 1),
    ("long.csv", lambda big: f"title,abstract\nBig,{big}\nNext,x\n", 2),
    ("long.txt", lambda big: f"Mar 17\nBig\n{big}\nNext\nA short abstract of the next paper.\n", 2),
])
@pytest.mark.timeout(60)
def test_fuzz_readers_one_megabyte_line_is_reported_with_the_limit(tmp_path, name, make, line):
    big = "word " * 200_000
    rows, problems = _read(tmp_path / name, make(big).encode())
    assert "Next" in [r.title for r in rows] and "Big" not in [r.title for r in rows]
    assert any(f"{readers_text.MAX_ABSTRACT_CHARS:,}" in p.message and p.line == line for p in problems), problems


def test_fuzz_readers_title_limit_is_named(tmp_path):
    rows, problems = _read(tmp_path / "t.jsonl", (json.dumps({"title": "T" * (readers_text.MAX_TITLE_CHARS + 1)}) + "\n"
                                                  + '{"title": "ok"}\n').encode())
    assert [r.title for r in rows] == ["ok"]
    assert f"limit of {readers_text.MAX_TITLE_CHARS:,}" in str(problems[0]) and problems[0].line == 1


def test_fuzz_readers_file_size_limit_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(readers_text, "MAX_FILE_BYTES", 100)  # read_text reads the limit
    rows, problems = _read(tmp_path / "big.jsonl", ('{"title": "x"}\n' * 20).encode())
    assert not rows
    assert "over the limit of 100" in str(problems[0])


def test_fuzz_readers_symbol_only_titles_stay_distinct_papers(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text("".join(json.dumps({"title": t}) + "\n" for t in ["\U0001F600", "\U0001F680", "???", "\U0001F600"]))
    result = read_listings([path])
    assert [p.title for p in result.papers] == ["\U0001F600", "\U0001F680", "???"]


def test_fuzz_readers_html_in_titles_is_kept_as_text(tmp_path):
    title = '<script>alert("x")</script> &amp; <b>Bold</b>'
    rows, _ = _read(tmp_path / "h.jsonl", (json.dumps({"title": title}) + "\n").encode())
    assert rows[0].title == title


# --- bibliographic formats: a good record among garbage, XML attacks on PubMed XML --------------------------------

def _bibliographic_record(fmt: str, title: str, abstract: str) -> dict:
    """One record of ``fmt`` as its service writes it, with ``title`` and ``abstract`` and a DOI."""
    if fmt == "openalex":
        words = abstract.split()
        index: dict[str, list[int]] = {}
        for i, w in enumerate(words):
            index.setdefault(w, []).append(i)
        return {"id": "https://openalex.org/W42", "doi": "https://doi.org/10.1000/good", "title": title,
                "publication_year": 2020, "abstract_inverted_index": index or None}
    if fmt == "semanticscholar":
        return {"paperId": "f" * 40, "externalIds": {"DOI": "10.1000/GOOD"}, "title": title, "abstract": abstract,
                "year": 2020}
    # Crossref writes titles and abstracts as markup: a literal "<" in them is escaped
    return {"DOI": "10.1000/good", "title": [html.escape(title)],
            "abstract": f"<jats:p>{html.escape(abstract)}</jats:p>",
            "container-title": ["J"], "is-referenced-by-count": 1}


@FUZZ
@given(fmt=st.sampled_from(["openalex", "semanticscholar", "crossref"]), title=_TITLE,
       abstract=st.one_of(st.just(""), _TEXT), before=st.lists(_JSON_GARBAGE, max_size=4),
       after=st.lists(_JSON_GARBAGE, max_size=4), newline=st.sampled_from(["\n", "\r\n"]))
def test_fuzz_readers_bibliographic_json_good_record_among_garbage_is_kept(work, fmt, title, abstract, before,
                                                                             after, newline):
    good = json.dumps(_bibliographic_record(fmt, title, abstract))
    lines = [*before, good, *after]
    rows, problems = _read(work / f"mixed-{fmt}.jsonl", newline.join(lines).encode("utf-8"), fmt)
    ours = [r for r in rows if r.doi == "10.1000/good"]
    assert len(ours) == 1
    assert (ours[0].title, ours[0].abstract) == (_spaced(title), _spaced(abstract))
    assert ours[0].source.endswith(f":{len(before) + 1}")


@FUZZ
@given(title=_TEXT, before=st.lists(st.text(st.characters(blacklist_characters="\r\n\x00",
                                                            blacklist_categories=("Cs",)), max_size=40), max_size=4))
def test_fuzz_readers_medline_good_record_after_garbage_is_kept(work, title, before):
    record = f"PMID- 12345\nTI  - {title}\nAB  - An abstract.\nLID - 10.1000/good [doi]\nSO  - J. 2020.\n"
    rows, problems = _read(work / "mixed.medline", ("\n".join(before) + "\n\n" + record).encode("utf-8"), "medline")
    ours = [r for r in rows if dict(r.ids).get("pmid") == "12345"]
    assert len(ours) == 1 and ours[0].title == _spaced(title) and ours[0].doi == "10.1000/good"


@pytest.mark.timeout(60)  # a hang guard: an expanded bomb would take minutes and gigabytes
@pytest.mark.parametrize("attack", sorted(XML_ATTACKS))
def test_fuzz_readers_pubmed_xml_bombs_and_entities_are_refused(tmp_path, attack):
    xml = XML_ATTACKS[attack].replace("feed", "PubmedArticleSet").replace(
        "<entry><title>", "<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>").replace(
        "</title></entry>", "</ArticleTitle></Article></MedlineCitation></PubmedArticle>")
    rows, problems = _read(tmp_path / "attack.xml", xml.encode())
    assert "passwd" not in " ".join(map(str, problems)) and not any("root:" in r.title for r in rows)
    if attack == "external dtd":  # named, never fetched: the article is read
        assert [r.title for r in rows] == ["T"]
    else:
        assert not rows and "refused" in str(problems[0])
