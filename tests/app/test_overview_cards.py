"""The overview's headline cards: each leader's name is a heading without a hover anchor (in a narrow card the
anchor icon wrapped onto its own line and left a blank line under the name)."""
import pytest

from tests.app.helpers import friendly_only, run_page


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_leader_names_are_headings_without_anchor(lang):
    at = run_page("pages/overview.py", lang=lang)
    friendly_only(at)
    names = [h for h in at.subheader if h.proto.hide_anchor]
    bodies = [h.proto.body for h in names]
    assert any("Quảng Ninh" in b or "Quang Ninh" in b for b in bodies), bodies  # PCI 2019 leader
    assert any("Bến Tre" in b or "Ben Tre" in b for b in bodies), bodies        # PAPI 2019 leader
    section_headings = [h for h in at.subheader if not h.proto.hide_anchor]
    assert section_headings, "the page's own section headings keep their anchors"
