import re

from cchc_data.i18n import CATALOGUE, LANGS, t


def test_every_language_has_the_same_keys():
    vi, en = set(CATALOGUE["vi"]), set(CATALOGUE["en"])
    assert vi - en == set(), f"missing in en: {sorted(vi - en)}"
    assert en - vi == set(), f"missing in vi: {sorted(en - vi)}"


def test_placeholders_match_between_languages():
    for key in CATALOGUE["vi"]:
        fields = {lang: set(re.findall(r"{(\w+)}", CATALOGUE[lang][key])) for lang in LANGS}
        assert fields["vi"] == fields["en"], key


def test_no_empty_strings():
    assert [k for lang in LANGS for k, v in CATALOGUE[lang].items() if not v.strip()] == []


def test_lookup_formats_and_falls_back_to_vietnamese():
    assert t("nav.rankings", "en") == "Rankings"
    assert t("nav.rankings", "xx") == "Xếp hạng"
    assert "“lang”" in t("notice.bad_param", "en", value="x", param="lang", fallback="vi")
