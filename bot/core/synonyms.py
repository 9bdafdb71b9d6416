"""Words people use for the same thing, so a question need not repeat a curator's wording.

Each group maps to one canonical feature that both questions and curated phrasings receive, next
to their own words. These are about how English and Korean speakers phrase things, not about
NATO's facts. Keep groups tight: a loose synonym makes unrelated questions look alike.
"""

from __future__ import annotations

_GROUPS: dict[str, tuple[str, ...]] = {
    "~treaty": ("treaty", "pact", "agreement", "accord", "조약", "협정"),
    "~enlarge": ("enlargement", "enlarge", "enlarged", "expand", "expanded", "expansion", "grow", "grew",
                 "growth", "widen", "확대", "확장", "확대됐", "늘어"),
    "~lead": ("secretary", "leader", "leads", "lead", "runs", "run", "head", "chief", "boss", "사무총장", "수장",
              "대표"),
    "~aspire": ("aspirant", "aspirants", "aspiring", "aspire", "trying", "hoping", "seeking", "candidate",
                "candidates", "wants", "want", "희망", "후보"),
    "~hq": ("headquarters", "hq", "based", "located", "location", "seat", "본부", "위치", "소재"),
    "~found": ("founded", "found", "founding", "founder", "founders", "created", "create", "established",
               "establish", "formed", "start", "started", "began", "begin", "창설", "창립", "설립", "만든", "만들",
               "시작"),
    "~troops": ("troops", "troop", "soldiers", "forces", "deploy", "deployed", "deployment", "dispatch",
                "dispatched", "파병", "병력", "군대", "부대"),
    "~mission": ("mission", "ambassador", "embassy", "envoy", "delegation", "대표부", "대사", "대사관", "사절"),
    "~count": ("many", "number", "count", "total", "몇", "수는"),
    "~meaning": ("stand", "stands", "mean", "means", "meaning", "acronym", "abbreviation", "short", "뜻", "약자",
                 "약어"),
    "~protect": ("protect", "protected", "protection", "defend", "defended", "defence", "defense", "attack",
                 "attacked", "invade", "invaded", "지켜", "지켜줘", "지켜주", "보호", "방어", "공격", "침공",
                 "쳐들어"),
    "~summit": ("summit", "summits", "meeting", "정상회의", "회의"),
    "~attend": ("attend", "attended", "attending", "went", "go", "going", "sent", "send", "represented",
                "represent", "참석", "갔", "보냈", "대표로"),
    "~cooperate": ("cooperate", "cooperation", "cooperating", "collaborate", "work", "working", "works",
                   "together", "협력", "같이", "함께"),
    "~relation": ("relationship", "relations", "relation", "ties", "connected", "connection", "관계", "사이"),
    "~why": ("why", "reason", "왜", "이유"),
    "~first": ("first", "earliest", "begin", "처음", "최초", "첫"),
    "~invoke": ("invoked", "invoke", "used", "triggered", "activated", "발동", "써본", "사용"),
    "~partner": ("partner", "partners", "partnership", "협력국", "파트너"),
    "~country": ("country", "countries", "nation", "nations", "state", "states", "나라", "나라들", "국가", "국가들",
                 "개국"),
}

CANONICAL: dict[str, str] = {word: canon for canon, words in _GROUPS.items() for word in words}
