"""spaCy side of citegraph: listing readers, the extraction pipeline and its components, training and evaluation."""
