"""How people ask, in English and Korean: question words, topic words, number and ordinal words,
dates and years, the parts of a person's name. Language, not facts: the facts' names (countries,
summits, frameworks, offices) come from the knowledge, in `frame.Reader`."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.core.text import is_hangul, korean_stems, normalize

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
EN_ASK: dict[str, frozenset[str]] = {
    "when": frozenset({"when", "year", "date", "dates", "what year", "which year"}),
    "where": frozenset({"where", "location", "located", "venue", "city", "host", "hosted", "hosting", "held"}),
    "who": frozenset({"who", "whom", "whose", "whos", "which leader", "which leaders", "person", "name of"}),
    "how_many": frozenset({"how many", "number of", "count of", "total number"}),
    "how_much": frozenset({"how much", "what amount", "price", "amount"}),
    "which": frozenset({"which", "what countries", "what nations", "what members", "list", "name", "names"}),
    "what": frozenset({"what", "whats"}),
    "ordinal_of": frozenset(
        {
            "what number",
            "which number",
            "what place",
            "which place",
            "what position",
            "nth",
            "what rank",
            "which rank",
            "number",
            "position",
            "rank",
            "ordinal",
        }
    ),
    "why": frozenset({"why", "how come", "reason"}),
    "how": frozenset({"how"}),
    "yesno": frozenset({"is", "are", "was", "were", "did", "does", "do", "has", "have", "can", "will"}),
}
KO_ASK: dict[str, tuple[str, ...]] = {
    "when": ("언제", "몇년", "연도", "년도", "날짜", "시기", "며칠"),
    "where": (
        "어디서",
        "어디에서",
        "어디였",
        "어디야",
        "어디임",
        "어디냐",
        "어디예요",
        "어디인",
        "장소",
        "개최지",
        "개최",
        "열렸",
        "열린",
        "도시",
    ),
    "who": ("누구", "누가", "누군", "누굴", "사람"),
    "how_many": ("몇개국", "몇나라", "몇곳", "몇개", "몇명", "몇국", "몇 개국", "얼마나", "몇개나라", "숫자", "개수"),
    "how_much": (
        "얼마야",
        "얼마에",
        "얼마예",
        "얼마임",
        "얼마인",
        "얼마지",
        "얼마냐",
        "얼마를",
        "얼마가",
        "얼마나 써",
        "금액",
    ),
    "which": ("어느", "어떤", "무슨", "어디어디", "목록", "명단", "어디"),
    "what": ("뭐", "무엇", "뭔"),
    "ordinal_of": ("몇번째", "몇째", "순번", "순서", "몇번"),
    "why": ("왜", "이유"),
    "how": ("어떻게",),
}
EN_TOPIC: dict[str, frozenset[str]] = {
    "join": frozenset(
        {
            "join",
            "joined",
            "joins",
            "joining",
            "accession",
            "accede",
            "acceded",
            "admitted",
            "admission",
            "became",
            "become",
            "entered",
            "enter",
            "enlargement",
            "round",
            "wave",
            "added",
            "expansion",
        }
    ),
    "member": frozenset(
        {
            "member",
            "members",
            "membership",
            "ally",
            "allies",
            "country",
            "countries",
            "nation",
            "nations",
            "state",
            "states",
            "allied",
            "memberstate",
            "one",
        }
    ),
    "founder": frozenset(
        {"founding", "founder", "founders", "original", "charter", "founded", "creating", "establishing"}
    ),
    "created": frozenset(
        {
            "created",
            "create",
            "founded",
            "established",
            "formed",
            "start",
            "started",
            "begin",
            "began",
            "born",
            "birth",
            "creation",
            "founding",
            "launch",
            "launched",
            "inaugurated",
        }
    ),
    "newest": frozenset({"newest", "latest", "recent", "recently", "last", "youngest", "new"}),
    "first": frozenset({"first", "earliest", "oldest"}),
    "before": frozenset({"before", "prior", "earlier", "preceded", "preceding", "previous", "former", "predecessor"}),
    "after": frozenset({"after", "following", "later", "since"}),
    "summit": frozenset({"summit", "summits"}),
    "attend": frozenset(
        {
            "attend",
            "attended",
            "attending",
            "attendance",
            "attendee",
            "attendees",
            "guest",
            "guests",
            "went",
            "go",
            "going",
            "represent",
            "represented",
            "representing",
            "representative",
            "delegation",
            "leader",
            "leaders",
            "participate",
            "participated",
            "present",
            "invited",
            "came",
            "come",
            "join",
        }
    ),
    "partner": frozenset(
        {
            "partner",
            "partners",
            "partnership",
            "partnerships",
            "participant",
            "participants",
            "part",
            "in",
            "belong",
            "included",
        }
    ),
    "now": frozenset({"now", "current", "currently", "today", "present", "presently", "still", "incumbent"}),
    "term": frozenset(
        {
            "term",
            "terms",
            "tenure",
            "served",
            "serve",
            "mandate",
            "office",
            "took",
            "become",
            "became",
            "start",
            "started",
            "end",
            "ended",
            "appointed",
            "appoint",
            "appointment",
            "named",
            "chosen",
            "selected",
            "until",
        }
    ),
    "next": frozenset({"next", "upcoming", "future", "will", "successor", "succeed", "after"}),
    "since": frozenset({"since"}),
    "round": frozenset({"round", "rounds", "wave", "waves", "enlargement", "enlargements", "expansion", "expansions"}),
    "span": frozenset({"between", "from", "until", "till", "through", "to"}),
    "time": frozenset(MONTHS)
    | frozenset(
        {
            "month",
            "day",
            "week",
            "date",
            "jan",
            "feb",
            "mar",
            "apr",
            "jun",
            "jul",
            "aug",
            "sep",
            "sept",
            "oct",
            "nov",
            "dec",
        }
    ),
    "long": frozenset({"long"}),
}
KO_TOPIC: dict[str, tuple[str, ...]] = {
    "join": ("가입", "들어간", "들어갔", "합류", "가맹", "확장", "확대", "편입", "들어온", "들어왔"),
    "member": ("회원국", "회원", "동맹국", "동맹", "나라", "국가", "멤버", "나라들", "국가들"),
    "founder": ("창설", "창립", "원년", "초기회원", "설립회원", "창설국", "원조"),
    "created": ("만들어", "창설", "설립", "창립", "생겼", "생긴", "결성", "출범", "탄생"),
    "newest": ("최신", "최근", "마지막", "막내", "제일최근", "가장최근", "새로"),
    "first": ("최초", "처음", "첫"),
    "before": ("이전", "전에", "보다먼저", "먼저", "앞서", "전임"),
    "after": ("이후", "후에", "다음에", "뒤에", "뒤로", "보다늦게"),
    "summit": ("정상회의", "정상회담", "서밋"),
    "attend": (
        "참석",
        "참가",
        "손님",
        "감",
        "정상들",
        "정상은",
        "정상이",
        "직접",
        "갔",
        "가나",
        "가요",
        "가냐",
        "간",
        "대표",
        "방문",
        "나갔",
        "나간",
        "참여",
        "초청",
        "초대",
    ),
    "partner": ("파트너", "협력국", "참여국", "참가국", "소속", "속해", "속한", "포함"),
    "now": ("지금", "현재", "요즘", "현직", "아직"),
    "term": (
        "임기",
        "재임",
        "취임",
        "퇴임",
        "언제부터",
        "부터",
        "시작",
        "임명",
        "선출",
        "선임",
        "맡",
        "끝",
        "연임",
        "만료",
        "종료",
    ),
    "next": ("다음", "차기", "향후", "앞으로", "후임", "미래"),
    "since": ("이후로", "부터", "이래"),
    "round": ("확대", "라운드", "차례", "차가입", "차확대"),
    "span": ("사이", "까지"),
    "time": ("1월", "2월", "3월", "4월", "5월", "6월", "7월", "8월", "9월", "10월", "11월", "12월", "월", "일"),
    "long": ("얼마나",),
}
CONTINENTS: dict[str, str] = {
    "europe": "europe",
    "european": "europe",
    "eu": "europe",
    "유럽": "europe",
    "north america": "north_america",
    "north american": "north_america",
    "americas": "north_america",
    "북미": "north_america",
    "북아메리카": "north_america",
    "asia": "asia",
    "asian": "asia",
    "아시아": "asia",
    "africa": "africa",
    "african": "africa",
    "아프리카": "africa",
    "oceania": "oceania",
    "오세아니아": "oceania",
    "south america": "south_america",
    "latin america": "south_america",
    "남미": "south_america",
    "남아메리카": "south_america",
}
# Groups of countries people name ("the Baltic states", "북유럽"): language, like the continents above.
# id -> (English name, Korean name, ISO codes); REGION_NAMES maps what people type to the id.
REGIONS: dict[str, tuple[str, str, frozenset[str]]] = {
    "baltic": ("the Baltic states", "발트 3국", frozenset({"EE", "LV", "LT"})),
    "nordic": ("the Nordic countries", "북유럽 국가", frozenset({"DK", "FI", "IS", "NO", "SE"})),
    "scandinavia": ("Scandinavia", "스칸디나비아", frozenset({"DK", "NO", "SE"})),
    "benelux": ("the Benelux countries", "베네룩스", frozenset({"BE", "NL", "LU"})),
    "central_asia": ("Central Asia", "중앙아시아", frozenset({"KZ", "KG", "TJ", "TM", "UZ"})),
    "south_caucasus": ("the South Caucasus", "남캅카스", frozenset({"AM", "AZ", "GE"})),
}
REGION_NAMES: dict[str, str] = {
    "baltic": "baltic",
    "baltics": "baltic",
    "baltic states": "baltic",
    "baltic countries": "baltic",
    "발트": "baltic",
    "발트3국": "baltic",
    "발트 3국": "baltic",
    "발트해 3국": "baltic",
    "nordic": "nordic",
    "nordics": "nordic",
    "nordic countries": "nordic",
    "북유럽": "nordic",
    "노르딕": "nordic",
    "scandinavia": "scandinavia",
    "scandinavian": "scandinavia",
    "스칸디나비아": "scandinavia",
    "benelux": "benelux",
    "베네룩스": "benelux",
    "central asia": "central_asia",
    "central asian": "central_asia",
    "중앙아시아": "central_asia",
    "caucasus": "south_caucasus",
    "south caucasus": "south_caucasus",
    "코카서스": "south_caucasus",
    "캅카스": "south_caucasus",
    "남캅카스": "south_caucasus",
}
EN_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
}
EN_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
}
_KO_TENS = {"열": 10, "스물": 20, "스무": 20, "서른": 30, "마흔": 40}
_KO_UNITS = {
    "한": 1,
    "첫": 1,
    "하나": 1,
    "두": 2,
    "둘": 2,
    "세": 3,
    "셋": 3,
    "석": 3,
    "네": 4,
    "넷": 4,
    "넉": 4,
    "다섯": 5,
    "여섯": 6,
    "일곱": 7,
    "여덟": 8,
    "아홉": 9,
}
_KO_ORDINAL = re.compile(
    r"(?<![가-힣])(열|스물|스무|서른|마흔)?\s?(한|첫|하나|두|둘|세|셋|석|네|넷|넉|다섯|여섯|일곱|여덟|아홉)?\s?(?:번\s?)?째"
)
_NUM_ORDINAL = re.compile(r"(?<!\d)(\d{1,2})\s?(?:st|nd|rd|th|번\s?째|번째|째|위)")
_EN_WORD_ORDINAL = re.compile(
    r"\b(?:(twenty|thirty|forty)[\s-]?)?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
    r"twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|"
    r"fortieth)\b"
)
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)(s|년대)?")
_SHORT_DECADE = re.compile(r"(?<![\d'’])['’]?([5-9]0)(?:s|년대)(?![\w])")
_YEAR_SPAN = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)\s?(?:-|–|to|~|부터|and|에서)\s?(1[89]\d\d|20\d\d)(?!\d)")
# Two-letter English words that are also ISO codes: an ISO code typed in lower case counts only when it is not one.
SHORT_WORDS = frozenset(
    {
        "in",
        "is",
        "it",
        "no",
        "us",
        "me",
        "am",
        "at",
        "be",
        "by",
        "do",
        "go",
        "he",
        "hi",
        "if",
        "my",
        "of",
        "oh",
        "ok",
        "on",
        "or",
        "so",
        "to",
        "up",
        "we",
        "an",
        "as",
        "id",
        "pm",
        "tv",
        "ai",
        "ps",
        "eu",
        "un",
        "sg",
        "md",
        "la",
        "al",
        "lol",
        "and",
        "are",
        "can",
        "the",
        "for",
        "not",
        "was",
        "who",
        "how",
        "why",
        "has",
        "had",
        "did",
        "new",
        "now",
        "one",
        "two",
        "per",
        "out",
        "all",
        "any",
        "see",
        "top",
        "win",
        "war",
        "our",
        "its",
        "ask",
        "tell",
        "let",
        "get",
        "got",
        "yes",
        "pls",
        "plz",
        "wtf",
        "btw",
        "omg",
        "idk",
        "fin",
        "ger",
        "nor",
        "est",
        "mon",
        "sat",
        "sun",
        "tue",
        "wed",
        "thu",
        "fri",
        "bot",
        "com",
        "org",
        "net",
    }
)


def _ko_has(word: str, prefixes: tuple[str, ...]) -> bool:
    return any(form.startswith(p) for form in korean_stems(word) for p in prefixes) or any(
        p in word for p in prefixes if len(p) >= 2
    )


def cues_of(word: str) -> tuple[frozenset[str], frozenset[str]]:
    """(asks, topics) one normalised word signals (cached for words of chat length only)."""
    return _cues_of(word) if len(word) <= 32 else _cues_of.__wrapped__(word)


@lru_cache(maxsize=4096)
def _cues_of(word: str) -> tuple[frozenset[str], frozenset[str]]:
    """(asks, topics) one normalised word signals."""
    if is_hangul(word):
        asks = frozenset(k for k, ps in KO_ASK.items() if _ko_has(word, ps))
        topics = frozenset(k for k, ps in KO_TOPIC.items() if _ko_has(word, ps))
        if word == "숫자":
            asks |= {"how_many"}
        if word == "얼마":  # "분담금 얼마": an amount ("얼마나" is "how much/long", read above)
            asks |= {"how_much"}
        if "대표부" in word:  # a mission ("주나토대표부"), not a representative at a summit
            topics -= {"attend"}
        return asks, topics
    asks = frozenset(k for k, ws in EN_ASK.items() if word in ws and k != "yesno")  # yes/no: the first word only
    topics = frozenset(k for k, ws in EN_TOPIC.items() if word in ws)
    if word.endswith("s") and not topics:
        topics = frozenset(k for k, ws in EN_TOPIC.items() if word[:-1] in ws)
    return asks, topics


def ordinal_of(text: str) -> int | None:
    """'30th', 'thirty-first', '30번째', '서른 번째', '세 번째' -> the number; None when there is none."""
    low = text.casefold()
    m = _NUM_ORDINAL.search(low)
    if m:
        return int(m.group(1))
    m = _EN_WORD_ORDINAL.search(low)
    if m:
        tens = EN_NUMBERS.get(m.group(1) or "", 0)
        return tens + EN_ORDINALS[m.group(2)]
    for m in _KO_ORDINAL.finditer(low):
        tens, units = _KO_TENS.get(m.group(1) or "", 0), _KO_UNITS.get(m.group(2) or "", 0)
        if tens or units:
            return tens + units
    return None


_COUNTED = "개국|개 나라|개 회원국|나라|countries|members|nations|allies|states"
# "3 countries", "three newest members", "최근 3개국": a number, at most one word, then what is counted.
_COUNT = re.compile(rf"(?<![\d.])\b(\d{{1,2}}|{'|'.join(EN_NUMBERS)})\s?(?:[a-z]+ )?(?:{_COUNTED})")


def count_of(low: str) -> int | None:
    """ "the last 3 countries", "three newest members", "최근 3개국": how many are asked for."""
    m = _COUNT.search(low)
    if m is None:
        return None
    return int(m.group(1)) if m.group(1).isdigit() else EN_NUMBERS[m.group(1)]


def ordinals_of(text: str) -> list[int]:
    """Every plain ordinal in a question ("the 31st and 32nd members"), in order; words like "first"
    only through `ordinal_of`."""
    return [int(m.group(1)) for m in _NUM_ORDINAL.finditer(text.casefold())]


_LAST_YEARS = re.compile(
    rf"(?:last|past|previous) (\d{{1,2}}|{'|'.join(EN_NUMBERS)}) years|(?:최근|지난) ?(\d{{1,2}}) ?년"
)
_CENTURY = re.compile(r"(\d{2})(?:st|nd|rd|th)? century|(\d{2}) ?세기")
_COLD_WAR = re.compile(r"cold war|냉전")
_AFTER = re.compile(r"\b(?:after|since|post)\b|이후|뒤에|끝난 ?(?:뒤|후)")
PERIOD_WORDS = frozenset(
    {"last", "past", "previous", "years", "century", "cold", "war", "냉전", "세기", "ended", "end"}
)


def period_of(low: str, now: int) -> tuple[int, int] | None:
    """Periods named in words: "the last 10 years", "the 21st century", "during/after the Cold War" (which
    ended in 1991). `now` is the year the knowledge reaches."""
    m = _LAST_YEARS.search(low)
    if m:
        raw = m.group(1) or m.group(2)
        n = int(raw) if raw.isdigit() else EN_NUMBERS[raw]
        return now - n, now
    m = _CENTURY.search(low)
    if m:
        c = int(m.group(1) or m.group(2))
        return (c - 1) * 100 + 1, min(c * 100, now)
    m = _COLD_WAR.search(low)
    if m:
        return (1992, now) if _AFTER.search(low) else (1947, 1991)
    return None


def glued_ok(tail: str) -> bool:
    """What may follow a Korean gazetteer name written without a space: a particle or a cue."""
    return not tail or "가" in korean_stems(f"가{tail}") or tail.startswith(("나토", "정상", "회의", "가입", "회원"))


def is_number_word(word: str) -> bool:
    if re.fullmatch(r"\d+[가-힣]*", word):  # "2021년이었나", "30번째": the number is read elsewhere
        return True
    if re.fullmatch(r"\d+(?:st|nd|rd|th|년|년도|년대|년에|년의|번째|째|s)?\w{0,2}", word) and word[0].isdigit():
        return True
    if word in EN_NUMBERS or word in EN_ORDINALS or word in ("번째", "째", "번"):
        return True
    return bool(
        re.fullmatch(
            r"(?:열|스물|스무|서른|마흔)?(?:한|첫|하나|두|둘|세|셋|넷|네|다섯|여섯|일곱|여덟|아홉)?(?:번째|째|번)?",
            word,
        )
    )


_TITLES = frozenset(
    {
        "president",
        "prime",
        "minister",
        "deputy",
        "foreign",
        "defence",
        "defense",
        "national",
        "security",
        "adviser",
        "advisor",
        "director",
        "vice",
        "secretary",
        "general",
        "of",
        "state",
        "ambassador",
        "affairs",
        "chief",
        "the",
        "former",
        "acting",
        "first",
        "for",
        "and",
        "head",
        "dr",
        "mr",
        "ms",
        "mrs",
    }
)
_KO_TITLE_ENDS = ("대통령", "총리", "장관", "실장", "차관", "대사", "위원장", "대표", "사무총장", "수석", "의장")


def person_names(en: str, ko: str) -> tuple[str, ...]:
    """'President Yoon Suk Yeol' / '윤석열 대통령' -> the name without titles, and its longer parts."""
    en, ko = re.sub(r"\(.*?\)", " ", en), re.sub(r"\(.*?\)", " ", ko)  # "(for President Lee)" is someone else
    words = [w for w in normalize(en).split() if w not in _TITLES]
    names = [" ".join(words)] if words else []
    names += [w for w in words if len(w) >= 4]
    ko_words = [w for w in normalize(ko).split() if not w.endswith(_KO_TITLE_ENDS)]
    if ko_words:
        names.append(" ".join(ko_words))
        names += [w for w in ko_words if len(w) >= 3]
        if len(ko_words) > 1 and len(ko_words[-1]) >= 2:
            names.append(ko_words[-1])  # a foreign surname: "뤼터", "기시다"
    return tuple(n for n in names if n)


_LATE = re.compile(r"second half|later in|late|end of|autumn|fall|winter|하반기|연말|말에|말쯤|가을|겨울|년 말|년말")


def month_of(low: str) -> int | None:
    """The month a question is about: a month name, "N월", or 7 for the second half / late in a year."""
    m = re.search(r"(?<!\d)(1[0-2]|[1-9])\s?월", low)
    if m:
        return int(m.group(1))
    for n, name in enumerate(MONTHS, 1):
        if re.search(rf"\b{name}\b", low) and not (name == "may" and re.search(r"\bmay\b(?!\s+\d)", low)):
            return n
    return 7 if _LATE.search(low) else None


def years_of(low: str, raw: str = "") -> tuple[tuple[int, ...], int | None, tuple[int, int] | None]:
    span_match = _YEAR_SPAN.search(raw) or _YEAR_SPAN.search(low)  # "2024~2028": the tilde is gone from `low`
    if span_match and " and " in span_match.group(0) and "between" not in low[: span_match.start() + 1]:
        span_match = None  # "in 1952 and 2004" names two years; "between 1990 and 2010" is a span
    span = (int(span_match.group(1)), int(span_match.group(2))) if span_match else None
    years: list[int] = []
    decade = None
    for m in _YEAR.finditer(low):
        value = int(m.group(1))
        if m.group(2):
            decade = value - value % 10
        else:
            years.append(value)
    if decade is None:
        short = _SHORT_DECADE.search(low)
        if short:
            decade = 1900 + int(short.group(1))
    return tuple(dict.fromkeys(years)), decade, span
