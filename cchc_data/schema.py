"""The public table contract: Arrow schemas and sort keys for every table (documented in data/README.md)."""

from __future__ import annotations

import pyarrow as pa

S, I, F, B, D = pa.string(), pa.int32(), pa.float64(), pa.bool_(), pa.date32()

# Reader-facing notes exist in both languages (issue 14). The English column keeps its old name and the
# Vietnamese one sits at the end of the table: sources.licence_vi and sources.note_vi (next to licence, note),
# editions.method_note_vi (method_note), results.note_vi (note), results.tier_vi/tier_en (tier), methodology.notes_vi (notes).
# unit_names.valid_from/valid_to: the period a name was in force (empty = the unit's whole life), e.g. Thừa
# Thiên Huế to 2024-12-31, Huế from 2025-01-01; units.name_vi/name_en are the names in force at NAMES_AS_OF.
# Every row with an English note carries its Vietnamese text too (tests/unit/test_provenance.py checks).
SCHEMAS: dict[str, pa.Schema] = {
    "sources": pa.schema(
        [
            ("source_id", S),
            ("title", S),
            ("publisher", S),
            ("document_no", S),
            ("published_on", D),
            ("url", S),
            ("licence", S),
            ("note", S),
            ("licence_vi", S),
            ("note_vi", S),
        ]
    ),
    "editions": pa.schema(
        [
            ("edition_id", S),
            ("index_code", S),
            ("year", I),
            ("scope", S),
            ("source_id", S),
            ("method_note", S),
            ("completeness", S),
            ("total_unit", S),
            ("method_note_vi", S),
        ]
    ),
    "units": pa.schema(
        [
            ("unit_id", S),
            ("name_vi", S),
            ("name_en", S),
            ("kind", S),
            ("admin_code", S),
            ("parent_unit_id", S),
            ("valid_from", D),
            ("valid_to", D),
            ("name_full_vi", S),
            ("map_layer", S),
        ]
    ),
    "unit_names": pa.schema(
        [
            ("unit_id", S),
            ("name", S),
            ("lang", S),
            ("name_kind", S),
            ("name_folded", S),
            ("valid_from", D),
            ("valid_to", D),
        ]
    ),
    "unit_lineage": pa.schema(
        [
            ("predecessor_unit_id", S),
            ("successor_unit_id", S),
            ("effective_on", D),
            ("legal_basis", S),  # as the resolution is titled (Vietnamese)
            ("legal_basis_en", S),  # its English rendering, for English pages
        ]
    ),
    "components": pa.schema(
        [
            ("edition_id", S),
            ("component_id", S),
            ("parent_component_id", S),
            ("name_vi", S),
            ("name_en", S),
            ("max_score", F),
            ("position", I),
            ("level", S),
            ("unit_group", S),
        ]
    ),
    "scores": pa.schema(
        [
            ("edition_id", S),
            ("unit_id", S),
            ("component_id", S),
            ("score", F),
            ("score_self", F),
            ("score_appraised", F),
        ]
    ),
    "results": pa.schema(
        [
            ("edition_id", S),
            ("unit_id", S),
            ("unit_group", S),
            ("total", F),
            ("rank", I),
            ("rank_official", B),
            ("tier", S),
            ("source_id", S),
            ("note", S),
            ("note_vi", S),
            ("tier_vi", S),
            ("tier_en", S),
        ]
    ),
    "methodology": pa.schema(
        [
            ("scheme", S),
            ("valid_from_year", I),
            ("valid_to_year", I),
            ("decision_no", S),
            ("decision_date", D),
            ("component_order", I),
            ("component_vi", S),
            ("component_en", S),
            ("max_points", F),
            ("n_criteria", S),
            ("part", S),
            ("source_url", S),
            ("source_title", S),
            ("notes", S),
            ("notes_vi", S),
        ]
    ),
}

SORT_KEYS: dict[str, list[str]] = {
    "sources": ["source_id"],
    "editions": ["edition_id"],
    "units": ["unit_id"],
    "unit_names": ["unit_id", "name_kind", "lang", "name"],
    "unit_lineage": ["predecessor_unit_id", "successor_unit_id"],
    "components": ["edition_id", "unit_group", "component_id"],
    "scores": ["edition_id", "unit_id", "component_id"],
    "results": ["edition_id", "unit_group", "unit_id"],
    "methodology": ["scheme", "decision_no", "component_order", "component_en"],
}

PRIMARY_KEYS: dict[str, list[str]] = {
    "sources": ["source_id"],
    "editions": ["edition_id"],
    "units": ["unit_id"],
    "components": ["edition_id", "unit_group", "component_id"],
    "scores": ["edition_id", "unit_id", "component_id"],
    "results": ["edition_id", "unit_id"],
}


def to_table(name: str, rows: list[dict]) -> pa.Table:
    schema = SCHEMAS[name]
    cols = {f.name: [r.get(f.name) for r in rows] for f in schema}
    table = pa.Table.from_pydict(cols, schema=schema)
    keys = [(k, "ascending") for k in SORT_KEYS[name]]
    return table.sort_by(keys) if len(table) else table
