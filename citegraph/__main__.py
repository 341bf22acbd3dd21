"""``python -m citegraph``: the ``citegraph`` command."""

from citegraph.graph.cli.main import main

main()
