"""The Telegram adapter's routing fuzzed: `routing.question` on any text and entities, in private
chats and groups. It never raises, answers with None or a string, never answers a command addressed
to another bot, and always answers a command addressed to this one (`/cmd@ThisBot`, any case).

CI runs NATOBOT_FUZZ_EXAMPLES=10000 (.ci/run); a local run uses 300.
"""

from __future__ import annotations

import datetime as dtm
import os
import re

from fake_bot_api import BOT_ID, BOT_USERNAME, entities
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram import Chat, Message, MessageEntity, User

from bot.adapters.telegram.routing import question
from bot.core import commands

EXAMPLES = int(os.environ.get("NATOBOT_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ASKER = User(1001, "Min", False)
ME = User(BOT_ID, "NATO Status", True, username=BOT_USERNAME)
NAMES = sorted({c.telegram for c in commands.for_platform("telegram")} | {c.id for c in commands.COMMANDS})
MENTION = re.compile(rf"(?<![\w@])@{BOT_USERNAME}\b", re.IGNORECASE)
CHAT_TYPES = [Chat.PRIVATE, Chat.GROUP, Chat.SUPERGROUP]
usernames = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{4,31}", fullmatch=True)
other_bots = usernames.filter(lambda name: name.casefold() != BOT_USERNAME.casefold())
any_text = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=5000),
    st.builds(lambda a, b: f"{a}@{BOT_USERNAME}{b}", st.text(max_size=40), st.text(max_size=40)),
    st.builds(
        lambda n, b, a: f"/{n}{b} {a}",
        st.sampled_from(NAMES),
        st.sampled_from(["", f"@{BOT_USERNAME}", "@OtherBot"]),
        st.text(max_size=60),
    ),
)
args = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


def message(text: str, chat_type: str, reply_to_me: bool = False, random_entities: list | None = None) -> Message:
    """A message as PTB hands it over: Telegram's own entities, or arbitrary (even wrong) ones."""
    found = [MessageEntity(e["type"], e["offset"], e["length"]) for e in entities(text)]
    replied = (
        Message(
            1,
            dtm.datetime.now(dtm.UTC),
            Chat(-1 if chat_type != Chat.PRIVATE else 1001, chat_type),
            from_user=ME,
            text="an earlier answer",
        )
        if reply_to_me
        else None
    )
    return Message(
        2,
        dtm.datetime.now(dtm.UTC),
        Chat(-1 if chat_type != Chat.PRIVATE else 1001, chat_type),
        from_user=ASKER,
        text=text,
        entities=random_entities if random_entities is not None else found,
        reply_to_message=replied,
    )


random_entities = st.lists(
    st.builds(
        MessageEntity,
        st.sampled_from(["bot_command", "mention", "bold", "url"]),
        st.integers(-5, 300),
        st.integers(-5, 300),
    ),
    max_size=4,
)


@FUZZ
@given(
    text=any_text,
    chat_type=st.sampled_from(CHAT_TYPES),
    reply_to_me=st.booleans(),
    wrong=st.one_of(st.none(), random_entities),
)
def test_question_never_raises(text: str, chat_type: str, reply_to_me: bool, wrong: list | None) -> None:
    asked = question(message(text, chat_type, reply_to_me, wrong), BOT_USERNAME, BOT_ID)
    assert asked is None or isinstance(asked, str)
    if asked is not None and chat_type != Chat.PRIVATE and not text.strip().startswith("/"):
        assert MENTION.search(asked) is None  # the mention that addressed the bot is taken out


@FUZZ
@given(
    name=st.one_of(st.sampled_from(NAMES), st.from_regex(r"[a-z0-9_]{1,32}", fullmatch=True)),
    other=other_bots,
    arg=args,
    chat_type=st.sampled_from(CHAT_TYPES),
    reply_to_me=st.booleans(),
)
def test_a_command_for_another_bot_is_never_answered(
    name: str, other: str, arg: str, chat_type: str, reply_to_me: bool
) -> None:
    text = f"/{name}@{other} {arg}"
    assert question(message(text, chat_type, reply_to_me), BOT_USERNAME, BOT_ID) is None


@FUZZ
@given(
    name=st.sampled_from(NAMES),
    case=st.sampled_from([str, str.lower, str.upper]),
    arg=args,
    chat_type=st.sampled_from(CHAT_TYPES),
)
def test_a_command_for_this_bot_is_always_answered(name: str, case, arg: str, chat_type: str) -> None:
    text = f"/{name}@{case(BOT_USERNAME)} {arg}"
    asked = question(message(text, chat_type), BOT_USERNAME, BOT_ID)
    assert asked is not None
    parsed = commands.parse(asked)
    assert parsed is not None and parsed.command == commands.find(name)
