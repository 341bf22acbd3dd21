"""What produces the mentions, told from files and without loading spaCy: which pipeline directory
:func:`citegraph.extract.pipeline.load.load_pipeline` would load, its components, and a digest of everything that can
change its
output. The digest keys the extraction cache, so a build or ``--update`` whose papers are all cached never imports
spaCy, and one with new papers loads the pipeline only in the processes that extract them.
"""

from __future__ import annotations

import hashlib
import json
import logging
from importlib import metadata
from pathlib import Path

from citegraph.extract.records import CitegraphError

__all__ = ["DEFAULT_MODEL", "RELATION_MODEL", "RELATION_COMPONENT", "RULE_COMPONENTS", "TRAINED_COMPONENTS",
           "model_dir", "relation_dir", "pipeline_components", "pipeline_info", "graph_threshold"]

log = logging.getLogger(__name__)

_EXTRACT = Path(__file__).resolve().parent.parent  # the citegraph.extract package
#: the code a paper's raw extraction depends on: the pipeline's components and the pure functions they call
#: (readers, key resolution, the runner and training do not change a raw extraction)
_EXTRACTION_CODE = ("pipeline/*.py", "acronyms.py", "citations.py", "generic.py", "keys.py", "records.py",
                    "relation_features.py")
DEFAULT_MODEL = _EXTRACT / "models" / "citegraph_sci"
#: the shipped relation model, a pipeline of one component that
#: :func:`citegraph.extract.pipeline.load.load_pipeline` adds after the entity components of a trained pipeline
RELATION_MODEL = _EXTRACT / "models" / "citegraph_rel"
RELATION_COMPONENT = "citegraph_relations"
#: added after the trained components by :func:`citegraph.extract.pipeline.load.load_pipeline` when a pipeline
#: lacks them
RULE_COMPONENTS = ("citegraph_generic_filter", "citegraph_names", "citegraph_acronyms", "citegraph_repeats",
                   "citegraph_rules", "citegraph_references", "citegraph_confidence")
#: the trained model's own components (either kind of model): what ``evaluate --ner-only`` and the benches keep
TRAINED_COMPONENTS = ("tok2vec", "ner", "spancat", "citegraph_spans_to_ents")
_SENTENCE_SETTERS = ("sentencizer", "senter", "parser")


def model_dir(model: str | Path | None = None, *, blank: bool = False, warn: bool = True) -> Path | None:
    """The trained pipeline's directory: ``model``, else the shipped one; ``None`` for the rule-only pipeline (asked
    for with ``blank``, or the shipped model missing, which is logged unless ``warn`` is false).

    Raises :class:`~citegraph.extract.records.CitegraphError` when ``model`` is given but holds no spaCy pipeline.
    """
    if blank:
        return None
    path = Path(model) if model else DEFAULT_MODEL
    if not (path / "config.cfg").exists():
        if model:
            raise CitegraphError(f"no spaCy pipeline at {path} (config.cfg is missing)")
        if warn:
            log.warning("the trained model is missing at %s; using the rule-only pipeline", path)
        return None
    return path


def relation_dir(path: Path | None) -> Path | None:
    """The relation model :func:`citegraph.extract.pipeline.load.load_pipeline` adds to the pipeline at ``path``:
    the shipped one for a trained pipeline that lacks the component, none for the rule-only pipeline (``None``) or
    when it is not there."""
    if path is None or not (RELATION_MODEL / "config.cfg").exists():
        return None
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return RELATION_MODEL
    return None if RELATION_COMPONENT in meta.get("pipeline", ()) else RELATION_MODEL


def pipeline_components(path: Path | None) -> list[str]:
    """The component names of the pipeline :func:`citegraph.extract.pipeline.load.load_pipeline` makes of ``path``
    (its saved
    components, a sentencizer first if nothing sets sentences, then the rule components it lacks, then the relation
    component when :func:`relation_dir` adds it).

    >>> pipeline_components(None)  # doctest: +NORMALIZE_WHITESPACE
    ['sentencizer', 'citegraph_generic_filter', 'citegraph_names', 'citegraph_acronyms', 'citegraph_repeats',
     'citegraph_rules', 'citegraph_references', 'citegraph_confidence']
    """
    names: list[str] = []
    if path is not None:
        try:
            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
            disabled = set(meta.get("disabled", ()))
            names = [n for n in meta["pipeline"] if n not in disabled]
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise CitegraphError(f"cannot read the component list of the spaCy pipeline at {path}: {e}") from e
    if not any(n in names for n in _SENTENCE_SETTERS):
        names.insert(0, "sentencizer")
    for i, name in enumerate(RULE_COMPONENTS):  # as load_pipeline adds them: before the next one present
        if name not in names:
            later = [names.index(n) for n in RULE_COMPONENTS[i + 1:] if n in names]
            names.insert(later[0] if later else len(names), name)
    return names + [RELATION_COMPONENT] if relation_dir(path) is not None else names


def pipeline_info(model: str | Path | None = None, *, blank: bool = False) -> dict:
    """What produced the mentions, for the manifest and the extraction cache's key, from files alone.

    ``digest`` changes whenever the mentions may: the extraction code (:data:`_EXTRACTION_CODE`) and every file of
    the pipeline directory (config, trained weights, vectors, rule data), by its path inside the directory, so a copy
    of a model elsewhere has the digest of the original; and the relation model's files when it is added. A model's
    version string alone would not do (retraining or re-learning the rule data keeps it). The spaCy version is part
    of the info, hence of the cache's key.
    """
    path = model_dir(model, blank=blank)
    h = hashlib.sha256()
    for source in sorted(p for pattern in _EXTRACTION_CODE for p in _EXTRACT.glob(pattern)):
        h.update(source.relative_to(_EXTRACT).as_posix().encode() + b"\0" + source.read_bytes())
    meta: dict = {"lang": "en", "name": "citegraph_rules_only", "version": "0.0.0"}
    if path is None:
        h.update(b"blank\0")
    else:
        files = sorted(p for p in path.rglob("*") if p.is_file())
        for p in files:
            h.update(p.relative_to(path).as_posix().encode() + b"\0" + str(p.stat().st_size).encode() + b"\0")
            h.update(p.read_bytes())
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        rel = relation_dir(path)
        if rel is not None:
            for p in sorted(q for q in rel.rglob("*") if q.is_file()):
                h.update(b"relations/" + p.relative_to(rel).as_posix().encode() + b"\0" + p.read_bytes())
    return {"name": meta.get("lang", "en") + "_" + str(meta.get("name", "")), "version": meta.get("version", ""),
            "spacy_version": metadata.version("spacy"), "components": pipeline_components(path),
            "digest": h.hexdigest()[:16]}


def graph_threshold(model: str | Path | None = None, *, blank: bool = False) -> float:
    """The confidence an entity needs somewhere in a build to be in its graph, as the pipeline's calibration chose
    it on the dev sets (``graph_threshold`` of its ``citegraph_confidence`` data, else its extraction threshold); 0
    for the rule-only pipeline and for a pipeline without that data.

    >>> graph_threshold(blank=True)
    0.0
    """
    path = model_dir(model, blank=blank, warn=False)
    data_file = path / "citegraph_confidence" / "data.json" if path is not None else None
    if data_file is None or not data_file.exists():
        return 0.0
    try:
        data = json.loads(data_file.read_text(encoding="utf-8"))
        return float(data.get("graph_threshold", data.get("threshold", 0.0)))
    except (OSError, ValueError, TypeError, AttributeError) as e:
        raise CitegraphError(f"cannot read the confidence data of the spaCy pipeline at {path}: {e}") from e
