"""Controls bound to query params (cchc_data/ui/state.select_param): a reader's pick sticks even when the param
was absent (the default), and a changed URL still wins over the widget."""

from tests.app.helpers import friendly_only, run_page


def _highlight(at):
    return next(sb for sb in at.selectbox if sb.key == "param_unit")


def test_picking_a_unit_from_none_sticks_and_goes_into_the_url():
    at = run_page("pages/rankings.py", index="papi", year="2019", group="provinces", lang="en")
    friendly_only(at)
    assert "unit" not in at.query_params
    _highlight(at).set_value("p83").run()  # Bến Tre
    assert at.query_params["unit"] == "p83"
    assert _highlight(at).value == "p83"
    at.run()  # and it stays on the next rerun
    assert _highlight(at).value == "p83" and at.query_params["unit"] == "p83"
    _highlight(at).set_value("").run()  # back to none: the param goes away
    assert "unit" not in at.query_params and _highlight(at).value == ""


def test_a_changed_url_wins_over_the_widget():
    at = run_page("pages/rankings.py", index="papi", year="2019", group="provinces", lang="en", unit="p83")
    assert _highlight(at).value == "p83"
    at.query_params["unit"] = "p01"
    at.run()
    assert _highlight(at).value == "p01"
