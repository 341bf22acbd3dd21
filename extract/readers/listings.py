"""Readers of paper listings: Hugging Face trending-paper page dumps, JSONL, CSV and arXiv Atom XML.

Every reader turns one file into :class:`Listing` rows plus :class:`~citegraph.extract.records.InputProblem` s for what it
had to skip; :func:`read_listings` reads many files and merges the same paper (same normalised title) listed in
several files or on several dates into one :class:`~citegraph.extract.records.Paper`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import logging
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from citegraph.extract.records import CitegraphError, InputProblem, Paper

__all__ = ["FORMATS", "Listing", "ReadResult", "detect_format", "read_file", "read_listings", "paper_id_for"]

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("hf", "jsonl", "csv", "arxiv")

#: Documented limits (README, "Limits"): beyond them a file or record is skipped with a message.
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_TITLE_CHARS = 2_000
MAX_ABSTRACT_CHARS = 50_000

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_DATE_LINE = re.compile(r"^(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?P<day>\d{1,2})"
                        r"(?:,?\s+(?P<year>\d{4}))?$", re.IGNORECASE)
_HF_HEADER = re.compile(r"^(new|subscribe|get trending papers in your email inbox.*|by\s*ak and the research community"
                        r"|trending papers|daily papers)$", re.IGNORECASE)
_TITLE_MAX = 300  # a Hugging Face title line is never longer; a longer line is an abstract paragraph


@dataclass(frozen=True)
class Listing:
    """One title/abstract as it stands in one file, before merging."""

    title: str
    abstract: str
    source: str  # "path:line"
    date: str = ""  # ISO date, "" when unknown
    url: str = ""
    id: str = ""  # id given by the input (JSONL/CSV/arXiv), "" when none
    authors: tuple[str, ...] = ()


@dataclass
class ReadResult:
    """Merged papers, in order of first appearance, and everything that was skipped."""

    papers: list[Paper]
    problems: list[InputProblem] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)  # per input: path, format, sha256, bytes, records
    year_assumed: int | None = None  # the year given to dates written without one, if any were


def normalise_title(title: str) -> str:
    """The merge key of a title: case, accents, punctuation and spacing do not matter.

    >>> normalise_title("  Poseidon: Efficient Foundation Models for PDEs ")
    'poseidon efficient foundation models for pdes'
    """
    text = unicodedata.normalize("NFKC", title).casefold()
    words = re.findall(r"\w+", text)
    # a title without any letter or digit (emoji, punctuation) is its own key, not the empty key shared by all such
    return " ".join(words) if words else " ".join(text.split())


def paper_id_for(title: str) -> str:
    """A stable id derived from the normalised title.

    >>> paper_id_for("Random Teachers are Good Teachers") == paper_id_for("random teachers are good  teachers")
    True
    """
    return hashlib.sha1(normalise_title(title).encode("utf-8")).hexdigest()[:12]


def detect_format(path: Path, head: bytes) -> str:
    """Guess a file's format from its extension, then its first bytes."""
    ext = path.suffix.lower()
    if ext in {".jsonl", ".ndjson", ".json"}:
        return "jsonl"
    if ext in {".csv", ".tsv"}:
        return "csv"
    if ext in {".xml", ".atom"}:
        return "arxiv"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"<?xml") or start.startswith(b"<feed"):
        return "arxiv"
    first_line = re.split(rb"\r\n|\r|\n", start, maxsplit=1)[0].lower()  # a lone-CR file is not one line
    if b"title" in first_line and b"," in first_line:
        return "csv"
    return "hf"


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc


def _clean(text: str) -> str:
    r"""Collapse whitespace and drop control characters (NUL and friends) that no title or abstract needs.

    >>> _clean("a\x00b \t\n c\x85d\u2028e")
    'a b c d e'
    """
    return " ".join(_CONTROL.sub(" ", text).split())


_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z][\w.:-]{0,40})[\"']")


def _encoding(data: bytes) -> str:
    """The file's encoding: a UTF-16 byte-order mark, else an XML declaration's encoding, else UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    m = _XML_ENCODING.match(data[:512])
    if m:
        try:
            name = codecs.lookup(m.group(1).decode("ascii")).name
        except LookupError:
            return "utf-8-sig"
        return "utf-8-sig" if name == "utf-8" else name
    return "utf-8-sig"


def _looks_binary(data: bytes) -> bool:
    """More than 10% NUL bytes or undecodable characters in the first 8 KB. A stray NUL or bad byte in a text file
    does not make it binary: its good records are still read (the NUL becomes a space)."""
    sample = data[:8192]
    encoding = _encoding(sample)
    if encoding == "utf-16":
        return False
    nul = sample.count(0)
    bad = sample.decode(encoding, errors="replace").count("\ufffd")
    return nul > len(sample) // 10 or bad > len(sample) // 10


def _decode(path: Path, data: bytes, problems: list[InputProblem]) -> str:
    encoding = _encoding(data)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        label = "UTF-8" if encoding == "utf-8-sig" else encoding
        problems.append(InputProblem(str(path), line, f"not valid {label}; undecodable bytes were replaced by U+FFFD"))
        return data.decode(encoding, errors="replace")


def _iso_date(text: str, year: int, path: str, line: int, problems: list[InputProblem]) -> tuple[str, bool]:
    """(ISO date, whether the year was assumed) from ``Mar 17``, ``Mar 17, 2025``, ``2025-03-17`` or a timestamp."""
    text = text.strip()
    if not text:
        return "", False
    m = _DATE_LINE.match(text)
    try:
        if m:
            y = int(m.group("year")) if m.group("year") else year
            d = dt.date(y, _MONTHS[m.group("mon").lower()[:3]], int(m.group("day")))
            return d.isoformat(), m.group("year") is None
        return dt.date.fromisoformat(text[:10]).isoformat(), False
    except ValueError:
        problems.append(InputProblem(path, line, f"unreadable date {text[:40]!r}; the record is kept without a date"))
        return "", False


def _check_record(lst: Listing, problems: list[InputProblem]) -> Listing | None:
    path, _, line = lst.source.rpartition(":")
    if not lst.title:
        problems.append(InputProblem(path, int(line), "record without a title was skipped"))
        return None
    if len(lst.title) > MAX_TITLE_CHARS:
        problems.append(InputProblem(path, int(line), f"title of {len(lst.title):,} characters is over the limit of "
                                     f"{MAX_TITLE_CHARS:,}; the record was skipped"))
        return None
    if len(lst.abstract) > MAX_ABSTRACT_CHARS:
        problems.append(InputProblem(path, int(line), f"abstract of {len(lst.abstract):,} characters is over the "
                                     f"limit of {MAX_ABSTRACT_CHARS:,}; the record was skipped"))
        return None
    return lst


# --- the formats -------------------------------------------------------------------------------------------------

def _read_hf(path: str, text: str, year: int, problems: list[InputProblem], assumed: list[bool]) -> Iterator[Listing]:
    """A Hugging Face trending-papers page dump: header, ``Mar 17`` date line, then title / abstract paragraphs."""
    date = ""
    paragraphs: list[tuple[int, str]] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = _clean(raw)
        if not line:
            continue
        if line.lower().startswith("subscribe") and len(line) > len("subscribe") and not paragraphs:
            line = line[len("subscribe"):].strip()  # first title glued to the Subscribe button
        if _HF_HEADER.match(line):
            continue
        if _DATE_LINE.match(line):
            date, was_assumed = _iso_date(line, year, path, lineno, problems)
            assumed.append(was_assumed)
            continue
        paragraphs.append((lineno, line))
    i = 0
    while i < len(paragraphs):
        lineno, title = paragraphs[i]
        abstract_parts: list[str] = []
        j = i + 1
        # the abstract is the next paragraph, plus any following paragraph too long to be a title
        while j < len(paragraphs) and (not abstract_parts or len(paragraphs[j][1]) > _TITLE_MAX):
            abstract_parts.append(paragraphs[j][1])
            j += 1
        if len(title) > _TITLE_MAX:
            problems.append(InputProblem(path, lineno, "paragraph too long to be a title and without a title before "
                                         "it; skipped"))
            i += 1
            continue
        yield Listing(title=title, abstract=" ".join(abstract_parts), source=f"{path}:{lineno}", date=date)
        i = j


def _str_field(obj: dict, name: str, path: str, lineno: int, problems: list[InputProblem]) -> str:
    value = obj.get(name)
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and name in {"id", "date"}:
        return str(value)
    if not isinstance(value, str):
        problems.append(InputProblem(path, lineno, f"field {name!r} should be a string, not "
                                     f"{type(value).__name__}; ignored"))
        return ""
    return value


def _authors(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(a.strip() for a in re.split(r";|,| and ", value) if a.strip())
    if isinstance(value, list):
        return tuple(_clean(str(a)) for a in value if isinstance(a, (str, int)) and str(a).strip())
    return ()


def _record(obj: dict, path: str, lineno: int, year: int, problems: list[InputProblem],
            assumed: list[bool]) -> Listing:
    lower = {str(k).strip().lower(): v for k, v in obj.items()}
    get = lambda name: _str_field(lower, name, path, lineno, problems)  # noqa: E731
    abstract = get("abstract") or get("summary")
    date, was_assumed = _iso_date(get("date") or get("published"), year, path, lineno, problems)
    assumed.append(was_assumed)
    return Listing(title=_clean(get("title")), abstract=_clean(abstract), source=f"{path}:{lineno}",
                   date=date, url=_clean(get("url")), id=get("id").strip(), authors=_authors(lower.get("authors")))


def _read_jsonl(path: str, text: str, year: int, problems: list[InputProblem],
                assumed: list[bool]) -> Iterator[Listing]:
    # only CR/LF end a JSON line: U+2028, U+0085 & co may stand unescaped inside a JSON string (str.splitlines
    # would cut the record there), and a raw CR never can
    for lineno, line in enumerate(_JSONL_LINES.split(text), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(InputProblem(path, lineno, f"not valid JSON ({e.msg} at column {e.colno}); line skipped"))
            continue
        except RecursionError:
            problems.append(InputProblem(path, lineno, "JSON nested too deeply to read; line skipped"))
            continue
        except ValueError as e:  # e.g. an integer of more than 4,300 digits
            problems.append(InputProblem(path, lineno, f"unreadable JSON value ({e}); line skipped"))
            continue
        if not isinstance(obj, dict):
            problems.append(InputProblem(path, lineno, f"expected a JSON object, got {type(obj).__name__}; "
                                         "line skipped"))
            continue
        yield _record(obj, path, lineno, year, problems, assumed)


def _csv_error(e: csv.Error) -> str:
    if "field limit" in str(e):
        return (f"a cell is longer than the CSV reader's limit of {csv.field_size_limit():,} characters (abstracts "
                f"are limited to {MAX_ABSTRACT_CHARS:,})")
    return f"unreadable CSV row ({e})"


def _read_csv(path: str, text: str, year: int, problems: list[InputProblem], assumed: list[bool]) -> Iterator[Listing]:
    lines = io.StringIO(text, newline="").readlines()  # split at CRLF, LF and lone CR, endings kept for csv
    head = lines[0] if lines else ""  # the header says the delimiter; tabs in the rows' text must not decide it
    delimiter = "\t" if head.count("\t") > head.count(",") else ","
    try:
        header = [h.strip().lower() for h in next(csv.reader(lines[:1], delimiter=delimiter, strict=True))]
    except StopIteration:
        return
    except csv.Error as e:
        problems.append(InputProblem(path, 1, f"unreadable CSV header ({e}); file skipped"))
        return
    if "title" not in header:
        problems.append(InputProblem(path, 1, f"CSV header has no 'title' column (columns: {', '.join(header)[:200]});"
                                     " file skipped"))
        return
    pos = 1  # index in ``lines`` where the current reader starts
    while pos < len(lines):
        # strict: an unclosed quote is an error at its row instead of swallowing every row after it; after an
        # error, reading starts again on the line after the bad row's first line, so later good rows are kept
        reader = csv.reader(lines[pos:], delimiter=delimiter, strict=True)
        while True:
            first = pos + reader.line_num + 1  # 1-based line where the next row starts
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                problems.append(InputProblem(path, first, f"{_csv_error(e)}; line skipped"))
                pos = first  # index of the line after the bad one
                break
            end = pos + reader.line_num  # index of the line after the row
            if end - first > 0 and not _csv_row_is_rfc4180("".join(lines[first - 1:end]), delimiter):
                # a quote left open on one line must not swallow the good rows after it: a row over several lines
                # is taken only if it is well-formed (RFC 4180) as a whole
                problems.append(InputProblem(path, first, f"unclosed quote (the cell runs into line {end} and the "
                                             "row is not well-formed there); line skipped"))
                pos = first
                break
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                problems.append(InputProblem(path, first, f"row has {len(row)} cells for {len(header)} columns; "
                                             + ("the missing ones are taken as empty" if len(row) < len(header)
                                                else "the extra ones are ignored")))
            yield _record(dict(zip(header, row)), path, first, year, problems, assumed)


def _csv_row_is_rfc4180(raw: str, delimiter: str) -> bool:
    r"""Whether ``raw`` (one row, maybe over several lines) is a well-formed RFC 4180 record: every cell unquoted
    without quotes, or quoted with inner quotes doubled.

    >>> _csv_row_is_rfc4180('1,"two\nlines",3\n', ",")
    True
    >>> _csv_row_is_rfc4180('"never closed\ngood-1,0,",0"\n', ",")
    False
    """
    d = re.escape(delimiter)
    cell = f'(?:"(?:[^"]|"")*"|[^"{d}\r\n]*)'
    return re.fullmatch(f"{cell}(?:{d}{cell})*(?:\r\n|\n|\r)?", raw) is not None


_ATOM = "{http://www.w3.org/2005/Atom}"
_JSONL_LINES = re.compile(r"\r\n|\r|\n")
_ENTRY_TAG = re.compile(r"<(?:[\w.-]+:)?entry[\s>/]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _read_arxiv(path: str, text: str, year: int, problems: list[InputProblem],
                assumed: list[bool]) -> Iterator[Listing]:
    # ``text`` is already decoded (by the declared encoding); a declaration naming another encoding would make
    # the parser decode the UTF-8 bytes a second time
    text = _XML_DECLARATION.sub(lambda m: "\n" * m.group(0).count("\n"), text, count=1)
    try:
        root = SafeET.fromstring(text.encode("utf-8"), forbid_dtd=True)
    except DefusedXmlException as e:
        problems.append(InputProblem(path, 0, f"XML with DTDs or entity declarations is refused ({type(e).__name__});"
                                     " file skipped"))
        return
    except SafeET.ParseError as e:
        line = e.position[0] if getattr(e, "position", None) else 0
        problems.append(InputProblem(path, line, f"not well-formed XML ({e}); file skipped"))
        return
    entries = root.findall(f"{_ATOM}entry") or root.findall("entry")
    # the line of each entry's start tag, so problems and sources say path:line as for every other format
    starts, line, at = [], 1, 0
    for m in _ENTRY_TAG.finditer(text):
        line, at = line + text.count("\n", at, m.start()), m.start()
        starts.append(line)
    lines = starts if len(starts) == len(entries) else list(range(1, len(entries) + 1))
    for n, entry in zip(lines, entries):
        def text_of(tag: str) -> str:
            node = entry.find(f"{_ATOM}{tag}")
            if node is None:
                node = entry.find(tag)
            return _clean("".join(node.itertext())) if node is not None else ""
        authors = tuple(_clean("".join(a.itertext())) for a in entry.iter() if a.tag.endswith("name"))
        links = [lk.get("href", "") for lk in entry.iter() if lk.tag.endswith("link")]
        url = next((h for h in links if "/abs/" in h), links[0] if links else "")
        date, _ = _iso_date(text_of("published"), year, path, n, problems)
        raw_id = text_of("id")
        arxiv_id = re.sub(r"^https?://arxiv\.org/abs/", "", raw_id)
        yield Listing(title=text_of("title"), abstract=text_of("summary"), source=f"{path}:{n}", date=date,
                      url=url or raw_id, id=arxiv_id, authors=authors)


_READERS = {"hf": _read_hf, "jsonl": _read_jsonl, "csv": _read_csv, "arxiv": _read_arxiv}


def read_file(path: str | Path, fmt: str | None = None, year: int | None = None,
              problems: list[InputProblem] | None = None, info: dict | None = None,
              name: str | None = None) -> list[Listing]:
    """Read one listing file; problems are appended to ``problems``, never raised, except a bad ``fmt``.

    ``name`` is what sources, problems and ``info`` call the file (default: ``path`` as given)."""
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    problems = [] if problems is None else problems
    info = {} if info is None else info
    year = year or dt.date.today().year
    path = Path(path)
    name = name or str(path)
    info.update(path=name, format=fmt or "", records=0)
    try:
        if path.is_dir():
            problems.append(InputProblem(name, 0, "is a directory, not a listing file; skipped"))
            return []
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
            problems.append(InputProblem(name, 0, "is not a regular file (a pipe or device); skipped"))
            return []
        size = st.st_size
        if size > MAX_FILE_BYTES:
            problems.append(InputProblem(name, 0, f"file of {size:,} bytes is over the limit of {MAX_FILE_BYTES:,};"
                                         " skipped"))
            return []
        data = path.read_bytes()
    except OSError as e:
        problems.append(InputProblem(name, 0, f"cannot be read ({e.strerror or e}); skipped"))
        return []
    info.update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
    if not data.strip():
        problems.append(InputProblem(name, 0, "file is empty; skipped"))
        return []
    if _looks_binary(data):
        problems.append(InputProblem(name, 0, "looks like a binary file (NUL or undecodable bytes); skipped"))
        return []
    text = _decode(path, data, problems)
    fmt = fmt or detect_format(path, text[:4096].encode("utf-8"))
    info["format"] = fmt
    assumed: list[bool] = []
    rows = [r for r in (_check_record(x, problems) for x in _READERS[fmt](name, text, year, problems, assumed)) if r]
    info["records"] = len(rows)
    info["year_assumed"] = any(assumed)
    if not rows:
        problems.append(InputProblem(name, 0, f"no paper could be read from it as {fmt!r}"))
    return rows


#: what the sources and problems of records given as dicts call their origin
RECORDS_NAME = "records"


def read_records(records: Iterable[Mapping[str, Any]], *, year: int | None = None,
                 problems: list[InputProblem] | None = None, info: dict | None = None) -> list[Listing]:
    """Listings of records given as dicts, read as JSONL lines are (``title`` required; ``abstract``, ``date``,
    ``url``, ``authors``, ``id``); the N-th record's source is ``records:N``. A record that is not a mapping, or
    has no title, is reported in ``problems`` and skipped.

    >>> problems = []
    >>> [(x.title, x.source) for x in read_records([{"title": "A"}, {"abstract": "no title"}], problems=problems)]
    [('A', 'records:1')]
    >>> [str(p) for p in problems]
    ['records:2: record without a title was skipped']
    """
    problems = [] if problems is None else problems
    info = {} if info is None else info
    year = year or dt.date.today().year
    assumed: list[bool] = []
    rows: list[Listing] = []
    digest = hashlib.sha256()
    for n, obj in enumerate(records, 1):
        if not isinstance(obj, Mapping):
            problems.append(InputProblem(RECORDS_NAME, n, f"expected a mapping, got {type(obj).__name__}; skipped"))
            continue
        digest.update(json.dumps(obj, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8", "replace"))
        row = _check_record(_record(dict(obj), RECORDS_NAME, n, year, problems, assumed), problems)
        if row is not None:
            rows.append(row)
    info.update(path=RECORDS_NAME, format="records", sha256=digest.hexdigest(), records=len(rows),
                year_assumed=any(assumed))
    return rows


def merge_listings(listings: Iterable[Listing], existing: Sequence[Paper] = ()) -> list[Paper]:
    """One :class:`Paper` per normalised title, in order of first appearance, carrying every date and source.

    ``existing`` papers (an earlier build's) come first, as if their listings had been read before these.
    """
    merged: dict[str, dict] = {}
    for p in existing:
        merged[normalise_title(p.title)] = {"id": p.id, "title": p.title, "abstract": p.abstract,
                                            "dates": set(p.dates), "sources": set(p.sources), "url": p.url,
                                            "authors": p.authors}
    for lst in listings:
        key = normalise_title(lst.title)
        m = merged.get(key)
        if m is None:
            merged[key] = m = {"id": lst.id or paper_id_for(lst.title), "title": lst.title, "abstract": lst.abstract,
                               "dates": set(), "sources": set(), "url": lst.url, "authors": lst.authors}
        m["abstract"] = m["abstract"] or lst.abstract
        m["url"] = m["url"] or lst.url
        m["authors"] = m["authors"] or lst.authors
        if lst.date:
            m["dates"].add(lst.date)
        m["sources"].add(lst.source)
    return [Paper(id=m["id"], title=m["title"], abstract=m["abstract"], dates=tuple(sorted(m["dates"])),
                  sources=tuple(sorted(m["sources"])), url=m["url"], authors=tuple(m["authors"]))
            for m in merged.values()]


def read_listings(paths: Sequence[str | Path | Mapping[str, Any]], fmt: str | None = None, year: int | None = None,
                  existing: Sequence[Paper] = (), names: Mapping[Path, str] | None = None) -> ReadResult:
    """Read every file (and every record given as a dict, see :func:`read_records`), merge duplicates across files
    and dates (and into ``existing`` papers), and collect what was skipped. ``names`` gives some files the name their sources and problems say instead of their path (the sample
    shipped with citegraph is named by its place in the package, so its build is the same in any checkout).

    Raises :class:`CitegraphError` only for a bad ``fmt``; unreadable input is reported in ``problems``.
    """
    if fmt is not None and fmt not in FORMATS:
        raise CitegraphError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    year = year or dt.date.today().year
    problems: list[InputProblem] = []
    files: list[dict] = []
    listings: list[Listing] = []
    records = [p for p in paths if isinstance(p, Mapping)]
    for p in paths:
        if isinstance(p, Mapping):
            continue
        info: dict = {}
        listings.extend(read_file(p, fmt, year, problems, info, name=(names or {}).get(Path(p))))
        files.append(info)
    if records:
        info = {}
        listings.extend(read_records(records, year=year, problems=problems, info=info))
        files.append(info)
    papers = merge_listings(listings, existing)
    seen: dict[str, str] = {}
    unique: list[Paper] = []
    for paper in papers:  # two different titles given the same explicit id: keep the first, report the second
        if paper.id in seen:
            path, _, line = paper.sources[0].rpartition(":")
            problems.append(InputProblem(path, int(line), f"id {paper.id!r} was already used by {seen[paper.id]!r};"
                                         " this record was skipped"))
            continue
        seen[paper.id] = paper.title
        unique.append(paper)
    assumed = any(f.get("year_assumed") for f in files)
    return ReadResult(papers=unique, problems=problems, files=files, year_assumed=year if assumed else None)
