"""Cue words: what kind of question a word signals (status, when, timeline, list) or that it is filler.

A question that names a country and has nothing left over after removing cue words and filler is a
plain status/joining/history question, answered from structured data; anything left over must be
explained by an FAQ entry. These lists are about how people ask, not about NATO, so they live in code.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.text import is_hangul, korean_stems, stem

_EN: dict[str, set[str]] = {
    "status": {
        "nato",
        "otan",
        "member",
        "membership",
        "part",
        "ally",
        "allies",
        "allied",
        "alliance",
        "belong",
        "belongs",
        "join",
        "joined",
        "partner",
        "partnership",
        "signatory",
        "inside",
        "in",
        "accession",
        "accede",
        "acceded",
        "admitted",
        "admission",
        "enter",
        "entered",
        "become",
        "became",
    },
    "when": {"when", "year", "date", "since"},
    "timeline": {"timeline", "history", "chronology", "milestones", "milestone", "events", "dates"},
    "list": {"list", "all", "every", "which", "show", "countries", "states", "members", "partners", "names", "whos"},
    "stop": {
        "is",
        "are",
        "am",
        "was",
        "were",
        "be",
        "been",
        "being",
        "the",
        "a",
        "an",
        "of",
        "to",
        "on",
        "at",
        "for",
        "does",
        "do",
        "did",
        "has",
        "have",
        "had",
        "it",
        "its",
        "country",
        "state",
        "nation",
        "currently",
        "now",
        "still",
        "yet",
        "already",
        "please",
        "tell",
        "me",
        "about",
        "whether",
        "if",
        "and",
        "or",
        "status",
        "what",
        "whats",
        "s",
        "isnt",
        "arent",
        "wasnt",
        "doesnt",
        "didnt",
        "hasnt",
        "not",
        "no",
        "yes",
        "i",
        "you",
        "know",
        "hi",
        "hello",
        "hey",
        "officially",
        "official",
        "really",
        "actually",
        "right",
        "full",
        "fully",
        "as",
        "with",
        "that",
        "this",
        "there",
        "so",
        "ok",
        "okay",
        "pls",
        "plz",
        "thanks",
        "u",
        "r",
        "anymore",
        "get",
        "got",
        "org",
        "organization",
        "organisation",
        "north",
        "atlantic",
        "treaty",
        "give",
        "check",
        "quick",
        "question",
        "by",
        "from",
        "key",
        "main",
        "major",
        "important",
        "some",
        "any",
        "their",
        # filler people add to any question
        "exactly",
        "these",
        "those",
        "days",
        "nowadays",
        "today",
        "basically",
        "again",
        "just",
        "even",
        "also",
        "too",
        "ever",
        "quickly",
        "briefly",
        "kindly",
        "simply",
        "anyway",
        "btw",
        "lol",
        "hmm",
        "um",
        "uh",
        "wondering",
        "curious",
        "wonder",
        "guys",
        "bot",
        "pretty",
        "asking",
        "friend",
        "buddy",
        "bro",
        "yo",
        "thx",
        "ty",
        "idk",
        "tbh",
        "rn",
        "much",
        "very",
        "honestly",
        "seriously",
        "anybody",
        "anyone",
        "someone",
        "somebody",
        "only",
        "count",
        "counts",
        "considered",
        "regarded",
        "counted",
    },
}
_KO: dict[str, tuple[str, ...]] = {
    "status": (
        "나토",
        "북대서양",
        "회원",
        "가입",
        "가맹",
        "동맹",
        "일원",
        "소속",
        "멤버",
        "속해",
        "속한",
        "들어가",
        "들어갔",
        "파트너",
        "협력국",
    ),
    "when": ("언제", "몇년", "연도", "년도", "날짜", "시기"),
    "timeline": ("연표", "역사", "연혁", "타임라인", "연대기", "일지"),
    "list": ("목록", "리스트", "전부", "모든", "어디어디", "명단", "전체", "보여", "쭉", "다", "나라들", "국가들"),
    "stop": (
        "지금",
        "현재",
        "아직",
        "혹시",
        "정말",
        "진짜",
        "나라",
        "국가",
        "맞나",
        "맞아",
        "맞죠",
        "맞는",
        "아닌",
        "아니",
        "상태",
        "지위",
        "여부",
        "알려",
        "궁금",
        "인가",
        "이야",
        "입니까",
        "이에요",
        "예요",
        "이죠",
        "요",
        "어때",
        "어떻",
        "정식",
        "공식",
        "했나",
        "했어",
        "했습",
        "했는",
        "한",
        "된",
        "됐",
        "되었",
        "되어",
        "돼",
        "됩니",
        "있나",
        "있어",
        "있습",
        "인지",
        "봐",
        "좀",
        "주세요",
        "줘",
        "몇",
        "년",
        "은",
        "는",
        "이",
        "가",
        "의",
        "주요",
        # filler
        "정확히",
        "요즘",
        "그냥",
        "한번",
        "대충",
        "간단히",
        "알고싶",
        "알고 싶",
        "뭐지",
        "뭔데",
        "뭐냐",
        "저기",
        "그럼",
        "근데",
        "그래서",
        "제발",
        "빨리",
        "얼른",
        "안",
        "못",
    ),
}
# Words that ask for an explanation: with these, a country question wants an FAQ answer, not the card.
EXPLAIN = frozenset(
    {
        "why",
        "how",
        "relationship",
        "relation",
        "relations",
        "ties",
        "cooperate",
        "cooperation",
        "work",
        "connected",
        "connection",
        "explain",
    }
)
EXPLAIN_KO = ("왜", "어떻게", "관계", "사이", "협력", "설명")
# Nouns that pick which list is wanted.
PARTNER_NOUNS = frozenset({"partner", "partners", "partnership", "partnerships"})
PARTNER_NOUNS_KO = ("파트너", "협력국")

_OTHER_ORGS = {
    "eu": "the EU",
    "european union": "the EU",
    "un": "the UN",
    "united nations": "the UN",
    "asean": "ASEAN",
    "g7": "the G7",
    "g20": "the G20",
    "oecd": "the OECD",
    "wto": "the WTO",
    "brics": "BRICS",
    "quad": "the Quad",
    "aukus": "AUKUS",
    "sco": "the SCO",
    "csto": "the CSTO",
    "imf": "the IMF",
    "opec": "OPEC",
    "fifa": "FIFA",
    "olympics": "the Olympics",
    "world cup": "the World Cup",
    "commonwealth": "the Commonwealth",
    "schengen": "the Schengen area",
    "eurozone": "the eurozone",
    "유럽연합": "유럽연합(EU)",
    "유엔": "유엔(UN)",
    "국제연합": "유엔(UN)",
    "아세안": "아세안(ASEAN)",
    "쿼드": "쿼드(Quad)",
    "오커스": "오커스(AUKUS)",
    "브릭스": "브릭스(BRICS)",
    "올림픽": "올림픽",
    "월드컵": "월드컵",
    "상하이협력기구": "상하이협력기구(SCO)",
    "경제협력개발기구": "OECD",
}
# Forums the knowledge does cover, whose names contain another organisation's.
_COVERED_FORUMS = ("asean regional forum", "arf", "아세안지역안보포럼", "아세안 지역 안보 포럼", "shangri la")
_EN_STEMS = {kind: frozenset(stem(w) for w in words) | frozenset(words) for kind, words in _EN.items()}


# Misspelt cue words still signal their family ("memeber", "natto"): one edit away, five letters or more.
_TYPO_TARGETS = ("member", "members", "membership", "partner", "partners", "alliance", "joined", "timeline", "history")


def kind(word: str) -> str | None:
    """Which cue family a normalised word belongs to (cached for words of chat length only)."""
    return _kind(word) if len(word) <= 32 else _kind.__wrapped__(word)


@lru_cache(maxsize=4096)
def _kind(word: str) -> str | None:
    """Which cue family a normalised word belongs to ("status", "when", "timeline", "list", "stop")."""
    if is_hangul(word):
        for form in korean_stems(word):
            for family, prefixes in _KO.items():
                if form in prefixes or any(form.startswith(p) for p in prefixes if len(p) > 1):
                    return family
        return None
    for family in ("when", "timeline", "status", "list", "stop"):  # the word as typed first: "dates"
        if word in _EN[family]:
            return family
    for family in ("when", "timeline", "status", "list", "stop"):
        if stem(word) in _EN_STEMS[family]:
            return family
    if len(word) >= 5:
        hit = process.extractOne(word, _TYPO_TARGETS, scorer=OSA.distance, score_cutoff=1)
        if hit is not None:
            return kind(hit[0])
    return None


RELATIONS = frozenset({"relation", "relations", "relationship", "ties", "with", "between"})
RELATIONS_KO = ("관계", "사이")


# Everyday topics no NATO answer is about: a question that names one must have an entry that does.
OFF_TOPIC = frozenset(
    {
        "weather",
        "timezone",
        "zone",
        "border",
        "borders",
        "bordering",
        "neighbour",
        "neighbours",
        "neighbor",
        "neighbors",
        "temperature",
        "price",
        "prices",
        "cost",
        "recipe",
        "cook",
        "food",
        "restaurant",
        "hotel",
        "population",
        "capital",
        "currency",
        "exchange",
        "stock",
        "bitcoin",
        "crypto",
        "visa",
        "football",
        "soccer",
        "baseball",
        "movie",
        "song",
        "music",
        "kpop",
        "tourism",
        "travel",
        "flight",
        "flights",
        "language",
        "religion",
        "gdp",
        "internship",
        "internships",
        "intern",
        "job",
        "jobs",
        "career",
        "careers",
        "salary",
        "vacancy",
        "vacancies",
        "hiring",
        "joke",
        "jokes",
        "meme",
        "poem",
        "riddle",
        "biggest",
        "largest",
        "strongest",
        "richest",
        "poorest",
        "casualties",
        "died",
        "killed",
        "deaths",
        "wounded",
        "injured",
        "tanks",
        "warheads",
        "nukes",
        "budget",
        "costs",
        "address",
        "phone",
        "email",
        "ticket",
        "tickets",
        "tour",
        "tours",
        "hours",
        "airport",
        "distance",
        "registration",
        "accreditation",
        "register",
        "공항",
        "숙소",
        "취재",
        "기자등록",
        "농담",
        "유머",
        "사상자",
        "사망자",
        "전사자",
        "예산",
        "비용",
        "주소",
        "전화번호",
        "입장료",
        "투어",
        "최강",
        "인턴",
        "인턴십",
        "채용",
        "연봉",
        "일자리",
        "날씨",
        "기온",
        "가격",
        "요리",
        "맛집",
        "음식",
        "호텔",
        "인구",
        "수도",
        "환율",
        "주가",
        "비트코인",
        "비자",
        "축구",
        "야구",
        "영화",
        "노래",
        "관광",
        "여행",
        "항공권",
    }
)


_OFF_TOPIC_KO = tuple(w for w in OFF_TOPIC if is_hangul(w) and len(w) >= 2)


def off_topic(words: list[str]) -> frozenset[str]:
    """The everyday-topic words in a question (Korean ones with any particle)."""
    found = {w for w in words if w in OFF_TOPIC}
    found |= {w for w in words if is_hangul(w) and any(f in OFF_TOPIC for f in korean_stems(w))}
    found |= {w for w in words if is_hangul(w) and w.startswith(_OFF_TOPIC_KO)}  # "채용공고", "날씨는"
    return frozenset(found)


def beyond_relations(words: list[str]) -> bool:
    """Whether a timeline question asks more than "X and NATO relations" (which the timeline is)."""
    return any(not (w in RELATIONS or (is_hangul(w) and w.startswith(RELATIONS_KO))) for w in words)


def explains(words: list[str]) -> bool:
    return any(w in EXPLAIN or (is_hangul(w) and w.startswith(EXPLAIN_KO)) for w in words)


def wants_partners(words: list[str]) -> bool:
    return any(w in PARTNER_NOUNS or (is_hangul(w) and any(p in w for p in PARTNER_NOUNS_KO)) for w in words)


def other_org(words: list[str]) -> tuple[str, str] | None:
    """Another organisation named without NATO, as (display name, the word that names it)."""
    text = f" {' '.join(words)} "
    if any(w in ("nato", "otan") or w.startswith(("나토", "북대서양")) for w in words):
        return None
    if any(forum in text for forum in _COVERED_FORUMS):
        return None
    for key, name in _OTHER_ORGS.items():
        if f" {key} " in text:
            return name, key
        if is_hangul(key) and any(w.startswith(key) for w in words):
            return name, key
    return None


def orgs_named(words: list[str]) -> list[str]:
    """Other organisations a question names, NATO or not ("the EU and NATO"): an answer must speak of them."""
    text = f" {' '.join(words)} "
    return [
        key for key in _OTHER_ORGS if f" {key} " in text or (is_hangul(key) and any(w.startswith(key) for w in words))
    ]


def vocabulary() -> frozenset[str]:
    """Every cue word, so fuzzy country matching never mistakes one for a misspelt country."""
    words = {w for family in _EN.values() for w in family} | EXPLAIN | PARTNER_NOUNS
    return frozenset(words | {stem(w) for w in words})
