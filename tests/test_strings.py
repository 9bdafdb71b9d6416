"""The one string catalogue (`bot.core.i18n.STRINGS`, looked up with `t`): complete, used, and alone.

- every key has every language, and the same {placeholders} in each (Korean particle forms such as
  `{name_topic}` count as `{name}`);
- every key is used by the code: its literal appears somewhere in `bot/`, or it is built from one of
  the few documented prefixes in `DYNAMIC` (each checked against what builds it);
- no module but `bot/core/i18n.py` holds a table of English and Korean texts.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from bot.core.commands import COMMANDS, for_platform
from bot.core.i18n import STRINGS, known_lang, other_lang, pick_lang, t
from bot.core.quiz import ALL, TOPICS
from bot.core.schema import LANGS, Status

BOT = Path(__file__).resolve().parents[1] / "bot"
CATALOGUE = BOT / "core" / "i18n.py"
SOURCES = {path: path.read_text(encoding="utf-8") for path in sorted(BOT.rglob("*.py")) if path != CATALOGUE}
CODE = "\n".join(SOURCES.values())
# Parsed at collection, before any test runs: CPython 3.11's ast.parse can fail with "AST constructor
# recursion depth mismatch" once another test has hit a RecursionError (the deep-JSON batch tests do).
TREES = {path: ast.parse(source, str(path)) for path, source in SOURCES.items()}
SAMPLE = ast.parse('X = {"en": "Hello", "ko": "안녕"}\nY = {"en": x.en, "ko": x.ko}')

PARTICLES = re.compile(r"_(topic|subj|obj|and)$")  # the forms `t` derives from a value in Korean
# Values one language's grammar needs and another's does not: English "3 countries" (word.countries),
# Korean "3개국" with the counter in the sentence itself.
LANGUAGE_ONLY = {"countries"}

# Keys the code builds rather than names: prefix -> the code that builds them (it must exist).
DYNAMIC = {
    "status.": 'f"status.{',
    "continent.": 'f"continent.{',
    "command.": 'f"command.{',
    "quiz.topic.": 'f"quiz.topic.{',
    "quiz.a.not_member.": 'f"quiz.a.not_member.{',
    "lang.saved.": 'f"lang.saved.{',
    "lang.name.": 'f"lang.name.{',
    "discord.name.": '"discord.name.{}"',
    "discord.param.": '"discord.param.{}',
    "discord.choice.": '"discord.choice.{}"',
}


def placeholders(text: str) -> set[str]:
    return {PARTICLES.sub("", name) for _, name, _, _ in string.Formatter().parse(text) if name} - LANGUAGE_ONLY


def family(prefix: str) -> set[str]:
    return {key.removeprefix(prefix) for key in STRINGS if key.startswith(prefix) and "." not in key[len(prefix) :]}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_key_has_every_language_with_the_same_placeholders(key: str) -> None:
    texts = STRINGS[key]
    assert set(texts) == set(LANGS), f"{key}: languages {sorted(texts)}"
    assert all(isinstance(text, str) and text.strip() for text in texts.values()), key
    english = placeholders(texts["en"])
    for lang, text in texts.items():
        assert placeholders(text) == english, f"{key}: {lang} has {placeholders(text)}, en has {english}"


def test_every_key_is_used() -> None:
    unused = [
        key
        for key in STRINGS
        if f'"{key}"' not in CODE and f"'{key}'" not in CODE and not key.startswith(tuple(DYNAMIC))
    ]
    assert unused == [], f"keys no code uses (remove them, or document how they are built in DYNAMIC): {unused}"


@pytest.mark.parametrize("prefix", sorted(DYNAMIC))
def test_every_dynamic_prefix_is_built_by_the_code(prefix: str) -> None:
    assert DYNAMIC[prefix] in CODE, f"nothing builds {prefix}* keys any more: drop it from DYNAMIC"
    assert any(key.startswith(prefix) for key in STRINGS), prefix


def test_dynamic_families_match_what_they_name() -> None:
    assert family("command.") == {c.id for c in COMMANDS}
    assert family("discord.name.") == {c.id for c in for_platform("discord")}
    assert family("status.") == {s.value for s in Status}
    assert family("quiz.topic.") == {*TOPICS, ALL}
    assert family("quiz.a.not_member.") == {s.value for s in Status if s is not Status.member}
    assert family("lang.name.") == set(LANGS)


def test_t_fills_values_and_korean_particles() -> None:
    assert t("quiz.a.joined", "en", name="Finland", date="4 April 2023") == "Finland joined NATO on 4 April 2023."
    korean = t("quiz.a.joined", "ko", name="핀란드", date="2023년 4월 4일")
    assert korean == "핀란드는 2023년 4월 4일에 나토에 가입했습니다."
    assert t("title.status", "ko", name="한국") == "한국과 나토"
    assert t("period.decade", "en", decade=1990) == "the 1990s"
    assert t("button.stale", "ko", example="/nato_status korea").endswith("예: /nato_status korea")


def _bilingual_tables(tree: ast.AST) -> list[int]:
    """Lines of dict literals with both an "en" and a "ko" key whose values are texts written in code."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Dict):
            continue
        texts = {
            key.value
            for key, value in zip(node.keys, node.values, strict=True)
            if isinstance(key, ast.Constant)
            and key.value in LANGS
            and (isinstance(value, ast.JoinedStr) or (isinstance(value, ast.Constant) and isinstance(value.value, str)))
        }
        if texts >= {"en", "ko"}:
            found.append(node.lineno)
    return found


def test_no_bilingual_table_outside_the_catalogue() -> None:
    tables = {
        str(path.relative_to(BOT.parent)): lines for path, tree in TREES.items() if (lines := _bilingual_tables(tree))
    }
    assert tables == {}, f"move these texts into bot/core/i18n.py's STRINGS and look them up with t(): {tables}"


def test_the_table_check_finds_a_table() -> None:
    assert _bilingual_tables(SAMPLE) == [1]


def test_languages_are_chosen_in_one_place() -> None:
    assert [pick_lang(v) for v in ("ko-KR", "KO", "en-GB", "ja", "", None)] == ["ko", "ko", "en", "en", "en", "en"]
    assert [known_lang(v) for v in ("ko", "en", "ja", None)] == ["ko", "en", "en", "en"]
    assert [other_lang(v) for v in ("en", "ko", "ja")] == ["ko", "en", "ko"]
