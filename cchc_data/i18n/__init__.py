"""The one UI text catalogue. Each area keeps its strings in its own module (strings_*.py) so that
files stay focused; they are merged here into CATALOGUE = {"vi": {...}, "en": {...}}, and a key may
be defined only once. Vietnamese is the default language."""

from __future__ import annotations

import importlib
import pkgutil

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"


def _load() -> dict[str, dict[str, str]]:
    catalogue: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}
    owner: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if not info.name.startswith("strings_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for lang in LANGS:
            for key, text in module.STRINGS[lang].items():
                if key in catalogue[lang]:
                    raise KeyError(f"UI string {key!r} defined twice ({owner[key]} and {info.name})")
                catalogue[lang][key] = text
                owner[key] = info.name
    return catalogue


CATALOGUE = _load()


def t(key: str, lang: str = DEFAULT_LANG, **kwargs) -> str:
    text = CATALOGUE.get(lang, CATALOGUE[DEFAULT_LANG]).get(key)
    if text is None:
        text = CATALOGUE[DEFAULT_LANG].get(key, key)
    return text.format(**kwargs) if kwargs else text
