"""Write some components of a loaded pipeline back into its model directory (a calibration, a gazetteer), with
the directory's ``config.cfg`` and ``meta.json``, and nothing else of it touched."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language

from citegraph.extract.runner.provenance import RELATION_COMPONENT

__all__ = ["save_components"]


def save_components(nlp: Language, model: Path, components: Iterable[str]) -> None:
    """Save ``components`` of ``nlp`` (loaded from ``model`` by ``load_pipeline``) into ``model``, with its config
    and meta. The relation model that ``load_pipeline`` adds lives in its own directory, so it is left out of the
    config written here."""
    if nlp.has_pipe(RELATION_COMPONENT):
        nlp.remove_pipe(RELATION_COMPONENT)
    nlp.tokenizer = getattr(nlp.tokenizer, "tokenizer", nlp.tokenizer)  # the tokenizer, not its guard
    with tempfile.TemporaryDirectory(dir=model.parent) as tmp:
        nlp.to_disk(tmp)
        for name in (*components, "config.cfg", "meta.json"):
            src, dst = Path(tmp) / name, model / name
            if src.is_dir():
                shutil.rmtree(dst, ignore_errors=True)
                shutil.copytree(src, dst)
            elif src.exists():
                shutil.copy2(src, dst)
