"""Torch-free facts: paths, the catalog, limits, typed results, files and archives."""
