"""The /components highlight picker's data: unit labels, the one accent-insensitive unit search, group sizes,
the drill-down choices (shipped PAPI data; one synthetic frame for duplicate names)."""

from __future__ import annotations

import pandas as pd

from cchc_data.queries import component_scores as qc
from cchc_data.textnorm import fold
from cchc_data.views import components as vc

ED, GROUP = "papi-2018", "provinces"


def test_search_is_the_one_unit_search_accents_case_and_aliases_optional():
    for query in ("ha noi", "HÀ  NỘI", "Hà-Nội", "noi ha"):
        matches, n = vc.highlight_search(ED, GROUP, "vi", query)
        assert matches == [("p01", "Hà Nội")] and n == 1, query
    assert vc.highlight_search(ED, GROUP, "en", "ha noi") == ([("p01", "Ha Noi")], 1)
    assert vc.highlight_search(ED, GROUP, "vi", "dak lak") == ([("p66", "Đắk Lắk")], 1)
    for alias in ("hcm", "tp hcm", "TP.HCM"):  # abbreviations come from the shared search (queries.units)
        assert vc.highlight_search(ED, GROUP, "vi", alias)[0][0][0] == "p79", alias
    assert vc.highlight_search(ED, GROUP, "vi", "da nang")[0][0] == ("p48", "Đà Nẵng")


def test_search_by_admin_code_and_empty_query():
    matches, n = vc.highlight_search(ED, GROUP, "vi", "01")
    assert ("p01", "Hà Nội") in matches and n == len(matches)
    assert vc.highlight_search(ED, GROUP, "vi", "") == ([], 0)
    assert vc.highlight_search(ED, GROUP, "vi", "  ,. ") == ([], 0)
    assert vc.highlight_search(ED, GROUP, "vi", "no such place") == ([], 0)


def test_search_puts_names_starting_with_the_query_first_and_counts_beyond_the_limit(monkeypatch):
    matches, n = vc.highlight_search(ED, GROUP, "vi", "ha")
    keys = [fold(label) for _, label in matches]
    assert keys[0].startswith("ha") and {"Hà Nội", "Hà Giang"} <= {label for _, label in matches}
    monkeypatch.setattr(qc, "MATCH_LIMIT", 3)
    short, total = vc.highlight_search(ED, GROUP, "vi", "ha")
    assert total == n > 3 and short == matches[:3]


def test_unit_labels_and_choices():
    assert qc.group_size(ED, GROUP) == 63
    assert qc.unit_label(ED, GROUP, "vi", "p01") == "Hà Nội"
    assert qc.unit_label(ED, GROUP, "en", "p01") == "Ha Noi"
    assert qc.unit_label(ED, GROUP, "vi", "p08-2025") is None  # a post-2025 province is not in PAPI 2018
    assert qc.unit_label(ED, GROUP, "vi", None) is None
    ids, labels = qc.unit_choices(ED, GROUP, "vi")
    assert len(ids) == 63 and set(labels) == set(ids)
    folded = [fold(labels[i]) for i in ids]
    assert folded == sorted(folded)  # Đắk Lắk sorts among the Ds, not after Yên Bái
    assert ids.index("p66") < ids.index("p11")  # Đắk Lắk before Điện Biên (fold: dak < dien)


def test_units_sharing_a_name_get_their_code(monkeypatch):
    rows = pd.DataFrame(
        {
            "unit_id": ["c1", "c2", "c3"],
            "name_vi": ["Xã Tân Lập", "Xã Tân Lập", "Xã Hòa An"],
            "name_en": [None, None, None],
            "admin_code": ["00101", "00202", None],
        }
    )  # SYNTHETIC
    monkeypatch.setattr(qc, "fetch_df", lambda sql, params=None: rows)
    ids, labels = qc.unit_choices("synthetic-1", "communes", "en")
    assert labels == {"c1": "Xã Tân Lập (00101)", "c2": "Xã Tân Lập (00202)", "c3": "Xã Hòa An"}
    assert ids == ["c3", "c1", "c2"]


def test_component_choices_are_the_components_with_children():
    parents, names = qc.component_choices(ED, GROUP, "en")
    tree = qc.component_tree(ED, GROUP)
    assert parents == tree[tree.n_children > 0].component_id.tolist() and len(parents) == 8
    assert names["e_governance"] == "E-Governance" and len(names) == len(tree)
    _, names_vi = qc.component_choices(ED, GROUP, "vi")
    assert names_vi["e_governance"] == tree.set_index("component_id").name_vi["e_governance"]
