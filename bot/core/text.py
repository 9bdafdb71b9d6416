"""Text normalisation shared by command parsing, country resolution and retrieval.

Korean is agglutinative: "한국은", "한국이", "한국의" are all "한국" plus a particle, so a
whitespace tokeniser never matches them. We strip common particles and sentence endings and
add Hangul syllable bigrams, a dependency-free approach that needs no morphological model
(which would cost a second of start-up).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

from bot.core.synonyms import CANONICAL

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)
_WORD = re.compile(r"[\w]+", re.UNICODE)
# "Korea's" -> "korea", but "who's", "what's", "it's" are contractions of "is", not possessives.
_POSSESSIVE = re.compile(
    r"(?<!\bwho)(?<!\bwhat)(?<!\bwhere)(?<!\bhow)(?<!\bit)(?<!\bthat)(?<!\bthere)"
    r"(?<!\bhere)(?<!\bhe)(?<!\bshe)(?<!\blet)(?<=\w)['’]s\b"
)
# Invisible characters (NUL and other controls, zero-width spaces and joiners, soft hyphens, direction
# marks, BOM) are removed, not turned into spaces: one inside a word ("Ko\u200brea") must not split it.
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0e-\x1b\x7f-\x9f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    r"\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")  # a lone surrogate cannot be encoded: it would crash a renderer
_CONTROL = re.compile(r"[\x0b\x0c\x1c-\x1f\u2028\u2029]")  # line and paragraph separators: whitespace

# Longest first, so "에서는" is removed before "는".
_PARTICLES: tuple[str, ...] = tuple(
    sorted(
        {
            "은",
            "는",
            "이",
            "가",
            "을",
            "를",
            "의",
            "에",
            "에서",
            "에게",
            "께서",
            "와",
            "과",
            "도",
            "로",
            "으로",
            "만",
            "까지",
            "부터",
            "이나",
            "나",
            "랑",
            "이랑",
            "하고",
            "에서는",
            "에는",
            "에도",
            "으로는",
            "로는",
            "과의",
            "와의",
            "이란",
            "란",
            "이라는",
            "라는",
            "처럼",
            "보다",
            "에서의",
            "에서도",
            "께",
        },
        key=len,
        reverse=True,
    )
)
# Sentence endings that follow a noun ("회원국인가요" -> "회원국").
_ENDINGS: tuple[str, ...] = tuple(
    sorted(
        {
            "인가요",
            "인가",
            "인지",
            "입니까",
            "입니다",
            "이에요",
            "예요",
            "이야",
            "야",
            "인데",
            "이죠",
            "죠",
            "이니",
            "인가요?",
            "이었나요",
            "였나요",
            "이었어",
            "였어",
            "이냐",
            "냐",
            "인데요",
            "이다",
            "임",
            "인지요",
            # verb endings: "지켜주나요" -> "지켜주", so the stem's syllables match other forms of the verb
            "나요",
            "까요",
            "가요",
            "어요",
            "아요",
            "해요",
            "했어요",
            "했나요",
            "했어",
            "했니",
            "했냐",
            "습니까",
            "습니다",
            "니까",
            "는지",
            "나",
            "니",
            "지요",
            "지",
            "래",
            "대",
            "는데",
            "던데",
            "거야",
            "건가요",
            "건가",
            "는거야",
        },
        key=len,
        reverse=True,
    )
)

_stemmer = snowballstemmer.stemmer("english")
MAX_INPUT = 2000  # characters of one message that are read at all; the rest is ignored, never processed


def clean(text: str) -> str:
    """NFKC, control characters removed, whitespace collapsed; case kept (for display)."""
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", _INVISIBLE.sub("", _SURROGATE.sub("\ufffd", text)))
    return " ".join(text.split())


def normalize(text: str) -> str:
    """Lower-cased words separated by single spaces; punctuation becomes space.

    Apostrophes vanish rather than split ("isn't" -> "isnt"), so contractions stay one word.
    """
    text = _POSSESSIVE.sub("", clean(text).casefold()).replace("'", "").replace("’", "")
    return " ".join(_WORD.findall(text.replace("_", " ")))


def is_hangul(word: str) -> bool:
    return not word.isascii() and bool(_HANGUL.search(word))  # ASCII first: most words, and much cheaper


def detect_lang(text: str) -> str | None:
    """'ko' when the text has Hangul, 'en' when it has Latin letters, else None (undecided)."""
    hangul = len(_HANGUL.findall(text))
    latin = len(_LATIN.findall(text))
    if hangul and hangul * 2 >= min(latin, 8):
        return "ko"
    if latin:
        return "ko" if hangul else "en"
    return None


@lru_cache(maxsize=4096)
def _korean_stems_cached(word: str) -> tuple[str, ...]:
    """The word and the forms left after removing a trailing ending and/or particle.

    Returned longest first; callers try each, so "인도" (India) still matches although "도"
    is also a particle.
    """
    forms = [word]
    for suffixes in (_ENDINGS, _PARTICLES):
        for form in list(forms):
            # Every suffix that fits, not just the longest: "몬테네그로는" is "몬테네그로" + "는",
            # not "몬테네그" + "로는".
            forms.extend(form[: -len(s)] for s in suffixes if form.endswith(s) and len(form) > len(s))
    return tuple(dict.fromkeys(forms))


@lru_cache(maxsize=4096)
def _stem_cached(word: str) -> str:
    """The retrieval form of one normalised word."""
    if is_hangul(word):
        return korean_stems(word)[-1]
    return _stemmer.stemWord(word)


# Korean verbs and nouns take many endings, so Korean synonyms also match as word starts ("지켜주나").
_KO_CANON = tuple(
    sorted(((w, c) for w, c in CANONICAL.items() if _HANGUL.search(w) and len(w) >= 2), key=lambda item: -len(item[0]))
)


@lru_cache(maxsize=4096)
def _word_features_cached(word: str) -> tuple[str, ...]:
    """Retrieval features of one word.

    English: the Snowball stem. Korean: every form left by removing an ending or particle (which
    one is right depends on the word, so all are kept: words the index has never seen are ignored
    when scoring), plus syllable bigrams of the shortest form, for compounds and spelling variants.
    """
    if not is_hangul(word):
        canon = CANONICAL.get(word)
        return (stem(word), canon) if canon else (stem(word),)
    forms = korean_stems(word)
    # "제5조" and "5조" are the same article: drop the ordinal prefix 제 before a number.
    forms = (*forms, *(f[1:] for f in forms if len(f) > 1 and f[0] == "제" and f[1].isdigit()))
    base = min(forms, key=len)
    bigrams = tuple(f"#{base[i : i + 2]}" for i in range(len(base) - 1)) if len(base) >= 3 else ()
    canon = next((CANONICAL[f] for f in forms if f in CANONICAL), None) or next(
        (c for prefix, c in _KO_CANON if base.startswith(prefix)), None
    )
    return (*forms, *bigrams, canon) if canon else (*forms, *bigrams)


_SPLIT_BEFORE = ("나토", "북대서양")


def split_korean(words: list[str]) -> list[str]:
    """Split Hangul written without spaces before the words that matter most ("한국이나토회원국" ->
    "한국이", "나토회원국"): Korean chat often drops spaces, English never glues words like that."""
    out: list[str] = []
    for word in words:
        while is_hangul(word):
            cut = min((i for i in (word.find(s, 1) for s in _SPLIT_BEFORE) if i > 0), default=0)
            if not cut:
                break
            out.append(word[:cut])
            word = word[cut:]
        out.append(word)
    return out


# The caches are bounded by count; a word longer than this is computed, never cached, so a flood of
# long unique words cannot fill memory (2,000-character messages of unique Korean text included).
CACHED_WORD = 32


def korean_stems(word: str) -> tuple[str, ...]:
    return _korean_stems_cached(word) if len(word) <= CACHED_WORD else _korean_stems_cached.__wrapped__(word)


def stem(word: str) -> str:
    return _stem_cached(word) if len(word) <= CACHED_WORD else _stem_cached.__wrapped__(word)


def word_features(word: str) -> tuple[str, ...]:
    return _word_features_cached(word) if len(word) <= CACHED_WORD else _word_features_cached.__wrapped__(word)


def features(text: str) -> list[str]:
    """Retrieval features of a whole text (already normalised or not)."""
    out: list[str] = []
    for word in split_korean(normalize(text).split()):
        out.extend(word_features(word))
    return out
