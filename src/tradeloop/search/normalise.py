"""One normalisation for what is indexed and what is asked, so that both meet in the same words.

    English (any Latin-script word)   lowercased, accents folded, Snowball-stemmed: "Strawberries" → "strawberri"
    Chinese (a run of Han characters) segmented with jieba's search mode: "红富士苹果" → "富士 红富士 苹果"
    digits                            kept as they are ("500g" → "500g")

The result is a space-separated string of terms: what the FTS5 table, the PostgreSQL tsvector ('simple'
configuration, no further stemming) and the vocabulary all hold. jieba's word frequencies (its whole dictionary,
500,000 words and prefixes: 60 MB as a Python dict, 1.5 s to load) are read from a 2 MB MARISA trie built once
from jieba's own dictionary into the data folder's cache (in a subprocess, so no server process ever holds the
dict) and memory-mapped: every process shares the same pages, and the words found are exactly jieba's.
"""

from __future__ import annotations

import contextlib
import html
import importlib.metadata
import logging
import os
import re
import subprocess
import sys
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
log = logging.getLogger(__name__)
_jieba = None
_jieba_lock = threading.Lock()


TOTAL = "#total"  # the trie's record of jieba's frequency total: never a word (only Han runs are segmented)


class _TrieFrequencies:
    """What jieba's Tokenizer asks of its FREQ dict (`in`, `[]`, `get`), answered from the trie."""

    __slots__ = ("_trie",)

    def __init__(self, trie) -> None:
        self._trie = trie

    def __contains__(self, word: str) -> bool:
        return word in self._trie

    def __getitem__(self, word: str) -> int:
        return self._trie[word][0][0]

    def get(self, word: str, default: int | None = None) -> int | None:
        found = self._trie.get(word)
        return found[0][0] if found else default


def _import_jieba():
    """jieba, imported without pkg_resources: jieba asks for it only to open its own files (and opens them by path
    when it is missing), and importing it costs every process that segments Chinese ~5 MB."""
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # an import of it now raises ImportError
    try:
        import jieba
    finally:
        if blocked:
            sys.modules.pop("pkg_resources", None)
    return jieba


def build_frequencies(path: str) -> None:
    """jieba's dictionary (words and their prefixes, with frequencies) into a MARISA trie file at `path`."""
    import marisa_trie

    jieba = _import_jieba()

    tokenizer = jieba.Tokenizer()
    with tokenizer.get_dict_file() as dictionary:
        frequencies, total = tokenizer.gen_pfdict(dictionary)
    records = [(word, (count,)) for word, count in frequencies.items()]
    records.append((TOTAL, (total,)))
    partial = f"{path}.{os.getpid()}.tmp"
    marisa_trie.RecordTrie("<I", records).save(partial)
    os.replace(partial, path)  # whole or not at all, whoever else builds it at the same time


def _cache_folder() -> str:
    base = getattr(settings, "DATA_DIR", None) or tempfile.gettempdir()
    folder = os.path.join(str(base), "cache")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        folder = tempfile.gettempdir()
    return folder


def _trie_file(folder: str) -> str:
    """The frequency trie's path, built first if missing (in a subprocess: this process never holds jieba's dict)."""
    path = os.path.join(folder, f"jieba-{importlib.metadata.version('jieba')}-frequencies-1.marisa")
    if not os.path.exists(path):
        code = "import sys; from tradeloop.search.normalise import build_frequencies; build_frequencies(sys.argv[1])"
        subprocess.run([sys.executable, "-c", code, path], check=True, timeout=600, capture_output=True)
    return path


def _frequencies(folder: str):
    import marisa_trie

    return marisa_trie.RecordTrie("<I").mmap(_trie_file(folder))


def _segmenter():
    """jieba, initialised once per process, on the shared trie (jieba's own dict loading if that fails)."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                jieba = _import_jieba()
                jieba.setLogLevel(logging.WARNING)
                folder = _cache_folder()
                tokenizer = jieba.Tokenizer()
                try:
                    trie = _frequencies(folder)
                    tokenizer.FREQ, tokenizer.total = _TrieFrequencies(trie), trie[TOTAL][0][0]
                    tokenizer.initialized = True
                except (ImportError, OSError, KeyError, subprocess.SubprocessError):
                    log.warning("search: jieba's frequency trie is not usable, loading its dictionary", exc_info=True)
                    tokenizer.cache_file = os.path.join(folder, "jieba.cache")
                    tokenizer.tmp_dir = folder
                    tokenizer.initialize()
                _jieba = tokenizer
    return _jieba


def prepare() -> None:
    """Build the frequency trie now if it is missing (seconds, once per data folder): `tradeloop serve` does it in
    gunicorn's master, so no request waits for it. jieba itself loads in the first process that segments Chinese
    (60 ms from the trie; ~10 MB that a worker serving only cached pages never holds)."""
    with contextlib.suppress(OSError, subprocess.SubprocessError, importlib.metadata.PackageNotFoundError):
        _trie_file(_cache_folder())


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
