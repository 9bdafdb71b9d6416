"""Interface strings in English and Korean (facts live in knowledge/, never here)."""

from __future__ import annotations

from datetime import date

STRINGS: dict[str, dict[str, str]] = {
    "status.member": {"en": "Member", "ko": "회원국"},
    "status.partner": {"en": "Partner (not a member)", "ko": "파트너 (회원국 아님)"},
    "status.aspirant": {"en": "Aspirant (not a member)", "ko": "가입 희망국 (회원국 아님)"},
    "status.non_member": {"en": "Not a member", "ko": "회원국 아님"},
    "field.status": {"en": "Status", "ko": "지위"},
    "field.joined": {"en": "Joined NATO", "ko": "나토 가입"},
    "field.frameworks": {"en": "Partnerships", "ko": "협력 틀"},
    "field.summits": {"en": "NATO summits attended", "ko": "참석한 나토 정상회의"},
    "field.see_also": {"en": "Did you mean", "ko": "혹시 이 나라인가요"},
    "label.sources": {"en": "Sources", "ko": "출처"},
    "label.updated": {"en": "Updated", "ko": "업데이트"},
    "label.timeline": {"en": "Timeline", "ko": "연표"},
    "label.status": {"en": "Status", "ko": "지위"},
    "label.other_lang": {"en": "한국어", "ko": "English"},
    "label.more": {"en": "… and {n} more", "ko": "… 외 {n}건"},
    "title.status": {"en": "{name} and NATO", "ko": "{name_and} 나토"},
    "title.joined": {"en": "When did {name} join NATO?", "ko": "{name}의 나토 가입 시기"},
    "title.timeline": {"en": "{name} and NATO: timeline", "ko": "{name_and} 나토: 연표"},
    "title.timeline_all": {"en": "NATO: key dates", "ko": "나토 주요 연표"},
    "title.members": {"en": "NATO's {n} members", "ko": "나토 회원국 {n}개국"},
    "title.partners": {"en": "NATO's partners", "ko": "나토의 파트너 국가"},
    "title.help": {"en": "NATO Status Bot", "ko": "나토 현황 봇"},
    "title.unknown": {"en": "I'm not sure", "ko": "잘 모르겠어요"},
    "title.sources": {"en": "Sources", "ko": "출처"},
    "joined.member": {
        "en": "{name} joined NATO on {date}.",
        "ko": "{name_topic} {date}에 나토에 가입했습니다.",
    },
    "joined.founder": {
        "en": "{name} is one of NATO's founding members: it signed the North Atlantic Treaty on {date}.",
        "ko": "{name_topic} 나토 창설 회원국으로, {date}에 북대서양조약에 서명했습니다.",
    },
    "timeline.none": {
        "en": "I have no dated events for {name} with NATO yet.",
        "ko": "{name_and} 나토에 관한 날짜별 기록은 아직 없습니다.",
    },
    "members.body": {
        "en": "NATO has {n} members. By date of accession:",
        "ko": "나토 회원국은 {n}개국입니다. 가입 날짜순:",
    },
    "partners.body": {
        "en": "Partners cooperate with NATO but are not members: Article 5 collective defence covers members only.",
        "ko": "파트너 국가는 나토와 협력하지만 회원국은 아닙니다. 제5조 집단방위는 회원국에만 적용됩니다.",
    },
    "partners.listed_only": {
        "en": "* formally listed in the framework, but not an active partner: ask /nato-status for details.",
        "ko": "* 형식상 명단에는 있지만 활동 중인 파트너는 아닙니다. 자세한 내용은 /nato-status로 물어보세요.",
    },
    "help.body": {
        "en": (
            "I answer questions about NATO membership and partnerships, with sources, in English or Korean. "
            "South Korea, for instance, is a NATO partner, not a member."
        ),
        "ko": (
            "나토 회원국과 파트너 관계에 관한 질문에 출처와 함께 한국어나 영어로 답합니다. "
            "예를 들어 한국은 나토 회원국이 아니라 파트너 국가입니다."
        ),
    },
    "help.commands": {"en": "Commands", "ko": "명령어"},
    "help.examples": {"en": "Try asking", "ko": "이렇게 물어보세요"},
    "unknown.body": {
        "en": (
            "I don't have a sourced answer to that, and I'd rather not guess. I can tell you whether any "
            "country is in NATO, when members joined, NATO's partners, and South Korea's relationship with NATO."
        ),
        "ko": (
            "그 질문에는 출처가 있는 답을 갖고 있지 않아서 추측하지 않겠습니다. 어떤 나라가 나토 회원국인지, "
            "회원국이 언제 가입했는지, 나토의 파트너 국가, 한국과 나토의 관계에 대해 답할 수 있어요."
        ),
    },
    "unknown.other_org": {
        "en": "I only answer questions about NATO, so I can't say anything about {org} here.",
        "ko": "저는 나토에 관한 질문에만 답하므로 {org}에 대해서는 말씀드릴 수 없어요.",
    },
    "unknown.empty": {
        "en": "Ask me something about NATO, for example \"Is South Korea in NATO?\"",
        "ko": "나토에 관해 물어보세요. 예: \"한국은 나토 회원국인가요?\"",
    },
    "unknown.country": {
        "en": "I couldn't find a country called \"{arg}\". Try a name, a code such as KR, or a flag.",
        "ko": "\"{arg}\"(이)라는 나라를 찾지 못했어요. 나라 이름, KR 같은 코드, 국기 이모지로 시도해 보세요.",
    },
    "unknown.need_country": {
        "en": "Which country? For example: {example}",
        "ko": "어느 나라인가요? 예: {example}",
    },
    "unknown.command": {
        "en": "I don't know the command /{name}.",
        "ko": "/{name} 명령은 없습니다.",
    },
    "quiz.chat_only": {
        "en": "Quizzes and leaderboards run in Telegram and Discord chats, where the bot can keep score.",
        "ko": "퀴즈와 순위표는 점수를 기록할 수 있는 텔레그램과 디스코드 대화방에서 진행됩니다.",
    },
    "suggest.title": {"en": "Maybe you meant", "ko": "비슷한 질문"},
    "lang.set": {"en": "I'll answer in English in this chat.", "ko": "이 대화에서는 한국어로 답하겠습니다."},
    "lang.usage": {"en": "Usage: /lang en or /lang ko", "ko": "사용법: /lang en 또는 /lang ko"},
    "fuzzy.note": {"en": "(I read \"{typed}\" as {name}.)", "ko": "(\"{typed}\"(을)를 {name}(으)로 이해했어요.)"},
}

EXAMPLES: dict[str, tuple[str, ...]] = {
    "en": (
        "Is South Korea in NATO?",
        "When did Finland join NATO?",
        "Why can't South Korea join NATO?",
        "What is the IP4?",
        "/nato-status japan",
    ),
    "ko": (
        "한국은 나토 회원국인가요?",
        "핀란드는 언제 나토에 가입했나요?",
        "한국은 왜 나토에 가입할 수 없나요?",
        "IP4가 뭐예요?",
        "/nato-status 일본",
    ),
}


def t(key: str, lang: str, **values: object) -> str:
    text = STRINGS[key].get(lang) or STRINGS[key]["en"]
    if "name" in values:
        name = str(values["name"])
        values = {"name_topic": topic(name), "name_and": and_particle(name), **values}
    return text.format(**values) if values else text


def has_batchim(word: str) -> bool:
    """Whether the last Hangul syllable ends in a consonant (decides 은/는, 이/가, 와/과)."""
    for ch in reversed(word):
        if "\uac00" <= ch <= "\ud7a3":
            return (ord(ch) - 0xAC00) % 28 != 0
        if ch.isalnum():
            return False
    return False


def topic(name: str) -> str:
    """'한국' -> '한국은', '스웨덴' -> '스웨덴은', '미국' -> '미국은', '노르웨이' -> '노르웨이는'."""
    return name + ("은" if has_batchim(name) else "는")


def and_particle(name: str) -> str:
    return name + ("과" if has_batchim(name) else "와")


def format_date(value: str | date, lang: str) -> str:
    """'2023-04-04' -> '4 April 2023' / '2023년 4월 4일'; partial dates keep their precision."""
    text = value.isoformat() if isinstance(value, date) else value
    parts = [int(p) for p in text.split("-")]
    months = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
    if lang == "ko":
        units = ("년", "월", "일")
        return " ".join(f"{n}{u}" for n, u in zip(parts, units))
    if len(parts) == 1:
        return str(parts[0])
    if len(parts) == 2:
        return f"{months[parts[1] - 1]} {parts[0]}"
    return f"{parts[2]} {months[parts[1] - 1]} {parts[0]}"
