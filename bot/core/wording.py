"""The words of a question that carry no content, and small helpers shared by the guard, the
horizon rules and the question families: what a question asks beyond its slots is judged with these.

Lists here are about how people ask (filler, confirmations, request words), not about NATO.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from bot.core import cues
from bot.core.reply import Reply
from bot.core.schema import Framework
from bot.core.text import is_hangul

YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
# Words that ask for an answer rather than name what it is about.
REQUESTS = frozenset(
    {
        "explain",
        "explained",
        "meaning",
        "mean",
        "means",
        "describe",
        "define",
        "definition",
        "summary",
        "summarize",
        "summarise",
        "overview",
        "details",
        "detail",
        "info",
        "information",
        "briefly",
        "short",
        "simple",
        "simply",
        "meet",
        "met",
        "gather",
        "gathered",
        "convene",
        "convened",
        "설명",
        "설명해줘",
        "설명해",
        "뜻",
        "의미",
        "요약",
        "정리",
        "정리해줘",
        "알려줘",
        "알려주세요",
    }
)
MONEY = re.compile(
    r"[$€£₩]\s?\d|\d[\d,.]*\s?(?:billion|million|trillion|dollars?|euros?|won|달러|유로|억|조|만 ?원|원)"
)
CONFIRM = frozenset(
    {"right", "correct", "true", "yeah", "didnt", "isnt", "wasnt", "no", "맞아", "맞지", "맞죠", "맞나"}
)
COUNT = re.compile(
    r"(?<!\d)(\d{2})\s?(?:nato\s)?"
    r"(?:members?|member countries|countries|allies|nations|개국|개 회원국|개의 회원국|회원국|개 나라|나라|동맹국)"
)
# Words a structured answer explains by itself; any other content word left over means the
# question asks for something the computed answer does not say ("how many soldiers ...").
HARMLESS = frozenset(
    {
        "nato",
        "나토",
        "otan",
        "the",
        "a",
        "an",
        "in",
        "of",
        "to",
        "is",
        "was",
        "did",
        "does",
        "ones",
        "that",
        "which",
        "were",
        "they",
        "there",
        "total",
        "altogether",
        "together",
        "both",
        "exactly",
        "same",
        "day",
        "time",
        "group",
        "held",
        "take",
        "place",
        "took",
        "happen",
        "happened",
        "about",
        "answer",
        "please",
        "tell",
        "between",
        "from",
        "until",
        "through",
        "사이",
        "까지",
        "부터",
        "say",
        "said",
        "says",
        "saying",
        "do",
        "done",
        "doing",
        "during",
        "into",  # "came into NATO"
        "order",  # "in the order of accession"
        "brought",  # "which round brought in Poland"
        "hold",
        "holds",
        "vs",
        "versus",
        "far",  # "so far"
        "말",  # "2000년 말": the end of
        "기준",  # "…기준": as of
        "모두",
        "relations",
        "relation",
        "relationship",
        "ties",
        "with",
        "and",
        "news",
        "update",
        "updates",
        "anything",
        "something",
        "what",
        "whats",
        "going",
        "on",
        "up",
        "있었",
        "있었어",
        "있었나",
        "무슨",
        "일",
        "뭐",
        "소식",
        "관계",
        "때",
        "당시",
        "같아",
        "같은",
        "같이",
        "같나",
        "함께",
        "다른",
        "다르",
        "different",
        "either",
        "or",
        "didnt",
        "isnt",
        "wasnt",
        "right",
        "correct",
        "true",
        "yeah",
        "yep",
        "맞아",
        "맞지",
        "맞죠",
        "맞나",
        "맞는",
        "제일",
        "가장",
        "동시에",
        "most",
        "very",
        "날",
        "single",
        "them",
        "all",
        "each",
        "every",
        "non",
        "name",
        "list",
        "member",
        "members",
        "수",
        "out",
        "off",
        "any",
        "anyone",
        "yet",
        "날짜",
        "정해졌",
        "정해졌어",
        "확정",
        "over",
        "as",
        "immediately",
        "directly",
        "just",
        "바로",
        "직후",
        "직전",
        "outside",
        "밖",
        "밖에",
        "외",
        "have",
        "had",
        "has",
        # casual Korean endings and chat noise: "어디서 함", "누가 감", "ㅋㅋ"
        "함",
        "임",
        "됨",
        "음",
        "감",
        "했음",
        "갔음",
        "됐어",
        "됐어요",
        "됐나요",
        "됐지",
        "되었나요",
        "ㅋㅋ",
        "ㅎㅎ",
        "ㅇㅇ",
        "lol",
        "중",
        "정상",
    }
)
HARMLESS_KO = tuple(w for w in HARMLESS if is_hangul(w) and len(w) >= 2)  # "같은날" starts with "같은"


ACRONYM = re.compile(r"\b[A-Z]{3,}[0-9]?\b|\b[A-Z]{2,}[0-9]\b")
NOT_TOPICS = frozenset({"nato", "otan", "nato의", "faq", "usa", "gdp", "dmz", "ok", "lol", "omg"})


@lru_cache(maxsize=1024)
def off_topic(residual: tuple[str, ...]) -> frozenset[str]:
    return cues.off_topic(list(residual))


@lru_cache(maxsize=1024)
def acronyms(text: str) -> list[str]:
    """Acronyms typed in capitals, lower-cased; not NATO itself, not shouting (a sentence in capitals)."""
    letters = [c for c in text if c.isascii() and c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > len(letters) / 2:
        return []
    return [a.casefold() for a in ACRONYM.findall(text) if a.casefold() not in NOT_TOPICS]


@lru_cache(maxsize=1024)
def content_words(residual: tuple[str, ...]) -> list[str]:
    """The question's own content words: not cues, filler or request words ("explain")."""
    return [
        w
        for w in residual
        if w not in HARMLESS and w not in REQUESTS and cues.kind(w) is None and len(w) >= (2 if is_hangul(w) else 3)
    ]


def fw_names(fw: Framework) -> tuple[str, ...]:
    names = [fw.name.en, fw.name.ko]
    if fw.short is not None:
        names += [fw.short.en, fw.short.ko]
    return tuple(part.strip() for n in names for part in re.split(r"[()]", n) if len(part.strip()) >= 2)


def prefix(reply: Reply, note: str) -> Reply:
    return replace(reply, body=f"{note}\n\n{reply.body}")
