"""networkx side of citegraph: graph building, analytics, exports, the Neo4j store, pyvis views and the CLI."""
