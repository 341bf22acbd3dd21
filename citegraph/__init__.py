"""citegraph: paper listings and bibliographic exports in, a citation-style knowledge graph out."""
