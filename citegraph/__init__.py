"""citegraph: paper listings in, a citation-style knowledge graph out.

>>> import citegraph
>>> b = citegraph.build([{"title": "ResNet on ImageNet", "abstract": "We train ResNet-50 on ImageNet."},
...                      {"title": "ViT", "abstract": "A Vision Transformer trained on ImageNet beats ResNet-50."}],
...                     rules_only=True)
>>> sorted(d["kind"] for _, d in b.graph.nodes(data=True)).count("paper")
2
>>> html = citegraph.render_map(b)
>>> html.startswith("<!DOCTYPE html>") or html.lstrip().lower().startswith("<html")
True

``build``, ``load``, ``read``, ``extract`` and ``render_map`` are the API; ``analytics`` the analyses over a build's
graph; :class:`Build` what a build holds; :class:`CitegraphError` what every domain failure raises.
"""

from __future__ import annotations

import importlib
from typing import Any

from citegraph import extract  # the package citegraph.extract, callable as the API's extract function
from citegraph.api import build, load, read, render_map
from citegraph.extract.records import CitegraphError

__all__ = ["Build", "CitegraphError", "analytics", "build", "extract", "load", "read", "render_map"]

#: imported when first used, so that importing one half of the library (``citegraph.extract``) does not import
#: the other's dependencies (networkx, pyvis, neo4j)
_LAZY = {"analytics": ("citegraph.graph.analytics", None), "Build": ("citegraph.graph.builddir.build", "Build")}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'citegraph' has no attribute {name!r}")
    module, attribute = _LAZY[name]
    value = importlib.import_module(module)
    return getattr(value, attribute) if attribute else value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
