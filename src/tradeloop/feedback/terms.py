"""Normalising a search term so that searches for the same thing aggregate into one row."""

from __future__ import annotations

import re
import unicodedata

import snowballstemmer

_stemmer = snowballstemmer.stemmer("english")
_SPACES = re.compile(r"\s+")
_LATIN_WORD = re.compile(r"^[a-z][a-z'\-]*$")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
MAX_TERM = 120


def normalise(text: str) -> str:
    """Lowercase, trimmed, spaces collapsed, full-width folded to half-width (NFKC); English words lightly stemmed
    ("strawberries" and "strawberry" meet); a term with Chinese characters is kept whole."""
    term = unicodedata.normalize("NFKC", text or "").lower()
    term = _SPACES.sub(" ", term).strip()
    if not term:
        return ""
    if not _HAN.search(term):
        term = " ".join(_stemmer.stemWord(w) if _LATIN_WORD.match(w) else w for w in term.split(" "))
    return term[:MAX_TERM]
