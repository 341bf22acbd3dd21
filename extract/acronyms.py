"""Acronyms: Schwartz–Hearst definition finding, a corpus-wide table, and resolving keys through it.

Schwartz & Hearst (2003), "A simple algorithm for identifying abbreviation definitions in biomedical text":
a short form in parentheses after a long form, matched character by character from the end.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from citegraph.extract.keys import compact, is_acronym, normalise_key
from citegraph.extract.records import AcronymDefinition

__all__ = ["find_abbreviation", "find_definitions", "AcronymTable", "build_table"]

_PAREN = re.compile(r"\(\s*([^()\s][^()]{0,14}?)\s*\)")
_WORD = re.compile(r"\S+")
_MAX_LONG_CHARS = 400  # longest long form looked at: 20 words of 20 characters


_NUMBER_WORDS = re.compile(r"\b(zero|one|two|three|four|five|six|seven|eight|nine)\b", re.I)
_DIGITS = {w: str(i) for i, w in enumerate("zero one two three four five six seven eight nine".split())}


def find_abbreviation(long_candidate: str, short: str) -> str | None:
    """The shortest tail of ``long_candidate`` that ``short`` abbreviates, or None (Schwartz–Hearst).

    Every character of the short form must appear in order in the long form, and the first one must start a word.
    A digit of the short form also matches a number word ("0SHOT" abbreviates "Zero-shot").

    >>> find_abbreviation("a highly popular mechanism called Error Feedback", "EF")
    'Error Feedback'
    >>> find_abbreviation("we use generative adversarial networks", "GANs")
    'generative adversarial networks'
    >>> find_abbreviation("the cat sat", "XYZ") is None
    True
    >>> find_abbreviation("a challenge: Zero-shot text classification", "0SHOT-TC")
    'Zero-shot text classification'
    """
    found = _abbreviation(long_candidate, short)
    if found is None and any(c.isdigit() for c in short) and _NUMBER_WORDS.search(long_candidate):
        # a number word written as its digit keeps every word in place: take as many words of the original
        as_digits = _NUMBER_WORDS.sub(lambda m: _DIGITS[m.group(1).lower()], long_candidate)
        tail = _abbreviation(as_digits, short)
        if tail is not None:
            found = " ".join(long_candidate.split()[-len(tail.split()):])
    return found


def _abbreviation(long_candidate: str, short: str) -> str | None:
    s_chars = [c.lower() for c in short if c.isalnum()]
    if not s_chars or not short[0].isalnum():
        return None
    if short.endswith("s") and len(s_chars) > 2 and short[:-1].isupper():
        s_chars = s_chars[:-1]  # plural acronym: GANs
    long_lower = long_candidate.lower()
    s_idx = len(s_chars) - 1
    l_idx = len(long_lower) - 1
    while s_idx >= 0:
        c = s_chars[s_idx]
        while l_idx >= 0 and (long_lower[l_idx] != c or (s_idx == 0 and l_idx > 0 and long_lower[l_idx - 1].isalnum())):
            l_idx -= 1
        if l_idx < 0:
            return None
        l_idx -= 1
        s_idx -= 1
    start = long_candidate.rfind(" ", 0, l_idx + 1) + 1
    result = long_candidate[start:].strip()
    words = result.split()
    if not words or len(words) > min(len(s_chars) + 5, len(s_chars) * 2) or result.lower() == short.lower():
        return None
    return result


def find_definitions(text: str, field_name: str) -> list[AcronymDefinition]:
    """Every ``long form (SHORT)`` definition in ``text``, with the long form's offsets.

    >>> [(d.short, d.long) for d in find_definitions("Error Feedback (EF) is popular; see EF21 (x).", "abstract")]
    [('EF', 'Error Feedback')]
    """
    found: list[AcronymDefinition] = []
    # the words of the whole text, once: re-splitting the text before every parenthesis was quadratic
    # (``word (AB) `` repeated 5,000 times took over 20 s)
    word_starts: list[int] = []
    word_ends: list[int] = []
    for w in _WORD.finditer(text):
        word_starts.append(w.start())
        word_ends.append(w.end())
    for m in _PAREN.finditer(text):
        short = m.group(1).split(";")[0].split(",")[0].strip()
        if not is_acronym(short):
            continue
        k = bisect_left(word_starts, m.start())  # words[:k] are the words of text[:m.start()] (the last one cut)
        n = min(len(short) + 5, len(short) * 2)
        if not k:
            continue
        end = min(word_ends[k - 1], m.start())  # == len(text[:m.start()].rstrip())
        # the window: the last n words, but no more than _MAX_LONG_CHARS characters of them (whole words only)
        first = max(k - n, bisect_left(word_starts, end - _MAX_LONG_CHARS))
        if first >= k:
            continue
        begin = word_starts[first]
        long = find_abbreviation(text[begin:end], short)
        if long is None:
            continue
        long = long.strip(" ,;:\"'")
        start = text.rfind(long, begin, end)
        if start < 0 or not long:
            continue
        found.append(AcronymDefinition(short=short, long=long, field=field_name, start=start, end=start + len(long)))
    return found


@dataclass
class AcronymTable:
    """Corpus-wide acronym table: for each short form, the long-form keys it was defined with and by which papers."""

    definitions: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    papers: dict[tuple[str, str], set] = field(default_factory=lambda: defaultdict(set))
    spellings: dict[tuple[str, str], Counter] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, paper_id: str, definition: AcronymDefinition) -> None:
        short = _short_key(definition.short)
        long_key = normalise_key(definition.long)
        self.definitions[short][long_key] += 1
        self.papers[(short, long_key)].add(paper_id)
        self.spellings[(short, long_key)][definition.long] += 1

    def resolve(self, short: str) -> str | None:
        """The long-form key a short form stands for in this corpus: the most frequent, ties alphabetical."""
        counts = self.definitions.get(_short_key(short))
        if not counts:
            return None
        groups: dict[str, int] = defaultdict(int)  # spelling variants of one long form count together
        for key, n in counts.items():
            groups[compact(key)] += n
        best = sorted(groups.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        return sorted(((k, n) for k, n in counts.items() if compact(k) == best), key=lambda kv: (-kv[1], kv[0]))[0][0]

    def conflicting(self, short: str) -> bool:
        counts = self.definitions.get(_short_key(short), Counter())
        return len({compact(k) for k in counts}) > 1

    def rows(self) -> list[dict]:
        """One row per (short, long) pair, sorted: the content of ``acronyms.csv``."""
        out = []
        for short in sorted(self.definitions):
            chosen = self.resolve(short)
            for long_key, n in sorted(self.definitions[short].items()):
                spelling = sorted(self.spellings[(short, long_key)].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
                out.append({"short": short, "long": spelling, "key": long_key, "definitions": n,
                            "papers": len(self.papers[(short, long_key)]), "chosen": long_key == chosen,
                            "conflicting": self.conflicting(short)})
        return out


def _short_key(short: str) -> str:
    return short[:-1] if short.endswith("s") and short[:-1].isupper() and len(short) > 2 else short


def build_table(definitions: Iterable[tuple[str, AcronymDefinition]]) -> AcronymTable:
    """A table from ``(paper_id, definition)`` pairs.

    >>> t = build_table([("p1", AcronymDefinition("EF", "Error Feedback", "abstract", 0, 14)),
    ...                  ("p2", AcronymDefinition("EF", "error feedback", "abstract", 0, 14)),
    ...                  ("p3", AcronymDefinition("EF", "Elastic Fusion", "abstract", 0, 14))])
    >>> t.resolve("EF"), t.conflicting("EF")
    ('error feedback', True)
    """
    table = AcronymTable()
    for paper_id, d in definitions:
        table.add(paper_id, d)
    return table
