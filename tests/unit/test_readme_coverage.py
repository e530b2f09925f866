"""README's coverage table is generated from the shipped data and kept true (issue 13)."""

import pyarrow.parquet as pq

from cchc_data.build.indices import (
    COVERAGE_END,
    COVERAGE_START,
    _year_ranges,
    coverage_markdown,
    readme_with_coverage,
    update_readme_coverage,
)
from cchc_data.paths import SHIPPED_DATA_DIR
from cchc_data.schema import to_table

README = SHIPPED_DATA_DIR.parent / "README.md"


def _readme_table(text: str) -> str:
    return text[text.index(COVERAGE_START) + len(COVERAGE_START) : text.index(COVERAGE_END)].strip()


def test_readme_coverage_table_equals_the_data():
    assert _readme_table(README.read_text(encoding="utf-8")) == coverage_markdown(SHIPPED_DATA_DIR), (
        "README's coverage table and data/ disagree: run `python -m cchc_data.build.indices`"
    )


def test_every_index_year_of_the_data_is_in_the_readme():
    import duckdb

    table = _readme_table(README.read_text(encoding="utf-8"))
    with duckdb.connect() as con:
        years = con.execute(
            "SELECT DISTINCT year FROM read_parquet(?)", [(SHIPPED_DATA_DIR / "editions.parquet").as_posix()]
        ).fetchall()
    text = table.replace("–", " ").replace(",", " ").replace("|", " ").replace(":", " ")
    for (year,) in years:  # a year inside a range counts: 2011–2024 covers 2017
        tokens = [int(t) for t in text.split() if t.isdigit() and len(t) == 4]
        starts_ends = list(zip(tokens, tokens[1:]))
        assert year in tokens or any(a <= year <= b for a, b in starts_ends if a < b), year


def test_year_ranges():
    assert _year_ranges([2015, 2011, 2012, 2013]) == "2011–2013, 2015"
    assert _year_ranges([2019]) == "2019"
    assert _year_ranges([]) == "—"


def _write(data_dir, editions, results):
    data_dir.mkdir(parents=True, exist_ok=True)
    pq.write_table(to_table("editions", editions), data_dir / "editions.parquet")
    pq.write_table(to_table("results", results), data_dir / "results.parquet")


def test_the_table_follows_synthetic_data(tmp_path):
    """Generated here: a complete 2020 and a partial 2021 edition; adding a year changes the table."""
    eds = [
        {"edition_id": f"papi-{y}", "index_code": "papi", "year": y, "completeness": c}
        for y, c in ((2020, "complete"), (2021, "partial"))
    ]
    res = [
        {"edition_id": "papi-2020", "unit_id": f"u{i}", "unit_group": "provinces", "total": float(i)} for i in range(3)
    ] + [{"edition_id": "papi-2021", "unit_id": "u0", "unit_group": "provinces", "total": None}]
    data = tmp_path / "data"
    _write(data, eds, res)
    table = coverage_markdown(data)
    assert "| PAPI | provinces | 2020 | 2021 | 2021: 0 / 1 |" in table.splitlines()
    (tmp_path / "README.md").write_text(f"intro\n{COVERAGE_START}\nold\n{COVERAGE_END}\nrest\n", encoding="utf-8")
    update_readme_coverage(data)
    text = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert _readme_table(text) == table and text.startswith("intro\n") and text.endswith("rest\n")
    _write(
        data,
        eds + [{"edition_id": "papi-2022", "index_code": "papi", "year": 2022, "completeness": "complete"}],
        res + [{"edition_id": "papi-2022", "unit_id": "u0", "unit_group": "provinces", "total": 1.0}],
    )
    assert _readme_table(text) != coverage_markdown(data)  # the test above would now fail until regenerated
    assert readme_with_coverage(text, "X").count("X") == 1
