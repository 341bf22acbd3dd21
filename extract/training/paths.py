"""Where training reads and writes by default: the shared data beside the checkout, and this folder."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["HERE", "DEFAULT_DATA"]

#: the training folder (configs; ``corpus/`` and ``output/`` are written here and git-ignored)
HERE = Path(__file__).resolve().parent
#: ``../shared/data`` beside the checkout, or ``$CITEGRAPH_SHARED/data``
DEFAULT_DATA = (Path(os.environ["CITEGRAPH_SHARED"]) if os.environ.get("CITEGRAPH_SHARED")
                else HERE.parent.parent.parent / "shared") / "data"
