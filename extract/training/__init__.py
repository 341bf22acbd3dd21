"""Training the shipped entity extractor: data conversion (``convert``), the spaCy config (``config.cfg``) and the
one command that reproduces ``extract/models/citegraph_sci`` (``python -m citegraph.extract.training.train``)."""
