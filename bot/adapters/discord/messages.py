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
}


def message(key: str, lang: str, **values: object) -> str:
    table = MESSAGES[key]
    return table.get(lang, table["en"]).format(**values)
