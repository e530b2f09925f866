"""Deterministic build: data/sources/ -> data/*.parquet."""
