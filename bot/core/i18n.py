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
    "partners.count": {
        "en": "My sources list {n} partner countries in NATO's partnership frameworks (as of {asof}).",
        "ko": "제 자료에 있는 나토 협력 틀의 파트너 국가는 {n}개국입니다({asof} 기준).",
    },
    "premise.left": {
        "en": "{name} has not left NATO: it has been a member since {date}.",
        "ko": "{name_topic} 나토를 탈퇴하지 않았습니다. {date}부터 회원국입니다.",
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
        "en": 'Ask me something about NATO, for example "Is South Korea in NATO?"',
        "ko": '나토에 관해 물어보세요. 예: "한국은 나토 회원국인가요?"',
    },
    "unknown.country": {
        "en": 'I couldn\'t find a country called "{arg}". Try a name, a code such as KR, or a flag.',
        "ko": '"{arg}"(이)라는 나라를 찾지 못했어요. 나라 이름, KR 같은 코드, 국기 이모지로 시도해 보세요.',
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
    "fuzzy.note": {"en": '(I read "{typed}" as {name}.)', "ko": '("{typed}"(을)를 {name}(으)로 이해했어요.)'},
    # -- answers computed from the data (bot/core/structured.py) --
    "joined_years": {
        "en": "{n} countries joined NATO in {years}:",
        "ko": "{years}에 나토에 가입한 나라는 {n}개국입니다:",
    },
    "title.joined_in": {"en": "Who joined NATO in {period}?", "ko": "{period}에 나토에 가입한 나라"},
    "joined_in.body": {
        "en": "{n} {countries} joined NATO in {period}:",
        "ko": "{period}에 나토에 가입한 나라는 {n}개국입니다.",
    },
    "joined_in.none": {
        "en": "No country joined NATO in {period}. The accessions closest to it: {near}.",
        "ko": "{period}에는 나토에 가입한 나라가 없습니다. 가장 가까운 가입: {near}.",
    },
    "title.founders": {"en": "NATO's founding members", "ko": "나토 창설 회원국"},
    "founders.body": {
        "en": "NATO's {n} founding members signed the North Atlantic Treaty in Washington on {date}: {names}.",
        "ko": "나토 창설 회원국 {n}개국은 {date} 워싱턴에서 북대서양조약에 서명했습니다: {names}.",
    },
    "joined_many.same": {"en": "They joined NATO on the same day:", "ko": "같은 날 나토에 가입했습니다."},
    "joined_many.differ": {
        "en": "{first} joined NATO first. They joined on different dates:",
        "ko": "{first_subj} 먼저 나토에 가입했습니다. 가입 날짜는 서로 다릅니다.",
    },
    "title.founded": {"en": "When was NATO founded?", "ko": "나토는 언제 창설됐나요?"},
    "founded.body": {
        "en": "NATO was founded on {date}, when {n} countries signed the North Atlantic Treaty in Washington: {names}.",
        "ko": "나토는 {date} {n}개국이 워싱턴에서 북대서양조약에 서명하면서 창설되었습니다: {names}.",
    },
    "title.nth": {"en": "NATO's {nth} member", "ko": "나토의 {nth} 회원국"},
    "nth.one": {
        "en": "{name} was NATO's {nth} member: it joined on {date}.",
        "ko": "나토의 {nth} 회원국은 {name}입니다. {date}에 가입했습니다.",
    },
    "nth.group": {
        "en": (
            "NATO's {first} to {last} members joined together on {date}: {names}. Members who joined on the same day "
            "share those places, so the {nth} member is one of them."
        ),
        "ko": (
            "나토의 {first}부터 {last} 회원국은 {date}에 함께 가입한 {names}입니다. 같은 날 가입한 나라들은 순번을 "
            "함께 나누므로 {nth} 회원국은 이 가운데 하나입니다."
        ),
    },
    "nth.founders": {
        "en": (
            "NATO's first {n} members are its founders, who all signed the treaty on {date}: {names}. They have no "
            "order among themselves."
        ),
        "ko": (
            "나토의 처음 {n}개 회원국은 {date}에 함께 조약에 서명한 창설 회원국입니다: {names}. 이들 사이에는 "
            "순서가 없습니다."
        ),
    },
    "nth.none": {
        "en": "NATO has {n} members (as of {asof}), so there is no {nth} member yet.",
        "ko": "나토 회원국은 {n}개국이므로({asof} 기준) {nth} 회원국은 아직 없습니다.",
    },
    "title.ordinal_of": {"en": "Which number member is {name}?", "ko": "{name_topic} 몇 번째 회원국인가요?"},
    "ordinal_of.one": {
        "en": "{name} is NATO's {nth} member: it joined on {date}.",
        "ko": "{name_topic} 나토의 {nth} 회원국입니다. {date}에 가입했습니다.",
    },
    "ordinal_of.group": {
        "en": (
            "{name} joined on {date} together with {others}: they are NATO's {first} to {last} members, with no order "
            "among them."
        ),
        "ko": (
            "{name_topic} {date}에 {others_and} 함께 가입했습니다. 이들은 나토의 {first}부터 {last} 회원국이며, "
            "서로 간의 순서는 없습니다."
        ),
    },
    "ordinal_of.founder": {
        "en": (
            "{name} is one of NATO's {n} founding members, who all signed the treaty on {date}: they have no order "
            "among them."
        ),
        "ko": (
            "{name_topic} {date}에 함께 조약에 서명한 나토 창설 회원국 {n}개국 중 하나로, 이들 사이에는 순서가 "
            "없습니다."
        ),
    },
    "title.newest": {"en": "NATO's newest member", "ko": "나토의 최신 회원국"},
    "newest.body": {
        "en": "NATO's newest member is {name}: it joined on {date} as the {nth} member (as of {asof}).",
        "ko": "나토의 가장 최근 회원국은 {name}입니다. {date}에 {nth} 회원국으로 가입했습니다({asof} 기준).",
    },
    "newest.before": {
        "en": "Before it, {names} joined on {date}.",
        "ko": "그 전에는 {date}에 {names_subj} 가입했습니다.",
    },
    "title.round": {"en": "NATO's {nth} enlargement", "ko": "나토의 {nth} 확대"},
    "round.body": {
        "en": "NATO's {nth} enlargement (of {total} since 1949): {names} joined on {date}.",
        "ko": "나토의 {nth} 확대(1949년 이후 모두 {total}차례): {date}에 {names_subj} 가입했습니다.",
    },
    "round.none": {
        "en": "NATO has enlarged {n} times since 1949 (as of {asof}): there is no {nth} enlargement yet.",
        "ko": "나토는 1949년 이후 {n}차례 확대되었으므로({asof} 기준) {nth} 확대는 아직 없습니다.",
    },
    "title.events": {"en": "{name} and NATO in {year}", "ko": "{year}년 {name_and} 나토"},
    "events.body": {
        "en": "{name} and NATO in {year}, in my sources:",
        "ko": "제 자료에 있는 {year}년 {name_and} 나토:",
    },
    "events.none": {
        "en": "My sources record nothing between {name} and NATO in {year}.",
        "ko": "제 자료에는 {year}년 {name_and} 나토 사이의 기록이 없습니다.",
    },
    "title.before": {"en": "Who joined NATO before {name}?", "ko": "{name}보다 먼저 가입한 나라"},
    "title.after": {"en": "Who joined NATO after {name}?", "ko": "{name}보다 나중에 가입한 나라"},
    "before.body": {
        "en": "{n} members joined NATO before {name} ({date}):",
        "ko": "{name}({date})보다 먼저 나토에 가입한 회원국은 {n}개국입니다.",
    },
    "after.body": {
        "en": "{n} {countries} joined NATO after {name} ({date}):",
        "ko": "{name}({date}) 이후 나토에 가입한 나라는 {n}개국입니다.",
    },
    "adjacent.after": {
        "en": "The next to join NATO after {name} ({date}): {names}, on {then}.",
        "ko": "{name}({date}) 바로 다음에 나토에 가입한 나라: {names} ({then}).",
    },
    "adjacent.before": {
        "en": "The last to join NATO before {name} ({date}): {names}, on {then}.",
        "ko": "{name}({date}) 바로 전에 나토에 가입한 나라: {names} ({then}).",
    },
    "after.none": {
        "en": "No country has joined NATO after {name} ({date}), as of {asof}.",
        "ko": "{asof} 기준으로 {name}({date}) 이후 나토에 가입한 나라는 없습니다.",
    },
    "title.count": {"en": "How many members does NATO have?", "ko": "나토 회원국은 몇 개국인가요?"},
    "count.body": {
        "en": "NATO has {n} member countries (as of {asof}). The newest is {name}, which joined on {date}.",
        "ko": "나토 회원국은 {n}개국입니다({asof} 기준). 가장 최근에 가입한 나라는 {date}에 가입한 {name}입니다.",
    },
    "same_day.group": {
        "en": "{name} joined NATO on {date} together with {others}: {n} countries that day.",
        "ko": "{name_topic} {date}에 {others_and} 함께 나토에 가입했습니다. 그날 가입한 나라는 {n}개국입니다.",
    },
    "same_day.alone": {
        "en": "{name} joined NATO on {date}; no other country joined that day.",
        "ko": "{name_topic} {date}에 나토에 가입했고, 그날 함께 가입한 나라는 없습니다.",
    },
    "premise.founded": {
        "en": "A correction first: NATO was founded in {real}, not in {year}.",
        "ko": "먼저 바로잡을게요: 나토는 {year}년이 아니라 {real}년에 창설됐습니다.",
    },
    "newest.n": {
        "en": "The {n} most recent members to join NATO, oldest first:",
        "ko": "가장 최근에 나토에 가입한 {n}개국(가입 순서대로):",
    },
    "founders.since": {
        "en": "Not counting the {founders} founding members, {n} countries have joined NATO (as of {asof}):",
        "ko": "창설 회원국 {founders}개국을 빼면, 나토에 가입한 나라는 {n}개국입니다({asof} 기준):",
    },
    "region.members": {
        "en": "Of {where}, {n} are NATO members:",
        "ko": "{where} 가운데 나토 회원국은 {n}개국입니다.",
    },
    "region.none": {"en": "None of {where} is a NATO member.", "ko": "{where} 가운데 나토 회원국은 없습니다."},
    "region.others": {"en": "Not members: {names}.", "ko": "비회원국: {names}."},
    "region.fw": {
        "en": "In {where}, {fw} participants: {names}.",
        "ko": "{where}의 {fw} 참여국: {names}.",
    },
    "region.fw_none": {"en": "No country of {where} is in the {fw}.", "ko": "{where}에는 {fw} 참여국이 없습니다."},
    "count.at": {
        "en": "When {name} joined on {date}, NATO had {n} members.",
        "ko": "{date}에 {name_subj} 가입하면서 나토 회원국은 {n}개국이 됐습니다.",
    },
    "count.then": {
        "en": "At the end of {year}, NATO had {n} members; the most recent to join had been {name}, on {date}.",
        "ko": (
            "{year}년 말 나토 회원국은 {n}개국이었고, 그때까지 가장 최근에 가입한 나라는 {date}에 가입한 {name}입니다."
        ),
    },
    "premise.count": {
        "en": "A correction first: NATO has {n} members, not {wrong}.",
        "ko": "먼저 바로잡을게요: 나토 회원국은 {wrong}개국이 아니라 {n}개국입니다.",
    },
    "title.continent": {"en": "NATO members in {where}", "ko": "{where}의 나토 회원국"},
    "continent.body": {
        "en": "{n} of NATO's {total} members are in {where}: {names}.",
        "ko": "나토 회원국 {total}개국 가운데 {where}에 있는 나라는 {n}개국입니다: {names}.",
    },
    "continent.none": {
        "en": "No NATO member is in {where}: all {total} members are in Europe and North America.",
        "ko": "{where}에는 나토 회원국이 없습니다. 회원국 {total}개국은 모두 유럽과 북미에 있습니다.",
    },
    "continent.partners": {
        "en": "NATO partners there include: {names}.",
        "ko": "그 지역의 나토 파트너로는 {names} 등이 있습니다.",
    },
    "continent.europe": {"en": "Europe", "ko": "유럽"},
    "continent.north_america": {"en": "North America", "ko": "북미"},
    "continent.south_america": {"en": "South America", "ko": "남미"},
    "continent.asia": {"en": "Asia", "ko": "아시아"},
    "continent.africa": {"en": "Africa", "ko": "아프리카"},
    "continent.oceania": {"en": "Oceania", "ko": "오세아니아"},
    "summit.where": {
        "en": "The {year} NATO summit was held in {city}, {country}, on {dates}.",
        "ko": "{year}년 나토 정상회의는 {dates} {country} {city}에서 열렸습니다.",
    },
    "summit.future": {
        "en": "The {year} NATO summit was announced for {city}, {country}, on {dates}.",
        "ko": "{year}년 나토 정상회의는 {dates} {country} {city}에서 열릴 예정이라고 발표되었습니다.",
    },
    "summit.attendee": {"en": "{name} was represented by {who}.", "ko": "{name}에서는 {who_subj} 참석했습니다."},
    "summit.no_attendee": {
        "en": "My sources list no representative of {name} at this summit.",
        "ko": "제 자료에는 이 회의에 참석한 {name} 대표가 없습니다.",
    },
    "summit.attendees": {"en": "Indo-Pacific partners there: {names}.", "ko": "참석한 인도·태평양 파트너: {names}."},
    "summit.unknown_year": {
        "en": "I don't have the {year} NATO summit. The summits I know: {known}.",
        "ko": "{year}년 나토 정상회의 자료는 없습니다. 제가 아는 정상회의: {known}.",
    },
    "title.summits": {"en": "NATO summits", "ko": "나토 정상회의"},
    "summits.body": {"en": "NATO summits in my sources:", "ko": "제 자료에 있는 나토 정상회의:"},
    "summits.of_country": {"en": "NATO summits {name} attended:", "ko": "{name_subj} 참석한 나토 정상회의:"},
    "fw.yes": {
        "en": "Yes. {name} takes part in NATO's {fw}.",
        "ko": "네. {name_topic} 나토의 {fw}에 참여하고 있습니다.",
    },
    "fw.no": {
        "en": "No. {name} is not in NATO's {fw}.",
        "ko": "아니요. {name_topic} 나토의 {fw}에 속해 있지 않습니다.",
    },
    "fw.its_members": {"en": "Its members: {names}.", "ko": "참여국: {names}."},
    "attend.yes": {"en": "Yes. {who} attended the {summit}.", "ko": "네. {who_topic} {summit}에 참석했습니다."},
    "fw.member_no": {
        "en": "No. {name} is a NATO member, not a partner in the {fw}.",
        "ko": "아니요. {name_topic} 나토 회원국이며 {fw}의 파트너가 아닙니다.",
    },
    "fw.other": {"en": "It takes part in: {fws}.", "ko": "참여하는 협력 틀: {fws}."},
    "fw.list": {"en": "{fw} — {n} {countries}: {names}.", "ko": "{fw} — {n}개국: {names}."},
    "office.now": {
        "en": "{who} is NATO's {office} (since {start}; as of {asof}).",
        "ko": "나토 {office_topic} {who}입니다({start}부터, {asof} 기준).",
    },
    "office.then": {
        "en": "In {year}, NATO's {office} was {who} ({term}).",
        "ko": "{year}년 나토 {office_topic} {who}였습니다({term}).",
    },
    "office.on_join": {
        "en": "When {name} joined NATO on {date}, NATO's {office} was {who} ({term}).",
        "ko": "{name_subj} 나토에 가입한 {date} 당시 나토 {office_topic} {who}였습니다({term}).",
    },
    "office.on_summit": {
        "en": "On {date}, at the {summit}, NATO's {office} was {who} ({term}).",
        "ko": "{date} {summit} 당시 나토 {office_topic} {who}였습니다({term}).",
    },
    "office.on_unknown": {
        "en": "My sources don't say who was NATO's {office} on {date}.",
        "ko": "{date} 당시 나토 {office_subj} 누구였는지는 제 자료에 없습니다.",
    },
    "holder.from": {"en": "{who} is from {country}.", "ko": "{who_topic} {country} 출신입니다."},
    "holder.from_yes": {"en": "Yes. {who} is from {country}.", "ko": "네. {who_topic} {country} 출신입니다."},
    "premise.holder_country": {
        "en": "A correction first: {who} is from {country}, not {named}.",
        "ko": "먼저 바로잡을게요: {who_topic} {named_subj} 아니라 {country} 출신입니다.",
    },
    "office.seen": {
        "en": "As of {seen}, NATO's {office} is {who}; my sources don't say when they took office.",
        "ko": "{seen} 기준 나토 {office_topic} {who}입니다. 언제 취임했는지는 제 자료에 없습니다.",
    },
    "office.term_seen": {"en": "in office as of {seen}", "ko": "{seen} 기준 재임 중"},
    "office.unknown": {
        "en": "My sources don't say who was NATO's {office} in {year}.",
        "ko": "{year}년 나토 {office_subj} 누구였는지는 제 자료에 없습니다.",
    },
    "office.history": {"en": "Holders in my sources:", "ko": "제 자료의 역대 재임자:"},
    "office.not_listed": {
        "en": "My sources don't go back that far. The holders of NATO's {office} office they list:",
        "ko": "제 자료는 그만큼 거슬러 올라가지 않습니다. 자료에 있는 나토 {office}:",
    },
    "holder.past": {
        "en": "{who} was NATO's {office} from {start} to {end}.",
        "ko": "{who_topic} {start}부터 {end}까지 나토 {office_obj} 지냈습니다.",
    },
    "holder.now": {
        "en": "{who} has been NATO's {office} since {start} (as of {asof}).",
        "ko": "{who_topic} {start}부터 나토 {office}입니다({asof} 기준).",
    },
    "premise.attendee": {
        "en": "Not quite: my sources don't list {who} at the {summit}.",
        "ko": "그렇지 않습니다. 제 자료에는 {summit}에 {who_subj} 참석했다는 기록이 없습니다.",
    },
    "premise.newest": {
        "en": "Not quite: {name} is not NATO's newest member.",
        "ko": "그렇지 않습니다. {name_topic} 나토의 가장 최근 회원국이 아닙니다.",
    },
    "premise.ordinal_count": {
        "en": "NATO has {n} members (as of {asof}), and this country is not one of them.",
        "ko": "나토 회원국은 {n}개국이며({asof} 기준), 이 나라는 그중 하나가 아닙니다.",
    },
    "premise.summit_city": {
        "en": "Not quite: the {year} summit was in {city}, not {named}; the summit in {named} was in {real}.",
        "ko": (
            "그렇지 않습니다. {year}년 정상회의는 {named_subj} 아니라 {city}에서 열렸고, {named} 정상회의는 "
            "{real}년에 열렸습니다."
        ),
    },
    "premise.summit_year": {
        "en": "Not quite: the {named} summit was in {real}, not {year}.",
        "ko": "그렇지 않습니다. {named} 정상회의는 {year}년이 아니라 {real}년에 열렸습니다.",
    },
    "premise.holder": {"en": "Not in {year}:", "ko": "{year}년에는 아닙니다:"},
    "horizon.note": {
        "en": "My sources run to {date}; I don't know what happened after that.",
        "ko": "제 자료는 {date}까지의 내용이라, 그 이후의 일은 알지 못합니다.",
    },
    "horizon.asof": {"en": "As of {date}:", "ko": "{date} 기준:"},
    "horizon.later": {
        "en": "You asked about {what}, after my sources end ({date}). I don't know the outcome.",
        "ko": "{what}에 관한 질문은 제 자료가 끝나는 시점({date}) 이후의 일이라 결과를 알지 못합니다.",
    },
    "horizon.next_office": {
        "en": (
            "I don't know who will succeed {who} as {office}: my sources run to {date}, and {who} was still in office "
            "then."
        ),
        "ko": (
            "{who}의 다음 {office_subj} 누구일지는 모릅니다. 제 자료는 {date}까지이며, 그때까지 {who_subj} 재임 "
            "중이었습니다."
        ),
    },
    "horizon.known": {"en": "What my sources say up to then:", "ko": "그때까지 제 자료에 있는 내용:"},
    "premise.not_member": {
        "en": "A correction first: {name} is not a NATO member and has never been one.",
        "ko": "먼저 바로잡을게요: {name_topic} 나토 회원국이 아니며, 가입한 적도 없습니다.",
    },
    "date.on": {"en": "on {date}", "ko": "{date}에"},
    "date.in": {"en": "in {date}", "ko": "{date}에"},
    "premise.fw_year": {
        "en": "A correction first: the {fw} began {date}, not in {year}.",
        "ko": "먼저 바로잡을게요: {fw_topic} {year}년이 아니라 {date} 시작됐습니다.",
    },
    "premise.year": {
        "en": "A correction first: {name} joined NATO on {date}, not in {year}.",
        "ko": "먼저 바로잡을게요: {name_topic} {year}년이 아니라 {date}에 나토에 가입했습니다.",
    },
    "premise.ordinal": {
        "en": "Not quite: {name} is not NATO's {nth} member.",
        "ko": "그렇지 않습니다: {name_topic} 나토의 {nth} 회원국이 아닙니다.",
    },
    "premise.ordinal_is": {
        "en": "Not quite: {name} is not NATO's {nth} member; that is {other}.",
        "ko": "그렇지 않습니다: {name_topic} 나토의 {nth} 회원국이 아닙니다. {nth} 회원국은 {other}입니다.",
    },
    "confirm.yes": {"en": "Yes.", "ko": "네."},
    "confirm.unsure": {
        "en": "I can't confirm all of that. Here is what my sources say:",
        "ko": "그 내용을 모두 확인해 드릴 수는 없습니다. 제 자료의 내용은 이렇습니다:",
    },
    "premise.date": {
        "en": "Not quite: my sources don't give {year} for this. Here is what they say:",
        "ko": "그렇지 않습니다. 제 자료에는 {year}년이 아닙니다. 자료의 내용은 이렇습니다:",
    },
    "verify.joined_yes": {
        "en": "Yes. {name} joined NATO on {date}.",
        "ko": "네. {name_topic} {date}에 나토에 가입했습니다.",
    },
    "verify.joined_no": {
        "en": "No. {name} joined NATO on {date}, not in {year}.",
        "ko": "아니요. {name_topic} {year}년이 아니라 {date}에 나토에 가입했습니다.",
    },
    "word.countries": {"en": "countries", "ko": "개국"},
    "word.country": {"en": "country", "ko": "개국"},
    # Quizzes: topics, question templates (facts come from the knowledge), results and leaderboards.
    "quiz.topic.all": {"en": "all topics", "ko": "전체 주제"},
    "quiz.topic.members": {"en": "members", "ko": "회원국"},
    "quiz.topic.korea": {"en": "Korea", "ko": "한국"},
    "quiz.topic.ip4": {"en": "the IP4", "ko": "IP4"},
    "quiz.topic.summits": {"en": "summits", "ko": "정상회의"},
    "quiz.topic.partners": {"en": "partners", "ko": "파트너"},
    "quiz.q.joined": {"en": "In which year did {name} join NATO?", "ko": "{name_topic} 몇 년에 나토에 가입했나요?"},
    "quiz.a.joined": {"en": "{name} joined NATO on {date}.", "ko": "{name_topic} {date}에 나토에 가입했습니다."},
    "quiz.opt.year": {"en": "{year}", "ko": "{year}년"},
    "quiz.q.not_member": {
        "en": "Which of these countries is NOT a NATO member?",
        "ko": "다음 중 나토 회원국이 아닌 나라는?",
    },
    "quiz.a.not_member.partner": {
        "en": "{name} is a NATO partner, not a member; the other three are members.",
        "ko": "{name_topic} 나토 회원국이 아니라 파트너 국가입니다. 나머지 세 나라는 회원국입니다.",
    },
    "quiz.a.not_member.aspirant": {
        "en": "{name} wants to join NATO but is not a member; the other three are members.",
        "ko": "{name_topic} 나토 가입을 희망하지만 회원국은 아닙니다. 나머지 세 나라는 회원국입니다.",
    },
    "quiz.a.not_member.non_member": {
        "en": "{name} is not a NATO member; the other three are.",
        "ko": "{name_topic} 나토 회원국이 아닙니다. 나머지 세 나라는 회원국입니다.",
    },
    "quiz.q.is_member": {"en": "Which of these countries IS a NATO member?", "ko": "다음 중 나토 회원국인 나라는?"},
    "quiz.a.is_member": {
        "en": "{name} joined NATO on {date}; the other three are not members.",
        "ko": "{name_topic} {date}에 나토에 가입했습니다. 나머지 세 나라는 회원국이 아닙니다.",
    },
    "quiz.q.in_framework": {
        "en": "Which of these countries belongs to NATO's {framework}?",
        "ko": "다음 중 나토의 {framework}에 속하는 나라는?",
    },
    "quiz.a.in_framework": {
        "en": "{name} belongs to NATO's {framework}; the other three do not.",
        "ko": "{name_topic} 나토의 {framework}에 속합니다. 나머지 세 나라는 속하지 않습니다.",
    },
    "quiz.q.not_in_framework": {
        "en": "Which of these countries is NOT in NATO's {framework}?",
        "ko": "다음 중 나토의 {framework}에 속하지 않는 나라는?",
    },
    "quiz.a.not_in_framework": {
        "en": "{name} is not in NATO's {framework}; the other three are.",
        "ko": "{name_topic} 나토의 {framework}에 속하지 않습니다. 나머지 세 나라는 속합니다.",
    },
    "quiz.q.framework_of": {
        "en": "Which NATO partnership framework does {name} belong to?",
        "ko": "{name_topic} 나토의 어느 협력 틀에 속하나요?",
    },
    "quiz.a.framework_of": {
        "en": "{name} belongs to NATO's {framework}.",
        "ko": "{name_topic} 나토의 {framework}에 속합니다.",
    },
    "quiz.q.represented": {
        "en": "Who represented {name} at the {summit}?",
        "ko": "{summit}에 {name} 대표로 누가 참석했나요?",
    },
    "quiz.a.represented": {"en": "{who} represented {name} at the {summit}.", "ko": "{summit}의 {name} 대표: {who}."},
    "quiz.q.host": {
        "en": "Which country hosted the NATO summit that began on {date}?",
        "ko": "{date}에 시작된 나토 정상회의의 개최국은?",
    },
    "quiz.a.host": {"en": "{summit}: {start} – {end}.", "ko": "{summit}: {start} – {end}."},
    "quiz.q.when": {"en": "When did this happen? {event}", "ko": "다음 일은 언제 있었나요? {event}"},
    "quiz.q.what_year": {"en": "Which of these happened in {year}?", "ko": "다음 중 {year}년에 있었던 일은?"},
    "quiz.a.event": {"en": "{date}: {event}", "ko": "{date}: {event}"},
    "quiz.reveal.answer": {"en": "Correct answer: {answer}", "ko": "정답: {answer}"},
    "quiz.reveal.source": {"en": "Source: {title} {url}", "ko": "출처: {title} {url}"},
    "quiz.board.title": {"en": "Quiz leaderboard", "ko": "퀴즈 순위"},
    "quiz.board.empty": {"en": "No scores yet: start a quiz!", "ko": "아직 점수가 없어요. 퀴즈를 시작해 보세요!"},
    "quiz.board.line": {
        "en": "{rank}. {name}: {score} pts ({correct}/{answered} correct, best streak {best})",
        "ko": "{rank}. {name}: {score}점 ({answered}문제 중 {correct}개 정답, 최고 연속 {best})",
    },
    "quiz.board.streak": {"en": " 🔥{streak}", "ko": " 🔥{streak}"},
    "quiz.usage": {
        "en": "Usage: quiz [topic] [length]. Topics: members, korea, ip4, summits, partners, all; length 1-20.",
        "ko": (
            "사용법: quiz [주제] [문항 수]. 주제: members(회원국), korea(한국), ip4, summits(정상회의), "
            "partners(파트너), all(전체); 문항 수 1-20."
        ),
    },
    # Quizzes on the platforms: announcements, answers by button or poll, resets.
    "quiz.intro.buttons": {
        "en": (
            "{count} questions on {topic}, {seconds} seconds each. Tap an answer: each member's first answer "
            "counts, and the result comes when the question closes."
        ),
        "ko": (
            "{topic} 문제 {count}개, 문제마다 {seconds}초입니다. 버튼으로 답하세요. 한 사람당 첫 답만 인정되고, "
            "결과는 문제가 마감되면 나옵니다."
        ),
    },
    "quiz.intro.polls": {
        "en": (
            "Quiz: {count} questions on {topic}. Answer each poll within {seconds} seconds; the answers and the "
            "leaderboard come at the end."
        ),
        "ko": (
            "퀴즈: {topic}, {count}문제. 각 문제는 {seconds}초 안에 투표로 답해 주세요. 끝나면 정답과 순위를 보여 "
            "드려요."
        ),
    },
    "quiz.title": {"en": "NATO quiz", "ko": "나토 퀴즈"},
    "quiz.question_n": {"en": "Question {n} of {total}", "ko": "{total}문제 중 {n}번"},
    "quiz.closes": {"en": "Closes {when}.", "ko": "{when} 마감."},
    "quiz.footer": {"en": "NATO Status Bot · quiz", "ko": "NATO Status Bot · 퀴즈"},
    "quiz.right": {"en": "Right: {right} of {answered}", "ko": "정답자: {answered}명 중 {right}명"},
    "quiz.right_count": {"en": "{right} of {answered} answered correctly", "ko": "{answered}명 중 {right}명 정답"},
    "quiz.nobody": {"en": "Nobody this time.", "ko": "이번에는 아무도 맞히지 못했어요."},
    "quiz.more_names": {"en": "and {n} more", "ko": "외 {n}명"},
    "quiz.over": {"en": "Quiz over! Leaderboard", "ko": "퀴즈 끝! 순위"},
    "quiz.results": {"en": "Quiz over: the answers", "ko": "퀴즈 끝: 정답과 해설"},
    "quiz.running": {
        "en": (
            "A quiz is already running in this server (question {n} of {total}). Join in, or start a new one when "
            "it ends."
        ),
        "ko": (
            "이 서버에서 이미 퀴즈가 진행 중입니다 ({total}문제 중 {n}번). 함께 풀거나, 끝난 뒤 새 퀴즈를 시작하세요."
        ),
    },
    "quiz.empty": {
        "en": "I can't make questions on that topic from what I know yet. Try {command} with another topic.",
        "ko": "아직 그 주제로는 문제를 만들 수 없어요. 다른 주제로 {command}를 해 보세요.",
    },
    "quiz.cannot_post": {
        "en": (
            "I can't post the questions in this channel. A server admin can give me the Send Messages permission here."
        ),
        "ko": "이 채널에 문제를 올릴 수 없어요. 서버 관리자가 이 채널에서 제게 메시지 보내기 권한을 주면 됩니다.",
    },
    "quiz.stopped": {
        "en": "I could not post the next question, so the quiz has ended.",
        "ko": "다음 문제를 올리지 못해 퀴즈를 끝냈어요.",
    },
    "quiz.recorded": {
        "en": "Answer recorded: {option}. The result comes when the question closes.",
        "ko": "답을 기록했어요: {option}. 결과는 문제가 마감되면 나옵니다.",
    },
    "quiz.duplicate": {
        "en": "You already answered this question: only your first answer counts.",
        "ko": "이미 이 문제에 답했어요. 첫 답만 인정됩니다.",
    },
    "quiz.closed": {
        "en": "This question is closed, so answers no longer count. Watch for the next one!",
        "ko": "이 문제는 마감되어 더 이상 답이 인정되지 않아요. 다음 문제를 기다려 주세요!",
    },
    "quiz.ended": {
        "en": "This quiz has ended. Start a new one with {command}.",
        "ko": "이 퀴즈는 끝났어요. {command}로 새 퀴즈를 시작하세요.",
    },
    "quiz.reset.done": {
        "en": "Leaderboard reset: {n} members' scores cleared.",
        "ko": "순위를 초기화했어요: {n}명의 점수를 지웠습니다.",
    },
    "quiz.reset.done_count": {"en": "Leaderboard reset ({count} members).", "ko": "순위를 초기화했어요 ({count}명)."},
    "quiz.reset.refused_manage_server": {
        "en": "Sorry, only members with the Manage Server permission can reset the leaderboard.",
        "ko": "죄송해요. 순위 초기화는 서버 관리 권한이 있는 멤버만 할 수 있어요.",
    },
    "quiz.reset.refused_chat_admins": {
        "en": "Sorry, only this chat's admins can reset the leaderboard.",
        "ko": "죄송해요, 순위 초기화는 이 대화방 관리자만 할 수 있어요.",
    },
    # Notices: errors, stale buttons, rate limits, the store, language settings.
    "error.generic": {
        "en": "Sorry, something went wrong while answering. Please try again in a moment.",
        "ko": "죄송합니다. 답변하는 중에 문제가 생겼습니다. 잠시 후 다시 시도해 주세요.",
    },
    "button.stale": {
        "en": (
            "This button belongs to an older answer that I can no longer show. Please run the command again, for "
            "example {example}."
        ),
        "ko": "이 버튼은 지금은 보여 드릴 수 없는 예전 답변의 버튼입니다. 명령을 다시 실행해 주세요. 예: {example}",
    },
    "rate.limited": {
        "en": "You're asking faster than I can keep up with in this chat. Please try again in {seconds} seconds.",
        "ko": "질문이 너무 빨리 들어오고 있어요. {seconds}초 뒤에 다시 물어봐 주세요.",
    },
    "rate.slow_down": {
        "en": "You're asking faster than I can keep up with. Please wait a few seconds and try again.",
        "ko": "질문이 너무 빨리 들어오고 있어요. 몇 초 뒤에 다시 시도해 주세요.",
    },
    "owner.only": {"en": "Only the bot's owners can do that.", "ko": "봇 관리자만 할 수 있는 명령입니다."},
    "store.busy": {
        "en": "I can't save or look that up right now: my storage isn't answering. Please try again shortly.",
        "ko": "지금은 저장소가 응답하지 않아 처리할 수 없어요. 잠시 뒤에 다시 시도해 주세요.",
    },
    "lang.admins_only": {
        "en": "Only this chat's admins can change its language.",
        "ko": "이 대화방의 언어는 관리자만 바꿀 수 있어요.",
    },
    "lang.refused_manage_server": {
        "en": (
            "Sorry, only members with the Manage Server permission can change the server's language. You can set "
            "your own with `scope: me`."
        ),
        "ko": (
            "죄송해요. 서버 언어는 서버 관리 권한이 있는 멤버만 바꿀 수 있어요. `scope: me`로 내 언어는 정할 수 있어요."
        ),
    },
    "lang.saved.me": {"en": "Saved: I'll answer you in {language}.", "ko": "저장했어요. 앞으로 {language}로 답할게요."},
    "lang.saved.me_auto": {
        "en": (
            "Saved: your own setting is cleared; you get this server's language or your Discord language "
            "({language} now)."
        ),
        "ko": "저장했어요. 개인 설정을 지웠고, 서버 언어나 Discord 언어를 따릅니다 (지금은 {language}).",
    },
    "lang.saved.server": {
        "en": "Saved: this server's answer language is now {language}.",
        "ko": "저장했어요. 이 서버의 답변 언어는 이제 {language}입니다.",
    },
    "lang.saved.server_auto": {
        "en": "Saved: this server has no language setting now; each member gets their Discord language.",
        "ko": "저장했어요. 이 서버의 언어 설정을 지웠습니다. 각자 Discord 언어로 답합니다.",
    },
    "lang.name.en": {"en": "English", "ko": "영어"},
    "lang.name.ko": {"en": "Korean", "ko": "한국어"},
    # Command descriptions (menus, slash commands, help): one per id in bot/core/commands.py.
    "command.nato-status": {
        "en": "Is a country in NATO? Status, dates and sources",
        "ko": "어떤 나라가 나토 회원국인지: 지위, 날짜, 출처",
    },
    "command.nato-timeline": {
        "en": "Key dates: NATO's, or a country's with NATO",
        "ko": "주요 연표: 나토 전체 또는 특정 국가와 나토",
    },
    "command.nato-members": {"en": "The 32 member countries and when they joined", "ko": "32개 회원국과 가입 날짜"},
    "command.nato-partners": {"en": "NATO's partners, by partnership framework", "ko": "협력 틀별 나토 파트너 국가"},
    "command.nato-ask": {
        "en": "Ask a question about NATO in English or Korean",
        "ko": "나토에 관해 영어나 한국어로 질문하기",
    },
    "command.nato-quiz": {
        "en": "Start a quiz for this chat: [topic] [length]",
        "ko": "이 대화방에서 퀴즈 시작: [주제] [문항 수]",
    },
    "command.nato-leaderboard": {
        "en": "This chat's quiz leaderboard (admins: reset)",
        "ko": "이 대화방의 퀴즈 순위 (관리자: reset)",
    },
    "command.nato-lang": {
        "en": "Answer language for this server or you: en or ko",
        "ko": "이 서버 또는 나의 답변 언어: en 또는 ko",
    },
    "command.nato-help": {"en": "What this bot can answer, with examples", "ko": "이 봇이 답할 수 있는 것과 예시"},
    "command.help": {"en": "What this bot can answer, with examples", "ko": "이 봇이 답할 수 있는 것과 예시"},
    "command.start": {"en": "Start the bot", "ko": "봇 시작하기"},
    "command.lang": {"en": "Answer language for this chat: en or ko", "ko": "이 대화의 답변 언어: en 또는 ko"},
    "command.reload": {"en": "Reload the knowledge files", "ko": "지식 파일 다시 읽기"},
    "command.stats": {"en": "Bot statistics", "ko": "봇 통계"},
    # Discord's slash-command localizations: names (Discord's naming rule), parameters and choices.
    "discord.name.nato-status": {"en": "nato-status", "ko": "나토-지위"},
    "discord.name.nato-timeline": {"en": "nato-timeline", "ko": "나토-연표"},
    "discord.name.nato-members": {"en": "nato-members", "ko": "나토-회원국"},
    "discord.name.nato-partners": {"en": "nato-partners", "ko": "나토-파트너"},
    "discord.name.nato-ask": {"en": "nato-ask", "ko": "나토-질문"},
    "discord.name.nato-help": {"en": "nato-help", "ko": "나토-도움말"},
    "discord.name.nato-quiz": {"en": "nato-quiz", "ko": "나토-퀴즈"},
    "discord.name.nato-leaderboard": {"en": "nato-leaderboard", "ko": "나토-순위"},
    "discord.name.nato-lang": {"en": "nato-lang", "ko": "나토-언어"},
    "discord.param.country": {"en": "country", "ko": "국가"},
    "discord.param.question": {"en": "question", "ko": "질문"},
    "discord.param.topic": {"en": "topic", "ko": "주제"},
    "discord.param.length": {"en": "length", "ko": "문항수"},
    "discord.param.reset": {"en": "reset", "ko": "초기화"},
    "discord.param.language": {"en": "language", "ko": "언어"},
    "discord.param.scope": {"en": "scope", "ko": "범위"},
    "discord.param.country.about": {
        "en": "A country: name, code or flag (English or Korean)",
        "ko": "국가 이름, 코드 또는 국기 (영어나 한국어)",
    },
    "discord.param.question.about": {"en": "Your question, in English or Korean", "ko": "영어나 한국어로 된 질문"},
    "discord.param.topic.about": {"en": "What the questions are about (default: all)", "ko": "문제 주제 (기본: 전체)"},
    "discord.param.length.about": {"en": "How many questions (1-20, default 5)", "ko": "문제 수 (1-20, 기본 5)"},
    "discord.param.reset.about": {
        "en": "Clear this server's scores (Manage Server only)",
        "ko": "이 서버의 점수 지우기 (서버 관리 권한 필요)",
    },
    "discord.param.language.about": {"en": "The answer language", "ko": "답변 언어"},
    "discord.param.scope.about": {
        "en": "For you only (default) or for the whole server (Manage Server only)",
        "ko": "나만 (기본) 또는 서버 전체 (서버 관리 권한 필요)",
    },
    "discord.choice.topic.all": {"en": "All topics", "ko": "전체"},
    "discord.choice.topic.members": {"en": "Members and accession", "ko": "회원국과 가입"},
    "discord.choice.topic.korea": {"en": "Korea and NATO", "ko": "한국과 나토"},
    "discord.choice.topic.ip4": {"en": "Indo-Pacific partners (IP4)", "ko": "인도·태평양 파트너 (IP4)"},
    "discord.choice.topic.summits": {"en": "Summits", "ko": "정상회의"},
    "discord.choice.topic.partners": {"en": "Partnerships", "ko": "파트너십"},
    "discord.choice.language.en": {"en": "English", "ko": "영어 (English)"},
    "discord.choice.language.ko": {"en": "Korean (한국어)", "ko": "한국어"},
    "discord.choice.language.auto": {
        "en": "Automatic (server or Discord language)",
        "ko": "자동 (서버 또는 Discord 언어)",
    },
    "discord.choice.scope.me": {"en": "Just me", "ko": "나만"},
    "discord.choice.scope.server": {"en": "The whole server", "ko": "서버 전체"},
    # Periods of years.
    "period.year": {"en": "{year}", "ko": "{year}년"},
    "period.decade": {"en": "the {decade}s", "ko": "{decade}년대"},
    "period.range": {"en": "{low}–{high}", "ko": "{low}–{high}년"},
    # The console chat.
    "console.banner": {
        "en": "NATO Status Bot — ask about NATO in English or Korean. {help} for commands, Ctrl-D to quit.",
        "ko": "나토 현황 봇 — 나토에 관해 한국어나 영어로 물어보세요. 명령어는 {help}, 종료는 Ctrl-D.",
    },
    "console.more": {"en": "More: type {options}", "ko": "더 보기: {options} 입력"},
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
    """A string in `lang`; in Korean every text value X also gives X_topic (은/는), X_subj (이/가),
    X_obj (을/를) and X_and (과/와), with the particle its last syllable needs."""
    text = STRINGS[key].get(lang) or STRINGS[key]["en"]
    if lang == "ko" or "name" in values:
        for name, value in list(values.items()):
            if isinstance(value, str) and value:
                batchim = has_batchim(value)
                values.setdefault(f"{name}_topic", value + ("은" if batchim else "는"))
                values.setdefault(f"{name}_subj", value + ("이" if batchim else "가"))
                values.setdefault(f"{name}_obj", value + ("을" if batchim else "를"))
                values.setdefault(f"{name}_and", value + ("과" if batchim else "와"))
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


def ordinal(n: int, lang: str) -> str:
    """31 -> '31st' / '31번째'."""
    if lang == "ko":
        return f"{n}번째"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def join_names(names: list[str], lang: str) -> str:
    """'A, B and C' / 'A, B, C'."""
    if lang == "ko" or len(names) < 2:
        return ", ".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def format_date(value: str | date, lang: str) -> str:
    """'2023-04-04' -> '4 April 2023' / '2023년 4월 4일'; partial dates keep their precision."""
    text = value.isoformat() if isinstance(value, date) else value
    parts = [int(p) for p in text.split("-")]
    months = (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    )
    if lang == "ko":
        units = ("년", "월", "일")
        return " ".join(f"{n}{u}" for n, u in zip(parts, units, strict=False))  # as many units as parts
    if len(parts) == 1:
        return str(parts[0])
    if len(parts) == 2:
        return f"{months[parts[1] - 1]} {parts[0]}"
    return f"{parts[2]} {months[parts[1] - 1]} {parts[0]}"


LANGS: tuple[str, ...] = ("en", "ko")  # every STRINGS entry has each of them (tests/test_strings.py)


def known_lang(lang: str | None) -> str:
    """`lang` if the bot speaks it, else English."""
    return lang if lang in LANGS else "en"


def pick_lang(value: str | None) -> str:
    """A stored setting or a client locale -> a language we speak: "ko-KR" -> "ko", None or unknown -> "en"."""
    return next((lang for lang in LANGS if (value or "").casefold().startswith(lang)), "en")


def other_lang(lang: str) -> str:
    """The language the "other language" button offers: the first one we speak that is not `lang`."""
    return next(other for other in LANGS if other != known_lang(lang))
