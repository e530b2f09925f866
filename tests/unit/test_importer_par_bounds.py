"""PAR totals are bounded by the method's maximum: every PAR decision in the shipped methodology table sets the
overall index at 100 points, so the importer's bound of 100 (percent or points) is that maximum. If a decision with
another maximum is added, this test fails and the bound must follow it."""

import duckdb

from cchc_data.importer.validate import TOTAL_MAX
from cchc_data.paths import SHIPPED_DATA_DIR


def test_every_par_decisions_overall_maximum_is_the_importers_bound():
    with duckdb.connect() as con:
        rows = con.execute(
            """SELECT scheme, decision_no, max_points FROM read_parquet(?)
               WHERE part = 'total' AND max_points IS NOT NULL AND component_en ILIKE '%PAR Index, overall%'""",
            [(SHIPPED_DATA_DIR / "methodology.parquet").as_posix()],
        ).fetchall()
    assert len({(s, d) for s, d, _ in rows}) >= 4, rows  # ministries 1294, 1149, 876 and the provinces' 876 at least
    maxima = {m for _, _, m in rows}
    assert maxima == {TOTAL_MAX["par"]} == {TOTAL_MAX["par_hanoi"]}, rows
