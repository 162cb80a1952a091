"""One normalisation for what is indexed and what is asked, so that both meet in the same words.

    English (any Latin-script word)   lowercased, accents folded, Snowball-stemmed: "Strawberries" → "strawberri"
    Chinese (a run of Han characters) segmented with jieba's search mode: "红富士苹果" → "富士 红富士 苹果"
    digits                            kept as they are ("500g" → "500g")

The result is a space-separated string of terms: what the FTS5 table, the PostgreSQL tsvector ('simple'
configuration, no further stemming) and the vocabulary all hold. jieba loads its dictionary once per process, on
first use, with its cache file in the data folder (or the temporary folder) and its log silenced.
"""

from __future__ import annotations

import html
import logging
import os
import re
import tempfile
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.conf import settings

TAG = re.compile(r"<[^>]+>")
# a Latin word (letters and digits, inner apostrophes dropped) or a run of Han characters
TOKEN = re.compile(r"[a-z0-9]+|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
MAX_WORD = 40  # longer "words" are noise (hashes, URLs) and are not indexed

_stemmer = snowballstemmer.stemmer("english")
_jieba = None
_jieba_lock = threading.Lock()


def _segmenter():
    """jieba, initialised once per process."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                base = getattr(settings, "DATA_DIR", None) or tempfile.gettempdir()
                folder = os.path.join(str(base), "cache")
                try:
                    os.makedirs(folder, exist_ok=True)
                except OSError:
                    folder = tempfile.gettempdir()
                tokenizer = jieba.Tokenizer()
                tokenizer.cache_file = os.path.join(folder, "jieba.cache")
                tokenizer.tmp_dir = folder
                tokenizer.initialize()
                _jieba = tokenizer
    return _jieba


def warm_up() -> None:
    """Load jieba's dictionary now (about 1.5 s and 70 MB): `tradeloop serve` does it once in gunicorn's master,
    before the workers fork and share it, instead of in the first request that indexes or searches Chinese."""
    _segmenter()


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def _fold(text: str) -> str:
    text = html.unescape(TAG.sub(" ", text or ""))
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _han(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [w for w in _segmenter().cut_for_search(run) if w.strip()]


@dataclass(frozen=True)
class Word:
    surface: str  # as written, lowercased ("strawberries"; a Chinese word as segmented)
    term: str  # what is indexed ("strawberri")
    latin: bool


def words(text: str) -> list[Word]:
    """The words of a text in order, each with its indexed term."""
    found: list[Word] = []
    for match in TOKEN.finditer(_fold(text)):
        token = match.group()
        if HAN.match(token):
            found.extend(Word(w, w, False) for w in _han(token))
        elif len(token) <= MAX_WORD:
            found.append(Word(token, stem(token), True))
    return found


def terms(text: str) -> list[str]:
    return [w.term for w in words(text)]


def normalise(*texts: str) -> str:
    """The indexed form of some texts: their terms, space-separated."""
    return " ".join(t for text in texts if text for t in terms(text))
