"""Reply -> Embed: within every Discord limit whatever the Reply holds, and nothing pings or formats."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.adapters.discord import render
from bot.adapters.discord.render import clip, embed, link, safe, utf16_len
from bot.core.reply import Action, Field, Reply, SourceRef

PIECES = [
    "@everyone",
    "@here",
    "<@123456789012345678>",
    "<@&123456789012345678>",
    "**",
    "__",
    "`",
    "~~",
    "||",
    "> ",
    "# ",
    "[x](https://e.com)",
    "\\",
    "https://www.nato.int/a_b_(c)",
    "😀",
    "한국",
    "\n",
    " ",
]
text = st.lists(st.one_of(st.text(max_size=60), st.sampled_from(PIECES)), max_size=40).map("".join)
long_text = st.one_of(text, st.integers(0, 9000).map(lambda n: ("가나다 😀 " * (n // 6 + 1))[:n]))
urls = st.one_of(
    st.sampled_from(
        [
            "https://www.nato.int/cps/en/natohq/topics_50098.htm",
            "http://e.com/a(b)c d",
            "javascript:alert(1)",
            "",
            "ftp://x",
        ]
    ),
    text,
)

replies = st.builds(
    Reply,
    title=long_text,
    body=long_text,
    lang=st.sampled_from(["en", "ko"]),
    intent=st.just("status"),
    matched=st.booleans(),
    country=st.none() | st.just("KR"),
    status=st.sampled_from([None, "member", "partner", "aspirant", "non_member", "weird"]),
    fields=st.lists(st.builds(Field, long_text, long_text), max_size=40).map(tuple),
    sources=st.lists(st.builds(SourceRef, text, urls, text), max_size=30).map(tuple),
    suggestions=st.lists(text, max_size=5).map(tuple),
    actions=st.lists(st.builds(Action, st.just("sources"), text, text), max_size=3).map(tuple),
    updated=st.none() | st.dates(date(2000, 1, 1), date(2100, 1, 1)),
    notes=st.lists(text, max_size=3).map(tuple),
)

LIVE_MENTION = re.compile(r"@(everyone|here|[!&]?\d{17,20})")


def strings(e) -> list[str]:
    return [e.title or "", e.description or "", e.footer.text or ""] + [x for f in e.fields for x in (f.name, f.value)]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(replies)
def test_any_reply_fits_every_embed_limit(reply: Reply) -> None:
    e = embed(reply)
    assert utf16_len(e.title or "") <= 256 and len(e.title or "") <= 256
    assert utf16_len(e.description or "") <= 4096
    assert len(e.fields) <= 25
    for f in e.fields:
        assert 1 <= utf16_len(f.name) <= 256 and 1 <= utf16_len(f.value) <= 1024
    assert utf16_len(e.footer.text or "") <= 2048
    assert render.size(e) <= 6000 and len(e) <= 6000
    for s in strings(e):
        assert LIVE_MENTION.search(s) is None
        assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in s)  # no half of a surrogate pair
    e.to_dict()


def test_long_answers_keep_title_fields_and_footer() -> None:
    reply = Reply(
        "T" * 300,
        "word " * 3000,
        "en",
        "status",
        True,
        status="member",
        fields=tuple(Field(f"f{i}", "v" * 2000) for i in range(30)),
        sources=tuple(SourceRef(f"source {i}", f"https://e.com/{i}") for i in range(20)),
        updated=date(2026, 1, 2),
    )
    e = embed(reply)
    assert e.title.endswith("…") and len(e.title) == 256
    assert e.footer.text.endswith("2026-01-02")
    assert render.size(e) <= 6000 and len(e.description) >= render.MIN_DESCRIPTION * 0.8
    assert e.colour.value == render.COLOURS["member"]


def test_clip_never_splits_a_surrogate_pair_or_leaves_an_escape() -> None:
    assert clip("😀" * 10, 5) == "😀😀…"
    assert clip("abc\\*def", 5) == "abc…"
    assert clip("short", 5) == "short"


def test_links() -> None:
    assert link("NATO [official]", "https://e.com/a(b) c") == "[NATO \\[official\\]](https://e.com/a%28b%29%20c)"
    assert link("x", "javascript:alert(1)") == "x (javascript:alert(1))"
    assert safe("@everyone *hi*") == "@\u200beveryone \\*hi\\*"
