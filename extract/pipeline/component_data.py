"""Serialisation of a component whose data (name lists, generic-term tables) is one JSON-able dict, given to
``initialize`` and saved by ``to_disk``, so ``nlp.to_disk(path)`` + ``spacy.load(path)`` restores it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import srsly

__all__ = ["DataComponent"]


class DataComponent:
    """Serialisation of a component whose data is one JSON-able dict."""

    data_file = "data.json"

    def _get_data(self) -> dict:
        raise NotImplementedError

    def _set_data(self, data: dict) -> None:
        raise NotImplementedError

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / self.data_file, self._get_data())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> DataComponent:
        file = Path(path) / self.data_file
        if file.exists():
            self._set_data(srsly.read_json(file))
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.json_dumps(self._get_data()).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> DataComponent:
        self._set_data(srsly.json_loads(data.decode("utf-8")))
        return self
