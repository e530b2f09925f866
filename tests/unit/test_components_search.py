"""The /components highlight picker's data: unit labels, the accent-insensitive search, group sizes,
the drill-down choices (shipped PAPI data; one synthetic frame for duplicate names)."""
from __future__ import annotations

import pandas as pd

from cchc_data.queries import component_scores as qc
from cchc_data.textnorm import fold

ED, GROUP = "papi-2018", "provinces"


def test_search_ignores_accents_case_and_word_order():
    for query in ("ha noi", "HÀ  NỘI", "Hà-Nội", "noi ha"):
        matches, n = qc.unit_search(ED, GROUP, "vi", query)
        assert matches == [("p01", "Hà Nội")] and n == 1, query
    assert qc.unit_search(ED, GROUP, "en", "ha noi") == ([("p01", "Ha Noi")], 1)
    assert qc.unit_search(ED, GROUP, "vi", "dak lak") == ([("p66", "Đắk Lắk")], 1)


def test_search_by_admin_code_and_empty_query():
    matches, n = qc.unit_search(ED, GROUP, "vi", "01")
    assert ("p01", "Hà Nội") in matches and n == len(matches)
    assert qc.unit_search(ED, GROUP, "vi", "") == ([], 0)
    assert qc.unit_search(ED, GROUP, "vi", "  ,. ") == ([], 0)
    assert qc.unit_search(ED, GROUP, "vi", "no such place") == ([], 0)


def test_search_puts_names_starting_with_the_query_first_and_counts_beyond_the_limit():
    matches, n = qc.unit_search(ED, GROUP, "vi", "ha")
    keys = [fold(label) for _, label in matches]
    starts = [k.startswith("ha") for k in keys]
    assert starts == sorted(starts, reverse=True) and starts[0] and not starts[-1]
    assert {"Hà Nội", "Hà Giang", "Thanh Hóa"} <= {label for _, label in matches}
    short, total = qc.unit_search(ED, GROUP, "vi", "ha", limit=3)
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
    rows = pd.DataFrame({"unit_id": ["c1", "c2", "c3"], "name_vi": ["Xã Tân Lập", "Xã Tân Lập", "Xã Hòa An"],
                         "name_en": [None, None, None], "admin_code": ["00101", "00202", None]})  # SYNTHETIC
    monkeypatch.setattr(qc, "fetch_df", lambda sql, params=None: rows)
    ids, labels = qc.unit_choices("synthetic-1", "communes", "en")
    assert labels == {"c1": "Xã Tân Lập (00101)", "c2": "Xã Tân Lập (00202)", "c3": "Xã Hòa An"}
    assert ids == ["c3", "c1", "c2"]
    assert qc.unit_search("synthetic-1", "communes", "vi", "00202") == ([("c2", "Xã Tân Lập (00202)")], 1)
    assert qc.unit_search("synthetic-1", "communes", "vi", "tan lap")[1] == 2


def test_component_choices_are_the_components_with_children():
    parents, names = qc.component_choices(ED, GROUP, "en")
    tree = qc.component_tree(ED, GROUP)
    assert parents == tree[tree.n_children > 0].component_id.tolist() and len(parents) == 8
    assert names["e_governance"] == "E-Governance" and len(names) == len(tree)
    _, names_vi = qc.component_choices(ED, GROUP, "vi")
    assert names_vi["e_governance"] == tree.set_index("component_id").name_vi["e_governance"]
