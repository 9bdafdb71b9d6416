"""Question understanding: a question becomes a `Frame` (what is asked, and about what).

The slots a question can fill — countries, years and decades, ordinals, a summit, frameworks, an
office, a continent, the time it is about — are read with gazetteers built from the knowledge
(summit cities, framework names, office names, country aliases, capitals, demonyms) and pycountry,
so a row a curator adds is understood with no code change. What stays in code is how people ask
(question words, "joined", "founding", "before", ordinal number words): language, not facts.

The frame is what the answerer decides with, and what the consistency guard checks an answer
against: a question about 2023 must not get a 2026 answer, one about Canada not the US card.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import OSA

from bot.core.countries import CountryIndex, Match, _jamo, flag_to_code
from bot.core.knowledge import Knowledge
from bot.core.text import is_hangul, korean_stems, normalize, split_korean

# -- how people ask (language, not facts) ------------------------------------------------------
_EN_ASK: dict[str, frozenset[str]] = {
    "when": frozenset({"when", "year", "date", "dates", "what year", "which year"}),
    "where": frozenset({"where", "location", "located", "venue", "city", "host", "hosted", "hosting", "held"}),
    "who": frozenset({"who", "whom", "whose", "whos", "which leader", "which leaders", "person", "name of"}),
    "how_many": frozenset({"how many", "number of", "count of", "total number"}),
    "how_much": frozenset({"how much", "what amount", "price", "amount"}),
    "which": frozenset({"which", "what countries", "what nations", "what members", "list", "name", "names"}),
    "what": frozenset({"what", "whats"}),
    "ordinal_of": frozenset({"what number", "which number", "what place", "which place", "what position",
                             "nth", "what rank", "which rank", "number", "position", "rank", "ordinal"}),
    "why": frozenset({"why", "how come", "reason"}),
    "how": frozenset({"how"}),
    "yesno": frozenset({"is", "are", "was", "were", "did", "does", "do", "has", "have", "can", "will"}),
}
_KO_ASK: dict[str, tuple[str, ...]] = {
    "when": ("언제", "몇년", "연도", "년도", "날짜", "시기", "며칠"),
    "where": ("어디서", "어디에서", "어디였", "어디야", "어디임", "어디냐", "어디예요", "어디인", "장소", "개최지", "개최", "열렸",
              "열린", "도시"),
    "who": ("누구", "누가", "누군", "누굴"),
    "how_many": ("몇개국", "몇나라", "몇곳", "몇개", "몇명", "몇국", "몇 개국", "얼마나", "몇개나라", "숫자", "개수"),
    "how_much": ("얼마야", "얼마에", "얼마예", "얼마임", "얼마인", "얼마지", "얼마냐", "얼마를", "얼마가", "얼마나 써", "금액"),
    "which": ("어느", "어떤", "무슨", "어디어디", "목록", "명단", "어디"),
    "what": ("뭐", "무엇", "뭔"),
    "ordinal_of": ("몇번째", "몇째", "순번", "순서", "몇번"),
    "why": ("왜", "이유"),
    "how": ("어떻게",),
}
_EN_TOPIC: dict[str, frozenset[str]] = {
    "join": frozenset({"join", "joined", "joins", "joining", "accession", "accede", "acceded", "admitted",
                       "admission", "became", "become", "entered", "enter", "enlargement", "round", "wave",
                       "added", "expansion"}),
    "member": frozenset({"member", "members", "membership", "ally", "allies", "country", "countries", "nation",
                         "nations", "state", "states", "allied", "memberstate", "one"}),
    "founder": frozenset({"founding", "founder", "founders", "original", "charter", "founded", "creating",
                          "establishing"}),
    "created": frozenset({"created", "create", "founded", "established", "formed", "start", "started", "begin",
                          "began", "born", "birth", "creation", "founding"}),
    "newest": frozenset({"newest", "latest", "recent", "recently", "last", "youngest", "new"}),
    "first": frozenset({"first", "earliest", "oldest"}),
    "before": frozenset({"before", "prior", "earlier", "preceded", "preceding", "previous", "former", "predecessor"}),
    "after": frozenset({"after", "following", "later", "since"}),
    "summit": frozenset({"summit", "summits"}),
    "attend": frozenset({"attend", "attended", "attending", "attendance", "attendee", "attendees", "guest", "guests", "went", "go", "going", "represent",
                         "represented", "representing", "representative", "delegation", "leader", "leaders",
                         "participate", "participated", "present", "invited", "came", "come", "join"}),
    "partner": frozenset({"partner", "partners", "partnership", "partnerships", "participant", "participants",
                          "part", "in", "belong", "included"}),
    "now": frozenset({"now", "current", "currently", "today", "present", "presently", "still", "incumbent"}),
    "term": frozenset({"term", "terms", "tenure", "served", "serve", "mandate", "office", "took", "become", "became",
                       "start", "started", "end", "ended", "appointed", "appoint", "appointment", "named", "chosen",
                       "selected", "until"}),
    "next": frozenset({"next", "upcoming", "future", "will", "successor", "succeed", "after"}),
    "since": frozenset({"since"}),
    "round": frozenset({"round", "rounds", "wave", "waves", "enlargement", "enlargements", "expansion", "expansions"}),
    "span": frozenset({"between", "from", "until", "till", "through", "to"}),
    "time": frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                       "october", "november", "december", "month", "day", "week", "date", "jan", "feb", "mar",
                       "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}),
    "long": frozenset({"long"}),
}
_KO_TOPIC: dict[str, tuple[str, ...]] = {
    "join": ("가입", "들어간", "들어갔", "합류", "가맹", "확장", "확대", "편입", "들어온", "들어왔"),
    "member": ("회원국", "회원", "동맹국", "동맹", "나라", "국가", "멤버", "나라들", "국가들"),
    "founder": ("창설", "창립", "원년", "초기회원", "설립회원", "창설국", "원조"),
    "created": ("만들어", "창설", "설립", "창립", "생겼", "생긴", "결성", "출범", "탄생"),
    "newest": ("최신", "최근", "마지막", "막내", "제일최근", "가장최근", "새로"),
    "first": ("최초", "처음", "첫"),
    "before": ("이전", "전에", "보다먼저", "먼저", "앞서", "전임"),
    "after": ("이후", "후에", "다음에", "뒤에", "뒤로", "보다늦게"),
    "summit": ("정상회의", "정상회담", "서밋"),
    "attend": ("참석", "참가", "손님", "감", "갔", "가나", "가요", "가냐", "간", "대표", "방문", "나갔", "나간", "참여", "초청", "초대"),
    "partner": ("파트너", "협력국", "참여국", "참가국", "소속", "속해", "속한", "포함"),
    "now": ("지금", "현재", "요즘", "현직", "아직"),
    "term": ("임기", "재임", "취임", "퇴임", "언제부터", "부터", "시작", "임명", "선출", "선임", "맡", "끝", "연임", "만료",
             "종료"),
    "next": ("다음", "차기", "향후", "앞으로", "후임", "미래"),
    "since": ("이후로", "부터", "이래"),
    "round": ("확대", "라운드", "차례", "차가입", "차확대"),
    "span": ("사이", "까지"),
    "time": ("1월", "2월", "3월", "4월", "5월", "6월", "7월", "8월", "9월", "10월", "11월", "12월", "월", "일"),
    "long": ("얼마나",),
}
_CONTINENTS: dict[str, str] = {
    "europe": "europe", "european": "europe", "eu": "europe", "유럽": "europe",
    "north america": "north_america", "north american": "north_america", "americas": "north_america",
    "북미": "north_america", "북아메리카": "north_america",
    "asia": "asia", "asian": "asia", "아시아": "asia", "africa": "africa", "african": "africa", "아프리카": "africa",
    "oceania": "oceania", "오세아니아": "oceania", "south america": "south_america", "latin america": "south_america",
    "남미": "south_america", "남아메리카": "south_america",
}
_EN_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
               "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
               "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40}
_EN_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
                "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
                "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
                "twentieth": 20, "thirtieth": 30, "fortieth": 40}
_KO_TENS = {"열": 10, "스물": 20, "스무": 20, "서른": 30, "마흔": 40}
_KO_UNITS = {"한": 1, "첫": 1, "하나": 1, "두": 2, "둘": 2, "세": 3, "셋": 3, "석": 3, "네": 4, "넷": 4, "넉": 4,
             "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9}
_KO_ORDINAL = re.compile(r"(?<![가-힣])(열|스물|스무|서른|마흔)?\s?(한|첫|하나|두|둘|세|셋|석|네|넷|넉|다섯|여섯|일곱|여덟|아홉)?\s?(?:번\s?)?째")
_NUM_ORDINAL = re.compile(r"(?<!\d)(\d{1,2})\s?(?:st|nd|rd|th|번\s?째|번째|째|위)")
_EN_WORD_ORDINAL = re.compile(
    r"\b(?:(twenty|thirty|forty)[\s-]?)?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
    r"twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|"
    r"fortieth)\b")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)(s|년대)?")
_SHORT_DECADE = re.compile(r"(?<![\d'’])['’]?([5-9]0)(?:s|년대)(?![\w])")
_YEAR_SPAN = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)\s?(?:-|–|to|~|부터|and|에서)\s?(1[89]\d\d|20\d\d)(?!\d)")
# Two-letter English words that are also ISO codes: an ISO code typed in lower case counts only when it is not one.
_SHORT_WORDS = frozenset({"in", "is", "it", "no", "us", "me", "am", "at", "be", "by", "do", "go", "he", "hi", "if",
                          "my", "of", "oh", "ok", "on", "or", "so", "to", "up", "we", "an", "as", "id", "pm", "tv",
                          "ai", "ps", "eu", "un", "sg", "md", "la", "al", "lol", "and", "are", "can", "the", "for",
                          "not", "was", "who", "how", "why", "has", "had", "did", "new", "now", "one", "two", "per",
                          "out", "all", "any", "see", "top", "win", "war", "our", "its", "ask", "tell", "let",
                          "get", "got", "yes", "pls", "plz", "wtf", "btw", "omg", "idk", "fin", "ger", "nor",
                          "est", "mon", "sat", "sun", "tue", "wed", "thu", "fri", "bot", "com", "org", "net"})


@dataclass(frozen=True)
class Frame:
    """What one question asks: an intent is decided from these by the answerer."""

    text: str  # the cleaned question
    words: tuple[str, ...]  # normalised words
    countries: tuple[Match, ...] = ()
    years: tuple[int, ...] = ()
    decade: int | None = None
    span: tuple[int, int] | None = None  # "between 1990 and 2005"
    ordinal: int | None = None
    summits: tuple[str, ...] = ()  # summit ids named by city
    frameworks: tuple[str, ...] = ()
    office: str | None = None
    continent: str | None = None
    people: tuple[str, ...] = ()  # countries of the people named (summit attendees)
    named: tuple[str, ...] = ()  # those people's names as typed (normalised)
    holder: int | None = None  # which holder of `office` was named ("Stoltenberg")
    month: int | None = None  # a month named with the year ("November 2026", "2026년 11월"), or 7 for "second half"
    soft: frozenset[str] = frozenset()  # countries named only by a capital or demonym ("Seoul", "Korean")
    asks: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    residual: tuple[str, ...] = ()  # words no slot or cue explains
    used: frozenset[int] = field(default=frozenset())  # word positions a slot took

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.code for m in self.countries))

    @property
    def hard_codes(self) -> tuple[str, ...]:
        """Countries named outright, not only through a capital city."""
        return tuple(c for c in self.codes if c not in self.soft)

    @property
    def member_ordinal(self) -> int | None:
        """An ordinal that is about the order of members ("the 30th member"), not "the first visit"."""
        return self.ordinal if self.has("member", "join") else None

    def has(self, *topics: str) -> bool:
        return any(t in self.topics for t in topics)

    def asks_any(self, *asks: str) -> bool:
        return any(a in self.asks for a in asks)


def _ko_has(word: str, prefixes: tuple[str, ...]) -> bool:
    return any(form.startswith(p) for form in korean_stems(word) for p in prefixes) or any(
        p in word for p in prefixes if len(p) >= 2)


@lru_cache(maxsize=8192)
def _cues_of(word: str) -> tuple[frozenset[str], frozenset[str]]:
    """(asks, topics) one normalised word signals."""
    if is_hangul(word):
        asks = frozenset(k for k, ps in _KO_ASK.items() if _ko_has(word, ps))
        topics = frozenset(k for k, ps in _KO_TOPIC.items() if _ko_has(word, ps))
        if word == "숫자":
            asks |= {"how_many"}
        return asks, topics
    asks = frozenset(k for k, ws in _EN_ASK.items() if word in ws and k != "yesno")  # yes/no: the first word only
    topics = frozenset(k for k, ws in _EN_TOPIC.items() if word in ws)
    if word.endswith("s") and not topics:
        topics = frozenset(k for k, ws in _EN_TOPIC.items() if word[:-1] in ws)
    return asks, topics


def ordinal_of(text: str) -> int | None:
    """'30th', 'thirty-first', '30번째', '서른 번째', '세 번째' -> the number; None when there is none."""
    low = text.casefold()
    m = _NUM_ORDINAL.search(low)
    if m:
        return int(m.group(1))
    m = _EN_WORD_ORDINAL.search(low)
    if m:
        tens = _EN_NUMBERS.get(m.group(1) or "", 0)
        return tens + _EN_ORDINALS[m.group(2)]
    for m in _KO_ORDINAL.finditer(low):
        tens, units = _KO_TENS.get(m.group(1) or "", 0), _KO_UNITS.get(m.group(2) or "", 0)
        if tens or units:
            return tens + units
    return None


class Reader:
    """Reads questions into frames; built once per knowledge version from its data."""

    def __init__(self, knowledge: Knowledge, countries: CountryIndex, vocabulary: frozenset[str] = frozenset()):
        self.kb = knowledge
        self.countries = countries
        self.vocabulary = vocabulary
        self._phrases: dict[str, tuple[str, str]] = {}  # normalised phrase -> (slot, value)

        self._holders: dict[str, str] = {}  # a holder's name -> "office-id:index"

        def add(slot: str, value: str, *phrases: str | None) -> None:
            for phrase in phrases:
                key = normalize(phrase or "")
                if slot == "holder":
                    self._holders.setdefault(key, value)
                    continue
                if key and key not in self._phrases:
                    self._phrases[key] = (slot, value)
                    if is_hangul(key) and " " in key:
                        self._phrases.setdefault(key.replace(" ", ""), (slot, value))

        for summit in knowledge.summits:
            add("summit", summit.id, summit.city.en, summit.city.ko, summit.city.en.split(",")[0])
        for fw in knowledge.frameworks.values():
            add("framework", fw.id, fw.name.en, fw.name.ko, *(fw.short.en, fw.short.ko) if fw.short else ())
            for name in (fw.name.en, fw.name.ko):  # "평화를 위한 동반자 관계(PfP)" -> both halves
                for part in re.split(r"[()]", name):
                    if len(part.strip()) >= 3:
                        add("framework", fw.id, part)
        for office in knowledge.offices.values():
            add("office", office.id, office.name.en, office.name.ko, *office.aliases.en, *office.aliases.ko)
            for n, holder in enumerate(office.holders):
                for name in _person_names(holder.who.en, holder.who.ko):
                    add("office", office.id, name)
                    add("holder", f"{office.id}:{n}", name)
        people: dict[str, set[str]] = {}
        for summit in knowledge.summits:
            for attendee in summit.attendees:
                for name in _person_names(attendee.who.en, attendee.who.ko):
                    people.setdefault(name, set()).add(attendee.country)
        for name, codes in people.items():
            if len(codes) == 1:
                add("person", next(iter(codes)), name)
        for phrase, continent in _CONTINENTS.items():
            add("continent", continent, phrase)
        self._longest = max((len(k.split()) for k in self._phrases), default=1)
        # Korean names glued to what follows ("빌뉴스정상회의"): candidates by first syllable, longest first.
        self._hangul_cache: dict[str, str | None] = {}
        self._glued: dict[str, list[str]] = {}
        for key in sorted((k for k in self._phrases if len(k) >= 2 and is_hangul(k[0])), key=len, reverse=True):
            self._glued.setdefault(key[0], []).append(key)

    def read(self, text: str) -> Frame:
        low = normalize(text.replace("몇 년", "몇년").replace("몇 번째", "몇번째").replace("몇 개", "몇개")
                        .replace("몇 명", "몇명").replace("몇 나라", "몇나라"))
        words = split_korean(low.split())
        used: set[int] = set()
        slots: dict[str, list[str]] = {"summit": [], "framework": [], "office": [], "continent": [], "person": [],
                                       "holder": [], "named": []}
        # A continent word inside a country's name is the country: "South Africa", "Central African Republic".
        everywhere = self.countries.find_all(words, self.vocabulary)
        in_names = {k for m in everywhere if m.end - m.start > 1 for k in range(m.start, m.end)}
        i = 0
        while i < len(words):  # gazetteer phrases first, longest first: "north america" before a country
            for size in range(min(self._longest, len(words) - i), 0, -1):
                phrase = " ".join(words[i:i + size])
                hit = self._phrases.get(phrase)
                if hit is None and size > 1 and is_hangul(words[i + size - 1]):  # "지중해 대화에": the particle
                    head = " ".join(words[i:i + size - 1])
                    hit = next((self._phrases[f"{head} {f}"] for f in korean_stems(words[i + size - 1])
                                if f"{head} {f}" in self._phrases), None)
                if hit is None and size == 1 and is_hangul(phrase):
                    key = self._hangul_key(phrase)
                    if key is not None:
                        hit, phrase = self._phrases[key], key
                if hit is not None and hit[0] == "continent" and (phrase == "eu" or i in in_names):
                    hit = None
                if hit is not None:
                    slots[hit[0]].append(hit[1])
                    if hit[0] == "person":
                        slots["named"].append(phrase)
                    if phrase in self._holders:
                        slots["holder"].append(self._holders[phrase])
                    used.update(range(i, i + size))
                    i += size
                    break
            else:
                i += 1

        years, decade, span = _years(low, text.casefold())
        month = _month(low) if years else None
        ordinal = ordinal_of(text)
        masked = [("·" if k in used else w) for k, w in enumerate(words)]
        found = [m for m in everywhere if not any(k in used for k in range(m.start, m.end))]
        found += self._codes_in(text, masked, {k for m in found for k in range(m.start, m.end)})
        for flag in (re.findall(r"[\U0001F1E6-\U0001F1FF]{2}", text)):  # flags anywhere: 🇰🇷
            code = flag_to_code(flag)
            if code and code in self.countries.codes() and code not in {m.code for m in found}:
                found.append(Match(code, flag, len(words), len(words)))  # an empty span: no word is the flag
        found.sort(key=lambda m: m.start)
        for m in found:
            used.update(range(m.start, m.end))

        asks: set[str] = set()
        topics: set[str] = set()
        for k in range(len(words) - 1):  # two-word cues: "how many", "what number"
            pair = f"{words[k]} {words[k + 1]}"
            for ask, phrases in _EN_ASK.items():
                if pair in phrases and k not in used and k + 1 not in used:
                    asks.add(ask)
                    used.update((k, k + 1))
        residual = []
        for k, word in enumerate(words):
            if k in used:
                continue
            a, tp = _cues_of(word)
            asks |= a
            topics |= tp
            if a or tp or _is_number_word(word):
                continue
            if not found and not (word in self.vocabulary and len(word) <= 3):
                near = self.countries.near(word, k)
                if near is not None and word not in self.vocabulary:
                    found.append(near)
                    used.add(k)
                    continue
            residual.append(word)
        if ordinal is not None:
            topics.add("ordinal")
        if any(w == "수" and k and "member" in _cues_of(words[k - 1])[1] for k, w in enumerate(words)):
            asks.add("how_many")  # "회원국 수" is a count; "가입할 수 없나요" is "can"
        if re.search(r"\b(came|come|comes|got|get|went|brought) (in|into)\b", low):
            topics.add("join")  # "Hungary came into NATO"
        if re.search(r"\b(take|takes|taking) over\b|\bgoing to\b|\b(will|to) replace\b", low):
            topics.add("next")  # "who's going to take over from Rutte"
        elif re.search(r"\b(took over|replaced|succeeded)\b", low):
            topics.add("before")  # "Rutte took over from …": who came before
        if words and words[0] in _EN_ASK["yesno"]:
            asks.add("yesno")
        return Frame(
            text=text, words=tuple(words), countries=tuple(found), years=years, decade=decade, span=span,
            ordinal=ordinal, summits=tuple(dict.fromkeys(slots["summit"])),
            frameworks=tuple(dict.fromkeys(slots["framework"])), office=(slots["office"] or [None])[0],
            holder=int(slots["holder"][0].split(":")[1]) if slots["holder"] else None, month=month,
            continent=(slots["continent"] or [None])[0], people=tuple(dict.fromkeys(slots["person"])),
            named=tuple(slots["named"]), asks=frozenset(asks), topics=frozenset(topics),
            residual=tuple(residual), used=frozenset(used),
            soft=frozenset(m.code for m in found if self.countries.is_indirect(m.alias))
            - {m.code for m in found if not self.countries.is_indirect(m.alias)},
        )

    def _hangul_key(self, word: str) -> str | None:
        """The gazetteer name a Korean word holds: with a particle ("앙카라에서"), glued to what follows
        ("빌뉴스정상회의"), or one letter off ("뤼테"). Cached: chat words repeat."""
        if word in self._hangul_cache:
            return self._hangul_cache[word]
        key = next((f for f in korean_stems(word) if f in self._phrases), None)
        if key is None:
            key = next((k for k in self._glued.get(word[0], ()) if word.startswith(k) and _glued_ok(word[len(k):])),
                       None)
        if key is None:
            key = self._near_hangul(word)
        if len(self._hangul_cache) < 20_000:  # bounded: a flood of unique words cannot grow it without end
            self._hangul_cache[word] = key
        return key

    def _near_hangul(self, word: str) -> str | None:
        """A gazetteer name one letter (jamo) away, same first syllable and length; only when unambiguous."""
        for form in korean_stems(word):
            if len(form) < 2:
                continue
            keys = [k for k in self._glued.get(form[0], ())
                    if len(k) == len(form) and " " not in k and OSA.distance(_jamo(form), _jamo(k)) <= 1]
            if keys:
                return keys[0] if len({self._phrases[k] for k in keys}) == 1 else None
        return None

    def _codes_in(self, raw: str, words: list[str], taken: set[int]) -> list[Match]:
        """ISO codes anywhere: typed in capitals ("KR nato?"), or in lower case when not an English word."""
        letters = [c for c in raw if c.isalpha() and c.isascii()]
        shouting = sum(c.isupper() for c in letters) > len(letters) / 2
        upper = set() if shouting else {w.casefold() for w in re.findall(r"\b[A-Z]{2,3}\b", raw)}
        out = []
        for k, word in enumerate(words):
            if k in taken or not (2 <= len(word) <= 3) or not word.isascii() or not word.isalpha():
                continue
            code = self.countries.code_for(word)
            if code is None:
                continue
            if word in upper and word not in ("eu", "un", "sg", "md", "ici", "pfp", "ip", "nz") or (
                    word not in _SHORT_WORDS and word not in self.vocabulary):
                out.append(Match(code, word, k, k + 1))
        return out


def _glued_ok(tail: str) -> bool:
    """What may follow a Korean gazetteer name written without a space: a particle or a cue."""
    return not tail or "가" in korean_stems(f"가{tail}") or tail.startswith(("나토", "정상", "회의", "가입", "회원"))


def _is_number_word(word: str) -> bool:
    if re.fullmatch(r"\d+(?:st|nd|rd|th|년|년도|년대|년에|년의|번째|째|s)?\w{0,2}", word) and word[0].isdigit():
        return True
    if word in _EN_NUMBERS or word in _EN_ORDINALS or word in ("번째", "째", "번"):
        return True
    return bool(re.fullmatch(r"(?:열|스물|스무|서른|마흔)?(?:한|첫|하나|두|둘|세|셋|넷|네|다섯|여섯|일곱|여덟|아홉)?(?:번째|째|번)?", word))


_TITLES = frozenset({"president", "prime", "minister", "deputy", "foreign", "defence", "defense", "national",
                     "security", "adviser", "advisor", "director", "vice", "secretary", "general", "of", "state",
                     "ambassador", "affairs", "chief", "the", "former", "acting", "first", "for", "and", "head",
                     "dr", "mr", "ms", "mrs"})
_KO_TITLE_ENDS = ("대통령", "총리", "장관", "실장", "차관", "대사", "위원장", "대표", "사무총장", "수석", "의장")


def _person_names(en: str, ko: str) -> tuple[str, ...]:
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


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_LATE = re.compile(r"second half|later in|late|end of|autumn|fall|winter|하반기|연말|말에|말쯤|가을|겨울|년 말|년말")


def _month(low: str) -> int | None:
    """The month a question is about: a month name, "N월", or 7 for the second half / late in a year."""
    m = re.search(r"(?<!\d)(1[0-2]|[1-9])\s?월", low)
    if m:
        return int(m.group(1))
    for n, name in enumerate(_MONTHS, 1):
        if re.search(rf"\b{name}\b", low) and not (name == "may" and re.search(r"\bmay\b(?!\s+\d)", low)):
            return n
    return 7 if _LATE.search(low) else None


def _years(low: str, raw: str = "") -> tuple[tuple[int, ...], int | None, tuple[int, int] | None]:
    span_match = _YEAR_SPAN.search(raw) or _YEAR_SPAN.search(low)  # "2024~2028": the tilde is gone from `low`
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
