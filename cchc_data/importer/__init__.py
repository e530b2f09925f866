"""Importer: a published results table (CSV/XLSX/XLS) -> a new store version. See docs/importer.md."""
