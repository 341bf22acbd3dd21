"""Reading listings: :func:`read_file` reads one file in any format, :func:`read_records` records given as dicts,
and :func:`read_listings` reads many of both and merges the same paper (same normalised title) listed in several
files or on several dates into one :class:`~citegraph.extract.records.Paper`, with everything skipped as
:class:`~citegraph.extract.records.InputProblem` s in a :class:`ReadResult`.

The formats themselves are read by the modules named in :mod:`citegraph.extract.readers.detect`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citegraph.extract.records import CitegraphError, InputProblem, Paper
from citegraph.extract.readers.detect import FORMATS, HEAD_CHARS, READERS, UnknownFormat, detect_format
from citegraph.extract.readers.fields import Listing, check_listing, listing_from_record
from citegraph.extract.readers.merge import merge_listings
from citegraph.extract.readers.text import open_text, unencodable_replaced

__all__ = ["RECORDS_NAME", "LINE_FORMATS", "ReadResult", "read_file", "read_records", "read_listings"]

#: what the sources and problems of records given as dicts call their origin
RECORDS_NAME = "records"
#: the formats whose reader takes the file's lines one at a time (:func:`~citegraph.extract.readers.text.lines_of`),
#: so that reading holds one record at a time whatever the file's size and line lengths; the others get its text
LINE_FORMATS = frozenset({"hf", "jsonl", "csv"})


@dataclass
class ReadResult:
    """Merged papers, in order of first appearance, and everything that was skipped."""

    papers: list[Paper]
    problems: list[InputProblem] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)  # per input: path, format, sha256, bytes, records
    year_assumed: int | None = None  # the year given to dates written without one, if any were


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
    source = open_text(path, name, problems, info)
    if source is None:
        return []
    if fmt is None:
        try:
            fmt = detect_format(Path(name), source.head_text(HEAD_CHARS))
        except UnknownFormat as e:
            problems.append(InputProblem(name, 0, str(e).removeprefix(f"{name}: ") + "; skipped"))
            return []
    info["format"] = fmt
    assumed: list[bool] = []
    text = source.lines() if fmt in LINE_FORMATS else source.text()
    rows = [r for r in (check_listing(x, problems) for x in READERS[fmt](name, text, year, problems, assumed)) if r]
    info["records"] = len(rows)
    info["year_assumed"] = any(assumed)
    if not rows:
        problems.append(InputProblem(name, 0, f"no paper could be read from it as {fmt!r}"))
    return rows


def _digest_text(obj: Mapping) -> str:
    """The text a record adds to the digest of :func:`read_records`: its JSON with sorted keys, or its ``repr``
    when it has no such JSON (keys of mixed types, a value that contains itself)."""
    try:
        return json.dumps(dict(obj), sort_keys=True, default=str, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return repr(obj)


def read_records(records: Iterable[Mapping[str, Any]], *, year: int | None = None,
                 problems: list[InputProblem] | None = None, info: dict | None = None) -> list[Listing]:
    """Listings of records given as dicts, read as JSONL lines are (``title`` required; ``abstract``, ``date``,
    ``url``, ``authors``, ``id``; see :func:`~citegraph.extract.readers.fields.listing_from_record`); the N-th
    record's source is ``records:N``. A record that is not a mapping, or has no title, is reported in ``problems``
    and skipped.

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
        digest.update(_digest_text(obj).encode("utf-8", "replace"))
        obj = unencodable_replaced(obj, RECORDS_NAME, n, problems)
        row = check_listing(listing_from_record(obj, RECORDS_NAME, n, year, problems, assumed), problems)
        if row is not None:
            rows.append(row)
    info.update(path=RECORDS_NAME, format="records", sha256=digest.hexdigest(), records=len(rows),
                year_assumed=any(assumed))
    return rows


def read_listings(paths: Sequence[str | Path | Mapping[str, Any]], fmt: str | None = None, year: int | None = None,
                  existing: Sequence[Paper] = (), names: Mapping[Path, str] | None = None) -> ReadResult:
    """Read every file (and every record given as a dict, see :func:`read_records`), merge duplicates across files
    and dates (and into ``existing`` papers), and collect what was skipped. ``names`` gives some files the name
    their sources and problems say instead of their path (the sample shipped with citegraph is named by its place
    in the package, so its build is the same in any checkout).

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
    papers = merge_listings(listings, existing, problems)
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
