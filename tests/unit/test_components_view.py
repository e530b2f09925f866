"""The /components view model (cchc_data/views/components.py) and the one method-change text it builds."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from cchc_data import fmt
from cchc_data.views import components as vc

URL = "http://example.test/components?index=papi&year=2018"


def test_view_is_frozen_and_states_the_2018_method_change_first():
    v = vc.build_components_view("papi", 2018, "provinces", "", "p01", "en", URL)
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.n_units = 0  # type: ignore[misc]
    kind, text = v.changes[0]
    assert kind == "warning" and text.startswith("**Method changes from 2017 to 2018**")
    assert "Added dimension: Environmental Governance" in text and "Added dimension: E-Governance" in text
    assert v.heat is not None and URL in v.heat.citation and v.heat.arrow.num_rows == len(v.heat.table)


def test_downloads_carry_no_float_noise_and_integer_ranks():
    v = vc.build_components_view("papi", 2018, "provinces", "", "", "vi", URL)
    table = v.heat.table
    assert str(table["Hạng"].dtype) == "Int64"
    for col in table.columns[3:]:
        values = table[col].dropna()
        assert all(len(repr(float(x)).split(".")[1]) <= 6 for x in values), col
    csv = table.to_csv(index=False)
    assert "True" not in csv and "False" not in csv and "00000000" not in csv


def test_method_change_items_escape_data_names_including_list_markers():
    changes = pd.DataFrame(
        {  # SYNTHETIC: names that Markdown would read as a list, a link and emphasis
            "change": ["added", "renamed"],
            "component_id": ["a", "b"],
            "level": ["dimension", "dimension"],
            "parent_component_id": ["", ""],
            "name_vi": ["- [x](http://e.test)", "*B*"],
            "name_en": [None, None],
            "old_name_vi": [None, "1. Old"],
            "old_name_en": [None, None],
        }
    )
    items = vc.method_change_items(changes, "", {}, "en")
    texts = [text for _, text in items]
    assert texts[0].startswith("Added dimension: \\- \\[x\\]\\(") and fmt.md_escape("http://e.test") in texts[0]
    assert texts[1] == "Renamed dimension: 1\\. Old → \\*B\\*"


def test_method_note_is_in_the_readers_language():
    ed = {"method_note": "Scores from the PAPI dataset.", "method_note_vi": "Điểm lấy từ bộ dữ liệu PAPI."}
    assert vc.method_note(ed, "vi") == "Điểm lấy từ bộ dữ liệu PAPI."
    assert vc.method_note(ed, "en") == "Scores from the PAPI dataset."
    assert vc.method_note({"method_note": "Only English", "method_note_vi": None}, "vi") == "Only English"
    assert vc.method_note({"method_note": None}, "en") == ""


def test_tables_on_screen_carry_no_raw_codes():
    v = vc.build_components_view("papi", 2018, "provinces", "", "p01", "vi", URL)
    for block in (v.heat, v.distribution):
        assert not {"unit_id", "component_id"} & set(block.arrow.schema.names)
        assert "unit_id" in block.table.columns or block is v.distribution  # the download keeps the ids
    assert v.heat.arrow.num_rows == 63
