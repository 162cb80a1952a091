"""jieba on a memory-mapped trie of its own dictionary: the same words as jieba's dict, without the 60 MB dict."""

import logging

import jieba

from tradeloop.search import normalise

SAMPLES = [
    "红富士苹果",
    "烟台红富士苹果新鲜水果当季整箱包邮",
    "恒晟精密电子元器件供应商",
    "小明硕士毕业于中国科学院计算所后在日本京都大学深造",
    "阳光玫瑰葡萄",
    "深度家庭清洁服务上门保洁",
    "二手捷安特城市自行车",
]


def test_the_trie_segments_exactly_as_jiebas_own_dictionary(tmp_path):
    jieba.setLogLevel(logging.WARNING)
    own = jieba.Tokenizer()
    own.cache_file = str(tmp_path / "jieba.cache")
    own.initialize()
    on_trie = normalise._segmenter()
    assert isinstance(on_trie.FREQ, normalise._TrieFrequencies)  # the process holds no dict of 500,000 words
    assert on_trie.total == own.total
    for text in SAMPLES:
        assert list(on_trie.cut_for_search(text)) == list(own.cut_for_search(text)), text
    assert normalise.normalise("红富士苹果") == "富士 红富士 苹果"


def test_the_trie_is_built_once_into_the_cache_folder(settings):
    normalise.prepare()  # what `tradeloop serve` does before its workers fork
    assert list((settings.DATA_DIR / "cache").glob("jieba-*-frequencies-*.marisa"))
