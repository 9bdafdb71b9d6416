"""The few interface strings that belong to the Discord adapter alone (answers come from the core)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "error": {
        "en": "Sorry, something went wrong while answering. Please try again in a moment.",
        "ko": "죄송합니다. 답변하는 중에 문제가 생겼습니다. 잠시 후 다시 시도해 주세요.",
    },
    "stale": {
        "en": "This button belongs to an older answer that I can no longer show. "
        "Please run the command again, for example `/nato-status korea`.",
        "ko": "이 버튼은 지금은 보여 드릴 수 없는 예전 답변의 버튼입니다. "
        "명령을 다시 실행해 주세요. 예: `/nato-status korea`",
    },
    "slow_down": {
        "en": "You're asking faster than I can keep up with. Please wait a few seconds and try again.",
        "ko": "질문이 너무 빨리 들어오고 있어요. 몇 초 뒤에 다시 시도해 주세요.",
    },
    # quizzes
    "quiz_title": {"en": "NATO quiz", "ko": "나토 퀴즈"},
    "quiz_intro": {
        "en": "{count} questions on {topic}, {seconds} seconds each. Tap an answer: each member's first answer "
        "counts, and the result comes when the question closes.",
        "ko": "{topic} 문제 {count}개, 문제마다 {seconds}초입니다. 버튼으로 답하세요. 한 사람당 첫 답만 인정되고, "
        "결과는 문제가 마감되면 나옵니다.",
    },
    "quiz_question": {"en": "Question {n} of {total}", "ko": "{total}문제 중 {n}번"},
    "quiz_closes": {"en": "Closes {when}.", "ko": "{when} 마감."},
    "quiz_footer": {"en": "NATO Status Bot · quiz", "ko": "NATO Status Bot · 퀴즈"},
    "quiz_right": {"en": "Right: {right} of {answered}", "ko": "정답자: {answered}명 중 {right}명"},
    "quiz_nobody": {"en": "Nobody this time.", "ko": "이번에는 아무도 맞히지 못했어요."},
    "quiz_more": {"en": "and {n} more", "ko": "외 {n}명"},
    "quiz_over": {"en": "Quiz over! Leaderboard", "ko": "퀴즈 끝! 순위"},
    "quiz_running": {
        "en": (
            "A quiz is already running in this server (question {n} of {total}). Join in, or start a new one "
            "when it ends."
        ),
        "ko": "이 서버에서 이미 퀴즈가 진행 중입니다 ({total}문제 중 {n}번). "
        "함께 풀거나, 끝난 뒤 새 퀴즈를 시작하세요.",
    },
    "quiz_empty": {
        "en": "I can't make questions on that topic from what I know yet. Try `/nato-quiz` with another topic.",
        "ko": "아직 그 주제로는 문제를 만들 수 없어요. 다른 주제로 `/nato-quiz`를 해 보세요.",
    },
    "quiz_cannot_post": {
        "en": "I can't post the questions in this channel. A server admin can give me the Send Messages "
        "permission here.",
        "ko": "이 채널에 문제를 올릴 수 없어요. 서버 관리자가 이 채널에서 제게 메시지 보내기 권한을 주면 됩니다.",
    },
    "quiz_recorded": {
        "en": "Answer recorded: {option}. The result comes when the question closes.",
        "ko": "답을 기록했어요: {option}. 결과는 문제가 마감되면 나옵니다.",
    },
    "quiz_duplicate": {
        "en": "You already answered this question: only your first answer counts.",
        "ko": "이미 이 문제에 답했어요. 첫 답만 인정됩니다.",
    },
    "quiz_closed": {
        "en": "This question is closed, so answers no longer count. Watch for the next one!",
        "ko": "이 문제는 마감되어 더 이상 답이 인정되지 않아요. 다음 문제를 기다려 주세요!",
    },
    "quiz_ended": {
        "en": "This quiz has ended. Start a new one with `/nato-quiz`.",
        "ko": "이 퀴즈는 끝났어요. `/nato-quiz`로 새 퀴즈를 시작하세요.",
    },
    # leaderboard
    "board_reset": {
        "en": "Leaderboard reset: {n} members' scores cleared.",
        "ko": "순위를 초기화했어요: {n}명의 점수를 지웠습니다.",
    },
    "board_reset_refused": {
        "en": "Sorry, only members with the Manage Server permission can reset the leaderboard.",
        "ko": "죄송해요. 순위 초기화는 서버 관리 권한이 있는 멤버만 할 수 있어요.",
    },
    # language
    "language_en": {"en": "English", "ko": "영어"},
    "language_ko": {"en": "Korean", "ko": "한국어"},
    "lang_me": {"en": "Saved: I'll answer you in {language}.", "ko": "저장했어요. 앞으로 {language}로 답할게요."},
    "lang_me_auto": {
        "en": (
            "Saved: your own setting is cleared; you get this server's language or your Discord language "
            "({language} now)."
        ),
        "ko": "저장했어요. 개인 설정을 지웠고, 서버 언어나 Discord 언어를 따릅니다 (지금은 {language}).",
    },
    "lang_server": {
        "en": "Saved: this server's answer language is now {language}.",
        "ko": "저장했어요. 이 서버의 답변 언어는 이제 {language}입니다.",
    },
    "lang_server_auto": {
        "en": "Saved: this server has no language setting now; each member gets their Discord language.",
        "ko": "저장했어요. 이 서버의 언어 설정을 지웠습니다. 각자 Discord 언어로 답합니다.",
    },
    "lang_refused": {
        "en": (
            "Sorry, only members with the Manage Server permission can change the server's language. "
            "You can set your own with `scope: me`."
        ),
        "ko": (
            "죄송해요. 서버 언어는 서버 관리 권한이 있는 멤버만 바꿀 수 있어요. `scope: me`로 내 언어는 정할 수 있어요."
        ),
    },
}


def message(key: str, lang: str, **values: object) -> str:
    table = MESSAGES[key]
    return table.get(lang, table["en"]).format(**values)
