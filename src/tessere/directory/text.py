"""Italian text for search: accents stripped, stopwords dropped, a light stemmer.

The same normalisation is applied to what is indexed and to what citizens type, so that
"anziano" finds "anziani" and "caffe" finds "caffè". On PostgreSQL the accent-free text is
handed to the ``italian`` full-text configuration; on SQLite the stems below are matched.
"""

from __future__ import annotations

import re
import unicodedata

_STOPWORD_TEXT = """
a ad al allo ai agli all alla alle con col coi da dal dallo dai dagli dall dalla dalle di del
dello dei degli dell della delle e ed i il in nel nello nei negli nell nella nelle la le lo gli
l un uno una o od per su sul sullo sui sugli sull sulla sulle tra fra che chi non si se come
anche piu sono ci ne the of and or to for
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_WORD = re.compile(r"[a-z0-9]+")

# Longest first: derivational endings, then the final vowel (gender and number).
_SUFFIXES = (
    "azioni",
    "azione",
    "mente",
    "issimi",
    "issimo",
    "issima",
    "issime",
    "zioni",
    "zione",
)


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise(text: str) -> str:
    """Lower case, no accents, apostrophes and punctuation as spaces."""
    return " ".join(_WORD.findall(strip_accents(text).lower()))


def stem(word: str) -> str:
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            return word + ("z" if suffix.endswith(("zione", "zioni")) else "")
    for ending, replacement in (("che", "c"), ("chi", "c"), ("ghe", "g"), ("ghi", "g")):
        if word.endswith(ending) and len(word) > 4:
            return word[: -len(ending)] + replacement
    if word[-1] in "aeiou" and len(word) > 3:
        word = word[:-1]
        if word[-1] in "i" and len(word) > 4:  # -io/-ia/-ie: servizio, farmacia
            word = word[:-1]
    return word


def tokens(text: str) -> list[str]:
    return [w for w in normalise(text).split() if w not in STOPWORDS and len(w) > 1]


def stems(text: str) -> list[str]:
    return [stem(w) for w in tokens(text)]


def stem_key(text: str) -> str:
    """Space-delimited stems with a leading and trailing space, for ``LIKE '% stem%'``."""
    found = list(dict.fromkeys(stems(text)))  # each stem once: shorter rows, faster LIKE
    return " " + " ".join(found) + " " if found else ""
