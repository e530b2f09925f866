"""Importer: a published results table (CSV/XLSX) -> a new store version. See docs/importer.md."""
