"""URL query params <-> widgets, with validation and a friendly notice for bad values.

Every view is a share link: each control is seeded from its query param and writes its value
back. An unknown value never raises; it yields a notice and a sensible default."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from ..i18n import DEFAULT_LANG, LANGS, t
from .text import md_escape

MAX_PARAM_LEN = 200


def raw_param(name: str) -> str | None:
    """The last value of a query param (repeated keys: the last wins), trimmed, or None."""
    try:
        values = st.query_params.get_all(name)
    except Exception:  # a malformed query string must never break the page
        return None
    if not values:
        return None
    value = str(values[-1]).strip()
    return value[:MAX_PARAM_LEN] if value else None


def notice(message: str) -> None:
    notices = st.session_state.setdefault("_notices", [])
    if message not in notices:
        notices.append(message)


def show_notices() -> None:
    for message in st.session_state.pop("_notices", []):
        st.info(message, icon=":material/info:")


def current_lang() -> str:
    lang = st.session_state.get("lang")
    return lang if lang in LANGS else DEFAULT_LANG


def read_lang() -> str:
    raw = raw_param("lang")
    if raw is None:
        return DEFAULT_LANG
    if raw.lower() in LANGS:
        return raw.lower()
    notice(
        t("notice.bad_param", DEFAULT_LANG, value=_shorten(raw), param="lang", fallback="Tiếng Việt")
        + " / "
        + t("notice.bad_param", "en", value=_shorten(raw), param="lang", fallback="Vietnamese")
    )
    return DEFAULT_LANG


def _shorten(value: str, limit: int = 40) -> str:
    """A raw param for a notice: printable, at most `limit` characters, and escaped, so that it shows as the
    text the reader typed, never as a link, image or styled text (the notice is Markdown; issue 17 §5)."""
    value = "".join(ch if ch.isprintable() else "�" for ch in value)
    return md_escape(value if len(value) <= limit else value[: limit - 1] + "…")


def validated(
    name: str,
    options: Sequence,
    default,
    describe: Callable[[object], str] | None = None,
    parse: Callable[[str], object] = str,
):
    """The param's value if it parses and is one of `options`; else `default` with a notice."""
    raw = raw_param(name)
    if raw is None:
        return default
    try:
        value = parse(raw)
    except (TypeError, ValueError):
        value = None
    if value is not None and value in options:
        return value
    lang = current_lang()
    fallback = md_escape(describe(default) if (describe and default is not None) else str(default))
    notice(t("notice.bad_param", lang, value=_shorten(raw), param=name, fallback=fallback))
    return default


def select_param(
    name: str,
    label: str,
    options: Sequence,
    default,
    format_func: Callable = str,
    parse: Callable[[str], object] = str,
    widget: str = "selectbox",
    **kwargs,
):
    """A selectbox/radio bound to query param `name`. Returns the chosen value."""
    options = list(options)
    if not options:
        return None
    if default not in options:
        default = options[0]
    key = f"param_{name}"
    raw = raw_param(name)
    seen_key = f"_seen_{name}"
    if seen_key in st.session_state and st.session_state[seen_key] == raw and key in st.session_state:
        # The URL holds what we wrote last run (also when that was "no param": a default such as "no unit
        # highlighted"), so the widget's own value is the reader's latest pick and wins. If another control made
        # it invalid, fall back quietly.
        if st.session_state[key] not in options:
            st.session_state[key] = default
    else:
        st.session_state[key] = validated(name, options, default, describe=format_func, parse=parse)
    _resend_on_language_change(name, key)
    factory = getattr(st, widget)
    value = factory(label, options, key=key, format_func=format_func, **kwargs)
    set_param(name, value)
    return value


def _resend_on_language_change(name: str, key: str) -> None:
    """After a language switch, set the widget's value again from the script. A keyed widget keeps its id when
    only format_func changes, and Streamlit's frontend then keeps showing the old language's label of the
    selected option (streamlit/streamlit#13788); a value set by the script is sent with its new label."""
    lang_key = f"_lang_{name}"
    lang = current_lang()
    if st.session_state.get(lang_key, lang) != lang and key in st.session_state:
        st.session_state[key] = st.session_state[key]
    st.session_state[lang_key] = lang


def set_param(name: str, value) -> None:
    text = None if value is None or value == "" else str(value)
    if text is None:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != text or len(st.query_params.get_all(name)) > 1:
        st.query_params[name] = text
    st.session_state[f"_seen_{name}"] = text


def multi_param(
    name: str,
    label: str,
    options: Sequence,
    default: Sequence,
    format_func: Callable = str,
    max_selections: int | None = None,
    **kwargs,
) -> list:
    """A multiselect bound to a comma-separated query param."""
    options = list(options)
    key = f"param_{name}"
    raw = raw_param(name)
    seen_key = f"_seen_{name}"
    # An emptied picker writes "" (raw_param reads it as None): the same view, so the reader's empty pick stays
    # and the defaults never come back once changed (issue 14).
    if key not in st.session_state or (st.session_state.get(seen_key) or None) != raw:
        chosen = list(default)
        if raw is not None:
            tokens = [tok.strip() for tok in raw.split(",") if tok.strip()]
            valid = [tok for tok in dict.fromkeys(tokens) if tok in options]
            bad = [tok for tok in tokens if tok not in options]
            if bad:
                notice(
                    t(
                        "notice.bad_param",
                        current_lang(),
                        value=_shorten(",".join(bad)),
                        param=name,
                        fallback=md_escape(", ".join(format_func(v) for v in (valid or chosen)) or "–"),
                    )
                )
            chosen = valid or chosen
        if max_selections:
            chosen = chosen[:max_selections]
        st.session_state[key] = [c for c in chosen if c in options]
    _resend_on_language_change(name, key)
    # Streamlit's own "Select all" bulk option is English whatever the page language (its frontend has no
    # translations, streamlit#1353): it is turned off, and the empty placeholder is ours.
    kwargs.setdefault("select_all", False)
    kwargs.setdefault("placeholder", t("common.choose", current_lang()))
    value = st.multiselect(label, options, key=key, format_func=format_func, max_selections=max_selections, **kwargs)
    text = ",".join(str(v) for v in value)
    if st.query_params.get(name) != text:
        st.query_params[name] = text
    st.session_state[seen_key] = text
    return value


def view_params(**extra) -> dict[str, str]:
    """The current query params (for share links and citations), plus overrides."""
    params = {k: st.query_params.get(k) for k in st.query_params.keys()}
    params.update({k: str(v) for k, v in extra.items() if v is not None})
    params.setdefault("lang", current_lang())
    return {k: v for k, v in params.items() if v is not None and k != "embed"}
