"""fmt.citation_text: every source of the figures shown, most-used first, dates in the reader's language."""

from datetime import date

from cchc_data.fmt import citation_text

URL = "https://example.org/rankings?index=par&year=2019"
NEWS = {
    "title": "Công bố Chỉ số CCHC 2019",
    "publisher": "news.gov.vn",
    "published_on": date(2020, 5, 13),
    "url": "https://news.gov.vn/a",
}
DECISION = {"document_no": "1154/QĐ-BNV", "title": "Quyết định phê duyệt", "url": "https://moha.gov.vn/b"}


def test_a_list_of_sources_is_cited_in_its_order_with_each_date_in_the_readers_language():
    vi = citation_text("vi", "Chỉ số CCHC", 2019, [NEWS, DECISION], URL)
    en = citation_text("en", "PAR Index", 2019, [NEWS, DECISION], URL)
    assert vi.index("news.gov.vn/a") < vi.index("1154/QĐ-BNV")
    assert "Nguồn: Công bố Chỉ số CCHC 2019, news.gov.vn, 13/05/2020, https://news.gov.vn/a; 1154/QĐ-BNV" in vi
    assert "Sources: " in en and "13 May 2020" in en
    assert vi.endswith("Bảng theo dõi cchc-dashboard: " + URL) and en.endswith("cchc-dashboard view: " + URL)


def test_one_source_as_a_dict_and_no_source_at_all():
    one = citation_text("en", "PAR Index", 2019, DECISION, URL)
    assert "Source: 1154/QĐ-BNV, Quyết định phê duyệt, https://moha.gov.vn/b." in one
    assert citation_text("en", "PAR Index", 2019, None, URL) == f"PAR Index. 2019. cchc-dashboard view: {URL}"
    assert citation_text("vi", "PAR", 2019, [], URL) == f"PAR. 2019. Bảng theo dõi cchc-dashboard: {URL}"
