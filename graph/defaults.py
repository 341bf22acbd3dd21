"""Defaults shared by the graph code and the CLI, in a module light enough for the CLI to import at start-up."""

#: ``--min-cooccurrence auto`` keeps at most this many CO_OCCURS edges: the smallest shared-paper count that fits.
#: A listing of a few thousand papers stays at 1 (the seeds' 358 papers give 51,486 pairs); 10,000 synthetic
#: abstracts give 1.1 M pairs, 84% of them in one paper only, and keep the 176 k seen in 2 or more.
COOCCURRENCE_BUDGET = 250_000
