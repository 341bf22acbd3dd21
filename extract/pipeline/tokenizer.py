"""The pipeline's tokenizer guard: no quadratic time on runs of symbols."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spacy.tokens import Doc

__all__ = ["GuardedTokenizer"]

_LONG_CHUNK = re.compile(r"\S{101,}")
_SYMBOL_RUN = re.compile(r"[^\w\s]{20}")
_PIECE = 100


class GuardedTokenizer:
    """The pipeline's tokenizer, protected against input that makes it quadratic.

    spaCy's tokenizer strips prefixes and suffixes one character at a time, re-slicing the rest of the chunk each
    time: a run of brackets, quotes, symbols or emoji without a space (8,000 ``(`` take 6 s; a 50,000-character one
    minutes). A whitespace-free chunk of more than 100 characters holding a run of 20 such characters is cut into
    100-character tokens; all other text is tokenized exactly as before, and ``doc.text`` is always the input.
    Everything else (``to_disk``, ``vocab``, ...) is the wrapped tokenizer's.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> tok = GuardedTokenizer(nlp.tokenizer)
    >>> text = "see (" + "(" * 250 + " it"
    >>> doc = tok(text)
    >>> doc.text == text, [len(t) for t in doc]
    (True, [3, 100, 100, 51, 2])
    """

    def __init__(self, tokenizer: Callable[[str], Doc]) -> None:
        self.tokenizer = tokenizer.tokenizer if isinstance(tokenizer, GuardedTokenizer) else tokenizer

    def __call__(self, text: str) -> Doc:
        hostile = [m for m in _LONG_CHUNK.finditer(text) if _SYMBOL_RUN.search(m.group())]
        if not hostile:
            return self.tokenizer(text)
        words: list[str] = []
        spaces: list[bool] = []
        at = 0
        for m in hostile:
            for part in (text[at:m.start()],) if m.start() > at else ():
                for t in self.tokenizer(part):
                    words.append(t.text)
                    spaces.append(bool(t.whitespace_))
            chunk = m.group()
            words.extend(chunk[i:i + _PIECE] for i in range(0, len(chunk), _PIECE))
            spaces.extend([False] * -(-len(chunk) // _PIECE))
            at = m.end()
            if text.startswith(" ", at):  # the space after the chunk belongs to its last token, as spaCy does
                spaces[-1] = True
                at += 1
        if at < len(text):
            for t in self.tokenizer(text[at:]):
                words.append(t.text)
                spaces.append(bool(t.whitespace_))
        return Doc(self.tokenizer.vocab, words=words, spaces=spaces)

    def __getattr__(self, name: str) -> Any:
        if name == "tokenizer":  # not set yet (unpickling)
            raise AttributeError(name)
        return getattr(self.tokenizer, name)

    def __reduce__(self) -> tuple:
        return (GuardedTokenizer, (self.tokenizer,))
