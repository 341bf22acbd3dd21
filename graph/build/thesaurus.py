"""A user's thesaurus, as VOSviewer users keep one: merge, rename, retype or drop entities at build time.

The file is CSV (or tab-separated) with a header naming the columns ``text`` and ``replace_by`` (and optionally
``label``)::

    text,replace_by,label
    CIFAR10,CIFAR-10,dataset
    heuristic tricks,,
    Mamba,,method

or a VOSviewer thesaurus file as it is: tab-separated, with the header ``label<TAB>replace by`` (VOSviewer's
``label`` is the text; it has no type column), so a thesaurus kept for VOSviewer serves here unchanged.

A row without a ``label`` whose ``text`` is a person's name as exports write it (a surname and initials:
``calero, c``) also matches the authors of that key (:func:`~citegraph.graph.build.authors.author_key`), as
VOSviewer's thesauri for co-authorship maps do: ``replace_by`` merges them into that author, an empty one drops
them from the co-authorship graph (:func:`apply_to_authors`).

A row matches every mention whose key, or the key of whose text, is the key of ``text`` (so any spelling, case or
plural of it, and ``DS`` where it stands for "dynamical systems"); ``replace_by`` names the entity its text
stands for in the corpus when there is one (so ``CIFAR10`` -> ``CIFAR-10`` joins the existing entity). An empty
``replace_by`` drops the entity, unless the row gives a ``label``: then the entity is only retyped. A
``replace_by`` merges the mentions into the entity of that text, which is then named by it; ``label`` retypes.
"""

from __future__ import annotations

import csv
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from citegraph.extract.keys import normalise_key
from citegraph.extract.records import LABELS, CitegraphError, Extraction, Mention, Paper
from citegraph.graph.build.authors import author_key, split_name

__all__ = ["Thesaurus", "read_thesaurus", "apply_thesaurus", "apply_to_authors"]


@dataclass(frozen=True)
class Thesaurus:
    """Rows of a thesaurus file by the key they match: ``(new key or "" to drop, display name, label or "")``."""

    path: str
    sha256: str
    rows: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    format: str = "csv"  # or "vosviewer"
    #: author key -> (the key of the row, the name the author is replaced by or "" to drop)
    people: dict[str, tuple[str, str]] = field(default_factory=dict)

    def manifest(self) -> dict:
        return {"path": self.path, "sha256": self.sha256, "format": self.format, "rows": len(self.rows)}


#: the header of a VOSviewer thesaurus file (tab-separated)
VOSVIEWER_HEADER = ["label", "replace by"]


def read_thesaurus(path: str | Path) -> Thesaurus:
    """The thesaurus in ``path``; :class:`CitegraphError` naming the file and line of what is wrong.

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
    ...     _ = f.write("text,replace_by,label\\nCIFAR10,CIFAR-10,dataset\\nheuristic tricks,,\\n")
    >>> t = read_thesaurus(f.name); os.unlink(f.name)
    >>> t.rows
    {'cifar10': ('cifar 10', 'CIFAR-10', 'dataset'), 'heuristic trick': ('', '', '')}
    >>> with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
    ...     _ = f.write("label\\treplace by\\nCIFAR10\\tCIFAR-10\\nheuristic tricks\\t\\n")
    >>> t = read_thesaurus(f.name); os.unlink(f.name)
    >>> t.format, t.rows
    ('vosviewer', {'cifar10': ('cifar 10', 'CIFAR-10', ''), 'heuristic trick': ('', '', '')})
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except OSError as e:
        raise CitegraphError(f"cannot read the thesaurus {path}: {e.strerror or e}") from e
    except UnicodeDecodeError as e:
        raise CitegraphError(f"{path}: the thesaurus is not UTF-8 text ({e.reason} at byte {e.start})") from e
    lines = text.splitlines()
    fmt = "csv"
    reader: Iterable[list[str]]
    if lines and [h.strip().lower() for h in lines[0].split("\t")] == VOSVIEWER_HEADER:
        fmt, header, reader = "vosviewer", ["text", "replace_by"], (line.split("\t") for line in lines[1:])
    else:  # CSV, or the same columns tab-separated
        tabs = bool(lines) and "\t" in lines[0] and "," not in lines[0]
        reader = csv.reader(lines, delimiter="\t" if tabs else ",")
        header = [h.strip().lower() for h in next(reader, [])]
        if "text" not in header or "replace_by" not in header:
            raise CitegraphError(f"{path}:1: a thesaurus needs a CSV header with the columns text and replace_by "
                                 f"(and optionally label), or VOSviewer's tab-separated header 'label<TAB>replace "
                                 f"by'; found {','.join(header) or 'nothing'}")
        unknown = sorted(set(header) - {"text", "replace_by", "label"})
        if unknown:
            raise CitegraphError(f"{path}:1: unknown thesaurus column(s) {unknown}; expected text, replace_by, "
                                 f"label")
    col = {name: header.index(name) for name in header}
    rows: dict[str, tuple[str, str, str]] = {}
    people: dict[str, tuple[str, str]] = {}
    for line_no, row in enumerate(reader, 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header):]):  # not trailing tabs
            raise CitegraphError(f"{path}:{line_no}: {len(row)} cells for {len(header)} columns")
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in col.items()}
        key = normalise_key(cells["text"])
        if not key:
            raise CitegraphError(f"{path}:{line_no}: empty text")
        label = cells.get("label", "")
        if label and label not in LABELS:
            raise CitegraphError(f"{path}:{line_no}: unknown label {label!r}; expected one of {', '.join(LABELS)}")
        if key in rows:
            raise CitegraphError(f"{path}:{line_no}: {cells['text']!r} is already in the thesaurus (as the same key "
                                 f"{key!r})")
        new = cells["replace_by"]
        new_key = normalise_key(new) if new else (key if label else "")
        rows[key] = (new_key, new, label)
        if not label and all(split_name(cells["text"])):  # a surname and initials: a person's name
            people.setdefault(author_key(cells["text"]), (key, new))
    return Thesaurus(str(path), hashlib.sha256(raw).hexdigest(), rows, fmt, people)


def apply_thesaurus(extractions: Sequence[Extraction], thesaurus: Thesaurus, merges: list[dict] | None = None
                    ) -> tuple[list[Extraction], dict[str, str], set[str]]:
    """``extractions`` with the thesaurus applied to their mentions, the display names it sets (by key), and the
    rows (by key) that matched a mention. Each change is appended to ``merges`` (reason ``thesaurus``; ``to_key``
    empty for a drop).

    >>> t = Thesaurus("t.csv", "", {"cifar10": ("cifar 10", "CIFAR-10", "dataset"), "trick": ("", "", ""),
    ...                             "gan": ("", "", "")})
    >>> x = Extraction("p", "CIFAR10 tricks", (Mention("CIFAR10", "method", 0, 7, "title", "cifar10"),
    ...                                       Mention("tricks", "concept", 8, 14, "title", "trick")))
    >>> xs, names, matched = apply_thesaurus([x], t)
    >>> [(m.key, m.label) for m in xs[0].mentions], names, sorted(matched)
    ([('cifar 10', 'dataset')], {'cifar 10': 'CIFAR-10'}, ['cifar10', 'trick'])
    """
    rows = thesaurus.rows
    # the entity a spelling stands for in this corpus: its mentions' most frequent key ("DS" -> "dynamical system")
    seen: dict[str, Counter] = defaultdict(Counter)
    for x in extractions:
        for m in x.mentions:
            seen[normalise_key(m.text)][m.key] += 1
    corpus_key = {k: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for k, c in seen.items()}

    matched: set[str] = set()

    def row_of(m: Mention) -> tuple[str, str, str] | None:
        for key in (m.key, normalise_key(m.text)):
            if key in rows:
                matched.add(key)
                return rows[key]
        return None

    names = {corpus_key.get(new_key, new_key): name for new_key, name, _ in rows.values() if new_key and name}
    out = []
    for x in extractions:
        if not any(row_of(m) for m in x.mentions):
            out.append(x)
            continue
        mentions: list[Mention | None] = []
        for m in x.mentions:
            row = row_of(m)
            if row is None:
                mentions.append(m)
                continue
            new_key, _, label = row
            new_key = m.key if new_key and not row[1] else corpus_key.get(new_key, new_key)  # retype only: same key
            if merges is not None:
                merges.append({"paper_id": x.id, "field": m.field, "start": m.start, "end": m.end, "text": m.text,
                               "from_key": m.key, "to_key": new_key, "reason": "thesaurus"})
            mentions.append(Mention(m.text, label or m.label, m.start, m.end, m.field, new_key, m.source,
                                    m.confidence) if new_key else None)
        out.append(x.with_mentions(mentions))  # a dropped mention's relations go with it
    return out, names, matched


def apply_to_authors(papers: Sequence[Paper], thesaurus: Thesaurus) -> tuple[list[Paper], set[str]]:
    """``papers`` with the thesaurus's person rows applied to their authors (renamed, so merged by key, or left out),
    and the rows (by key) that matched an author.

    >>> t = Thesaurus("t.txt", "", {"calero c": ("calero medina c", "Calero-Medina, C", ""), "doe j": ("", "", "")},
    ...               people={"calero-c": ("calero c", "Calero-Medina, C"), "doe-j": ("doe j", "")})
    >>> ps, matched = apply_to_authors([Paper("p", "T", authors=("Calero, C.", "Doe, J", "Aria, M"))], t)
    >>> ps[0].authors, sorted(matched)
    (('Calero-Medina, C', 'Aria, M'), ['calero c', 'doe j'])
    """
    people = thesaurus.people
    matched: set[str] = set()
    out = []
    for p in papers:
        names, changed = [], False
        for name in p.authors:
            row = people.get(author_key(name))
            if row is None:
                names.append(name)
                continue
            matched.add(row[0])
            changed = True
            if row[1]:
                names.append(row[1])
        out.append(replace(p, authors=tuple(names)) if changed else p)
    return out, matched
