"""Text normalisation for Vietnamese names: NFC in, accent-free keys for matching."""

from __future__ import annotations

import re
import unicodedata

# Look-alikes seen in sources: Ð (U+00D0, Icelandic eth) for Đ (U+0110).
_LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})

_PREFIXES = (
    "uy ban nhan dan",
    "ubnd",
    "thanh pho",
    "tp.",
    "tp ",
    "tinh ",
    "so ",
    "quan ",
    "huyen ",
    "thi xa ",
    "tx ",
    "tx.",
    "q.",
    "h.",
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", str(text).translate(_LOOKALIKES)).strip()


def fold(text: str) -> str:
    """Lower-case, accent-free, đ→d, punctuation to spaces, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFD", nfc(text).lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    stripped = stripped.replace("đ", "d")
    stripped = re.sub(r"[\u2010-\u2015\-–—_/,.;:()'\"&]+", " ", stripped)
    return re.sub(r"\s+", " ", stripped).strip()


def name_key(text: str) -> str:
    """Match key: folded, administrative prefixes dropped, no spaces."""
    key = fold(text)
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            p = prefix.strip(". ")
            if key.startswith(p + " ") and len(key) > len(p) + 1:
                key = key[len(p) + 1 :]
                changed = True
    key = re.sub(r"\s+(ha noi|thanh pho ha noi|tp ha noi)$", "", key)
    return key.replace(" ", "")
