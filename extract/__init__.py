"""spaCy side of citegraph: listing readers, the extraction pipeline and its components, training and evaluation.

``citegraph.extract`` is also the API's ``extract`` function: ``citegraph.extract(papers)`` gives the papers'
extractions (:func:`citegraph.api.extract`), while ``citegraph.extract.records`` and the other modules stay
importable. The package is callable because Python binds a subpackage to its parent's attribute of the same name
when it is imported, which would otherwise hide the function.
"""

from __future__ import annotations

import sys
import types
from typing import Any


class _CallableModule(types.ModuleType):
    def __call__(self, papers: Any, **options: Any) -> Any:
        from citegraph.api import extract

        return extract(papers, **options)


sys.modules[__name__].__class__ = _CallableModule
