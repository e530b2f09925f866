"""The benchmark's floor: a page that runs app.py's router, language switch and sidebar and draws nothing else.

Served only when CCHC_BENCH_FLOOR=1 (benchmarks/browser.py sets it), so each page's server CPU per new session
can be printed as a ratio to what any page costs before it draws."""

from cchc_data.ui.page import run_page

run_page("nav.overview", lambda lang: None)
