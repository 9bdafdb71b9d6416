"""The HTML renderer and splitter: escaping, links, buttons, and parts that Telegram accepts."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.telegram.render import callback_data, html, keyboard, messages, parse_callback_data
from bot.adapters.telegram.split import split_html, utf16_len
from bot.core.reply import Action, Field, Reply, SourceRef

ALLOWED_TAGS = {"b", "i", "a"}
_MARKUP = re.compile(r"<(/?)([a-z]+)(?: [^<>]*)?>|&(?:lt|gt|amp|quot|#\d+|#x[0-9a-f]+);")


def assert_valid_telegram_html(part: str, limit: int = 4096) -> None:
    """Within the limit, only our tags, properly nested and closed, and no stray `<`, `>` or `&`."""
    assert 0 < utf16_len(part) <= limit
    stack: list[str] = []
    for match in _MARKUP.finditer(part):
        closing, name = match.group(1), match.group(2)
        if name is None:
            continue  # an entity
        assert name in ALLOWED_TAGS, part
        if closing:
            assert stack and stack.pop() == name, part
        else:
            stack.append(name)
    assert stack == [], part
    assert not re.search(r"[<>&]", _MARKUP.sub("", part)), part


def visible(part: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^<>]*>", "", part))


def reply(**values) -> Reply:  # type: ignore[no-untyped-def]
    return Reply(**{"title": "T", "body": "B", "lang": "en", "intent": "status", "matched": True, **values})


def test_every_knowledge_and_user_string_is_escaped() -> None:
    attack = '<b>x</b> <a href="javascript:alert(1)">y</a> & @everyone'
    rendered = html(
        reply(
            title=attack,
            body=attack,
            fields=(Field(attack, attack),),
            notes=(attack,),
            sources=(SourceRef(attack, "javascript:alert(1)", attack),),
        )
    )
    assert_valid_telegram_html(rendered)
    assert re.findall(r"<a [^<>]*>", rendered) == []  # a javascript: source is not linked
    assert rendered.count("&lt;b&gt;x&lt;/b&gt;") == 7  # title, body, field name and value, note, source, publisher


def test_sources_are_links_and_capped_with_a_count() -> None:
    sources = tuple(SourceRef(f"Source {n}", f'https://example.org/{n}?a=1&b="2"', "NATO") for n in range(8))
    rendered = html(reply(sources=sources, updated=date(2026, 1, 2)))
    assert rendered.count("<a href=") == 5
    assert '<a href="https://example.org/0?a=1&amp;b=&quot;2&quot;">Source 0</a> — NATO' in rendered
    assert "… and 3 more" in rendered and "Updated: 2026-01-02" in rendered
    full = html(reply(intent="sources", body="plain list, replaced by links", sources=sources))
    assert full.count("<a href=") == 8 and "plain list" not in full


def test_unmatched_reply_lists_its_suggestions() -> None:
    rendered = html(reply(matched=False, suggestions=("Is South Korea in NATO?", "/nato_status <x>")))
    assert "Maybe you meant" in rendered and "• /nato_status &lt;x&gt;" in rendered


def test_commands_are_shown_by_their_telegram_names() -> None:
    rendered = html(
        reply(body="For example: /nato-status korea", suggestions=("/nato-timeline japan", "/nato-foo"), matched=False)
    )
    assert "/nato_status korea" in rendered and "/nato_timeline japan" in rendered
    assert "/nato-foo" in rendered  # not one of ours: left as it is


def test_buttons_carry_language_and_ref_and_drop_what_does_not_fit() -> None:
    actions = (Action("timeline", "Timeline", "timeline:KR"), Action("sources", "Sources", "sources:" + "x" * 60))
    markup = keyboard(reply(lang="ko", actions=actions))
    assert markup is not None
    [[button]] = markup.inline_keyboard
    assert button.callback_data == "ko|timeline:KR"
    assert keyboard(reply(actions=actions[1:])) is None
    assert parse_callback_data(callback_data("ko", "lang:en:status:KR")) == ("ko", "lang:en:status:KR")
    assert parse_callback_data("timeline:KR") == (None, "timeline:KR")
    assert parse_callback_data(None) == (None, "")


def test_split_prefers_paragraphs_then_lines() -> None:
    paragraphs = [f"<b>Part {n}</b>\n" + "\n".join(f"line {n}.{m} " + "x" * 60 for m in range(20)) for n in range(6)]
    parts = split_html("\n\n".join(paragraphs), limit=3000)
    assert len(parts) == 3
    assert all(p.startswith("<b>Part ") for p in parts)
    long_paragraph = "\n".join(f"• item {m} " + "y" * 80 for m in range(100))
    for part in split_html(long_paragraph, limit=1000):
        assert part.startswith("• item ") and part.endswith("y")


def test_split_closes_and_reopens_a_tag_cut_in_the_middle() -> None:
    text = '<a href="https://example.org/">' + "word " * 400 + "</a> tail"
    parts = split_html(text, limit=500)
    assert len(parts) > 1
    for part in parts:
        assert_valid_telegram_html(part, 500)
    assert all(p.startswith('<a href="https://example.org/">') for p in parts[:-1])


def test_split_counts_utf16_units_and_keeps_emoji_and_entities_whole() -> None:
    text = "🇰🇷 &amp; 한국 " * 900
    parts = split_html(text, limit=4096)
    assert len(parts) > 1
    for part in parts:
        assert_valid_telegram_html(part)
    assert "".join(map(visible, parts)) == visible(text)
    assert split_html("short") == ["short"] and split_html("  \n\n ") == []


def test_real_answers_render_within_limits(shared_runtime) -> None:  # type: ignore[no-untyped-def]
    for ref in ("status:KR", "timeline:KR", "sources:timeline:KR", "sources:members", "members", "partners"):
        for lang in ("en", "ko"):
            answer = shared_runtime.follow(ref, lang)
            parts = messages(answer)
            for part in parts:
                assert_valid_telegram_html(part)
            assert visible("".join(parts)) == visible(html(answer))


text_pieces = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)


@st.composite
def replies(draw: st.DrawFn) -> Reply:
    pieces = st.lists(text_pieces, max_size=8)
    return reply(
        title=draw(text_pieces),
        body="\n\n".join(draw(pieces)),
        fields=tuple(Field(n, v) for n, v in draw(st.lists(st.tuples(text_pieces, text_pieces), max_size=5))),
        notes=tuple(draw(pieces)),
        sources=tuple(
            SourceRef(t, "https://example.org/" + u, p)
            for t, u, p in draw(st.lists(st.tuples(text_pieces, text_pieces, text_pieces), max_size=7))
        ),
        matched=draw(st.booleans()),
        suggestions=tuple(draw(pieces)),
    )


@settings(max_examples=200, deadline=None)
@given(replies(), st.integers(min_value=200, max_value=4096))
def test_any_reply_splits_into_valid_parts(answer: Reply, limit: int) -> None:
    rendered = html(answer)
    parts = split_html(rendered, limit)
    for part in parts:
        assert_valid_telegram_html(part, limit)
    assert "".join(map(visible, parts)) == visible(rendered)


markup_blocks = st.lists(st.tuples(st.sampled_from(["", "b", "i", "a"]), text_pieces), min_size=1, max_size=30)


@settings(max_examples=200, deadline=None)
@given(markup_blocks, st.sampled_from(["\n\n", "\n", " ", ""]), st.integers(min_value=60, max_value=2000))
def test_any_markup_splits_into_valid_parts(blocks: list[tuple[str, str]], joiner: str, limit: int) -> None:
    from html import escape

    def wrap(tag: str, text: str) -> str:
        body = escape(text, quote=False)
        if tag == "a":
            return f'<a href="https://example.org/?q=1&amp;r=2">{body}</a>'
        return f"<{tag}>{body}</{tag}>" if tag else body

    rendered = joiner.join(wrap(tag, text) for tag, text in blocks)
    parts = split_html(rendered, limit)
    for part in parts:
        assert_valid_telegram_html(part, limit)
    assert "".join(map(visible, parts)) == visible(rendered)
