"""Package discovery for the layout in pyproject.toml: the folders at the repository's root install under citegraph."""

from setuptools import find_packages, setup

ROOTS = {"citegraph": "citegraph", "citegraph.extract": "extract", "citegraph.graph": "graph",
         "citegraph.queries": "queries"}

packages = [name + sub for name, folder in ROOTS.items() for sub in ["", *("." + p for p in find_packages(folder))]]
setup(packages=packages, package_dir=ROOTS)
